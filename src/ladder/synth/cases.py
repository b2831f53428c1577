"""The cases dataset of one trust: formal disciplinary and capability cases in the last year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames
from ladder.synth.sampling import (
    STREAM_CASES,
    IntArray,
    lookup,
    ratio_multiplier,
    rng_for,
    trust_ratio,
    uniform_dates,
)
from ladder.synth.trusts import TrustPlan
from ladder.synth.workforce import Workforce, wres_group

_DEMOGRAPHICS = ("ethnic_category", "sex", "disability", "age_band")


def generate_cases(plan: TrustPlan, staff: Workforce, seed: int, snapshot: dt.date) -> pl.DataFrame:
    """Formal cases started in the 12 months to ``snapshot``, with the person's demographics."""
    rng = rng_for(seed, plan.index, STREAM_CASES)
    n = plan.staff
    eligible = ~staff.frame.get_column("is_board_member").to_numpy()
    disabled = staff.disability == 1
    group = wres_group(staff.ethnicity)
    p_disc = cal.DISCIPLINARY_RATE * lookup(cal.DISCIPLINARY_BY_GROUP, staff.group)
    bme, white = group == 1, group == 0
    ratio = trust_ratio(rng, cal.DISCIPLINARY_RATIO_BME_WHITE, cal.TRUST_RATIO_SPREAD)
    p_disc = np.where(bme, p_disc * ratio_multiplier(p_disc, bme, white, ratio), p_disc)
    p_perf = np.full(n, cal.CAPABILITY_PERFORMANCE_RATE)
    ratio = trust_ratio(rng, cal.CAPABILITY_RATIO_DISABLED, cal.TRUST_RATIO_SPREAD)
    p_perf[disabled] *= ratio_multiplier(p_perf, disabled, staff.disability == 0, ratio)
    p_ill = cal.CAPABILITY_ILL_HEALTH_RATE * np.where(disabled, cal.ILL_HEALTH_RATIO_DISABLED, 1.0)
    kinds = (
        ("disciplinary", None, p_disc),
        ("capability", "performance", p_perf),
        ("capability", "ill_health", p_ill),
    )
    person_parts: list[IntArray] = []
    type_parts: list[str] = []
    reason_parts: list[str | None] = []
    for case_type, reason, p in kinds:
        rows = np.flatnonzero(eligible & (rng.random(n) < p))
        person_parts.append(rows)
        type_parts += [case_type] * len(rows)
        reason_parts += [reason] * len(rows)
    person = np.concatenate(person_parts)
    start = uniform_dates(rng, snapshot - dt.timedelta(days=364), snapshot, len(person))
    order = np.lexsort((person, start))
    person = person[order]
    demo = staff.frame.select(_DEMOGRAPHICS)[person]
    df = pl.DataFrame(
        [
            frames.ids(f"SYN-{plan.org_code}-C", len(person), 5, "case_id"),
            staff.staff_id.gather(person),
            pl.Series("org_code", [plan.org_code] * len(person), dtype=pl.String),
            pl.Series("start_date", start[order], dtype=pl.Date),
            pl.Series("case_type", [type_parts[i] for i in order], dtype=pl.String),
            pl.Series("capability_reason", [reason_parts[i] for i in order], dtype=pl.String),
        ]
    ).hstack(demo)
    return frames.conform(df, "cases")
