"""The place columns of a run: :func:`ladder.place.enrich.enrich` with one lookup per run.

:mod:`ladder.place` is geography only; this module ties its enrichment to a run's
:class:`~ladder.metrics.context.Context` (the small lookup is built once per run and kept
in the context's memo).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from ladder.metrics.context import Context
from ladder.place.enrich import PlaceLookup, build_lookup, enrich


def place_lookup(ctx: Context) -> PlaceLookup:
    """The run's :class:`PlaceLookup` (computed once per run)."""
    return ctx.memo("place.lookup", lambda: build_lookup(ctx.frames))


def enriched(ctx: Context, kind: str) -> nw.LazyFrame[Any]:
    """Dataset ``kind`` enriched, lazily: the small lookup is built once per run and joined
    inside each query (keeping a 10-million-row enriched copy costs more than the joins)."""
    return enrich(ctx.frame(kind), ctx.engine, place_lookup(ctx))


def place_columns(ctx: Context, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The ``enrich`` hook of the deprivation characteristic: add the place columns."""
    return enrich(frame, ctx.engine, place_lookup(ctx))
