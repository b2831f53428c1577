"""The applications dataset of one trust: vacancies, applicants, shortlisting, appointment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames, geography, people
from ladder.synth.sampling import (
    STREAM_APPLICATIONS,
    BoolArray,
    FloatArray,
    IntArray,
    bernoulli,
    lookup,
    rng_for,
    trust_ratio,
)
from ladder.synth.trusts import TrustPlan
from ladder.synth.workforce import Workforce, is_bme, wres_group

_HIGH = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM", "Consultant")
_AGE_MEAN = {b: m for b, (m, _) in cal.AGE_BY_BAND.items()}
_AGE_SD = {b: sd for b, (_, sd) in cal.AGE_BY_BAND.items()}
_MID = ("Band 6", "Band 7", "Non-consultant career grade")
_TUNING_STEPS = 6
_RELAXATION = 1.5  # over-relaxed steps: the ratio responds less than 1:1 to the factor


def _pick(vacancy: IntArray, key: FloatArray, posts: IntArray) -> BoolArray:
    """Within each vacancy, the ``posts[vacancy]`` rows with the smallest finite ``key``.

    With key = Exp(1) / weight this is sequential weighted sampling without replacement
    (an exponential race): each pick is proportional to weight among those left.
    """
    order = np.lexsort((key, vacancy))
    sorted_vac = vacancy[order]
    first = np.searchsorted(sorted_vac, sorted_vac, side="left")
    rank = np.arange(len(order)) - first
    chosen = np.zeros(len(vacancy), dtype=np.bool_)
    chosen[order] = (rank < posts[sorted_vac]) & np.isfinite(key[order])
    return chosen


def _rate_ratio(chosen: BoolArray, reference: BoolArray, other: BoolArray) -> float | None:
    """Appointment rate of ``reference`` over that of ``other`` (None if undefined)."""
    if not reference.any() or not other.any() or not chosen[other].any():
        return None
    return float(chosen[reference].mean() / chosen[other].mean())


def _appoint(
    race: FloatArray,
    vacancy: IntArray,
    base: FloatArray,
    posts: IntArray,
    targets: tuple[tuple[float, BoolArray, BoolArray], ...],
) -> BoolArray:
    """Appoint ``posts`` shortlisted applicants per vacancy (``race`` = Exp(1) draws of the
    shortlisted rows), with weight factors on each penalised group tuned so that the realised
    relative likelihood of appointment (reference rate ÷ penalised rate) meets each target.

    Tuning uses the same random draws throughout (common random numbers), so the factors
    converge in a few fixed-point steps: factor ← factor × (realised / target)^1.5.
    """
    factors = [1.0 / target for target, _, _ in targets]
    for _ in range(_TUNING_STEPS):
        weight = base.copy()
        for factor, (_, penalised, _) in zip(factors, targets, strict=True):
            weight[penalised] *= factor
        chosen = _pick(vacancy, race / weight, posts)
        for i, (target, penalised, reference) in enumerate(targets):
            realised = _rate_ratio(chosen, reference, penalised)
            if realised is not None and realised > 0:
                step = (realised / target) ** _RELAXATION
                factors[i] = float(np.clip(factors[i] * step, 0.01, 10.0))
    weight = base.copy()
    for factor, (_, penalised, _) in zip(factors, targets, strict=True):
        weight[penalised] *= factor
    return _pick(vacancy, race / weight, posts)


def generate_applications(
    plan: TrustPlan, staff: Workforce, seed: int, snapshot: dt.date
) -> pl.DataFrame:
    """Applications in the 12 months to ``snapshot`` (about 6.7 per member of staff)."""
    rng = rng_for(seed, plan.index, STREAM_APPLICATIONS)
    regular = ~staff.frame.get_column("is_board_member").to_numpy()
    bands = staff.band[regular]
    groups = staff.group[regular]
    per_vacancy = lookup(cal.APPLICATIONS_PER_VACANCY, bands)
    n_vac = max(1, round(cal.APPLICATIONS_PER_STAFF * plan.staff / per_vacancy.mean()))
    pick = rng.integers(0, len(bands), n_vac)
    v_band, v_group = bands[pick], groups[pick]
    mean = lookup(cal.APPLICATIONS_PER_VACANCY, v_band)
    n_apps = 1 + rng.negative_binomial(2.0, 2.0 / (2.0 + np.maximum(mean - 1.0, 0.1)))
    one, two = cal.POSTS_PER_VACANCY
    u = rng.random(n_vac)
    posts = np.where(u < one, 1, np.where(u < one + two, 2, 3))
    advert = (
        np.datetime64(snapshot, "D")
        - np.timedelta64(364, "D")
        + rng.integers(0, 340, n_vac).astype("timedelta64[D]")
    )

    vacancy = np.repeat(np.arange(n_vac), n_apps)
    n = len(vacancy)
    band, group = v_band[vacancy], v_group[vacancy]
    applied = advert[vacancy] + rng.integers(0, 21, n).astype("timedelta64[D]")
    applied = np.minimum(applied, np.datetime64(snapshot, "D"))

    female_p = people.female_probability(group, band)
    female = people.is_female(rng, female_p)
    age = people.ages(rng, lookup(_AGE_MEAN, band) - 3.0, lookup(_AGE_SD, band))
    dob = people.birth_dates(rng, snapshot, age)

    seb = people.seb_group(rng, lookup(cal.SEB_PROFESSIONAL_BY_BAND, band) - 0.03)
    tilt = (
        lookup(cal.DEPRIVATION_TILT, band)
        + np.array([cal.SEB_TILT[g] for g in people.SEB_GROUPS])[seb]
        + cal.APPLICANT_TILT
    )
    la = geography.sample_la(rng, plan.area, n)
    rows = geography.sample_postcodes(rng, la, tilt)
    missing = geography.postcode_missing(rng, n)
    international = np.isin(band, ["Band 5", "Band 6"]) | (group == "Medical and Dental")
    ethnicity = geography.sample_ethnicity(
        rng, la, lookup(cal.BME_ODDS, band) * cal.APPLICANT_BME_ODDS, international
    )
    yes, not_declared = cal.APPLICANT_DISABLED
    d = rng.random(n)
    disability = np.where(d < yes, 1, np.where(d < yes + not_declared, -1, 0))
    abroad = bernoulli(rng, np.where(international & is_bme(ethnicity), 0.5, 0.05), n)
    answered = bernoulli(rng, cal.SEB_APPLICANT_RESPONSE_RATE, n)
    seb_ans = people.seb_answers(rng, seb, answered, abroad, age, snapshot)

    level = np.where(np.isin(band, _HIGH), "high", np.where(np.isin(band, _MID), "mid", "low"))
    internal = bernoulli(rng, lookup(cal.INTERNAL_SHARE, level), n)

    bme = is_bme(ethnicity)
    disabled = disability == 1
    # Each vacancy's panel shortlists a number of its applicants (at least one), choosing
    # them with weights: the shortlist size does not depend on who applied.
    n_short = np.maximum(1, rng.binomial(n_apps, cal.SHORTLIST_RATE))
    s_weight = np.where(bme, cal.SHORTLIST_BME, 1.0) * np.where(
        disabled, cal.SHORTLIST_DISABLED, 1.0
    )
    s_weight = s_weight * np.where(internal, 1.5, 1.0)
    shortlisted = _pick(vacancy, rng.exponential(size=n) / s_weight, n_short)

    # Appointment weights are tuned per trust so that the realised relative likelihoods of
    # appointment from shortlisting (WRES 2, WDES 2) meet the trust's own targets.
    rows_s = np.flatnonzero(shortlisted)
    wres = wres_group(ethnicity)[rows_s]
    wres2 = trust_ratio(
        rng, cal.APPOINT_RATIO_WHITE_BME * cal.APPOINT_POOLING_UPLIFT, cal.TRUST_RATIO_SPREAD
    )
    wdes2 = trust_ratio(rng, cal.APPOINT_RATIO_NONDISABLED_DISABLED, cal.TRUST_RATIO_SPREAD)
    chosen = _appoint(
        rng.exponential(size=len(rows_s)),
        vacancy[rows_s],
        np.where(internal[rows_s], cal.APPOINT_INTERNAL, 1.0),
        posts,
        (
            (wres2, wres == 1, wres == 0),
            (wdes2, disability[rows_s] == 1, disability[rows_s] == 0),
        ),
    )
    appointed = np.zeros(n, dtype=np.bool_)
    appointed[rows_s[chosen]] = True

    pcds, lsoa = geography.postcode_columns(rows, missing)
    prefix = f"SYN-{plan.org_code}-"
    vac_ids = frames.ids(f"{prefix}V", n_vac, 6, "vacancy_id")
    df = pl.DataFrame(
        [
            frames.ids(f"{prefix}A", n, 7, "application_id"),
            vac_ids.gather(vacancy),
            pl.Series("org_code", [plan.org_code] * n, dtype=pl.String),
            pl.Series("applied_date", applied, dtype=pl.Date),
            frames.labels(ethnicity, geography.ETHNIC_CODES, "ethnic_category"),
            pl.Series("sex", np.where(female, "female", "male"), dtype=pl.String),
            frames.tri_bool(disability, "disability"),
            pl.Series("date_of_birth", dob, dtype=pl.Date),
            pcds,
            lsoa,
            frames.optional_int(seb_ans["parent_occupation"], "seb_parent_occupation"),
            frames.labels(seb_ans["school"], people.SCHOOL_TYPES, "seb_school_type"),
            frames.labels(seb_ans["fsm"], people.FSM, "seb_free_school_meals"),
            frames.labels(seb_ans["qualification"], people.PARENT_QUAL, "seb_parent_qualification"),
            pl.Series("shortlisted", shortlisted, dtype=pl.Boolean),
            pl.Series("appointed", appointed, dtype=pl.Boolean),
            pl.Series("pay_band", band, dtype=pl.String),
            pl.Series("staff_group", group, dtype=pl.String),
            pl.Series("internal", internal, dtype=pl.Boolean),
        ]
    ).with_columns(frames.age_band(pl.col("date_of_birth"), snapshot).alias("age_band"))
    return frames.conform(df, "applications")
