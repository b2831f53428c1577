"""Groupings of people shared by the families: by ethnicity (WRES) and by disability (WDES)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import WRES_GROUP
from ladder.metrics.expressions import (
    BME,
    DISABLED,
    NON_DISABLED,
    NON_RESPONSE,
    SEB_LABELS,
    UNKNOWN,
    WHITE,
    disability_group,
    ethnic_group,
)

KEYS = ("org_code", "period")


# Native Polars forms of the labels of :mod:`ladder.metrics.expressions` (ethnic_group,
# disability_group, seb_group), for the Polars engine's fast paths: building a query from
# native expressions costs far less than Narwhals' translation of the same expressions on a
# one-trust run. The tests check each equal to its Narwhals form. Each is built once (cached:
# a list of codes costs a Series on every build) and shared, as expressions are immutable.


@cache
def ethnic_label(column: str = "ethnic_category") -> pl.Expr:
    """:func:`ladder.metrics.expressions.ethnic_group` in native Polars."""
    return pl.col(column).replace_strict(WRES_GROUP, default=UNKNOWN, return_dtype=pl.String)


@cache
def disability_label(column: str = "disability") -> pl.Expr:
    """:func:`ladder.metrics.expressions.disability_group` in native Polars."""
    flag = pl.col(column)
    return (
        pl.when(flag.is_null())
        .then(pl.lit(UNKNOWN))
        .when(flag)
        .then(pl.lit(DISABLED))
        .otherwise(pl.lit(NON_DISABLED))
    )


@cache
def seb_label(column: str = "seb_parent_occupation") -> pl.Expr:
    """:func:`ladder.metrics.expressions.seb_group` in native Polars."""
    return pl.col(column).replace_strict(SEB_LABELS, default=NON_RESPONSE, return_dtype=pl.String)


@dataclass(frozen=True)
class Native:
    """A :class:`Grouping`'s expressions in native Polars (the Polars engine's fast paths):
    the same functions as its Narwhals ones (the tests check them equal)."""

    of: Callable[[str], pl.Expr]
    aggregate_filter: Callable[[], pl.Expr]
    aggregate: Callable[[], pl.Expr]
    respondent: Callable[[], pl.Expr]


@dataclass(frozen=True)
class Grouping:
    """How people are grouped: by ethnicity (WRES) or disability (WDES).

    ``column`` is the person-level column (staff, applications, cases, survey respondents);
    ``of`` turns it into the group label. Survey respondents are grouped by ``respondent``
    over ``respondent_columns``; survey aggregate rows carry their group in ``aggregate``
    (used where ``aggregate_filter`` holds). ``focus`` − ``reference`` is the direction of
    every percentage-point difference. ``native``: the same in native Polars, where given.
    """

    name: str
    column: str
    groups: tuple[str, ...]
    of: Callable[[str], nw.Expr]
    aggregate_filter: Callable[[], nw.Expr]
    aggregate: Callable[[], nw.Expr]
    focus: str
    reference: str
    respondent: Callable[[], nw.Expr]
    respondent_columns: tuple[str, ...]
    native: Native | None = None

    def expr(self) -> nw.Expr:
        return self.of(self.column)


ETHNICITY = Grouping(
    name="ethnic group",
    column="ethnic_category",
    groups=(WHITE, BME, UNKNOWN),
    of=ethnic_group,
    aggregate_filter=lambda: ~nw.col("ethnic_group").is_null(),
    aggregate=lambda: nw.col("ethnic_group"),
    focus=BME,
    reference=WHITE,
    # a respondent with no ethnic category may still carry the WRES group itself
    respondent=lambda: (
        nw.when(nw.col("ethnic_category").is_null())
        .then(nw.col("ethnic_group").fill_null(UNKNOWN))
        .otherwise(ethnic_group())
    ),
    respondent_columns=("ethnic_category", "ethnic_group"),
    native=Native(
        of=ethnic_label,
        aggregate_filter=lambda: pl.col("ethnic_group").is_not_null(),
        aggregate=lambda: pl.col("ethnic_group"),
        respondent=lambda: (
            pl.when(pl.col("ethnic_category").is_null())
            .then(pl.col("ethnic_group").fill_null(UNKNOWN))
            .otherwise(ethnic_label())
        ),
    ),
)
DISABILITY = Grouping(
    name="disability",
    column="disability",
    groups=(DISABLED, NON_DISABLED, UNKNOWN),
    of=disability_group,
    aggregate_filter=lambda: ~nw.col("disability").is_null(),
    aggregate=lambda: disability_group("disability"),
    focus=DISABLED,
    reference=NON_DISABLED,
    respondent=lambda: disability_group("disability"),
    respondent_columns=("disability",),
    native=Native(
        of=disability_label,
        aggregate_filter=lambda: pl.col("disability").is_not_null(),
        aggregate=lambda: disability_label("disability"),
        respondent=lambda: disability_label("disability"),
    ),
)


def with_group(frame: nw.LazyFrame[Any], grouping: Grouping) -> nw.LazyFrame[Any]:
    """``frame`` with the ``group`` of ``grouping``: in native Polars on a Polars frame
    whose grouping has its native form (no Narwhals translation)."""
    native = frame.to_native()
    if isinstance(native, pl.LazyFrame) and grouping.native is not None:
        labelled = native.with_columns(grouping.native.of(grouping.column).alias("group"))
        result: nw.LazyFrame[Any] = nw.from_native(labelled)
        return result
    return frame.with_columns(grouping.expr().alias("group"))


def period_keys(frame: pl.DataFrame) -> list[tuple[str, int]]:
    """The distinct (org_code, period) of a small table, read in Python (no query)."""
    pairs = zip(frame["org_code"].to_list(), frame["period"].to_list(), strict=True)
    return [(org, int(period)) for org, period in dict.fromkeys(pairs)]


def march(period: int) -> str:
    """The snapshot date of a period, in words: 2024 → '31 March 2024'."""
    return f"31 March {period}"
