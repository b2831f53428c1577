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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING
from operator import attrgetter
from typing import Any

import numpy as np
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
_FIELDS, _DTYPES = list(RESULT_SCHEMA), list(RESULT_SCHEMA.values())
"""The schema as the lists a frame gives (:func:`as_frame` checks them: half the cost of
comparing the schema as a dict)."""


def results_frame(results: Iterable[Result]) -> pl.DataFrame:
    """Every result as one row of a frame with :data:`RESULT_SCHEMA` (column by column)."""
    listed = list(results)
    return _frame({name: list(map(attrgetter(name), listed)) for name in RESULT_FIELDS})


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


def _frame(columns: Mapping[str, Sequence[Any]]) -> pl.DataFrame:
    """The results frame of the fields' values, column by column: the values go to Polars as
    they are (enums as their strings) and are cleaned there, NaN/inf to null and counts to
    integers (truncated, as ``int``)."""
    return pl.DataFrame([_column(name, columns[name]) for name in RESULT_FIELDS])


def _column(name: str, values: Sequence[Any]) -> pl.Series:
    if name == "breakdown":
        return _repeated(
            [tuple(b.items()) for b in values],
            lambda items: [{"name": k, "value": v} for k, v in items],
            BREAKDOWN,
        ).alias(name)
    if name == "flags":
        return _repeated([tuple(f) for f in values], list, RESULT_SCHEMA["flags"]).alias(name)
    if name in FLOATS:
        return _finite(pl.Series(name, values, dtype=pl.Float64))
    if name in COUNTS:
        try:  # integers (or nothing) as they are
            return pl.Series(name, values, dtype=pl.Int64)
        except TypeError:  # some float: truncated toward zero, as int() does
            return pl.Series(name, values, dtype=pl.Float64).cast(pl.Int64)
    return pl.Series(name, values, dtype=RESULT_SCHEMA[name])


def _finite(values: pl.Series) -> pl.Series:
    """NaN and infinities as null (as in JSON)."""
    if (~np.isfinite(values.to_numpy())).sum() == values.null_count():  # nulls (as NaN) only
        return values
    return values.to_frame().select(pl.when(pl.col(values.name).is_finite()).then(values.name))[
        values.name
    ]


def _repeated(keys: list[Any], value: Any, dtype: pl.DataType) -> pl.Series:
    """A nested column from hashable keys, each distinct key built once and gathered:
    building nested values row by row is most of the cost of a large frame, and a run's
    breakdowns and flags take few distinct values."""
    index: dict[Any, int] = {}
    codes = [index.setdefault(k, len(index)) for k in keys]
    built = [value(k) for k in index]
    try:  # the type inferred: far quicker than building to a nested type
        distinct = pl.Series(values=built)
    except (TypeError, ValueError, pl.exceptions.PolarsError):
        distinct = pl.Series(values=[])
    if distinct.dtype != dtype:  # e.g. only empty lists: built to the type
        distinct = pl.Series(values=built, dtype=dtype)
    if len(index) == 1:
        return distinct.new_from_index(0, len(codes))
    return distinct[pl.Series(codes, dtype=pl.UInt32)]


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
        if results.columns != _FIELDS or results.dtypes != _DTYPES:
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
