"""The staff dataset of one trust: a workforce snapshot with its board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames, geography, pay, people
from ladder.synth.sampling import (
    STREAM_STAFF,
    BoolArray,
    FloatArray,
    IntArray,
    bernoulli,
    choose,
    days_before,
    lookup,
    rng_for,
)
from ladder.synth.trusts import TrustPlan

StrArray = npt.NDArray[np.str_]

_INTERNATIONAL_CODES = ("H", "J", "L", "N", "S", "C")
_OCCUPATION_PREFIX = {
    "Nursing and Midwifery Registered": "N",
    "Additional Clinical Services": "H",
    "Administrative and Clerical": "G",
    "Medical and Dental": "M",
    "Allied Health Professionals": "S",
    "Add Prof Scientific and Technic": "S",
    "Estates and Ancillary": "G",
    "Healthcare Scientists": "S",
    "Students": "N",
}
_AGE_MEAN = {b: m for b, (m, _) in cal.AGE_BY_BAND.items()}
_AGE_SD = {b: sd for b, (_, sd) in cal.AGE_BY_BAND.items()}
_EXEC_GROUPS = ("Medical and Dental", "Nursing and Midwifery Registered")
SEB_OCCUPATION_COLUMNS = {
    "seb_parent_occupation": "parent_occupation",
    "seb_school_type": "school",
    "seb_free_school_meals": "fsm",
    "seb_parent_qualification": "qualification",
}


@dataclass(frozen=True)
class Workforce:
    """A trust's staff rows plus the latent traits other datasets are drawn from."""

    frame: pl.DataFrame
    band: StrArray
    group: StrArray
    ethnicity: IntArray
    disability: IntArray  # ESR record: 1 yes, 0 no, -1 not declared
    ltc: BoolArray  # has a long-term condition (what the staff survey sees)
    non_executive: BoolArray
    seb: IntArray

    @property
    def staff_id(self) -> pl.Series:
        return self.frame.get_column("staff_id")


def _board(rng: np.random.Generator, n: int) -> tuple[StrArray, StrArray, IntArray]:
    """Band, staff group and role (0 staff, 1 voting exec, 2 non-voting exec, 3 non-exec)."""
    n_exec = int(rng.integers(cal.BOARD_EXECUTIVES[0], cal.BOARD_EXECUTIVES[1] + 1))
    n_ned = int(rng.integers(cal.BOARD_NON_EXECUTIVES[0], cal.BOARD_NON_EXECUTIVES[1] + 1))
    n_staff = n - n_exec - n_ned
    groups = np.array(choose(rng, n_staff, cal.STAFF_GROUP_SHARES), dtype=object)
    bands = np.empty(n_staff, dtype=object)
    for g, mix in cal.BAND_MIX.items():
        rows = groups == g
        bands[rows] = choose(rng, int(rows.sum()), mix)
    n_non_voting = int(rng.integers(1, 3))
    exec_groups = [*_EXEC_GROUPS, *["Administrative and Clerical"] * (n_exec - len(_EXEC_GROUPS))]
    role = np.concatenate(
        [
            np.zeros(n_staff, dtype=np.int64),
            np.array([1] * (n_exec - n_non_voting) + [2] * n_non_voting),
            np.full(n_ned, 3),
        ]
    )
    band = np.concatenate([bands, ["VSM"] * n_exec, ["Other"] * n_ned]).astype(str)
    group = np.concatenate([groups, exec_groups, ["Administrative and Clerical"] * n_ned]).astype(
        str
    )
    order = rng.permutation(n)
    return band[order], group[order], role[order]


def generate_staff(plan: TrustPlan, seed: int, snapshot: dt.date) -> Workforce:
    """Draw the workforce of one trust at ``snapshot``."""
    rng = rng_for(seed, plan.index, STREAM_STAFF)
    n = plan.staff
    band, group, role = _board(rng, n)
    board = role > 0
    ned = role == 3
    seb_rate = rng.uniform(*cal.SEB_RESPONSE_RATE)

    female_p = people.female_probability(group, band)
    female_p[board] = cal.BOARD_FEMALE_SHARE
    female = people.is_female(rng, female_p)

    age_mean, age_sd = lookup(_AGE_MEAN, band), lookup(_AGE_SD, band)
    age_mean[ned], age_sd[ned] = 58.0, 7.0
    age = people.ages(rng, age_mean, age_sd)
    dob = people.birth_dates(rng, snapshot, age)

    seb = people.seb_group(rng, lookup(cal.SEB_PROFESSIONAL_BY_BAND, band))
    tilt = (
        lookup(cal.DEPRIVATION_TILT, band)
        + np.array([cal.SEB_TILT[g] for g in people.SEB_GROUPS])[seb]
    )
    la = geography.sample_la(rng, plan.area, n)
    rows = geography.sample_postcodes(rng, la, tilt)
    missing = geography.postcode_missing(rng, n)

    international = (np.isin(band, ["Band 5", "Band 6"]) & (group == _EXEC_GROUPS[1])) | (
        group == "Medical and Dental"
    )
    international &= ~board
    odds = lookup(cal.BME_ODDS, band)
    odds[board] = cal.BOARD_BME_ODDS
    ethnicity = geography.sample_ethnicity(rng, la, odds, international)
    codes_arr = np.array(geography.ETHNIC_CODES)[np.maximum(ethnicity, 0)]
    abroad_p = np.where(
        international & np.isin(codes_arr, _INTERNATIONAL_CODES) & (ethnicity >= 0),
        cal.SCHOOLED_ABROAD["international"],
        cal.SCHOOLED_ABROAD["other"],
    )
    abroad = bernoulli(rng, abroad_p, n)

    ltc = people.long_term_condition(rng, age)
    disability = people.esr_disability(rng, ltc)
    religion = people.religion(rng, ethnicity)
    orientation = people.sexual_orientation(rng, n)
    answered = bernoulli(rng, seb_rate, n)
    seb_ans = people.seb_answers(rng, seb, answered, abroad, age, snapshot)

    mean_years = np.where(band == "Trainee grade", 1.5, cal.MEAN_YEARS_IN_POST)
    years = np.minimum(rng.exponential(mean_years), np.maximum(age - 18.0, 0.0))
    start = days_before(snapshot, np.floor(years * 365.25).astype(np.int64))

    part_time = bernoulli(
        rng, np.where(female, cal.PART_TIME_SHARE["female"], cal.PART_TIME_SHARE["male"]), n
    )
    part_time &= ~((band == "Trainee grade") & (rng.random(n) < 0.8))
    values, weights = cal.PART_TIME_FTE
    fte = np.where(part_time, rng.choice(values, size=n, p=np.array(weights) / sum(weights)), 1.0)
    fte[ned] = np.round(rng.uniform(0.1, 0.2, ned.sum()), 2)
    fte[board & ~ned] = 1.0  # executive directors are full time

    annual = pay.annual_basic(rng, band, years, age, ned)
    hourly = pay.hourly_pay(rng, annual, band, group, fte, plan.london, ned)
    bonus = pay.bonus_pay(rng, band, female)
    maternity = female & (age >= 26) & (age <= 40)
    not_fpr = bernoulli(
        rng, cal.NOT_FULL_PAY_RELEVANT + np.where(maternity, cal.MATERNITY_EXTRA, 0.0), n
    )
    occupation = np.char.add(
        np.char.add([_OCCUPATION_PREFIX[g] for g in group], rng.integers(0, 10, n).astype(str)),
        np.array(list("ABCDE"))[rng.integers(0, 5, n)],
    )

    pcds, lsoa = geography.postcode_columns(rows, missing)
    df = pl.DataFrame(
        [
            frames.ids(f"SYN-{plan.org_code}-", n, 6, "staff_id"),
            pl.Series("org_code", [plan.org_code] * n),
            pl.Series("snapshot_date", [snapshot] * n, dtype=pl.Date),
            frames.labels(ethnicity, geography.ETHNIC_CODES, "ethnic_category"),
            pl.Series("sex", np.where(female, "female", "male")),
            frames.tri_bool(disability, "disability"),
            pl.Series("date_of_birth", dob),
            frames.labels(religion, people.RELIGIONS, "religion"),
            frames.labels(orientation, people.ORIENTATIONS, "sexual_orientation"),
            pl.Series("staff_group", group),
            pl.Series("occupation_code", occupation),
            pl.Series("pay_band", band),
            pl.Series("fte", fte),
            pl.Series("hourly_pay", hourly),
            pl.Series("bonus_pay", bonus, nan_to_null=True),
            pl.Series("full_pay_relevant", ~not_fpr),
            pl.Series("start_date", start),
            pcds,
            lsoa,
            pl.Series("is_board_member", board),
            pl.Series("is_executive", (role == 1) | (role == 2)),
            pl.Series("is_voting_member", (role == 1) | (role == 3)),
            frames.optional_int(seb_ans["parent_occupation"], "seb_parent_occupation"),
            frames.labels(seb_ans["school"], people.SCHOOL_TYPES, "seb_school_type"),
            frames.labels(seb_ans["fsm"], people.FSM, "seb_free_school_meals"),
            frames.labels(seb_ans["qualification"], people.PARENT_QUAL, "seb_parent_qualification"),
        ]
    ).with_columns(frames.age_band(pl.col("date_of_birth"), snapshot).alias("age_band"))
    return Workforce(
        frame=frames.conform(df, "staff"),
        band=band,
        group=group,
        ethnicity=ethnicity,
        disability=disability,
        ltc=ltc,
        non_executive=ned,
        seb=seb,
    )


def wres_group(ethnicity: IntArray) -> IntArray:
    """0 White, 1 BME, -1 unknown (Z or not known)."""
    out = np.full(len(ethnicity), -1, dtype=np.int64)
    known = ethnicity >= 0
    out[known & geography.WHITE[np.maximum(ethnicity, 0)]] = 0
    out[known & geography.BME[np.maximum(ethnicity, 0)]] = 1
    return out


def is_bme(ethnicity: IntArray) -> BoolArray:
    """True for BME categories (D-S)."""
    return np.asarray(wres_group(ethnicity) == 1, dtype=np.bool_)


def float_col(values: FloatArray, name: str) -> pl.Series:
    """A Float64 column with NaN as null."""
    return pl.Series(name, values, nan_to_null=True)
