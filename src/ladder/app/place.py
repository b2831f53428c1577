"""The place views over a workspace or folder, for every front end (CLI, web).

- :func:`catchment_from`: the catchment a user asked for (local authorities, or sites
  within a distance), or None for each trust's own.
- :func:`neighbourhoods`: the priority-neighbourhood views; the counts come from the
  indicator ``place.neighbourhoods`` (stored results on a workspace with the default
  catchment), so they are suppressed exactly as every other published figure.
- :func:`place_match`: how the home postcodes and LSOAs matched the lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ladder.app import results as app_results
from ladder.engines import EngineName, EngineUnavailable
from ladder.metrics import DEFAULT_THRESHOLD, InputError, Result, Settings, load, run
from ladder.metrics.enrichment import place_lookup
from ladder.metrics.neighbourhoods import ID, NeighbourhoodView, build_view, views_for
from ladder.place.catchment import (
    Catchment,
    CatchmentError,
    default_catchment,
    resolve_local_authority,
    resolve_site,
)
from ladder.place.matching import PlaceMatch, match_report
from ladder.place.neighbourhoods import PERCENTS
from ladder.store.errors import StoreError


class NeighbourhoodInputError(Exception):
    """The data or the catchment cannot be used (the message says why and what to do)."""


def catchment_from(
    local_authorities: Sequence[str] = (), sites: Sequence[str] = (), within: float | None = None
) -> Catchment | None:
    """The catchment of the given local authorities (codes or names) and sites (trust
    codes, postcodes or 'lat,lon') within ``within`` km; None when neither is given."""
    try:
        if local_authorities or sites:
            return Catchment(
                local_authorities=tuple(resolve_local_authority(x) for x in local_authorities),
                sites=tuple(resolve_site(x) for x in sites),
                within_km=within,
            )
        if within is not None:
            raise CatchmentError("--within needs --site")
    except CatchmentError as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    return None


def neighbourhoods(
    data: Path | None,
    *,
    org: str | None = None,
    period: int | None = None,
    catchment: Catchment | None = None,
    percent: int = 10,
    engine: EngineName = EngineName.polars,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[NeighbourhoodView]:
    """The views of ``org`` (or of each organisation in ``data``); without data, the
    reference view of ``org``'s or the given catchment (no counts)."""
    if percent not in PERCENTS:
        raise NeighbourhoodInputError(f"--most-deprived {percent}: use 1 or 10")
    if data is not None:
        return neighbourhood_views(
            data,
            org=org,
            period=period,
            catchment=catchment,
            percent=percent,
            engine=engine,
            threshold=threshold,
        )
    code = (org or "").strip().upper()
    area = catchment or (default_catchment(code) if code else None)
    if area is None:
        raise NeighbourhoodInputError(
            "give DATA, or --org with a known trust code, or --la / --site"
        )
    return [build_view([], code, None, area, percent)]


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
    settings = Settings(threshold=threshold, catchment=catchment, neighbourhood_percent=percent)
    code = org.strip().upper() if org else None
    found: list[Result]
    try:
        if app_results.is_workspace(data) and settings == Settings(threshold=threshold):
            found = app_results.results(
                data, org=code, ids=[ID], settings=settings, engine=engine
            ).results
            reasons = ""
        else:
            loaded = load(data, engine=engine, org=code, settings=settings)
            try:
                outcome = run(loaded.context, ids=[ID])
            finally:
                loaded.close()
            found = outcome.results
            reasons = "; ".join(s.reason for s in outcome.skipped)
    except (InputError, StoreError, EngineUnavailable) as exc:
        raise NeighbourhoodInputError(str(exc)) from exc
    if code is not None and not any(r.org == code for r in found):
        raise NeighbourhoodInputError(
            f"no staff records of {code} in {data}" + (f" ({reasons})" if reasons else "")
        )
    return views_for(found, org=code, period=period, catchment=catchment, percent=percent)


def place_match(
    data: Path, *, org: str | None = None, engine: EngineName = EngineName.polars
) -> PlaceMatch:
    """How the home postcodes and LSOAs of every dataset in ``data`` matched the lookup."""
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
