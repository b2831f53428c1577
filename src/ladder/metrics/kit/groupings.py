"""Groupings of people shared by the families: by ethnicity (WRES) and by disability (WDES)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import narwhals as nw

from ladder.metrics.expressions import (
    BME,
    DISABLED,
    NON_DISABLED,
    UNKNOWN,
    WHITE,
    disability_group,
    ethnic_group,
)

KEYS = ("org_code", "period")


@dataclass(frozen=True)
class Grouping:
    """How people are grouped: by ethnicity (WRES) or disability (WDES).

    ``column`` is the person-level column (staff, applications, cases, survey respondents);
    ``of`` turns it into the group label. Survey respondents are grouped by ``respondent``
    over ``respondent_columns``; survey aggregate rows carry their group in ``aggregate``
    (used where ``aggregate_filter`` holds). ``focus`` − ``reference`` is the direction of
    every percentage-point difference.
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
)


def march(period: int) -> str:
    """The snapshot date of a period, in words: 2024 → '31 March 2024'."""
    return f"31 March {period}"
