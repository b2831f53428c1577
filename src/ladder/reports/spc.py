"""Statistical process control: XmR (individuals) charts and the Making Data Count rules.

Pure functions, no plotting (see :mod:`ladder.reports.charts` for the chart).

An XmR chart puts a mean line through a series and two natural process limits at
``mean ± 2.66 × mean moving range`` (2.66 = 3 / d2, d2 = 1.128 for moving ranges of two
points, so the limits sit at three sigma). Points are flagged as *special cause* by the four
rules NHS England's Making Data Count programme uses:

1. **Outside the limits**: a single point above the upper or below the lower process limit.
2. **Shift**: a run of 7 or more consecutive points all above, or all below, the mean. A
   point exactly on the mean breaks the run.
3. **Trend**: 7 or more consecutive points each higher than the one before (6 increases in
   a row), or each lower. Equal neighbours break the run.
4. **Two out of three**: two out of three consecutive points beyond two sigma (two thirds
   of the way from the mean to a process limit, ``mean ± 2/3 × 2.66 × MR̄``) on the same
   side of the mean.

Source: NHS England and NHS Improvement, *Making data count* (#plotthedots), whose rules
are implemented by the NHS-R Community package NHSRplotthedots, written to support the
programme; the thresholds here follow its source (``R/ptd_spc_standard.R``:
``limit <- 2.66``, ``limitclose <- 2 * (limit / 3)``; ``R/ptd_calculate_point_type.R``:
``ptd_seven_point_one_side_mean`` (7 on one side), ``ptd_seven_point_trend`` (7 points,
6 differences of one sign), ``ptd_two_in_three``). Other guidance differs (run charts often
use 6-point shifts and 5-point trends; Western Electric/Nelson 8 or 9 on one side of the
centre line): we follow Making Data Count.

One difference from NHSRplotthedots: for two out of three we count any point beyond two
sigma, including one beyond a limit (as the Western Electric rule does), where the R
package counts only points between two sigma and the limit. A point beyond the limit is
special cause by rule 1 either way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

LIMIT_FACTOR = 2.66
"""3 / d2 with d2 = 1.128: the moving-range constant for three-sigma limits."""

NEAR_FACTOR = 2 * LIMIT_FACTOR / 3
"""Two sigma, for the two-out-of-three rule."""

SHIFT_LENGTH = 7
TREND_LENGTH = 7
MIN_POINTS = 3


class Signal(StrEnum):
    """A Making Data Count special-cause rule."""

    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


SIGNAL_LABELS: dict[Signal, str] = {
    Signal.OUTSIDE_LIMITS: "outside the process limits",
    Signal.SHIFT: "shift (7 or more on one side of the mean)",
    Signal.TREND: "trend (7 or more rising or falling)",
    Signal.TWO_OF_THREE: "two out of three near a limit",
}


@dataclass(frozen=True)
class XmR:
    """An XmR chart's numbers for one series."""

    values: tuple[float, ...]
    mean: float
    moving_ranges: tuple[float, ...]
    """|x[i] - x[i-1]| for i = 1..n-1 (one fewer than the values)."""
    mean_moving_range: float
    upper: float
    lower: float
    near_upper: float
    """Two sigma above the mean."""
    near_lower: float


def xmr(values: Sequence[float]) -> XmR:
    """Mean, moving ranges and natural process limits of ``values`` (at least two)."""
    xs = tuple(float(v) for v in values)
    if len(xs) < 2:
        raise ValueError("an XmR chart needs at least two values")
    if not all(math.isfinite(v) for v in xs):
        raise ValueError("XmR values must be finite")
    mean = math.fsum(xs) / len(xs)
    ranges = tuple(abs(b - a) for a, b in itertools.pairwise(xs))
    mr_bar = math.fsum(ranges) / len(ranges)
    return XmR(
        values=xs,
        mean=mean,
        moving_ranges=ranges,
        mean_moving_range=mr_bar,
        upper=mean + LIMIT_FACTOR * mr_bar,
        lower=mean - LIMIT_FACTOR * mr_bar,
        near_upper=mean + NEAR_FACTOR * mr_bar,
        near_lower=mean - NEAR_FACTOR * mr_bar,
    )


def _tolerance(chart: XmR) -> float:
    """Rounding slack: a value this close to a line is on it."""
    scale = max(1.0, abs(chart.mean), *(abs(v) for v in chart.values))
    return 1e-9 * scale


def _side(value: float, centre: float, tol: float) -> int:
    """+1 above ``centre``, -1 below, 0 on it (within ``tol``)."""
    if value > centre + tol:
        return 1
    if value < centre - tol:
        return -1
    return 0


def outside_limits(chart: XmR) -> list[bool]:
    """Rule 1: each point above the upper or below the lower process limit."""
    tol = _tolerance(chart)
    return [v > chart.upper + tol or v < chart.lower - tol for v in chart.values]


def shifts(chart: XmR, length: int = SHIFT_LENGTH) -> list[bool]:
    """Rule 2: each point in a run of ``length`` or more on one side of the mean."""
    tol = _tolerance(chart)
    sides = [_side(v, chart.mean, tol) for v in chart.values]
    flags = [False] * len(sides)
    start = 0
    for i in range(1, len(sides) + 1):
        if i == len(sides) or sides[i] != sides[start]:
            if sides[start] != 0 and i - start >= length:
                for j in range(start, i):
                    flags[j] = True
            start = i
    return flags


def trends(chart: XmR, length: int = TREND_LENGTH) -> list[bool]:
    """Rule 3: each point in a run of ``length`` or more each rising (or each falling)."""
    tol = _tolerance(chart)
    xs = chart.values
    steps = [_side(b, a, tol) for a, b in itertools.pairwise(xs)]
    flags = [False] * len(xs)
    start = 0  # index into steps
    for i in range(1, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start]:
            # steps[start:i] share a direction; they join points start..i
            if steps and steps[start] != 0 and i - start >= length - 1:
                for j in range(start, i + 1):
                    flags[j] = True
            start = i
    return flags


def two_of_three(chart: XmR) -> list[bool]:
    """Rule 4: points beyond two sigma that are two of three consecutive, on one side."""
    tol = _tolerance(chart)
    high = [v > chart.near_upper + tol for v in chart.values]
    low = [v < chart.near_lower - tol for v in chart.values]
    flags = [False] * len(chart.values)
    for near in (high, low):
        for start in range(len(near) - 2):
            window = range(start, start + 3)
            if sum(near[j] for j in window) >= 2:
                for j in window:
                    if near[j]:
                        flags[j] = True
    return flags


def signals(values: Sequence[float] | XmR) -> list[frozenset[Signal]]:
    """The special-cause signals at each point (an empty set is common cause)."""
    chart = values if isinstance(values, XmR) else xmr(values)
    rules = (
        (Signal.OUTSIDE_LIMITS, outside_limits(chart)),
        (Signal.SHIFT, shifts(chart)),
        (Signal.TREND, trends(chart)),
        (Signal.TWO_OF_THREE, two_of_three(chart)),
    )
    return [
        frozenset(signal for signal, flags in rules if flags[i]) for i in range(len(chart.values))
    ]
