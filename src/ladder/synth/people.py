"""Personal characteristics shared by staff, applicants and programme participants."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from ladder import codes
from ladder.synth import calibration as cal
from ladder.synth.geography import ETHNIC_CODES
from ladder.synth.sampling import (
    BoolArray,
    DateArray,
    FloatArray,
    IntArray,
    bernoulli,
    choose_index,
    days_before,
    lookup,
)

RELIGIONS: tuple[str, ...] = codes.RELIGIONS
ORIENTATIONS: tuple[str, ...] = codes.SEXUAL_ORIENTATIONS
SEB_GROUPS: tuple[str, ...] = ("professional", "intermediate", "lower")
SCHOOL_TYPES: tuple[str, ...] = codes.SCHOOL_TYPES
FSM: tuple[str, ...] = codes.FREE_SCHOOL_MEALS
PARENT_QUAL: tuple[str, ...] = codes.PARENT_QUALIFICATIONS

_RELIGION_GROUP = {
    **dict.fromkeys("ABCZ", "white"),
    **dict.fromkeys("DEFG", "mixed"),
    "H": "indian",
    "J": "south_asian_muslim",
    "K": "south_asian_muslim",
    "L": "other_asian",
    **dict.fromkeys("MNP", "black"),
    "R": "chinese",
    "S": "other",
}
_GROUP_NAMES = tuple(cal.RELIGION_BY_GROUP)
# Row per ethnicity index (and a last row for 'not known'), column per RELIGIONS entry.
_RELIGION_P = np.array(
    [
        [cal.RELIGION_BY_GROUP[_RELIGION_GROUP[code]].get(r, 0.0) for r in RELIGIONS]
        for code in (*ETHNIC_CODES, "Z")
    ]
)


def female_probability(group: npt.NDArray[np.str_], band: npt.NDArray[np.str_]) -> FloatArray:
    """Chance of being female by staff group, medical grade and seniority."""
    p = lookup(cal.FEMALE_SHARE, group)
    for b, factor in cal.FEMALE_SENIOR_FACTOR.items():
        p[band == b] *= factor
    for grade, share in cal.FEMALE_SHARE_BY_GRADE.items():
        p[band == grade] = share
    return p


def is_female(rng: np.random.Generator, female_p: FloatArray) -> BoolArray:
    """Sex (True = female) with per-row probability."""
    return np.asarray(rng.random(len(female_p)) < female_p, dtype=np.bool_)


def ages(rng: np.random.Generator, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """Ages in years from normal draws clipped to working ages."""
    lo, hi = cal.AGE_LIMITS
    return np.asarray(np.clip(rng.normal(mean, sd), lo, hi), dtype=np.float64)


def birth_dates(rng: np.random.Generator, at: dt.date, age: FloatArray) -> DateArray:
    """Dates of birth giving roughly ``age`` years at ``at`` (day of year is random)."""
    days = np.floor(age * 365.25).astype(np.int64) + rng.integers(0, 365, size=len(age))
    return days_before(at, days)


def long_term_condition(rng: np.random.Generator, age: FloatArray) -> BoolArray:
    """Whether a person has a long-term condition (what the staff survey measures)."""
    p = cal.LONG_TERM_CONDITION + cal.LTC_AGE_SLOPE * (age - 42.0)
    return bernoulli(rng, p, len(age))


def esr_disability(rng: np.random.Generator, ltc: BoolArray) -> IntArray:
    """ESR disability record: 1 yes, 0 no, -1 not declared (under-declaration)."""
    yes_if, null_if = cal.ESR_DECLARE_IF_LTC
    u = rng.random(len(ltc))
    out = np.zeros(len(ltc), dtype=np.int64)
    out[ltc & (u < yes_if)] = 1
    out[ltc & (u >= yes_if) & (u < yes_if + null_if)] = -1
    out[~ltc & (u < cal.ESR_NOT_DECLARED_IF_NONE)] = -1
    return out


def religion(rng: np.random.Generator, ethnicity: IntArray) -> IntArray:
    """Religion index into RELIGIONS (-1 = unspecified), depending on ethnicity."""
    probs = _RELIGION_P[np.where(ethnicity < 0, len(ETHNIC_CODES), ethnicity)]
    cum = np.cumsum(probs, axis=1)
    u = rng.random((len(ethnicity), 1)) * cum[:, -1:]
    out: IntArray = np.minimum((u >= cum).sum(axis=1), len(RELIGIONS) - 1).astype(np.int64)
    withheld, unspecified = cal.RELIGION_WITHHELD
    v = rng.random(len(ethnicity))
    out[v < withheld] = RELIGIONS.index("prefer_not_to_say")
    out[v > 1.0 - unspecified] = -1
    return out


def sexual_orientation(rng: np.random.Generator, n: int) -> IntArray:
    """Sexual orientation index into ORIENTATIONS (-1 = unspecified)."""
    weights = [cal.SEXUAL_ORIENTATION[o] for o in ORIENTATIONS]
    out = choose_index(rng, n, weights)
    out[rng.random(n) < cal.SEXUAL_ORIENTATION_NULL] = -1
    return out


def seb_group(rng: np.random.Generator, professional: FloatArray) -> IntArray:
    """Latent background: 0 professional, 1 intermediate, 2 lower."""
    u = rng.random(len(professional))
    inter = np.minimum(cal.SEB_INTERMEDIATE, 1.0 - professional)
    return np.where(u < professional, 0, np.where(u < professional + inter, 1, 2)).astype(np.int64)


def seb_answers(
    rng: np.random.Generator,
    group: IntArray,
    answered: BoolArray,
    abroad: BoolArray,
    age: FloatArray,
    at: dt.date,
) -> dict[str, IntArray]:
    """SMC answers for each person (-1 where the person did not answer the questions).

    Returns index arrays: parent_occupation (option 1-9), school (SCHOOL_TYPES),
    fsm (FSM) and qualification (PARENT_QUAL).
    """
    n = len(group)
    occupation = np.zeros(n, dtype=np.int64)
    for g, name in enumerate(SEB_GROUPS):
        options = cal.SEB_OPTION_WITHIN_GROUP[name]
        rows = group == g
        picks = choose_index(rng, int(rows.sum()), list(options.values()))
        occupation[rows] = np.array(list(options))[picks]
    other, declined = cal.SEB_OTHER_OR_DECLINED
    u = rng.random(n)
    occupation[u < other] = 8
    occupation[(u >= other) & (u < other + declined)] = 9

    school = np.where(abroad, SCHOOL_TYPES.index("outside_uk"), SCHOOL_TYPES.index("state"))
    indep = np.array([cal.SCHOOL_INDEPENDENT[g] for g in SEB_GROUPS])[group]
    school[~abroad & (rng.random(n) < indep)] = SCHOOL_TYPES.index("independent")
    v = rng.random(n)
    school[v < 0.02] = SCHOOL_TYPES.index("dont_know")
    school[(v >= 0.02) & (v < 0.04)] = SCHOOL_TYPES.index("prefer_not_to_say")

    fsm_p = np.array([cal.FREE_SCHOOL_MEALS[g] for g in SEB_GROUPS])[group]
    fsm = np.where(rng.random(n) < fsm_p, FSM.index("yes"), FSM.index("no"))
    left_school_before_1980 = at.year - age + 16 < 1980
    fsm[abroad | left_school_before_1980] = FSM.index("not_applicable")
    w = rng.random(n)
    fsm[w < 0.05] = FSM.index("dont_know")
    fsm[(w >= 0.05) & (w < 0.07)] = FSM.index("prefer_not_to_say")

    degree = np.array([cal.PARENT_DEGREE[g] for g in SEB_GROUPS])[group]
    none = np.array([cal.PARENT_NO_FORMAL[g] for g in SEB_GROUPS])[group]
    x = rng.random(n)
    qual = np.where(
        x < degree,
        PARENT_QUAL.index("degree"),
        np.where(
            x < degree + none, PARENT_QUAL.index("no_formal"), PARENT_QUAL.index("below_degree")
        ),
    )
    y = rng.random(n)
    qual[y < 0.06] = PARENT_QUAL.index("dont_know")
    qual[(y >= 0.06) & (y < 0.08)] = PARENT_QUAL.index("prefer_not_to_say")

    out = {"parent_occupation": occupation, "school": school, "fsm": fsm, "qualification": qual}
    for arr in out.values():
        arr[~answered] = -1
    return out
