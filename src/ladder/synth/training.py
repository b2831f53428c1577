"""The training dataset of one trust: mandatory and non-mandatory events in the last year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth.sampling import (
    STREAM_TRAINING,
    lookup,
    ratio_multiplier,
    rng_for,
    trust_ratio,
    uniform_dates,
)
from ladder.synth.trusts import TrustPlan
from ladder.synth.workforce import Workforce, wres_group

MANDATORY_COURSES: tuple[str, ...] = (
    "Fire Safety",
    "Information Governance and Data Security",
    "Infection Prevention and Control Level 1",
    "Safeguarding Adults – Level 2",
    "Safeguarding Children – Level 2",
    "Moving and Handling Level 1",
    "Equality, Diversity and Human Rights",
    "Health, Safety and Welfare",
    "Conflict Resolution",
    "Basic Life Support",
    "Preventing Radicalisation",
)
"""Core Skills Training Framework subjects (statutory and mandatory training)."""
NON_MANDATORY_COURSES: tuple[str, ...] = (
    "Leadership Foundations",
    "Mary Seacole Programme",
    "Coaching Skills for Managers",
    "Clinical Supervision",
    "Quality Improvement Bronze",
    "Project Management Essentials",
    "Advanced Communication Skills",
    "Preceptorship Programme",
    "Non-Medical Prescribing",
    "Mentorship and Practice Assessor",
    "Conference Attendance",
    "Master's Module (CPD funded)",
)

_BAND_ACCESS = {
    "Band 2": 0.8, "Band 3": 0.85, "Band 4": 0.95, "Band 5": 1.05, "Band 6": 1.1,
    "Band 7": 1.15, "Band 8a": 1.2, "Band 8b": 1.2, "Band 8c": 1.2, "Band 8d": 1.2,
    "Band 9": 1.1, "VSM": 1.0, "Consultant": 1.2, "Non-consultant career grade": 1.1,
    "Trainee grade": 1.25, "Other": 0.5,
}  # fmt: skip


def generate_training(
    plan: TrustPlan, staff: Workforce, seed: int, snapshot: dt.date
) -> pl.DataFrame:
    """Training events in the 12 months to ``snapshot``."""
    rng = rng_for(seed, plan.index, STREAM_TRAINING)
    n = plan.staff
    n_mand = rng.poisson(cal.MANDATORY_EVENTS_PER_STAFF, n)
    n_mand[staff.non_executive] = rng.poisson(1.0, int(staff.non_executive.sum()))
    band_factor = lookup(_BAND_ACCESS, staff.band)
    p_access = cal.NON_MANDATORY_ACCESS * band_factor
    group = wres_group(staff.ethnicity)
    bme, white = group == 1, group == 0
    ratio = trust_ratio(rng, cal.TRAINING_RATIO_WHITE_BME, cal.TRUST_RATIO_SPREAD)
    p_access[bme] *= ratio_multiplier(p_access, bme, white, 1.0 / ratio)
    accessed = rng.random(n) < np.clip(p_access, 0, 1)
    n_non = np.where(accessed, 1 + rng.poisson(cal.NON_MANDATORY_EXTRA_EVENTS, n), 0)

    person = np.concatenate([np.repeat(np.arange(n), n_mand), np.repeat(np.arange(n), n_non)])
    mandatory = np.concatenate(
        [np.ones(int(n_mand.sum()), dtype=np.bool_), np.zeros(int(n_non.sum()), dtype=np.bool_)]
    )
    course = np.where(
        mandatory,
        np.array(MANDATORY_COURSES)[rng.integers(0, len(MANDATORY_COURSES), len(person))],
        np.array(NON_MANDATORY_COURSES)[rng.integers(0, len(NON_MANDATORY_COURSES), len(person))],
    )
    start = uniform_dates(rng, snapshot - dt.timedelta(days=364), snapshot, len(person))
    order = np.lexsort((start, person))
    return pl.DataFrame(
        [
            staff.staff_id.gather(person[order]),
            pl.Series("org_code", [plan.org_code] * len(person), dtype=pl.String),
            pl.Series("start_date", start[order], dtype=pl.Date),
            pl.Series("course", course[order], dtype=pl.String),
            pl.Series("mandatory", mandatory[order], dtype=pl.Boolean),
        ]
    )
