"""Turn sampled index arrays into typed Polars columns (codes, tri-state flags, IDs, ages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from ladder import codes
from ladder.contract import dataset
from ladder.synth.sampling import IntArray, null_where


def labels(idx: IntArray, values: Sequence[str], name: str) -> pl.Series:
    """``values[idx]`` as a String column; index -1 is null."""
    missing = idx < 0
    out = pl.Series(name, list(values), dtype=pl.String).gather(np.where(missing, 0, idx))
    return null_where(out, missing).alias(name)


def tri_bool(idx: IntArray, name: str) -> pl.Series:
    """1 → True, 0 → False, -1 → null."""
    return null_where(pl.Series(name, idx == 1, dtype=pl.Boolean), idx < 0).alias(name)


def optional_int(values: IntArray, name: str) -> pl.Series:
    """Integers with -1 meaning null."""
    return null_where(pl.Series(name, values, dtype=pl.Int64), values < 0).alias(name)


def ids(prefix: str, n: int, width: int, name: str) -> pl.Series:
    """Sequential synthetic IDs ``prefix`` + zero-padded 1..n (e.g. SYN-R1H-000001)."""
    return pl.select(
        (pl.lit(prefix) + pl.int_range(1, n + 1).cast(pl.String).str.zfill(width)).alias(name)
    ).to_series()


def age_band(dob: pl.Expr, at: dt.date) -> pl.Expr:
    """ESR five-year age band of a person born on ``dob`` at date ``at``."""
    before_birthday = (dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day().cast(pl.Int32)) > (
        at.month * 100 + at.day
    )
    age = pl.lit(at.year) - dob.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)
    slot = ((age - 16) // 5).clip(0, len(codes.AGE_BANDS) - 1)
    mapping = dict(enumerate(codes.AGE_BANDS))
    return slot.replace_strict(mapping, return_dtype=pl.String)


def conform(df: pl.DataFrame, kind: str, *, keep: Sequence[str] = ()) -> pl.DataFrame:
    """Columns of the contract dataset ``kind``, in contract order and storage dtype.

    Missing columns are added as nulls; columns named in ``keep`` keep their own dtype.
    """
    schema = dataset(kind).polars_schema()
    cols = []
    for name, dtype in schema.items():
        expr = pl.col(name) if name in df.columns else pl.lit(None)
        cols.append(expr if name in keep else expr.cast(dtype).alias(name))
    return df.select(cols)
