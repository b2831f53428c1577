"""Results as one Polars frame: one row per result, the fields of its JSON record.

The frame is what stored results hold and what a dashboard reads; :func:`results_frame` and
:func:`results_from_frame` convert both ways without loss (``Result.to_dict`` of a result read
back equals that of the result written). Columns, in :data:`RESULT_FIELDS` order:

- ``id``, ``title``, ``org``, ``measure``, ``unit``, ``method``, ``group``, ``note``: String;
- ``period``: Int64; ``value``, ``ci_lower``, ``ci_upper``: Float64 (NaN/inf stored as null,
  as in JSON);
- ``numerator``, ``denominator``, ``reference_numerator``, ``reference_denominator``: Int64
  (people counts);
- ``breakdown``: List(Struct(name, value)) in the result's order (JSON: an object);
- ``suppressed``: Boolean; ``flags``: List(String).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import MISSING
from typing import Any

import polars as pl

from ladder.metrics.results import RESULT_FIELDS, Measure, Result, Unit

COUNTS = ("numerator", "denominator", "reference_numerator", "reference_denominator")
FLOATS = ("value", "ci_lower", "ci_upper")
BREAKDOWN = pl.List(pl.Struct({"name": pl.String, "value": pl.String}))
RESULT_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "title": pl.String,
    "org": pl.String,
    "period": pl.Int64,
    "measure": pl.String,
    "unit": pl.String,
    "value": pl.Float64,
    "method": pl.String,
    "group": pl.String,
    "breakdown": BREAKDOWN,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "reference_numerator": pl.Int64,
    "reference_denominator": pl.Int64,
    "ci_lower": pl.Float64,
    "ci_upper": pl.Float64,
    "suppressed": pl.Boolean,
    "flags": pl.List(pl.String),
    "note": pl.String,
}
assert tuple(RESULT_SCHEMA) == RESULT_FIELDS


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def results_frame(results: Iterable[Result]) -> pl.DataFrame:
    """Every result as one row of a frame with :data:`RESULT_SCHEMA` (column by column)."""
    columns: dict[str, list[Any]] = {name: [] for name in RESULT_FIELDS}
    for r in results:
        d = r.__dict__
        for name in RESULT_FIELDS:
            columns[name].append(d[name])
    return _frame(columns)


DEFAULTS: dict[str, Any] = {
    name: field.default
    for name, field in Result.__dataclass_fields__.items()
    if field.default is not MISSING
}
DEFAULTS["breakdown"] = {}


def rows_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Results given as dicts of :class:`Result` fields (defaults where left out) as a frame:
    the same frame as :func:`results_frame` of the same results, without the objects."""
    columns = {
        name: [row[name] for row in rows]
        if name not in DEFAULTS
        else [row.get(name, DEFAULTS[name]) for row in rows]
        for name in RESULT_FIELDS
    }
    return _frame(columns)


def _frame(columns: dict[str, list[Any]]) -> pl.DataFrame:
    columns["measure"] = [str(m) for m in columns["measure"]]
    columns["unit"] = [str(u) for u in columns["unit"]]
    for name in FLOATS:
        columns[name] = [_finite(v) for v in columns[name]]
    for name in COUNTS:
        columns[name] = [_count(v) for v in columns[name]]
    breakdown = _repeated(
        [tuple(b.items()) for b in columns.pop("breakdown")],
        lambda items: [{"name": k, "value": v} for k, v in items],
        BREAKDOWN,
    )
    flags = _repeated([tuple(f) for f in columns.pop("flags")], list, RESULT_SCHEMA["flags"])
    plain = pl.DataFrame(columns, schema={n: t for n, t in RESULT_SCHEMA.items() if n in columns})
    return plain.with_columns(breakdown=breakdown, flags=flags).select(RESULT_FIELDS)


def _repeated(keys: list[Any], value: Any, dtype: pl.DataType) -> pl.Series:
    """A nested column from hashable keys, each distinct key built once and gathered:
    building nested values row by row is most of the cost of a large frame, and a run's
    breakdowns and flags take few distinct values."""
    index: dict[Any, int] = {}
    codes = [index.setdefault(k, len(index)) for k in keys]
    distinct = pl.Series(values=[value(k) for k in index], dtype=dtype)
    return distinct.gather(pl.Series(codes, dtype=pl.UInt32))


def results_from_frame(frame: pl.DataFrame) -> list[Result]:
    """The typed results of a frame written by :func:`results_frame`."""
    out: list[Result] = []
    for row in frame.select(RESULT_FIELDS).iter_rows(named=True):
        row["measure"] = Measure(row["measure"])
        row["unit"] = Unit(row["unit"])
        row["breakdown"] = {item["name"]: item["value"] for item in row["breakdown"] or []}
        row["flags"] = tuple(row["flags"] or ())
        out.append(Result(**row))
    return out


def as_frame(results: list[Result] | pl.DataFrame) -> pl.DataFrame:
    """What an indicator produced as a results frame (a frame is checked for its schema)."""
    if isinstance(results, pl.DataFrame):
        if dict(results.schema) != RESULT_SCHEMA:
            return results.select(pl.col(n).cast(t) for n, t in RESULT_SCHEMA.items())
        return results
    return results_frame(results)


def combine(*parts: list[Result] | pl.DataFrame) -> pl.DataFrame:
    """Results given as lists or frames, in order, as one results frame."""
    frames = [as_frame(p) for p in parts if len(p)]
    return pl.concat(frames) if frames else pl.DataFrame(schema=RESULT_SCHEMA)


def results_of(produced: list[Result] | pl.DataFrame) -> list[Result]:
    """What an indicator produced as :class:`Result` objects."""
    return results_from_frame(produced) if isinstance(produced, pl.DataFrame) else produced
