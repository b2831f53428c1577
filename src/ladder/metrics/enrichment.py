"""The place columns of a run: :func:`ladder.place.enrich.enrich` with one lookup per run.

:mod:`ladder.place` is geography only; this module ties its enrichment to a run's
:class:`~ladder.metrics.context.Context` (the small lookup is built once per run and kept
in the context's memo).

On the Polars engine the applications are counted with their place as a small integer (the
index of its area: the distinct :data:`~ladder.place.enrich.COLUMNS` values, :func:`place_areas`)
instead of its four columns; the area's columns come back on the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

import narwhals as nw
import polars as pl

from ladder.engines import EngineName, materialise
from ladder.metrics.context import Context
from ladder.metrics.expressions import to_polars
from ladder.place.enrich import COLUMNS, PlaceLookup, area_index, build_lookup, enrich


def place_lookup(ctx: Context) -> PlaceLookup:
    """The run's :class:`PlaceLookup` (computed once per run)."""
    return ctx.memo("place.lookup", lambda: build_lookup(ctx.frames))


def enriched(ctx: Context, kind: str) -> nw.LazyFrame[Any]:
    """Dataset ``kind`` enriched, lazily: the small lookup is built once per run and joined
    inside each query (keeping a 10-million-row enriched copy costs more than the joins).
    On Polars the place columns are gathered from the rows' area index (:func:`placed`)."""
    if ctx.engine is EngineName.polars:
        result: nw.LazyFrame[Any] = nw.from_native(placed(ctx, ctx.frame(kind)).drop(AREA))
        return result
    return enrich(ctx.frame(kind), ctx.engine, place_lookup(ctx))


def place_columns(ctx: Context, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The ``enrich`` hook of the deprivation characteristic: add the place columns.

    The run's workforce (the frame kept under ``workforce``, :func:`ladder.metrics.kit.
    workforce`) is enriched once and kept: the staff place figures, training and disciplinary
    by deprivation, and representation by deprivation all read it.
    """
    if frame is ctx.memoised("workforce"):
        if ctx.engine is EngineName.polars:  # the place columns gathered from its area index
            return ctx.memo("place.workforce", lambda: _gathered(ctx, frame))
        return ctx.memo(
            "place.workforce",
            lambda: materialise(enrich(frame, ctx.engine, place_lookup(ctx)), ctx.engine),
        )
    return enrich(frame, ctx.engine, place_lookup(ctx))


def _gathered(ctx: Context, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The kept (Polars) workforce with :data:`COLUMNS` gathered from :func:`workforce_areas`
    (a join carrying every column of the workforce costs more than the join keys alone)."""
    _, areas = place_areas(ctx)
    index = workforce_areas(ctx, frame)
    native: pl.LazyFrame = frame.to_native()
    kept = native.drop(*(c for c in COLUMNS if c in native.collect_schema().names()))
    table = kept.collect().with_columns(areas[c].gather(index) for c in COLUMNS)
    result: nw.LazyFrame[Any] = nw.from_native(table.lazy())
    return result


def workforce_areas(ctx: Context, frame: nw.LazyFrame[Any]) -> pl.Series:
    """:data:`AREA` of each row of the kept workforce ``frame`` (Polars engine; in its row
    order), once per run: the workforce's place columns and its counts by area read it.

    Found from the join keys alone; the place columns are gathered only when read
    (:func:`_gathered`): joining every column of millions of rows, and keeping the gathered
    columns from the start, costs hundreds of megabytes."""

    def compute() -> pl.Series:
        rows = coded_places(ctx, frame, ordered=True).select(AREA)
        # in memory on one trust's workforce: the streaming engine's set-up costs more
        return rows.collect(engine="in-memory" if is_small(ctx, "staff") else "auto")[AREA]

    return ctx.memo("place.workforce_area_index", compute)


def is_small(ctx: Context, kind: str) -> bool:
    """Whether dataset ``kind`` holds at most :data:`SMALL` records (as the run's place
    lookup counted them): the in-memory, one-query paths are for such inputs (one trust's),
    a national run's large tables take the lean, streamed ones."""
    return place_lookup(ctx).records.get(kind, 0) <= SMALL


def placed(ctx: Context, frame: nw.LazyFrame[Any]) -> pl.LazyFrame:
    """``frame`` (on the Polars engine; its rows in order) with its place's :data:`AREA`
    (:func:`coded_places`) and :data:`COLUMNS` gathered from that area, as
    :func:`ladder.place.enrich.enrich` adds them (without a join on the four columns)."""
    _, areas = place_areas(ctx)
    native: pl.LazyFrame = frame.to_native()
    kept = native.drop(*(c for c in COLUMNS if c in native.collect_schema().names()))
    return coded_places(ctx, nw.from_native(kept), ordered=True).with_columns(
        of_area(areas, c) for c in COLUMNS
    )


SMALL = 100_000
"""Rows up to which a table of counts is summed in one in-memory query (one trust's tables
hold a few thousand rows: each eager step's fixed cost is what counts); a larger table (a
national run's) is summed by :func:`sum_by`."""


def small_query(query: pl.LazyFrame) -> pl.DataFrame:
    """A short query over small tables, run at once in memory and unoptimised (the streaming
    engine's set-up, or optimising such a plan, costs more than the query)."""
    return query.collect(engine="in-memory", optimizations=_FEW)


_FEW = pl.QueryOptFlags.none()


PLACE_KEYS = ("org_code", "period", "pay_band", "imd_decile", "local_authority", "lsoa21")
AREA = "_area"


def place_areas(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mapping, areas) for the run: ``mapping`` is :func:`place_map` with :data:`AREA` (a
    UInt32) for its columns; ``areas`` lists each distinct :data:`COLUMNS` tuple of the
    reference places once, at row :data:`AREA`, its last row all null (the area of a place
    not known)."""
    mapping, areas, _, _ = _area_tables(ctx)
    return mapping, areas


def _area_tables(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame, pl.Series, pl.DataFrame]:
    """:func:`place_areas` and :func:`coarse_areas`, once per run: the run's places coded by
    the reference's areas (:func:`ladder.place.enrich.area_index`) in one small query."""

    def compute() -> tuple[pl.DataFrame, pl.DataFrame, pl.Series, pl.DataFrame]:
        lookup = place_lookup(ctx)
        codes, areas, to_coarse, coarse = reference_areas()
        coded = pl.concat(
            [
                table.lazy()
                .join(codes.lazy(), on="place", how="inner")
                .select(
                    pl.col(key).alias("_key"),
                    pl.lit(by_lsoa, dtype=pl.Int64).alias("_by_lsoa"),
                    AREA,
                )
                for table, key, by_lsoa in (
                    (lookup.by_lsoa, "home_lsoa", 1),
                    (lookup.by_postcode, "home_postcode", 0),
                )
            ]
        )
        return small_query(coded), areas, to_coarse, coarse

    return ctx.memo("place.areas", compute)


@cache
def reference_areas() -> tuple[pl.DataFrame, pl.DataFrame, pl.Series, pl.DataFrame]:
    """The reference's areas (:func:`ladder.place.enrich.area_index`: place → :data:`AREA`,
    and the areas), and their coarse areas (``to_coarse``, ``coarse``: :func:`coarse_areas`),
    built once: reference data do not change. The areas are rechunked: every run gathers
    their columns by area, three times faster from one chunk."""
    codes, chunked = area_index()
    areas = chunked.rechunk()
    places = list(COARSE_PLACES)
    coarse = areas.select(places).unique(maintain_order=True).with_row_index(COARSE_AREA)
    to_coarse = areas.join(coarse, on=places, how="left", nulls_equal=True, maintain_order="left")
    return (
        codes.rename({"area": AREA}),
        areas,
        to_coarse.get_column(COARSE_AREA),
        coarse.drop(COARSE_AREA),
    )


def coded_places(ctx: Context, frame: nw.LazyFrame[Any], *, ordered: bool = False) -> pl.LazyFrame:
    """``frame`` (on the Polars engine) with :data:`AREA`: its place's row of
    :func:`place_areas` (the last row where the place is not known). Joined on the given LSOA
    alone when no postcode of a record without one was found (nothing else can match).
    ``ordered``: in the order of ``frame``'s rows."""
    _, areas = place_areas(ctx)
    mapping, lsoa_only = _join_table(ctx)
    native: pl.LazyFrame = frame.to_native()
    order: Literal["left"] | None = "left" if ordered else None
    if lsoa_only:
        joined = native.join(mapping.lazy(), on="home_lsoa", how="left", maintain_order=order)
    else:
        keyed = native.with_columns(
            pl.coalesce("home_lsoa", "home_postcode").alias("_key"),
            pl.col("home_lsoa").is_not_null().cast(pl.Int64).alias("_by_lsoa"),
        )
        joined = keyed.join(
            mapping.lazy(), on=["_key", "_by_lsoa"], how="left", maintain_order=order
        ).drop("_key", "_by_lsoa")
    return joined.with_columns(pl.col(AREA).fill_null(areas.height - 1))


def _join_table(ctx: Context) -> tuple[pl.DataFrame, bool]:
    """(table, lsoa_only): what :func:`coded_places` joins a dataset to, once per run. When
    no postcode of a record without an LSOA was found (``lsoa_only``), the table is keyed on
    ``home_lsoa`` alone; else on ``_key`` and ``_by_lsoa`` (:func:`place_areas`' mapping)."""

    def compute() -> tuple[pl.DataFrame, bool]:
        mapping, _ = place_areas(ctx)
        if mapping.filter(pl.col("_by_lsoa") == 0).is_empty():
            return mapping.drop("_by_lsoa").rename({"_key": "home_lsoa"}), True
        return mapping, False

    return ctx.memo("place.join_table", compute)


def with_areas(ctx: Context, counts: pl.DataFrame) -> pl.DataFrame:
    """``counts`` with :data:`AREA` replaced by the area's :data:`COLUMNS`."""
    _, areas = place_areas(ctx)
    index = counts[AREA]
    return counts.drop(AREA).with_columns(areas[c].gather(index) for c in COLUMNS)


def area_counts(
    ctx: Context, frame: nw.LazyFrame[Any], keys: tuple[str, ...], index: pl.Series | None = None
) -> pl.DataFrame:
    """``frame`` (on the Polars engine) counted by ``keys`` and :data:`AREA` (``count``);
    ``index``: the :data:`AREA` of each row of ``frame``, when known (no join)."""
    native: pl.LazyFrame = frame.to_native()
    if index is None:
        rows = coded_places(ctx, frame).select(*keys, AREA)
    else:
        rows = native.select(*keys).with_columns(index.alias(AREA))
        if index.len() <= SMALL:  # the streaming engine's set-up costs more on one trust
            counted = rows.group_by(*keys, AREA).agg(pl.len().alias("count"))
            return counted.collect(engine="in-memory")
    return rows.group_by(*keys, AREA).agg(pl.len().alias("count")).collect()


def decoded(ctx: Context, counts: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """:func:`area_counts` as the engine query gives them: ``keys`` then :data:`PLACE_KEYS`'
    place columns in its order, then ``count`` (integers as Int64)."""
    places = [k for k in PLACE_KEYS if k in COLUMNS]
    return to_polars(
        nw.from_native(
            with_areas(ctx, counts).select(
                *(k for k in PLACE_KEYS if k not in COLUMNS),
                *places,
                *(k for k in keys if k not in PLACE_KEYS),
                "count",
            )
        )
    )


def sum_by(counts: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """``counts.group_by(keys).agg(pl.col("count").sum())`` (in no particular order), grouped
    on one 64-bit integer: strings coded as categories, integers from their minimum, nulls as
    one more code each (the plain group-by when the codes need more than 63 bits)."""
    codes: list[pl.Series] = []
    widths: list[int] = []
    for k in keys:
        column = counts[k]
        if column.dtype == pl.String:
            code = column.cast(pl.Categorical).to_physical().cast(pl.Int64)
        elif column.dtype.is_integer():
            low = column.min()
            code = column.cast(pl.Int64) - (0 if low is None else int(low))  # type: ignore[arg-type]
        else:
            code = column.cast(pl.Int64)
        top = code.max()
        sentinel = 0 if top is None else int(top) + 1  # type: ignore[arg-type]
        codes.append(code.fill_null(sentinel))
        widths.append(max(sentinel.bit_length(), 1))
    if not codes or sum(widths) > 63:
        return counts.group_by(keys).agg(pl.col("count").sum())
    key, shift = codes[0], widths[0]
    for code, width in zip(codes[1:], widths[1:], strict=True):
        key, shift = key + code * (1 << shift), shift + width
    return (
        counts.select(*keys, "count")
        .with_columns(key.alias("_k"))
        .group_by("_k")
        .agg(pl.col(*keys).first(), pl.col("count").sum())
        .drop("_k")
    )


COARSE_AREA = "_dl"
COARSE_PLACES = ("imd_decile", "local_authority")


def coarse_areas(ctx: Context) -> tuple[pl.Series, pl.DataFrame]:
    """(to_coarse, coarse) for the run: ``coarse`` lists each distinct
    :data:`COARSE_PLACES` pair of :func:`place_areas`' areas once, and ``to_coarse`` (a
    UInt32 Series by :data:`AREA`) is each area's row of it (:data:`COARSE_AREA`)."""
    _, _, to_coarse, coarse = _area_tables(ctx)
    return to_coarse, coarse


def _coarse_decoded(ctx: Context, summed: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """``summed`` (``keys``, :data:`COARSE_AREA`, count) with the coarse place columns."""
    _, distinct = coarse_areas(ctx)
    index = summed[COARSE_AREA]
    return summed.select(
        *keys, *(distinct[c].gather(index) for c in COARSE_PLACES), pl.col("count").cast(pl.Int64)
    )


def coarse_counts(ctx: Context, counts: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """:func:`area_counts` summed by ``keys``, ``imd_decile`` and ``local_authority``."""
    to_dl, distinct = coarse_areas(ctx)
    if counts.height <= SMALL:
        coarse = pl.lit(to_dl).gather(pl.col(AREA)).alias(COARSE_AREA)
        index = pl.col(COARSE_AREA)
        query = (
            counts.lazy()
            .group_by(*keys, coarse)
            .agg(pl.col("count").sum().cast(pl.Int64))
            .select(*keys, *(pl.lit(distinct[c]).gather(index) for c in COARSE_PLACES), "count")
        )
        return small_query(query)
    summed = sum_by(
        counts.with_columns(to_dl.gather(counts[AREA]).alias(COARSE_AREA)), [*keys, COARSE_AREA]
    )
    return _coarse_decoded(ctx, summed, keys)


def area_homes(ctx: Context, counts: pl.DataFrame) -> pl.LazyFrame:
    """org_code, period, lsoa21 (null: not known), count, from :func:`area_counts` (a
    query: :func:`_homes`)."""
    if counts.height <= SMALL:
        return _homes(ctx, counts)
    return _homes(ctx, sum_by(counts, ["org_code", "period", AREA]))


def _homes(ctx: Context, by_area: pl.DataFrame) -> pl.LazyFrame:
    """:func:`area_homes` from counts by org_code, period and :data:`AREA` (each once; a
    small table may hold further keys). A small table's sum is a query left to the caller's
    collect (the place family collects every kind's in one); a large one's is summed now."""
    _, areas = place_areas(ctx)
    if by_area.height <= SMALL:
        query = by_area.lazy().group_by("org_code", "period", of_area(areas, "lsoa21"))
        return query.agg(pl.col("count").sum().cast(pl.Int64))
    by_lsoa = sum_by(
        by_area.with_columns(areas["lsoa21"].gather(by_area[AREA])),
        ["org_code", "period", "lsoa21"],
    )
    return by_lsoa.lazy().with_columns(pl.col("count").cast(pl.Int64))


def of_area(areas: pl.DataFrame, column: str) -> pl.Expr:
    """``column`` (one of :data:`COLUMNS`) of a row's :data:`AREA`, in a query: gathered
    from the run's ``areas`` (:func:`place_areas`), no join."""
    return pl.lit(areas.get_column(column)).gather(pl.col(AREA)).alias(column)


APPLICATION_KEYS = ("org_code", "period", "pay_band", "shortlisted", "appointed")


def _applications(ctx: Context) -> nw.LazyFrame[Any]:
    return ctx.frame("applications").with_columns(
        nw.col("pay_band").fill_null("Not known"),
        nw.col("shortlisted").fill_null(False).alias("shortlisted"),
        nw.col("appointed").fill_null(False).alias("appointed"),
    )


def application_areas(ctx: Context) -> pl.DataFrame:
    """Applications counted by :data:`APPLICATION_KEYS` and :data:`AREA` (Polars engine):
    one query per run, the table :func:`application_places` decodes."""
    return ctx.memo(
        "place.application_areas", lambda: area_counts(ctx, _applications(ctx), APPLICATION_KEYS)
    )


def application_counts(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(by decile, by home) of the applications (Polars engine), in one query a run:
    ``by decile`` counts the shortlisted or appointed ones by :data:`APPLICATION_KEYS` and
    ``imd_decile``; ``by home`` all of them by org_code, period and :data:`AREA`. The small
    tables the place family and the programmes' reach read, instead of one by every key and
    area (far more groups). The applicants' place figures (appointment from shortlisting,
    the appointed by deprivation) read no other applications, and no other place column
    than the decile: a fifth of the rows, and a dozen deciles instead of thousands of
    (decile, local authority) pairs."""

    def compute() -> tuple[pl.DataFrame, pl.DataFrame]:
        _, areas = place_areas(ctx)
        rows = coded_places(ctx, _applications(ctx))
        decile = of_area(areas, "imd_decile")
        by_decile = (
            rows.filter(pl.col("shortlisted") | pl.col("appointed"))
            .group_by(*APPLICATION_KEYS, decile)
            .agg(pl.len().cast(pl.Int64).alias("count"))
        )
        by_home = rows.group_by("org_code", "period", AREA).agg(pl.len().alias("count"))
        deciles, home = pl.collect_all([by_decile, by_home])
        return deciles, home

    return ctx.memo("place.application_counts", compute)


def application_deciles(ctx: Context) -> pl.DataFrame:
    """The shortlisted or appointed applications counted by :data:`APPLICATION_KEYS` and
    ``imd_decile`` (Polars engine): :func:`application_counts`."""
    return application_counts(ctx)[0]


def application_homes(ctx: Context) -> pl.LazyFrame:
    """Applications by org_code, period and lsoa21 (Polars engine; a query, as
    :func:`area_homes`): the by-home counts of :func:`application_counts`."""
    return _homes(ctx, application_counts(ctx)[1])


def homes(ctx: Context, kind: str) -> pl.LazyFrame:
    """Dataset ``kind`` counted by org_code, period and lsoa21 (Polars engine; a query, as
    :func:`area_homes`): the home areas of a small dataset (programme participants) without
    enriching every row; a large one is counted by area in a streamed query, then summed."""
    rows = coded_places(ctx, ctx.frame(kind))
    if is_small(ctx, kind):
        _, areas = place_areas(ctx)
        by_lsoa = rows.group_by("org_code", "period", of_area(areas, "lsoa21"))
        return by_lsoa.agg(pl.len().cast(pl.Int64).alias("count"))
    by_area = rows.group_by("org_code", "period", AREA).agg(pl.len().alias("count"))
    return area_homes(ctx, by_area.collect())


def application_home_areas(ctx: Context) -> pl.DataFrame:
    """Applications counted by org_code, period and their home area's :data:`COLUMNS`
    (Polars engine)."""
    _, areas = place_areas(ctx)
    return small_query(
        application_counts(ctx)[1]
        .lazy()
        .with_columns(*(of_area(areas, c) for c in COLUMNS))
        .drop(AREA)
        .with_columns(pl.col("count").cast(pl.Int64))
    )


def application_places(ctx: Context) -> pl.DataFrame:
    """Applications counted by :data:`PLACE_KEYS` (the post's band), ``shortlisted`` and
    ``appointed``: one engine query over the enriched applications per run, shared by the
    place family and the programmes' reach (their applicants' home areas)."""

    def compute() -> pl.DataFrame:
        if ctx.engine is EngineName.polars:
            return decoded(ctx, application_areas(ctx), APPLICATION_KEYS)
        return to_polars(
            enrich(_applications(ctx), ctx.engine, place_lookup(ctx))
            .group_by(*PLACE_KEYS, "shortlisted", "appointed")
            .agg(nw.len().alias("count"))
        )

    return ctx.memo("place.application_places", compute)
