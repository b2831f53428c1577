"""Results as a frame, and what makes stored results current (docs/architecture.md).

Stored results are one Polars frame per organisation and period with one row per result
and the fields of the ``ladder metrics --format json`` records (:data:`RESULTS_SCHEMA`):
``breakdown`` as a list of ``{key, value}`` pairs (in order), ``flags`` as a list of
strings, ``measure`` and ``unit`` as their string values. :func:`results_to_frame` and
:func:`frame_to_results` are the one pair of conversions.

A stored set is current while it was computed with the same settings (:func:`settings_key`),
by the same :data:`METHOD_VERSION` and from the same data (the store's data version).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import polars as pl

from ladder.metrics.results import RESULT_FIELDS, Measure, Result, Unit
from ladder.metrics.settings import Settings

METHOD_VERSION = "2026.12.1"
"""Ladder's method version: change it whenever a change to an indicator, its statistics or
its suppression changes any figure, so that every stored result is recomputed."""

_BREAKDOWN = pl.List(pl.Struct({"key": pl.String, "value": pl.String}))
RESULTS_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "title": pl.String(),
    "org": pl.String(),
    "period": pl.Int64(),
    "measure": pl.String(),
    "unit": pl.String(),
    "value": pl.Float64(),
    "method": pl.String(),
    "group": pl.String(),
    "breakdown": _BREAKDOWN,
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "reference_numerator": pl.Float64(),
    "reference_denominator": pl.Float64(),
    "ci_lower": pl.Float64(),
    "ci_upper": pl.Float64(),
    "suppressed": pl.Boolean(),
    "flags": pl.List(pl.String),
    "note": pl.String(),
}
"""One row per result, in the documented field order (:data:`RESULT_FIELDS`)."""

assert tuple(RESULTS_SCHEMA) == RESULT_FIELDS, "RESULTS_SCHEMA must follow Result's fields"

_NUMBERS = (
    "value",
    "numerator",
    "denominator",
    "reference_numerator",
    "reference_denominator",
    "ci_lower",
    "ci_upper",
)


def results_to_frame(results: Iterable[Result]) -> pl.DataFrame:
    """``results`` as a frame of :data:`RESULTS_SCHEMA` (NaN and infinities become null,
    as in the JSON records)."""
    columns: dict[str, list[Any]] = {name: [] for name in RESULTS_SCHEMA}
    for r in results:
        for name in RESULT_FIELDS:
            columns[name].append(getattr(r, name))
    columns["measure"] = [str(m) for m in columns["measure"]]
    columns["unit"] = [str(u) for u in columns["unit"]]
    columns["breakdown"] = [
        [{"key": k, "value": v} for k, v in b.items()] for b in columns["breakdown"]
    ]
    columns["flags"] = [list(f) for f in columns["flags"]]
    frame = pl.DataFrame(columns, schema=RESULTS_SCHEMA)
    return frame.with_columns(
        pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name) for name in _NUMBERS
    )


def frame_to_results(frame: pl.DataFrame) -> list[Result]:
    """The :class:`Result` objects of a frame of :data:`RESULTS_SCHEMA`.

    Column by column, and each object filled directly (as :func:`~ladder.metrics.results.
    evolve` copies one): the frame's values are already the fields' types, so this gives
    what ``Result(**row)`` gives, in a fraction of the time.
    """
    measures = {str(m): m for m in Measure}
    units = {str(u): u for u in Unit}
    columns: dict[str, list[Any]] = {name: frame[name].to_list() for name in RESULT_FIELDS}
    columns["measure"] = [measures[m] for m in columns["measure"]]
    columns["unit"] = [units[u] for u in columns["unit"]]
    columns["breakdown"] = [
        {p["key"]: p["value"] for p in pairs} if pairs else {} for pairs in columns["breakdown"]
    ]
    columns["flags"] = [tuple(f) if f else () for f in columns["flags"]]
    out: list[Result] = []
    new = object.__new__
    for values in zip(*columns.values(), strict=True):
        result = new(Result)
        result.__dict__.update(zip(RESULT_FIELDS, values, strict=True))
        out.append(result)
    return out


def settings_key(settings: Settings) -> str:
    """A fingerprint of every setting that changes results (threshold, windows, benchmark,
    catchment, neighbourhood percentage): equal settings give equal keys."""
    doc = json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()
