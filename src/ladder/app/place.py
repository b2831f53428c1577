"""The place views over a workspace or folder, for every front end (CLI, web).

- :func:`neighbourhood_views`: load, run ``place.neighbourhoods``, build the views; the counts
  come from the indicator run, so they are suppressed exactly as every other published figure.
- :func:`place_match`: how the home postcodes and LSOAs matched the lookup.
"""

from __future__ import annotations

from pathlib import Path

from ladder.engines import EngineName, EngineUnavailable
from ladder.metrics.enrichment import place_lookup
from ladder.metrics.inputs import InputError, load
from ladder.metrics.neighbourhoods import ID, NeighbourhoodView, views_for
from ladder.metrics.runner import run
from ladder.metrics.settings import DEFAULT_THRESHOLD, Settings
from ladder.place.catchment import Catchment
from ladder.place.matching import PlaceMatch, match_report


class NeighbourhoodInputError(Exception):
    """The data could not be loaded (the message says why and what to do)."""


def neighbourhood_views(
    data: Path,
    *,
    org: str | None = None,
    period: int | None = None,
    catchment: Catchment | None = None,
    percent: int = 10,
    engine: EngineName = EngineName.polars,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[NeighbourhoodView]:
    """The priority-neighbourhood view of each organisation in ``data`` (or of ``org``)."""
    from ladder.store.errors import StoreError

    settings = Settings(threshold=threshold, catchment=catchment, neighbourhood_percent=percent)
    code = org.strip().upper() if org else None
    try:
        loaded = load(data, engine=engine, org=code, settings=settings)
    except (InputError, StoreError, EngineUnavailable) as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    try:
        outcome = run(loaded.context, ids=[ID])
    except EngineUnavailable as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    finally:
        loaded.close()
    if code is not None and not any(r.org == code for r in outcome.results):
        reasons = "; ".join(s.reason for s in outcome.skipped)
        raise NeighbourhoodInputError(
            f"no staff records of {code} in {data}" + (f" ({reasons})" if reasons else "")
        )
    return views_for(outcome.results, org=code, period=period, catchment=catchment, percent=percent)


def place_match(
    data: Path, *, org: str | None = None, engine: EngineName = EngineName.polars
) -> PlaceMatch:
    """How the home postcodes and LSOAs of every dataset in ``data`` matched the lookup."""
    from ladder.store.errors import StoreError

    code = org.strip().upper() if org else None
    try:
        loaded = load(data, engine=engine, org=code)
    except (InputError, StoreError, EngineUnavailable) as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    try:
        lookup = place_lookup(loaded.context)
    except EngineUnavailable as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    finally:
        loaded.close()
    if not lookup.records:
        raise NeighbourhoodInputError(
            f"{data} holds no staff, applications or participants: nothing has a home area"
        )
    return match_report(lookup, tuple(loaded.notes))
