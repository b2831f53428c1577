"""The place columns of a run: :func:`ladder.place.enrich.enrich` with one lookup per run.

:mod:`ladder.place` is geography only; this module ties its enrichment to a run's
:class:`~ladder.metrics.context.Context` (the small lookup is built once per run and kept
in the context's memo).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.engines import materialise
from ladder.metrics.context import Context
from ladder.metrics.expressions import to_polars
from ladder.place.enrich import PlaceLookup, build_lookup, enrich


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


def application_places(ctx: Context) -> pl.DataFrame:
    """Applications counted by :data:`PLACE_KEYS` (the post's band), ``shortlisted`` and
    ``appointed``: one engine query over the enriched applications per run, shared by the
    place family and the programmes' reach (their applicants' home areas)."""

    def compute() -> pl.DataFrame:
        return to_polars(
            enriched(ctx, "applications")
            .with_columns(
                nw.col("pay_band").fill_null("Not known"),
                nw.col("shortlisted").fill_null(False).alias("shortlisted"),
                nw.col("appointed").fill_null(False).alias("appointed"),
            )
            .group_by(*PLACE_KEYS, "shortlisted", "appointed")
            .agg(nw.len().alias("count"))
        )

    return ctx.memo("place.application_places", compute)
