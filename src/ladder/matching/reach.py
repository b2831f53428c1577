"""Whom the matching reaches: uses by IMD decile and neighbourhood against the catchment.

Counts under the suppression threshold (10) are never shown: a decile or neighbourhood
with fewer uses is withheld (the page reads "withheld", like every withheld figure, with no
bound), and the neighbourhoods listed are only those with at least 10 uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from ladder.place.catchment import default_catchment
from ladder.place.neighbourhoods import priority_lsoas

THRESHOLD = 10


@dataclass(frozen=True)
class DecileRow:
    """One IMD decile (1 = most deprived): uses, their share, and the catchment's share."""

    decile: int | None
    uses: int | None  # None: withheld
    share: float | None  # percent of uses with a known decile
    catchment_share: float | None  # percent of the catchment's residents


@dataclass(frozen=True)
class Reach:
    """The reach view of one organisation (or of every use)."""

    org: str
    total: int | None
    in_catchment: int | None
    catchment: str | None
    deciles: tuple[DecileRow, ...]
    neighbourhoods: tuple[tuple[str, str, int], ...]  # (lsoa21, name, uses) with >= 10 uses
    unknown_area: int | None
    priority: int | None = None  # uses from the catchment's most deprived 10% nationally
    priority_share: float | None = None  # percent of uses with a known area
    priority_population_share: float | None = None  # percent of the catchment's residents

    @property
    def empty(self) -> bool:
        return not self.total


def _shown(n: int, threshold: int) -> int | None:
    return n if n >= threshold else None


def reach(
    org: str,
    counts: Iterable[tuple[str, int | None, int]],
    *,
    threshold: int = THRESHOLD,
) -> Reach:
    """The reach of ``org`` from (lsoa21, imd_decile, uses) counters ('' lsoa = unknown)."""
    from ladder import reference

    rows = list(counts)
    total = sum(n for _, _, n in rows)
    unknown = sum(n for lsoa, _, n in rows if not lsoa)
    known = [(lsoa, dec, n) for lsoa, dec, n in rows if lsoa]
    catchment = default_catchment(org) if org != "*" else None
    catchment_lsoas: set[str] = set()
    cshare: dict[int, float] = {}
    if catchment is not None:
        table = catchment.lsoas()
        catchment_lsoas = set(table.get_column("lsoa21").to_list())
        pop = (
            table.filter(pl.col("imd2019_decile").is_not_null())
            .group_by("imd2019_decile")
            .agg(pl.col("population").sum())
        )
        whole = float(pop.get_column("population").sum() or 0)
        for dec, people in pop.iter_rows():
            cshare[int(dec)] = round(100 * float(people) / whole, 1) if whole else 0.0
    by_decile: dict[int | None, int] = {}
    for _, dec, n in known:
        by_decile[dec] = by_decile.get(dec, 0) + n
    with_decile = sum(n for d, n in by_decile.items() if d is not None)
    deciles = tuple(
        DecileRow(
            d,
            _shown(by_decile.get(d, 0), threshold),
            round(100 * by_decile.get(d, 0) / with_decile, 1)
            if with_decile and by_decile.get(d, 0) >= threshold
            else None,
            cshare.get(d) if d is not None else None,
        )
        for d in range(1, 11)
    )
    names = dict(reference.lsoas().select("lsoa21", "lsoa21_name").iter_rows())
    busy = sorted(
        ((lsoa, str(names.get(lsoa, lsoa)), n) for lsoa, _, n in known if n >= threshold),
        key=lambda r: (-r[2], r[0]),
    )
    inside = sum(n for lsoa, _, n in known if lsoa in catchment_lsoas)
    priority: int | None = None
    priority_share: float | None = None
    priority_pop: float | None = None
    if catchment is not None:
        most = priority_lsoas(catchment, 10)
        codes = set(most.get_column("lsoa21").to_list())
        whole = float(catchment.lsoas().get_column("population").sum() or 0)
        people = float(most.get_column("population").sum() or 0)
        priority_pop = round(100 * people / whole, 1) if whole else None
        from_priority = sum(n for lsoa, _, n in known if lsoa in codes)
        priority = _shown(from_priority, threshold)
        with_area = sum(n for _, _, n in known)
        if priority is not None and with_area:
            priority_share = round(100 * from_priority / with_area, 1)
    return Reach(
        org=org,
        total=_shown(total, threshold) if total else 0,
        in_catchment=_shown(inside, threshold) if catchment is not None else None,
        catchment=None if catchment is None else catchment.describe(),
        deciles=deciles,
        neighbourhoods=tuple(busy[:20]),
        unknown_area=_shown(unknown, threshold),
        priority=priority,
        priority_share=priority_share,
        priority_population_share=priority_pop,
    )
