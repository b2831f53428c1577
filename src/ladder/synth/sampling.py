"""Seeded random generators and vectorised sampling helpers shared by the generators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl

K = TypeVar("K")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

# Stream numbers: each (trust, stream) pair gets its own generator, so changing how one
# dataset is drawn never shifts the random numbers of another.
STREAM_SIZES = 0
STREAM_STAFF = 1
STREAM_APPLICATIONS = 2
STREAM_TRAINING = 3
STREAM_CASES = 4
STREAM_SURVEY = 5
STREAM_PARTICIPANTS = 6
STREAM_MESSY = 7


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """A generator determined by ``seed`` and the integer ``keys`` (e.g. trust, stream)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=keys)))


def choose(rng: np.random.Generator, n: int, weights: Mapping[K, float]) -> list[K]:
    """``n`` draws from the keys of ``weights`` (normalised)."""
    keys = list(weights)
    p = np.asarray([weights[k] for k in keys], dtype=np.float64)
    idx = rng.choice(len(keys), size=n, p=p / p.sum())
    return [keys[i] for i in idx]


def choose_index(rng: np.random.Generator, n: int, weights: Sequence[float]) -> IntArray:
    """``n`` draws of an index into ``weights`` (normalised)."""
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)


def choose_rows(rng: np.random.Generator, weights: FloatArray) -> IntArray:
    """One column index per row of ``weights`` (n x k, non-negative, rows need not sum to 1)."""
    if weights.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    cum = np.cumsum(weights, axis=1)
    total = cum[:, -1:]
    u = rng.random((weights.shape[0], 1)) * total
    idx: IntArray = np.minimum((u >= cum).sum(axis=1), weights.shape[1] - 1).astype(np.int64)
    return idx


def bernoulli(rng: np.random.Generator, p: FloatArray | float, n: int) -> BoolArray:
    """``n`` independent yes/no draws with probability ``p`` (scalar or per row)."""
    return np.asarray(rng.random(n) < np.clip(p, 0.0, 1.0), dtype=np.bool_)


def lookup(table: Mapping[str, float], keys: Sequence[str] | npt.NDArray[np.str_]) -> FloatArray:
    """Per-row value of ``table`` for each key (vectorised through the distinct keys)."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.float64)
    distinct, inverse = np.unique(np.asarray(keys), return_inverse=True)
    values = np.array([table[str(k)] for k in distinct], dtype=np.float64)
    return np.asarray(values[inverse.reshape(-1)], dtype=np.float64)


def days_before(end: dt.date, days: IntArray) -> DateArray:
    """Dates ``days`` before ``end``."""
    return np.datetime64(end, "D") - days.astype("timedelta64[D]")


def uniform_dates(rng: np.random.Generator, start: dt.date, end: dt.date, n: int) -> DateArray:
    """``n`` dates uniformly between ``start`` and ``end`` inclusive."""
    span = (end - start).days
    offsets = rng.integers(0, span + 1, size=n)
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def null_where(series: pl.Series, mask: BoolArray) -> pl.Series:
    """``series`` with the rows where ``mask`` is true set to null."""
    if not mask.any():
        return series
    return pl.select(
        pl.when(pl.Series(mask)).then(None).otherwise(series).alias(series.name)
    ).to_series()


def trust_ratio(rng: np.random.Generator, national: float, spread: float) -> float:
    """A trust's own relative likelihood: lognormal around the national figure."""
    return float(np.exp(rng.normal(np.log(national), spread)))


def ratio_multiplier(p: FloatArray, group: BoolArray, other: BoolArray, target: float) -> float:
    """Multiplier m for ``p[group]`` giving mean(m·p[group]) / mean(p[other]) == target.

    Calibrating the expected relative likelihood within each trust keeps it on target even when
    the groups differ in band or staff-group mix (which would otherwise distort the ratio).
    """
    if not group.any() or not other.any():
        return target
    return float(target * p[other].mean() / p[group].mean())
