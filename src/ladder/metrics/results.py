"""The typed result every indicator produces and every output (CLI, reports, web) reads.

One :class:`Result` is one published number: an indicator's value for one organisation,
period, group and breakdown, with its numerator and denominator, its 95% confidence
interval, whether it is suppressed, and the method it follows. The JSON form is a stable,
documented list (docs/indicators.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Unit(StrEnum):
    """What a value measures: how it is read and rounded."""

    PERCENT = "percent"  # 24.78 means 24.78%
    RATIO = "ratio"  # relative likelihood; 1.00 is equality
    PERCENTAGE_POINTS = "percentage_points"  # a difference of two percentages
    COUNT = "count"
    GBP = "gbp"


class Measure(StrEnum):
    """The kind of figure within an indicator."""

    SHARE = "share"  # share of a total in a group (representation, profile)
    RATE = "rate"  # events / people in a group
    RELATIVE_LIKELIHOOD = "relative_likelihood"
    DIFFERENCE = "difference"
    GAP = "gap"  # pay gap, % of the reference group's pay
    MEAN = "mean"
    MEDIAN = "median"
    COUNT = "count"


VALUE_FLAGS: frozenset[str] = frozenset(
    {"no_evidence_of_difference", "outside_four_fifths", "within_four_fifths"}
)
"""Flags derived from a figure's value or interval; withheld with the figure."""


@dataclass(frozen=True)
class Result:
    """One published figure.

    ``group`` is the group the figure is about (e.g. ``BME``; for a relative likelihood
    ``White:BME``, numerator group first). ``breakdown`` holds any further cut (e.g.
    ``{"cluster": "clinical", "pay_band": "Band 5"}``). For a relative likelihood,
    ``numerator``/``denominator`` are the events and people of the first group and
    ``reference_numerator``/``reference_denominator`` those of the second.
    """

    id: str
    title: str
    org: str
    period: int
    measure: Measure
    unit: Unit
    value: float | None
    method: str
    group: str | None = None
    breakdown: dict[str, str] = field(default_factory=dict)
    numerator: float | None = None
    denominator: float | None = None
    reference_numerator: float | None = None
    reference_denominator: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    suppressed: bool = False
    flags: tuple[str, ...] = ()
    note: str | None = None

    def counts(self) -> tuple[float, ...]:
        """The people counts this figure publishes (what suppression looks at)."""
        return tuple(
            c
            for c in (
                self.numerator,
                self.denominator,
                self.reference_numerator,
                self.reference_denominator,
            )
            if c is not None
        )

    def suppress(self, reason: str) -> Result:
        """The same figure with every number withheld, and the flags read off its value
        (:data:`VALUE_FLAGS`) dropped: they would say something about the number."""
        return evolve(
            self,
            value=None,
            numerator=None,
            denominator=None,
            reference_numerator=None,
            reference_denominator=None,
            ci_lower=None,
            ci_upper=None,
            suppressed=True,
            flags=(*(f for f in self.flags if f not in VALUE_FLAGS), "suppressed"),
            note=reason if self.note is None else f"{self.note}; {reason}",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (enums as strings, NaN as null), in the documented field order."""
        doc = asdict(self)
        doc["measure"] = str(self.measure)
        doc["unit"] = str(self.unit)
        doc["flags"] = list(self.flags)
        for name, value in doc.items():
            if isinstance(value, float) and not math.isfinite(value):
                doc[name] = None
        return doc


def evolve(result: Result, **changes: Any) -> Result:
    """``result`` with ``changes``: :func:`dataclasses.replace`, without its per-call cost.

    Results are copied by the hundred thousand (suppression, notes); their fields are plain
    values with nothing derived from them, so copying them and applying the changes gives
    what ``replace`` gives. Unlike ``replace``, a misspelt field name is not caught here.
    """
    copy = object.__new__(type(result))
    copy.__dict__.update(result.__dict__, **changes)
    return copy


RESULT_FIELDS: tuple[str, ...] = tuple(Result.__dataclass_fields__)
"""Field order of every JSON/CSV result row."""
