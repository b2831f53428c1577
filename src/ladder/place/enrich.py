"""Enrichment: home postcode or LSOA → LSOA 2021, IMD 2019 decile and quintile, local authority.

The reference lookups are large (2.3 million postcodes), the data's distinct places small: the
distinct ``home_postcode`` and ``home_lsoa`` values are collected from the engine, looked up in
Polars against :func:`ladder.reference.postcodes` and :func:`ladder.reference.lsoas`, and the
two small mapping tables are handed back to the same engine, where the rows are joined to them
(Narwhals left joins). An LSOA code given directly wins over the postcode; it may be a 2021
code or a 2011 code (a 2011 code that no 2021 LSOA kept takes its own official IMD 2019
decile). Postcodes are looked up in the user's imported postcode directory when there is one
(``ladder reference import-postcodes``), else in the shipped NSPL August 2024 copy.

Columns added: ``lsoa21``, ``imd_decile`` (IMD 2019 national decile, 1 = most deprived 10%, via
the shipped LSOA 2011 → 2021 bridge), ``imd_quintile`` (1 = deciles 1-2, most deprived) and
``local_authority`` (LTLA 2022 code). Records whose postcode or LSOA is not found keep nulls
and are counted (:attr:`PlaceLookup.unmatched`), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import narwhals as nw
import polars as pl

from ladder import reference
from ladder.engines import EngineName, from_polars
from ladder.place.lookup import postcode_table

PLACE_KINDS: tuple[str, ...] = ("staff", "applications", "participants")
"""Canonical datasets that carry ``home_postcode`` and ``home_lsoa``."""
COLUMNS: tuple[str, ...] = ("lsoa21", "imd_decile", "imd_quintile", "local_authority")


def normalise_postcode(column: pl.Expr) -> pl.Expr:
    """Upper case, no spaces, then one space before the inward code (the ``pcds`` form)."""
    bare = column.str.to_uppercase().str.replace_all(r"\s+", "")
    return pl.when(bare.str.len_chars() >= 5).then(
        pl.concat_str(bare.str.slice(0, bare.str.len_chars() - 3), pl.lit(" "), bare.str.slice(-3))
    )


def _source_areas() -> pl.DataFrame:
    """place → lsoa21, imd_decile, imd_quintile, local_authority, from the shipped sources.

    ``place`` is a 2021 LSOA code, or a 2011 code that no 2021 LSOA kept (given directly as
    ``home_lsoa``): such a code takes its own official IMD 2019 decile, the local authority of
    its 2021 successor(s), and ``lsoa21`` only when it has exactly one successor (merged);
    a split 2011 LSOA has several, so its 2021 LSOA is left unknown.
    """
    decile = pl.col("imd2019_decile").cast(pl.Int64)
    lsoas = reference.lsoas()
    current = lsoas.select(
        pl.col("lsoa21").cast(pl.String).alias("place"),
        pl.col("lsoa21").cast(pl.String),
        decile.alias("imd_decile"),
        pl.col("ltla22").cast(pl.String).alias("local_authority"),
    )
    la21 = lsoas.select(pl.col("lsoa21").cast(pl.String), pl.col("ltla22").cast(pl.String))
    retired = (
        reference.lsoa_bridge()
        .select(pl.col("lsoa11").cast(pl.String), pl.col("lsoa21").cast(pl.String))
        .filter(~pl.col("lsoa11").is_in(current["place"].implode()))
        .join(la21, on="lsoa21", how="left")
        .group_by("lsoa11")
        .agg(
            pl.when(pl.col("lsoa21").n_unique() == 1).then(pl.col("lsoa21").first()),
            pl.when(pl.col("ltla22").n_unique() == 1).then(pl.col("ltla22").first()),
        )
        .join(
            reference.imd2019().select(
                pl.col("lsoa11").cast(pl.String),
                pl.col("imd_decile").cast(pl.Int64),
                pl.col("lad19").cast(pl.String),
            ),
            on="lsoa11",
            how="left",
        )
        .select(
            pl.col("lsoa11").alias("place"),
            "lsoa21",
            "imd_decile",
            pl.coalesce("ltla22", "lad19").alias("local_authority"),
        )
    )
    return (
        pl.concat([current, retired])
        .with_columns(((pl.col("imd_decile") + 1) // 2).alias("imd_quintile"))
        .select("place", "lsoa21", "imd_decile", "imd_quintile", "local_authority")
    )


def build_place_areas() -> pl.DataFrame:
    """Every reference place (:func:`_source_areas`), sorted by code, with ``area``: the
    number of its :data:`COLUMNS` tuple among the distinct tuples, in order of first
    appearance (null for a place with none of them known).

    ``scripts/build_derived.py`` ships the result as ``reference.place_areas()``, which
    :func:`area_index` reads: a fresh process then reads one file instead of joining the
    LSOA, bridge and IMD tables and finding the distinct areas again (~40 ms).
    """
    table = _source_areas().sort("place")
    columns = list(COLUMNS)
    areas = (
        table.select(columns)
        .unique(maintain_order=True)
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in columns))
        .with_row_index("area")
    )
    return table.join(
        areas, on=columns, how="left", nulls_equal=True, maintain_order="left"
    ).select("place", "area", *columns)


@cache
def _areas() -> pl.DataFrame:
    """place → lsoa21, imd_decile, imd_quintile, local_authority (shipped:
    :func:`build_place_areas`)."""
    return reference.place_areas().drop("area")


@cache
def area_index() -> tuple[pl.DataFrame, pl.DataFrame]:
    """(codes, areas) of every reference place: ``areas`` lists each distinct
    :data:`COLUMNS` tuple of :func:`_areas` once, its last row all null (a place not known),
    and ``codes`` gives each ``place`` its row of it (``area``, UInt32).

    A run codes its places by this index (one join of its few thousand places) instead of
    finding the distinct areas of its own places again. Read from the shipped
    :func:`build_place_areas`: an area's first place (by code) carries its number's row."""
    table = reference.place_areas()
    area = pl.col("area")
    known = table.filter(area.is_first_distinct() & area.is_not_null()).select(COLUMNS)
    unknown = pl.DataFrame([pl.Series(c, [None], dtype=table[c].dtype) for c in COLUMNS])
    codes = table.select("place", area.fill_null(known.height))
    return codes, pl.concat([known, unknown])


_FEW = pl.QueryOptFlags.none()
"""Optimisations of the short queries over small in-memory tables: none (optimising such a
plan costs more than it saves)."""


@cache
def _places() -> frozenset[str]:
    """The ``place`` codes of :func:`_areas`: a set of tens of thousands of codes, built once
    (a Polars ``is_in`` or semi join builds its hash table again on every call)."""
    return frozenset(_areas().get_column("place").to_list())


_NO_PLACES = pl.DataFrame(
    schema={"home_postcode": pl.String, "home_lsoa": pl.String, "n": pl.Int64, "kind": pl.String}
)


@dataclass(frozen=True)
class PlaceLookup:
    """The small mapping tables for one run, and what could not be matched.

    ``by_postcode``: raw ``home_postcode`` → ``place``; ``by_lsoa``: raw ``home_lsoa`` →
    ``place``; ``areas``: ``place`` → lsoa21, decile, quintile, local authority (Polars).
    ``unmatched``: per dataset, records with a postcode or LSOA that was not found;
    ``given``: records with either; ``records``: all records; ``places``: the distinct
    places of every dataset (home_postcode, home_lsoa, n, kind), from which
    :attr:`unmatched_values` is listed.
    """

    by_postcode: pl.DataFrame
    by_lsoa: pl.DataFrame
    areas: pl.DataFrame
    unmatched: dict[str, int]
    given: dict[str, int]
    records: dict[str, int] = field(default_factory=dict)
    places: pl.DataFrame = field(default_factory=lambda: _NO_PLACES, repr=False)

    @cached_property
    def unmatched_values(self) -> pl.DataFrame:
        """kind, field (``home_lsoa`` or ``home_postcode``: the one used), value, records —
        each distinct value not found (for the analyst's data-quality check, never for
        publication). Listed when asked: a metrics run reads only the counts."""
        has_lsoa = pl.col("home_lsoa").is_not_null()
        value = pl.coalesce("home_lsoa", "home_postcode").alias("value")
        used = pl.when(has_lsoa).then(pl.lit("home_lsoa")).otherwise(pl.lit("home_postcode"))
        return (
            self.places.lazy()
            .filter(_missing(self.by_postcode, self.by_lsoa))
            .group_by("kind", used.alias("field"), value)
            .agg(pl.col("n").sum().alias("records"))
            .sort(["kind", "records", "value"], descending=[False, True, False])
            .collect(engine="in-memory", optimizations=_FEW)
        )

    @cached_property
    def mapping(self) -> pl.DataFrame:
        """:func:`place_map` of this lookup, built once (every enrichment of a run joins it)."""
        return place_map(self)

    def note(self, kind: str) -> str | None:
        """A note on the records of ``kind`` whose place could not be found (None if all were)."""
        missing = self.unmatched.get(kind, 0)
        if not missing:
            return None
        return (
            f"{missing:,} of {self.given.get(kind, 0):,} {kind} records with a home postcode or "
            "LSOA not found in the lookup (left out of the deprivation figures; `ladder place "
            "match` lists them)"
        )


def _distinct(frame: nw.LazyFrame[Any]) -> pl.DataFrame:
    """Records by distinct place: (home_postcode, home_lsoa, n).

    A given LSOA wins over the postcode (:func:`enrich`), so the postcode is kept only where
    no LSOA is given: two small group-bys (tens of thousands of LSOAs; the postcodes of the
    records without one) instead of one over every (postcode, LSOA) pair.
    """
    by_lsoa = (
        frame.filter(~nw.col("home_lsoa").is_null())
        .group_by("home_lsoa")
        .agg(nw.len().alias("n"))
        .with_columns(nw.lit(None, dtype=nw.String()).alias("home_postcode"))
        .select("home_postcode", "home_lsoa", "n")
    )
    by_postcode = (
        frame.filter(nw.col("home_lsoa").is_null())
        .group_by("home_postcode")
        .agg(nw.len().alias("n"))
        .with_columns(nw.lit(None, dtype=nw.String()).alias("home_lsoa"))
        .select("home_postcode", "home_lsoa", "n")
    )
    return pl.concat(
        [
            part.collect()
            .to_polars()
            .with_columns(
                pl.col("home_postcode").cast(pl.String),
                pl.col("home_lsoa").cast(pl.String),
                pl.col("n").cast(pl.Int64),
            )
            for part in (by_lsoa, by_postcode)
        ]
    )


def _distinct_polars(frames: dict[str, pl.LazyFrame]) -> dict[str, pl.DataFrame]:
    """:func:`_distinct` of every Polars frame, in one ``collect_all``: one group-by per
    dataset, by the LSOA and the postcode of the records without one (a collect each,
    through Narwhals, costs more than the group-bys themselves on one trust's data)."""
    lsoa = pl.col("home_lsoa").cast(pl.String)
    postcode = pl.when(lsoa.is_null()).then(pl.col("home_postcode")).cast(pl.String)
    queries = [
        frame.group_by(postcode.alias("home_postcode"), lsoa.alias("home_lsoa")).agg(
            pl.len().cast(pl.Int64).alias("n")
        )
        for frame in frames.values()
    ]
    return dict(zip(frames, pl.collect_all(queries), strict=True))


def distinct_places(frames: dict[str, nw.LazyFrame[Any]]) -> dict[str, pl.DataFrame]:
    """:func:`_distinct` of each dataset of :data:`PLACE_KINDS` in ``frames``."""
    kinds = [kind for kind in PLACE_KINDS if kind in frames]
    natives = {kind: frames[kind].to_native() for kind in kinds}
    if kinds and all(isinstance(n, pl.LazyFrame) for n in natives.values()):
        return _distinct_polars(natives)
    return {kind: _distinct(frames[kind]) for kind in kinds}


def build_lookup(frames: dict[str, nw.LazyFrame[Any]]) -> PlaceLookup:
    """Look the distinct places of every dataset up in the shipped reference data.

    Only the postcodes of records without a given LSOA are looked up (the LSOA wins).
    """
    areas = _areas()
    seen = distinct_places(frames)
    everything = pl.concat(
        [_NO_PLACES, *(t.with_columns(pl.lit(k).alias("kind")) for k, t in seen.items())]
    )
    postcode = everything.get_column("home_postcode")
    raw = postcode.drop_nulls().unique()
    if raw.is_empty():  # every record gives its LSOA, or nothing: no postcode directory read
        by_postcode = pl.DataFrame(schema={"home_postcode": pl.String, "place": pl.String})
    else:
        postcodes = postcode_table().select("pcds", pl.col("lsoa21").cast(pl.String).alias("place"))
        by_postcode = (
            raw.to_frame()
            .with_columns(normalise_postcode(pl.col("home_postcode")).alias("pcds"))
            .join(postcodes, on="pcds", how="inner")
            .drop_nulls("place")
            .select("home_postcode", "place")
            .sort("home_postcode")
        )
    lsoa = everything.get_column("home_lsoa").drop_nulls().unique().sort()
    place = lsoa.str.strip_chars().str.to_uppercase().alias("place")
    places = _places()
    known = pl.Series([code in places for code in place.to_list()], dtype=pl.Boolean)
    by_lsoa = pl.DataFrame([lsoa, place]).filter(known)
    return _accounted(everything, by_postcode, by_lsoa, areas, list(seen))


def _accounted(
    everything: pl.DataFrame,
    by_postcode: pl.DataFrame,
    by_lsoa: pl.DataFrame,
    areas: pl.DataFrame,
    kinds: list[str],
) -> PlaceLookup:
    """The :class:`PlaceLookup` with its counts of ``everything`` (the distinct places of
    each ``kind``), in one query."""
    n = pl.col("n")
    has_any = pl.col("home_lsoa").is_not_null() | pl.col("home_postcode").is_not_null()
    totals = (
        everything.lazy()
        .group_by("kind")
        .agg(
            n.sum().alias("records"),
            n.filter(has_any).sum().alias("given"),
            n.filter(_missing(by_postcode, by_lsoa)).sum().alias("unmatched"),
        )
    )
    counted = totals.collect(engine="in-memory", optimizations=_FEW)
    rows = {row[0]: row[1:] for row in counted.iter_rows()}
    records, given, unmatched = (
        {k: int(rows.get(k, (0, 0, 0))[i]) for k in kinds} for i in range(3)
    )
    return PlaceLookup(by_postcode, by_lsoa, areas, unmatched, given, records, everything)


def _missing(by_postcode: pl.DataFrame, by_lsoa: pl.DataFrame) -> pl.Expr:
    """Whether a distinct place (home_postcode, home_lsoa) is given and not found: its LSOA
    when given (it wins), else its postcode."""
    has_lsoa = pl.col("home_lsoa").is_not_null()
    found = (
        pl.when(has_lsoa)
        .then(pl.col("home_lsoa").is_in(by_lsoa.get_column("home_lsoa").implode()))
        .otherwise(pl.col("home_postcode").is_in(by_postcode.get_column("home_postcode").implode()))
    )
    return (has_lsoa | pl.col("home_postcode").is_not_null()) & ~found


def place_map(lookup: PlaceLookup) -> pl.DataFrame:
    """One mapping table for :func:`enrich`: ``_key`` (the raw LSOA, or the raw postcode),
    ``_by_lsoa`` (1: the LSOA, 0: the postcode) → :data:`COLUMNS`."""
    areas = lookup.areas.lazy()

    def keyed(found: pl.DataFrame, key: str, by_lsoa: int) -> pl.LazyFrame:
        return (
            found.lazy()
            .join(areas, on="place", how="inner")
            .select(
                pl.col(key).alias("_key"),
                pl.lit(by_lsoa, dtype=pl.Int64).alias("_by_lsoa"),
                *COLUMNS,
            )
        )

    given = keyed(lookup.by_lsoa, "home_lsoa", 1)
    from_pc = keyed(lookup.by_postcode, "home_postcode", 0)
    return pl.concat([given, from_pc]).collect(engine="in-memory", optimizations=_FEW)


def enrich(frame: nw.LazyFrame[Any], engine: EngineName, lookup: PlaceLookup) -> nw.LazyFrame[Any]:
    """``frame`` with :data:`COLUMNS` added (nulls where the place is not known).

    One join on (the given LSOA, else the postcode; which of the two): the postcode's area is
    used where no LSOA is given (a given LSOA that is not found leaves the place unknown).
    """
    mapping = from_polars(lookup.mapping, engine)
    present = [c for c in COLUMNS if c in frame.collect_schema().names()]
    if present:
        frame = frame.drop(*present)
    return (
        frame.with_columns(
            nw.coalesce(nw.col("home_lsoa"), nw.col("home_postcode")).alias("_key"),
            (~nw.col("home_lsoa").is_null()).cast(nw.Int64).alias("_by_lsoa"),
        )
        .join(mapping, on=["_key", "_by_lsoa"], how="left")
        .drop("_key", "_by_lsoa")
    )


UNKNOWN = "Unknown"
QUINTILE_LABELS: dict[int, str] = {
    1: "Q1 (most deprived)",
    2: "Q2",
    3: "Q3",
    4: "Q4",
    5: "Q5 (least deprived)",
}
MOST_DEPRIVED = QUINTILE_LABELS[1]
LEAST_DEPRIVED = QUINTILE_LABELS[5]
DEPRIVATION_GROUPS: tuple[str, ...] = (*QUINTILE_LABELS.values(), UNKNOWN)
DEPRIVATION_NOTE = (
    "national IMD 2019 quintile of the home LSOA (Q1 = deciles 1-2, the most deprived 20% of "
    "England's neighbourhoods); Unknown: no postcode or LSOA, not found, or outside England"
)


def deprivation_group(column: str = "imd_quintile") -> nw.Expr:
    """``Q1 (most deprived)`` … ``Q5 (least deprived)`` from the IMD quintile; else Unknown."""
    quintile = nw.col(column)
    expr: nw.Expr = nw.lit(UNKNOWN)
    for value, label in reversed(list(QUINTILE_LABELS.items())):
        expr = nw.when(quintile == value).then(nw.lit(label)).otherwise(expr)
    return expr
