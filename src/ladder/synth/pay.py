"""Hourly and bonus pay from the 2024/25 pay scales (see calibration for the figures)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ladder.synth import calibration as cal
from ladder.synth.sampling import BoolArray, FloatArray

_WARD_GROUPS = ("Nursing and Midwifery Registered", "Additional Clinical Services")
_YEARS_TO_NEXT_POINT: dict[str, tuple[float, ...]] = {
    # Agenda for Change pay progression (2019 structure): years at each point before the next.
    "Band 3": (2.0,), "Band 4": (2.0,), "Band 5": (2.0, 2.0), "Band 6": (2.0, 3.0),
    "Band 7": (2.0, 3.0), "Band 8a": (5.0,), "Band 8b": (5.0,), "Band 8c": (5.0,),
    "Band 8d": (5.0,), "Band 9": (5.0,),
}  # fmt: skip


def annual_basic(
    rng: np.random.Generator,
    band: npt.NDArray[np.str_],
    years: FloatArray,
    age: FloatArray,
    non_executive: BoolArray,
) -> FloatArray:
    """Annual full-time basic pay of each person."""
    n = len(band)
    out = np.zeros(n, dtype=np.float64)
    for b, points in cal.AFC_PAY_POINTS.items():
        rows = band == b
        if not rows.any():
            continue
        steps = np.cumsum(_YEARS_TO_NEXT_POINT.get(b, ()))
        point = np.searchsorted(steps, years[rows], side="right")
        out[rows] = np.asarray(points, dtype=np.float64)[np.minimum(point, len(points) - 1)]
    for grade, (lo, hi) in cal.MEDICAL_PAY_RANGE.items():
        rows = band == grade
        if grade == "Consultant":
            pos = np.clip(years[rows] / 14.0 + rng.normal(0, 0.05, rows.sum()), 0, 1)
        elif grade == "Trainee grade":
            pos = np.clip((age[rows] - 24.0) / 9.0 + rng.normal(0, 0.08, rows.sum()), 0, 1)
        else:
            pos = rng.random(rows.sum())
        out[rows] = lo + pos * (hi - lo)
    for grade, (lo, hi) in (("VSM", cal.VSM_PAY_RANGE), ("Other", cal.OTHER_PAY_RANGE)):
        rows = band == grade
        out[rows] = rng.uniform(lo, hi, rows.sum())
    lo, hi = cal.NON_EXECUTIVE_FEE
    out[non_executive] = rng.uniform(lo, hi, non_executive.sum())
    return out


def hourly_pay(
    rng: np.random.Generator,
    annual: FloatArray,
    band: npt.NDArray[np.str_],
    group: npt.NDArray[np.str_],
    fte: FloatArray,
    london: bool,
    non_executive: BoolArray,
) -> FloatArray:
    """Ordinary hourly pay: basic ÷ (weekly hours × 52.143), plus London HCAS and
    unsocial-hours enhancements for ward staff and resident doctors."""
    medical = np.isin(band, list(cal.MEDICAL_PAY_RANGE))
    hours = np.where(medical, cal.MEDICAL_HOURS_PER_WEEK, cal.AFC_HOURS_PER_WEEK)
    # Non-executives are paid a fee for their (small) contracted time.
    hours = np.where(non_executive, cal.AFC_HOURS_PER_WEEK * fte, hours)
    hourly = annual / (hours * cal.WEEKS_PER_YEAR)
    afc = np.isin(band, list(cal.AFC_PAY_POINTS))
    if london:
        hourly = np.where(afc, hourly * (1.0 + cal.LONDON_HCAS), hourly)
    share, lo, hi = cal.UNSOCIAL_HOURS
    ward = np.isin(group, _WARD_GROUPS) | (band == "Trainee grade")
    gets = ward & (rng.random(len(band)) < share)
    hourly = np.where(gets, hourly * (1.0 + rng.uniform(lo, hi, len(band))), hourly)
    return np.round(hourly, 2)


def bonus_pay(
    rng: np.random.Generator, band: npt.NDArray[np.str_], female: BoolArray
) -> FloatArray:
    """Bonus pay in the 12 months to the snapshot (NaN = none): mostly consultants'
    clinical excellence awards, more often held by men."""
    n = len(band)
    p = np.full(n, cal.BONUS_RATE_OTHER)
    consultant = band == "Consultant"
    p[consultant & female] = cal.BONUS_RATE_CONSULTANT["female"]
    p[consultant & ~female] = cal.BONUS_RATE_CONSULTANT["male"]
    gets = rng.random(n) < p
    amount = np.round(rng.lognormal(np.log(cal.BONUS_MEDIAN), cal.BONUS_SIGMA, n), 2)
    small = ~consultant
    amount[small] = np.round(amount[small] / 6.0, 2)
    return np.where(gets, amount, np.nan)
