"""Neighbourhood targeting: the most deprived neighbourhoods nationally within a catchment.

Geography only: every 2021 LSOA of a catchment (local authorities, or sites plus a
distance: :class:`~ladder.place.catchment.Catchment`) that is among the most deprived 1% or
10% of England's neighbourhoods on IMD 2019, with its population (Census 2021), IMD score,
rank and domain deciles. How many staff, applications and programme participants come from
each (the indicator ``place.neighbourhoods``) is the view in
:mod:`ladder.metrics.neighbourhoods`.

IMD 2019 ranks the 32,844 LSOAs of 2011; a 2021 LSOA takes its rank through the ONS bridge
(:mod:`ladder.place.bridge`). *Most deprived 1%*: rank ≤ 328 (⌊1% × 32,844⌋); *most deprived
10%*: rank ≤ 3,284, which is exactly national decile 1.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from ladder import reference
from ladder.place.bridge import DOMAINS, IMD2019_LSOAS, imd2019_lsoa21
from ladder.place.catchment import Catchment

PERCENTS: tuple[int, ...] = (1, 10)
KINDS: tuple[str, ...] = ("staff", "applications", "participants")
"""The datasets whose home places are counted; each is a result-id suffix and group."""
KIND_LABELS: dict[str, str] = {
    "staff": "Staff",
    "applications": "Applications",
    "participants": "Programme participants",
}


def rank_limit(percent: int) -> int:
    """The largest IMD 2019 rank in the most deprived ``percent``% (1 → 328, 10 → 3,284)."""
    if percent not in PERCENTS:
        raise ValueError(f"most deprived {percent}%: use one of {', '.join(map(str, PERCENTS))}")
    return IMD2019_LSOAS * percent // 100


def priority_label(rank: int | None) -> str | None:
    """``"1%"``, ``"10%"`` (in the 10% but not the 1%) or None."""
    if rank is None:
        return None
    if rank <= rank_limit(1):
        return "1%"
    return "10%" if rank <= rank_limit(10) else None


def build_lsoa21_imd2019() -> pl.DataFrame:
    """Every English 2021 LSOA with the columns of :func:`catchment_lsoas` but
    ``distance_km``, derived from the shipped LSOA table and the bridged IMD 2019
    (:func:`~ladder.place.bridge.imd2019_lsoa21`).

    ``scripts/build_derived.py`` ships the result as ``reference.lsoa21_imd2019()``, which
    the view reads: a fresh process then reads one file instead of deriving it (~40 ms).
    """
    imd = imd2019_lsoa21().select(
        "lsoa21", "imd_score", "imd_rank", "imd_decile", *[f"{d}_decile" for d in DOMAINS]
    )
    one, ten = rank_limit(1), rank_limit(10)
    return (
        reference.lsoas()
        .select(
            pl.col("lsoa21").cast(pl.String),
            pl.col("lsoa21_name").cast(pl.String),
            pl.col("ltla22").cast(pl.String).alias("local_authority"),
            pl.col("ltla22_name").cast(pl.String).alias("local_authority_name"),
            "population",
            "lon",
            "lat",
        )
        .join(imd, on="lsoa21", how="inner", maintain_order="left")
        .with_columns(
            pl.when(pl.col("imd_rank") <= one)
            .then(pl.lit("1%"))
            .when(pl.col("imd_rank") <= ten)
            .then(pl.lit("10%"))
            .alias("priority")
        )
    )


@cache
def catchment_lsoas(catchment: Catchment) -> pl.DataFrame:
    """Every English LSOA of the catchment with its bridged IMD 2019 values and ``priority``.

    Columns: lsoa21, lsoa21_name, local_authority, local_authority_name, population, lon, lat,
    distance_km, imd_score, imd_rank, imd_decile, ``<domain>_decile``, priority. Cached per
    catchment (a national run asks once per trust and programme); the national table it is
    filtered from is read once (:func:`build_lsoa21_imd2019`, shipped).
    """
    table = reference.lsoa21_imd2019()
    columns = table.columns
    at = columns.index("lat") + 1
    ordered = [*columns[:at], "distance_km", *columns[at:]]
    if catchment.sites:
        inside = catchment.within(table, "local_authority")
    else:  # only local authorities: their LSOAs, without a filter
        by_la, bounds = _by_local_authority()
        found = [
            by_la.slice(*bounds[la])
            for la in dict.fromkeys(catchment.local_authorities)
            if la in bounds
        ]
        inside = (pl.concat(found) if found else table.clear()).with_columns(
            pl.lit(None, dtype=pl.Float64).alias("distance_km")
        )
    return inside.select(ordered).sort("imd_rank")


@cache
def _by_local_authority() -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """The national table sorted by local authority code (each in its national order) and
    each code's (offset, length) in it: a catchment slices its authorities' rows (one sort,
    where a partition into ~300 frames took 10 ms)."""
    by_la = reference.lsoa21_imd2019().sort("local_authority", maintain_order=True)
    sizes = by_la.group_by("local_authority", maintain_order=True).len()
    bounds: dict[str, tuple[int, int]] = {}
    start = 0
    for la, n in sizes.iter_rows():
        bounds[la] = (start, n)
        start += n
    return by_la, bounds


@cache
def priority_lsoas(catchment: Catchment, percent: int = 10) -> pl.DataFrame:
    """The catchment's LSOAs in the most deprived ``percent``% nationally, most deprived first
    (cached per catchment: a national run asks once per trust and period)."""
    return catchment_lsoas(catchment).filter(pl.col("imd_rank") <= rank_limit(percent))
