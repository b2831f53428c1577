"""Reach: who a programme reaches against whom it targets (docs/programmes.md, "Reach").

``programme.reach`` (``Measure.SHARE``, percent): the share of a programme's participants
whose home area is in the most deprived decile, the most deprived quintile nationally (IMD
2019), and in the catchment's priority neighbourhoods (the most deprived 10% — or 1% — of
neighbourhoods nationally within it); beside it the same shares of the catchment's
population (from the reference data: no counts; id ``programme.reach.catchment``) and of the
trust's own applicants over the same years. ``breakdown["population"]`` says which:
``participants``, ``catchment`` or ``applicants``; ``difference`` rows
(``Measure.DIFFERENCE``, percentage points) are the participants' share minus the
catchment's. Shares are among the people whose home area is
known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import polars as pl

from ladder.metrics import stats
from ladder.metrics.programmes.funnel import method
from ladder.metrics.results import Measure, Result, Unit

DECILE = "most deprived decile"
QUINTILE = "most deprived quintile"
PRIORITY = "priority neighbourhoods"
AREAS: tuple[str, ...] = (DECILE, QUINTILE, PRIORITY)
CATCHMENT_ID = "programme.reach.catchment"
"""The catchment population's shares: reference figures without counts, kept apart from the
participants' table so its suppression never withholds them."""
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
Row = dict[str, Any]
"""A result's fields by name (:func:`ladder.metrics.table.rows_frame` builds the frame)."""


def catchment_population_shares(
    lsoas: pl.DataFrame, priority: Iterable[str] | None
) -> dict[str, float | None]:
    """Percent of a catchment's population (``lsoas``: lsoa21, population, imd_decile) living
    in the most deprived decile, quintile (deciles 1-2) and the priority neighbourhoods."""
    total = float(lsoas["population"].sum()) if lsoas.height else 0.0
    if total <= 0:
        return {}
    population = pl.col("population").cast(pl.Float64)

    conditions = {DECILE: pl.col("imd_decile") == 1, QUINTILE: pl.col("imd_decile") <= 2}
    if priority is not None:
        conditions[PRIORITY] = pl.col("lsoa21").is_in(list(priority))
    sums = lsoas.select(  # every area in one pass
        (population * c).sum().alias(area) for area, c in conditions.items()
    ).row(0, named=True)
    return {area: 100.0 * float(sums[area]) / total for area in conditions}


def catchments_population_shares(
    lsoas: pl.DataFrame, priority: pl.DataFrame, key: str
) -> dict[Any, dict[str, float | None]]:
    """:func:`catchment_population_shares` of many catchments at once, each with its priority
    neighbourhoods: ``lsoas`` (``key``, lsoa21, population, imd_decile: the catchment's
    LSOAs), ``priority`` (``key``, lsoa21). A catchment without LSOAs, or without people,
    gets no entry. The population figures are whole numbers, so the sums are exact in any
    order: the same figures as one catchment at a time."""
    population = pl.col("population").cast(pl.Float64)
    listed = priority.select(key, "lsoa21").unique().with_columns(pl.lit(True).alias("_listed"))
    conditions = {
        DECILE: pl.col("imd_decile") == 1,
        QUINTILE: pl.col("imd_decile") <= 2,
        PRIORITY: pl.col("_listed").fill_null(False),
    }
    sums = (
        lsoas.select(key, "lsoa21", "population", "imd_decile")
        .join(listed, on=[key, "lsoa21"], how="left")
        .group_by(key)
        .agg(
            pl.col("population").sum().alias("_total"),
            *((population * c).sum().alias(area) for area, c in conditions.items()),
        )
    )
    out: dict[Any, dict[str, float | None]] = {}
    for row in sums.iter_rows(named=True):
        total = float(row["_total"] or 0)
        if total > 0:
            out[row[key]] = {area: 100.0 * float(row[area]) / total for area in conditions}
    return out


def _counts(rows: pl.DataFrame, priority: list[str] | None) -> dict[str, tuple[int, int]]:
    """(people in the area, people with a known home area) per area; a row stands for ``n``
    people when the frame has an ``n`` column (aggregated applications), else for one."""
    if "lsoa21" not in rows.columns or "imd_decile" not in rows.columns:
        return {}
    known = rows.filter(pl.col("lsoa21").is_not_null())
    if "n" not in known.columns:
        known = known.with_columns(pl.lit(1, dtype=pl.Int64).alias("n"))
    weight = pl.col("n")
    conditions = {DECILE: pl.col("imd_decile") == 1, QUINTILE: pl.col("imd_decile") <= 2}
    if priority is not None:
        conditions[PRIORITY] = pl.col("lsoa21").is_in(priority)
    sums = known.select(  # the total and every area in one pass
        weight.sum().alias("_total"),
        *((weight * c.cast(pl.Int64)).sum().alias(area) for area, c in conditions.items()),
    ).row(0, named=True)
    total = int(sums["_total"] or 0)
    return {area: (int(sums[area] or 0), total) for area in conditions}


def _share(counts: tuple[int, int], area: str, population: str, base: dict[str, Any]) -> Row:
    events, total = counts
    interval = stats.wilson(events, total)
    pct = None if interval.value is None else interval.value * 100
    return {
        **base,
        "group": area,
        "breakdown": {**base["breakdown"], "population": population},
        "value": pct,
        "numerator": events,
        "denominator": total,
        "ci_lower": None if interval.lower is None else interval.lower * 100,
        "ci_upper": None if interval.upper is None else interval.upper * 100,
    }


def reach_rows(
    mine: Mapping[str, tuple[int, int]],
    theirs: Mapping[str, tuple[int, int]],
    *,
    programme: str,
    org: str,
    period: int,
    catchment: Mapping[str, float | None],
    catchment_name: str = "the catchment",
) -> list[Row]:
    """The reach of one programme as :class:`~ladder.metrics.results.Result` fields:
    ``mine`` and ``theirs`` (the trust's applicants) are (people in the area, people with a
    known home area) per area, as :func:`area_counts` gives them."""
    base: Row = {
        "id": "programme.reach",
        "title": f"{programme}: participants from the most deprived areas (%)",
        "org": org,
        "period": period,
        "measure": Measure.SHARE,
        "unit": Unit.PERCENT,
        "value": None,
        "method": method("Reach"),
        "breakdown": {"programme": programme},
        "note": "among people whose home area is known (IMD 2019)",
    }
    out: list[Row] = []
    for area in AREAS:
        if area not in mine:
            continue
        share = _share(mine[area], area, "participants", base)
        out.append(share)
        if area in theirs:
            out.append(
                {
                    **_share(theirs[area], area, "applicants", base),
                    "title": f"{programme}: the trust's applicants from the most deprived "
                    "areas, for comparison (%)",
                    "note": "applications to the trust over the programme's years, among "
                    "those whose home area is known",
                }
            )
        population = catchment.get(area)
        if population is not None:
            out.append(
                {
                    **base,
                    "id": CATCHMENT_ID,
                    "title": f"{programme}: population of {catchment_name} living in the "
                    "most deprived areas, for comparison (%)",
                    "group": area,
                    "breakdown": {**base["breakdown"], "population": "catchment"},
                    "value": population,
                    "note": f"Census 2021 population of {catchment_name} (reference data)",
                }
            )
            value = share["value"]
            out.append(
                {
                    **share,
                    "id": "programme.reach",
                    "title": f"{programme}: participants' share minus the catchment "
                    "population's (percentage points)",
                    "measure": Measure.DIFFERENCE,
                    "unit": Unit.PERCENTAGE_POINTS,
                    "breakdown": {**base["breakdown"], "population": "difference"},
                    "value": None if value is None else value - population,
                    "ci_lower": None,
                    "ci_upper": None,
                    "note": f"participants' share minus the population share of {catchment_name}",
                }
            )
    return out


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
    """The reach of one programme (``participants`` enriched with lsoa21 and imd_decile;
    ``applicants`` the same for the trust's applications, or their counts in ``n``).
    ``catchment``: the percent of the catchment population in each of :data:`AREAS` (None:
    not known)."""
    listed = None if priority is None else list(priority)
    rows = reach_rows(
        _counts(participants, listed),
        _counts(applicants, listed) if applicants is not None else {},
        programme=programme,
        org=org,
        period=period,
        catchment=catchment,
        catchment_name=catchment_name,
    )
    return [Result(**row) for row in rows]


def area_counts(rows: Frame, keys: list[str], weight: pl.Expr) -> Frame:
    """Per ``keys``: ``_total`` (weight of the rows with a known home area), and the weight
    of those in each of :data:`AREAS` (the priority neighbourhoods from ``_priority``), as
    :func:`_counts` counts one frame."""
    known = rows.filter(pl.col("lsoa21").is_not_null())
    return known.group_by(keys).agg(
        weight.sum().cast(pl.Int64).alias("_total"),
        (weight * (pl.col("imd_decile") == 1).cast(pl.Int64)).sum().cast(pl.Int64).alias(DECILE),
        (weight * (pl.col("imd_decile") <= 2).cast(pl.Int64)).sum().cast(pl.Int64).alias(QUINTILE),
        (weight * pl.col("_priority").cast(pl.Int64)).sum().cast(pl.Int64).alias(PRIORITY),
    )
