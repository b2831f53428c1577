"""The place columns of a run: :func:`ladder.place.enrich.enrich` with one lookup per run.

:mod:`ladder.place` is geography only; this module ties its enrichment to a run's
:class:`~ladder.metrics.context.Context` (the small lookup is built once per run and kept
in the context's memo).

On the Polars engine the applications are counted with their place as a small integer (the
index of its area: the distinct :data:`~ladder.place.enrich.COLUMNS` values, :func:`place_areas`)
instead of its four columns; the area's columns come back on the counts.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.engines import EngineName, materialise
from ladder.metrics.context import Context
from ladder.metrics.expressions import to_polars
from ladder.place.enrich import COLUMNS, PlaceLookup, build_lookup, enrich, place_map


def place_lookup(ctx: Context) -> PlaceLookup:
    """The run's :class:`PlaceLookup` (computed once per run)."""
    return ctx.memo("place.lookup", lambda: build_lookup(ctx.frames))


def enriched(ctx: Context, kind: str) -> nw.LazyFrame[Any]:
    """Dataset ``kind`` enriched, lazily: the small lookup is built once per run and joined
    inside each query (keeping a 10-million-row enriched copy costs more than the joins)."""
    return enrich(ctx.frame(kind), ctx.engine, place_lookup(ctx))


def place_columns(ctx: Context, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The ``enrich`` hook of the deprivation characteristic: add the place columns.

    The run's workforce (the frame kept under ``workforce``, :func:`ladder.metrics.kit.
    workforce`) is enriched once and kept: the staff place figures, training and disciplinary
    by deprivation, and representation by deprivation all read it.
    """
    if frame is ctx.memoised("workforce"):
        return ctx.memo(
            "place.workforce",
            lambda: materialise(enrich(frame, ctx.engine, place_lookup(ctx)), ctx.engine),
        )
    return enrich(frame, ctx.engine, place_lookup(ctx))


PLACE_KEYS = ("org_code", "period", "pay_band", "imd_decile", "local_authority", "lsoa21")
AREA = "_area"


def place_areas(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mapping, areas) for the run: ``mapping`` is :func:`place_map` with :data:`AREA` (a
    UInt32) for its columns; ``areas`` lists each distinct :data:`COLUMNS` tuple once, at
    row :data:`AREA`, its last row all null (the area of a place not known)."""

    def compute() -> tuple[pl.DataFrame, pl.DataFrame]:
        mapping = place_map(place_lookup(ctx))
        unknown = pl.DataFrame([pl.Series(c, [None], dtype=mapping[c].dtype) for c in COLUMNS])
        known = mapping.select(COLUMNS).unique(maintain_order=True)
        areas = pl.concat(
            [known.join(unknown, on=list(COLUMNS), how="anti", nulls_equal=True), unknown]
        ).with_row_index(AREA)
        coded = mapping.join(areas, on=list(COLUMNS), how="left", nulls_equal=True)
        return coded.select("_key", "_by_lsoa", AREA), areas.drop(AREA)

    return ctx.memo("place.areas", compute)


def coded_places(ctx: Context, frame: nw.LazyFrame[Any]) -> pl.LazyFrame:
    """``frame`` (on the Polars engine) with :data:`AREA`: its place's row of
    :func:`place_areas` (the last row where the place is not known). Joined on the given LSOA
    alone when no postcode of a record without one was found (nothing else can match)."""
    mapping, areas = place_areas(ctx)
    native: pl.LazyFrame = frame.to_native()
    if mapping.filter(pl.col("_by_lsoa") == 0).is_empty():
        by_lsoa = mapping.select(pl.col("_key").alias("home_lsoa"), AREA)
        joined = native.join(by_lsoa.lazy(), on="home_lsoa", how="left")
    else:
        keyed = native.with_columns(
            pl.coalesce("home_lsoa", "home_postcode").alias("_key"),
            pl.col("home_lsoa").is_not_null().cast(pl.Int64).alias("_by_lsoa"),
        )
        joined = keyed.join(mapping.lazy(), on=["_key", "_by_lsoa"], how="left").drop(
            "_key", "_by_lsoa"
        )
    return joined.with_columns(pl.col(AREA).fill_null(areas.height - 1))


def with_areas(ctx: Context, counts: pl.DataFrame) -> pl.DataFrame:
    """``counts`` with :data:`AREA` replaced by the area's :data:`COLUMNS`."""
    _, areas = place_areas(ctx)
    index = counts[AREA]
    return counts.drop(AREA).with_columns(areas[c].gather(index) for c in COLUMNS)


def application_places(ctx: Context) -> pl.DataFrame:
    """Applications counted by :data:`PLACE_KEYS` (the post's band), ``shortlisted`` and
    ``appointed``: one engine query over the enriched applications per run, shared by the
    place family and the programmes' reach (their applicants' home areas)."""

    def compute() -> pl.DataFrame:
        frame = ctx.frame("applications").with_columns(
            nw.col("pay_band").fill_null("Not known"),
            nw.col("shortlisted").fill_null(False).alias("shortlisted"),
            nw.col("appointed").fill_null(False).alias("appointed"),
        )
        if ctx.engine is EngineName.polars:
            rows = coded_places(ctx, frame).select(
                "org_code", "period", "pay_band", AREA, "shortlisted", "appointed"
            )
            keys = ("org_code", "period", "pay_band", AREA, "shortlisted", "appointed")
            counts = with_areas(ctx, rows.group_by(keys).agg(pl.len().alias("count")).collect())
            return to_polars(
                nw.from_native(counts.select(*PLACE_KEYS, "shortlisted", "appointed", "count"))
            )
        return to_polars(
            enrich(frame, ctx.engine, place_lookup(ctx))
            .group_by(*PLACE_KEYS, "shortlisted", "appointed")
            .agg(nw.len().alias("count"))
        )

    return ctx.memo("place.application_places", compute)
