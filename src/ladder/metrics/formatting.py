"""How figures are written for people: rounding as the official publications do.

Pay gaps and other percentages to one decimal place; relative likelihoods (ratios) to two;
pounds to two. Withheld (suppressed) figures all read :data:`WITHHELD`, whatever the reason,
with no bound (issue 12: a "fewer than 10" would tell a small count from a complement); the
method is explained once per publication (:func:`method_text`).
"""

from __future__ import annotations

import math

from ladder.metrics.disclosure.notes import METHOD_NOTE
from ladder.metrics.results import Result, Unit

WITHHELD = "withheld"
"""How every withheld figure reads, wherever a person reads it: the same for all."""

WITHHELD_WHY = "disclosure control: see the notes"
"""What a sentence about a withheld figure adds (never a bound or a reason of its own)."""

DECIMALS = {Unit.PERCENT: 1, Unit.PERCENTAGE_POINTS: 1, Unit.RATIO: 2, Unit.GBP: 2, Unit.COUNT: 0}


def number(value: float | None, unit: Unit) -> str:
    """A value rounded for its unit ('24.8%', '1.74', '£12.50', '1,234'); '–' for none,
    and for a value that is not a finite number (never 'inf%' or 'nan')."""
    if value is None or not math.isfinite(value):
        return "–"
    places = DECIMALS[unit]
    text = f"{value:,.{places}f}"
    if unit is Unit.PERCENT:
        return f"{text}%"
    if unit is Unit.PERCENTAGE_POINTS:
        return f"{text} pp"
    if unit is Unit.GBP:
        return f"£{text}"
    return text


def withheld_sentence(subject: str) -> str:
    """'The figure for disabled staff is withheld (disclosure control: see the notes).'"""
    return f"{subject} is {WITHHELD} ({WITHHELD_WHY})."


def method_text(threshold: int) -> str:
    """The one explanation of withholding, for a publication's notes (once)."""
    return METHOD_NOTE.format(limit=threshold - 1)


def value_text(result: Result, threshold: int) -> str:
    """The figure as a person reads it; withheld ones read :data:`WITHHELD`, nothing more
    (``threshold`` is kept for callers; it is never shown)."""
    if result.suppressed:
        return WITHHELD
    return number(result.value, result.unit)


def interval_text(result: Result) -> str:
    """'1.59–1.91' (95% CI) or '' when there is none or the figure is suppressed."""
    if result.suppressed or result.ci_lower is None or result.ci_upper is None:
        return ""
    unit = Unit.RATIO if result.unit is Unit.RATIO else result.unit
    low = number(result.ci_lower, unit).rstrip("%")
    return f"{low}–{number(result.ci_upper, unit)}"


def counts_text(result: Result) -> str:
    """'664/2,755' (numerator/denominator), with the reference group's after a semicolon."""
    if result.suppressed or result.numerator is None or result.denominator is None:
        return ""
    text = f"{result.numerator:,.0f}/{result.denominator:,.0f}"
    if result.reference_numerator is not None and result.reference_denominator is not None:
        text += f"; {result.reference_numerator:,.0f}/{result.reference_denominator:,.0f}"
    return text
