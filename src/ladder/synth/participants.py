"""Participants of one trust's community employment programmes, with funnel stage dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames, geography, people
from ladder.synth.sampling import STREAM_PARTICIPANTS, bernoulli, rng_for
from ladder.synth.trusts import TrustPlan

STAGES: tuple[str, ...] = (
    "engaged_date", "trained_date", "interviewed_date", "offered_date", "employed_date",
    "retained_date",
)  # fmt: skip
PROJECT_SEARCH = "Project Search"
COMMUNITY_WORKS = "Community Works for Health"
ACADEMY = "Pre-employment academy"
_COHORT_MONTHS_BACK = (19, 15, 7, 3)  # cohort intakes over the two years to the snapshot


def _programmes(rng: np.random.Generator, org_code: str) -> list[str]:
    """Every trust runs a pre-employment academy; some run Project Search; Leeds Teaching
    Hospitals (RR8), home of Community Works for Health, and a few others run that."""
    out = [ACADEMY]
    if rng.random() < 0.5:
        out.append(PROJECT_SEARCH)
    if org_code == "RR8" or rng.random() < 0.15:
        out.append(COMMUNITY_WORKS)
    return out


def _month_start(at: dt.date, months_back: int) -> dt.date:
    index = at.year * 12 + at.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def generate_participants(plan: TrustPlan, seed: int, snapshot: dt.date) -> pl.DataFrame:
    """Participants engaged over the two years to ``snapshot``; later stages may be null
    (dropped out, or not reached by the snapshot date)."""
    rng = rng_for(seed, plan.index, STREAM_PARTICIPANTS)
    programmes = _programmes(rng, plan.org_code)
    n = max(len(programmes) * 4, round(cal.PARTICIPANTS_PER_STAFF * plan.staff))
    prog_idx = rng.integers(0, len(programmes), n)
    programme = np.array(programmes)[prog_idx]
    cohort_idx = rng.integers(0, len(_COHORT_MONTHS_BACK), n)
    cohort_start = [_month_start(snapshot, m) for m in _COHORT_MONTHS_BACK]
    cohort_label = np.array([d.strftime("%Y-%m") for d in cohort_start])[cohort_idx]
    search = programme == PROJECT_SEARCH

    engaged = np.array(cohort_start, dtype="datetime64[D]")[cohort_idx] + rng.integers(
        0, 28, n
    ).astype("timedelta64[D]")
    dates = [engaged]
    reached = np.ones(n, dtype=np.bool_)
    reached_all = [reached]
    for conversion, (lo, hi) in zip(cal.FUNNEL_CONVERSION, cal.FUNNEL_GAP_DAYS, strict=True):
        reached = reached & bernoulli(rng, conversion, n)
        dates.append(dates[-1] + rng.integers(lo, hi + 1, n).astype("timedelta64[D]"))
        reached_all.append(reached)
    limit = np.datetime64(snapshot, "D")
    in_time = np.ones(n, dtype=np.bool_)
    columns = []
    for name, when, ok in zip(STAGES, dates, reached_all, strict=True):
        in_time = in_time & (when <= limit)
        columns.append(pl.Series(name, when, dtype=pl.Date).set(pl.Series(~(ok & in_time)), None))

    age_mean = np.where(search, 19.5, 30.0)
    age_sd = np.where(search, 1.5, 10.0)
    age = np.clip(rng.normal(age_mean, age_sd), 17.0, 64.0)
    dob = people.birth_dates(rng, snapshot, age)
    female = people.is_female(rng, np.full(n, 0.55))
    la = geography.sample_la(rng, plan.area, n)
    rows = geography.sample_postcodes(rng, la, np.full(n, cal.PARTICIPANT_TILT))
    ethnicity = geography.sample_ethnicity(rng, la, np.full(n, 1.2))
    d = rng.random(n)
    disability = np.where(d < 0.15, 1, np.where(d < 0.35, -1, 0))
    disability[search] = 1  # supported internships for young people with learning disabilities
    pcds, lsoa = geography.postcode_columns(rows, np.zeros(n, dtype=np.bool_))

    order = np.lexsort((cohort_idx, prog_idx))
    df = pl.DataFrame(
        [
            pl.Series("programme", programme, dtype=pl.String),
            pl.Series("cohort", cohort_label, dtype=pl.String),
            pl.Series("org_code", [plan.org_code] * n, dtype=pl.String),
            pcds,
            lsoa,
            frames.labels(ethnicity, geography.ETHNIC_CODES, "ethnic_category"),
            pl.Series("sex", np.where(female, "female", "male"), dtype=pl.String),
            frames.tri_bool(disability, "disability"),
            pl.Series("date_of_birth", dob, dtype=pl.Date),
            *columns,
        ]
    )[order].with_columns(
        frames.ids(f"SYN-{plan.org_code}-P", n, 5, "participant_id"),
        frames.age_band(pl.col("date_of_birth"), snapshot).alias("age_band"),
    )
    return frames.conform(df, "participants")
