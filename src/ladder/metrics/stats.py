"""Statistics shared by every indicator: relative likelihoods, proportions, their intervals.

Conventions (DESIGN.md "Statistics conventions"):

- A relative likelihood (risk ratio) comes with a 95% confidence interval by the log method
  (Katz et al. 1978): ``exp(ln(RR) ± z·sqrt(1/a − 1/n₁ + 1/c − 1/n₂))``. When the interval
  contains 1 the result is "no evidence of difference", never a finding.
- The four-fifths (adverse impact) flag: a ratio outside 0.80–1.25 is outside NHS England's
  non-adverse band. It is reported beside the interval, never instead of it.
- A percentage comes with a Wilson score interval (Wilson 1927), which behaves at 0% and 100%.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054  # two-sided 95% normal quantile
FOUR_FIFTHS = (0.8, 1.25)


@dataclass(frozen=True)
class Interval:
    """A point estimate with a 95% confidence interval (bounds None when undefined)."""

    value: float | None
    lower: float | None
    upper: float | None

    @property
    def contains_one(self) -> bool:
        """True when the interval includes 1 (or is undefined): no evidence of difference."""
        if self.lower is None or self.upper is None:
            return True
        return self.lower <= 1.0 <= self.upper


def rate(events: int, total: int) -> float | None:
    """events / total, or None when total is 0."""
    return events / total if total > 0 else None


def relative_likelihood(a: int, n1: int, c: int, n2: int, z: float = Z95) -> Interval:
    """Risk ratio (a/n₁) ÷ (c/n₂) with its log-method confidence interval.

    The value is None when either denominator is 0, the second rate is 0 (division by
    zero) or a count exceeds its total; the interval is None when a is 0 (the log method is
    undefined there).
    """
    if n1 <= 0 or n2 <= 0 or c <= 0 or a > n1 or c > n2 or a < 0:
        return Interval(None, None, None)
    value = (a / n1) / (c / n2)
    if a <= 0:
        return Interval(value, None, None)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    log_rr = math.log(value)
    return Interval(value, math.exp(log_rr - z * se), math.exp(log_rr + z * se))


def wilson(events: int, total: int, z: float = Z95) -> Interval:
    """Proportion events/total as a fraction with its Wilson score interval."""
    if total <= 0 or not 0 <= events <= total:
        return Interval(None, None, None)
    p = events / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    # At p = 0 (or 1) the bound is exactly 0 (or 1); rounding could leave it a hair inside.
    lower = 0.0 if events == 0 else max(0.0, centre - half)
    upper = 1.0 if events == total else min(1.0, centre + half)
    return Interval(p, lower, upper)


def wilson_many(
    events: Sequence[int], totals: Sequence[int], z: float = Z95
) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """:func:`wilson` for many proportions at once: (values, lower bounds, upper bounds).

    The same arithmetic in the same order, element-wise in float64 (so each figure equals
    :func:`wilson`'s exactly); None where :func:`wilson` gives None.
    """
    arrays = wilson_arrays(np.asarray(events), np.asarray(totals), z)

    def column(values: np.ndarray) -> list[float | None]:
        return [None if math.isnan(v) else v for v in values.tolist()]

    return column(arrays[0]), column(arrays[1]), column(arrays[2])


def wilson_arrays(
    events: np.ndarray, totals: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`wilson` for arrays of counts: (values, lower bounds, upper bounds) as float64
    arrays, NaN where :func:`wilson` gives None (the same arithmetic in the same order)."""
    e = np.asarray(events, dtype=np.float64)
    n = np.asarray(totals, dtype=np.float64)
    valid = (n > 0) & (e >= 0) & (e <= n)
    e = np.where(valid, e, 0.0)  # placeholders: those rows are NaN below
    n = np.where(valid, n, 1.0)
    p = e / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lower = np.where(e == 0, 0.0, np.maximum(0.0, centre - half))
    upper = np.where(e == n, 1.0, np.minimum(1.0, centre + half))
    return (
        np.where(valid, p, np.nan),
        np.where(valid, lower, np.nan),
        np.where(valid, upper, np.nan),
    )


def relative_likelihood_arrays(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`relative_likelihood` for arrays of counts: (values, lower bounds, upper
    bounds) as float64 arrays, NaN where it gives None (the same arithmetic in the same
    order)."""
    a, n1, c, n2 = (np.asarray(x, dtype=np.float64) for x in (a, n1, c, n2))
    valid = (n1 > 0) & (n2 > 0) & (c > 0) & (a <= n1) & (c <= n2) & (a >= 0)
    bounded = valid & (a > 0)
    a = np.where(bounded, a, 1.0)  # placeholders: those rows are NaN below
    n1, c, n2 = (np.where(valid, x, 1.0) for x in (n1, c, n2))
    a_value = np.where(valid & ~bounded, 0.0, a)
    value = (a_value / n1) / (c / n2)
    se = np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    log_rr = np.log(np.where(bounded, value, 1.0))
    return (
        np.where(valid, value, np.nan),
        np.where(bounded, np.exp(log_rr - z * se), np.nan),
        np.where(bounded, np.exp(log_rr + z * se), np.nan),
    )


def outside_four_fifths(ratio: float | None) -> bool | None:
    """True when a ratio lies outside the non-adverse band 0.80–1.25 (None if no ratio)."""
    if ratio is None:
        return None
    return ratio < FOUR_FIFTHS[0] or ratio > FOUR_FIFTHS[1]
