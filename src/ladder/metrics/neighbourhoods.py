"""The priority-neighbourhood view: a catchment's most deprived LSOAs with the counts of
the indicator ``place.neighbourhoods`` (CLI, report, workbook and web read this).

The Leeds "priority neighbourhoods" view: every 2021 LSOA of a catchment that is among the
most deprived 1% or 10% of England's neighbourhoods on IMD 2019 (the geography is
:mod:`ladder.place.neighbourhoods`), with how many current staff, applications and programme
participants come from it — suppressed exactly as every other published figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ladder.metrics.results import Result
from ladder.metrics.settings import Settings
from ladder.place.bridge import DOMAINS
from ladder.place.catchment import Catchment, default_catchment
from ladder.place.neighbourhoods import KINDS, catchment_lsoas, rank_limit

ALL = "all"
ID = "place.neighbourhoods"


@dataclass(frozen=True)
class NeighbourhoodRow:
    """One priority neighbourhood: reference values and the (suppressed) counts."""

    lsoa21: str
    name: str
    local_authority: str
    local_authority_name: str
    population: int
    imd_score: float
    imd_rank: int
    imd_decile: int
    priority: str
    domain_deciles: dict[str, int]
    lon: float
    lat: float
    distance_km: float | None
    counts: dict[str, Result | None] = field(default_factory=dict)


@dataclass(frozen=True)
class NeighbourhoodView:
    """The priority neighbourhoods of one organisation's catchment in one period."""

    org: str
    period: int | None
    catchment: str
    percent: int
    rows: list[NeighbourhoodRow]
    totals: dict[str, Result | None]
    kinds: tuple[str, ...]
    catchment_lsoas: int
    catchment_population: int
    map: pl.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def population(self) -> int:
        """People living in the listed neighbourhoods (Census 2021)."""
        return sum(r.population for r in self.rows)

    def to_frame(self, threshold: int) -> pl.DataFrame:
        """One row per neighbourhood (the CSV / XLSX form); withheld counts are null and
        named in ``<kind>_note``."""
        records: list[dict[str, Any]] = []
        for r in self.rows:
            record: dict[str, Any] = {
                "lsoa21": r.lsoa21,
                "name": r.name,
                "local_authority": r.local_authority,
                "local_authority_name": r.local_authority_name,
                "priority": f"most deprived {r.priority}",
                "imd_rank": r.imd_rank,
                "imd_score": r.imd_score,
                "imd_decile": r.imd_decile,
                **{f"{d}_decile": r.domain_deciles.get(d) for d in DOMAINS},
                "population": r.population,
                "distance_km": None if r.distance_km is None else round(r.distance_km, 2),
            }
            for kind in self.kinds:
                result = r.counts.get(kind)
                record[kind] = count_value(result)
                record[f"{kind}_note"] = count_text(result, threshold) if result else None
            records.append(record)
        return pl.DataFrame(records, infer_schema_length=None)

    def as_dict(self, threshold: int) -> dict[str, Any]:
        """JSON form: the catchment, the totals and the rows."""
        return {
            "org": self.org,
            "period": self.period,
            "catchment": self.catchment,
            "most_deprived_percent": self.percent,
            "edition": "IMD 2019 (2021 LSOAs through the ONS 2011-2021 bridge)",
            "catchment_lsoas": self.catchment_lsoas,
            "catchment_population": self.catchment_population,
            "neighbourhoods": len(self.rows),
            "population": self.population,
            "totals": {k: None if v is None else v.to_dict() for k, v in self.totals.items()},
            "notes": list(self.notes),
            "rows": self.to_frame(threshold).to_dicts(),
        }


def count_value(result: Result | None) -> int | None:
    """The published count (None when withheld or not computed)."""
    if result is None or result.suppressed or result.value is None:
        return None
    return int(result.value)


def count_text(result: Result | None, threshold: int) -> str:
    """The count as a table shows it: the number; ``withheld`` when withheld, whatever the
    reason (issue 12: a withheld figure reads the same, so no ``<10`` that would tell a small
    count from a complement); ``–`` when not computed."""
    if result is None:
        return "–"
    if result.suppressed:
        return "withheld"
    return f"{int(result.value or 0):,}"


def build_view(
    results: list[Result],
    org: str,
    period: int | None,
    catchment: Catchment,
    percent: int = 10,
) -> NeighbourhoodView:
    """The view of ``org``'s priority neighbourhoods from a run's (suppressed) results."""
    every = catchment_lsoas(catchment)
    listed = every.filter(pl.col("imd_rank") <= rank_limit(percent))
    mine = [
        r
        for r in results
        if r.id.startswith(f"{ID}.") and r.org == org and (period is None or r.period == period)
    ]
    kinds = tuple(k for k in KINDS if any(r.id == f"{ID}.{k}" for r in mine))
    by_key = {(r.id.removeprefix(f"{ID}."), r.breakdown.get("lsoa21", "")): r for r in mine}
    rows = [
        NeighbourhoodRow(
            lsoa21=row["lsoa21"],
            name=row["lsoa21_name"],
            local_authority=row["local_authority"],
            local_authority_name=row["local_authority_name"],
            population=int(row["population"]),
            imd_score=float(row["imd_score"]),
            imd_rank=int(row["imd_rank"]),
            imd_decile=int(row["imd_decile"]),
            priority=str(row["priority"]),
            domain_deciles={d: int(row[f"{d}_decile"]) for d in DOMAINS},
            lon=float(row["lon"]),
            lat=float(row["lat"]),
            distance_km=row["distance_km"],
            counts={k: by_key.get((k, row["lsoa21"])) for k in kinds},
        )
        for row in listed.iter_rows(named=True)
    ]
    notes = tuple(sorted({r.note for r in mine if r.breakdown.get("lsoa21") == ALL and r.note}))
    return NeighbourhoodView(
        org=org,
        period=period,
        catchment=catchment.describe(),
        percent=percent,
        rows=rows,
        totals={k: by_key.get((k, ALL)) for k in kinds},
        kinds=kinds,
        catchment_lsoas=every.height,
        catchment_population=int(every["population"].sum()),
        map=every.select("lsoa21", "lsoa21_name", "lon", "lat", "imd_decile", "priority"),
        notes=notes,
    )


def default_view(results: list[Result], org: str, period: int) -> NeighbourhoodView | None:
    """The view of ``org`` on its own catchment (its local authorities) at the run's default
    percentage, as the report and the workbook show it; None when it has no catchment."""
    catchment = default_catchment(org)
    if catchment is None:
        return None
    return build_view(results, org, period, catchment, Settings().neighbourhood_percent)


def views_for(
    results: list[Result],
    *,
    org: str | None,
    period: int | None,
    catchment: Catchment | None,
    percent: int,
) -> list[NeighbourhoodView]:
    """One view per organisation in ``results`` (or ``org``), at ``period`` or each org's
    latest period with neighbourhood counts. An organisation with no catchment is skipped."""
    mine = [r for r in results if r.id.startswith(f"{ID}.")]
    orgs = sorted({r.org for r in mine}) if org is None else [org]
    views: list[NeighbourhoodView] = []
    for code in orgs:
        area = catchment or default_catchment(code)
        if area is None:
            continue
        periods = sorted({r.period for r in mine if r.org == code})
        chosen = period if period is not None else (periods[-1] if periods else None)
        views.append(build_view(mine, code, chosen, area, percent))
    return views
