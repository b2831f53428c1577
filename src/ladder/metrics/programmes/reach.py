"""Reach: who a programme reaches against whom it targets (docs/programmes.md, "Reach").

``programme.reach`` (``Measure.SHARE``, percent): the share of a programme's participants
whose home area is in the most deprived decile, the most deprived quintile nationally (IMD
2019), and in the catchment's priority neighbourhoods (the most deprived 10% — or 1% — of
neighbourhoods nationally within it); beside it the same shares of the catchment's
population (from the reference data: no counts) and of the trust's own applicants over the
same years. ``breakdown["population"]`` says which: ``participants``, ``catchment`` or
``applicants``; ``difference`` rows (``Measure.DIFFERENCE``, percentage points) are the
participants' share minus the catchment's. Shares are among the people whose home area is
known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from ladder.metrics import stats
from ladder.metrics.programmes.funnel import method
from ladder.metrics.results import Measure, Result, Unit

DECILE = "most deprived decile"
QUINTILE = "most deprived quintile"
PRIORITY = "priority neighbourhoods"
AREAS: tuple[str, ...] = (DECILE, QUINTILE, PRIORITY)


def catchment_population_shares(
    lsoas: pl.DataFrame, priority: Iterable[str] | None
) -> dict[str, float | None]:
    """Percent of a catchment's population (``lsoas``: lsoa21, population, imd_decile) living
    in the most deprived decile, quintile (deciles 1-2) and the priority neighbourhoods."""
    total = float(lsoas["population"].sum()) if lsoas.height else 0.0
    if total <= 0:
        return {}
    population = pl.col("population").cast(pl.Float64)

    def share(condition: pl.Expr) -> float:
        return 100.0 * float(lsoas.select((population * condition).sum()).item()) / total

    out: dict[str, float | None] = {
        DECILE: share(pl.col("imd_decile") == 1),
        QUINTILE: share(pl.col("imd_decile") <= 2),
    }
    if priority is not None:
        out[PRIORITY] = share(pl.col("lsoa21").is_in(list(priority)))
    return out


def _flags(rows: pl.DataFrame, priority: Iterable[str] | None) -> dict[str, pl.Series]:
    known = (
        rows.filter(pl.col("lsoa21").is_not_null()) if "lsoa21" in rows.columns else rows.clear()
    )
    out = {
        DECILE: known["imd_decile"] == 1
        if "imd_decile" in known.columns
        else pl.Series([], dtype=pl.Boolean),
        QUINTILE: known["imd_quintile"] == 1
        if "imd_quintile" in known.columns
        else pl.Series([], dtype=pl.Boolean),
    }
    if priority is not None and "lsoa21" in known.columns:
        out[PRIORITY] = known["lsoa21"].is_in(list(priority))
    return out


def _share(flags: pl.Series, area: str, population: str, base: Result) -> Result:
    total = flags.len()
    events = int(flags.sum()) if total else 0
    interval = stats.wilson(events, total)
    pct = None if interval.value is None else interval.value * 100
    return Result(
        **{
            **base.__dict__,
            "group": area,
            "breakdown": {**base.breakdown, "population": population},
            "value": pct,
            "numerator": events,
            "denominator": total,
            "ci_lower": None if interval.lower is None else interval.lower * 100,
            "ci_upper": None if interval.upper is None else interval.upper * 100,
        }
    )


def reach_results(
    participants: pl.DataFrame,
    *,
    programme: str,
    org: str,
    period: int,
    catchment: Mapping[str, float | None],
    priority: Iterable[str] | None,
    applicants: pl.DataFrame | None = None,
    catchment_name: str = "the catchment",
) -> list[Result]:
    """The reach of one programme (``participants`` enriched with lsoa21, imd_decile and
    imd_quintile; ``applicants`` the same for the trust's applications). ``catchment``: the
    percent of the catchment population in each of :data:`AREAS` (None: not known)."""
    listed = None if priority is None else list(priority)
    base = Result(
        id="programme.reach",
        title=f"{programme}: participants from the most deprived areas (%)",
        org=org,
        period=period,
        measure=Measure.SHARE,
        unit=Unit.PERCENT,
        value=None,
        method=method("Reach"),
        breakdown={"programme": programme},
        note="among people whose home area is known (IMD 2019)",
    )
    out: list[Result] = []
    mine = _flags(participants, listed)
    theirs = _flags(applicants, listed) if applicants is not None else {}
    for area in AREAS:
        if area not in mine:
            continue
        share = _share(mine[area], area, "participants", base)
        out.append(share)
        if area in theirs:
            out.append(
                Result(
                    **{
                        **_share(theirs[area], area, "applicants", base).__dict__,
                        "title": f"{programme}: the trust's applicants from the most deprived "
                        "areas, for comparison (%)",
                        "note": "applications to the trust over the programme's years, among "
                        "those whose home area is known",
                    }
                )
            )
        population = catchment.get(area)
        if population is not None:
            out.append(
                Result(
                    **{
                        **base.__dict__,
                        "title": f"{programme}: population of {catchment_name} living in the "
                        "most deprived areas, for comparison (%)",
                        "group": area,
                        "breakdown": {**base.breakdown, "population": "catchment"},
                        "value": population,
                        "note": f"Census 2021 population of {catchment_name} (reference data)",
                    }
                )
            )
            out.append(
                Result(
                    **{
                        **share.__dict__,
                        "id": "programme.reach",
                        "title": f"{programme}: participants' share minus the catchment "
                        "population's (percentage points)",
                        "measure": Measure.DIFFERENCE,
                        "unit": Unit.PERCENTAGE_POINTS,
                        "breakdown": {**base.breakdown, "population": "difference"},
                        "value": None if share.value is None else share.value - population,
                        "ci_lower": None,
                        "ci_upper": None,
                        "note": f"participants' share minus the population share of "
                        f"{catchment_name}",
                    }
                )
            )
    return out
