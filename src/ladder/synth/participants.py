"""Participants of one trust's community employment programmes, with funnel stage dates.

Three programme shapes (docs/programmes.md; their stages files ship with Ladder):

- *Community Works for Health*, a pre-employment academy (every trust): four intakes a year;
  about half complete the pre-employment training and four in ten are recruited into band
  2-3 jobs (Leeds' Lincoln Green pilot: 127 engaged, 60 completed, 49 recruited), most of them
  still in work at 13 and 26 weeks and 12 months;
- *Project Search*, a supported internship for young people with learning disabilities
  (half the trusts): one September intake a year of about a dozen interns, six in ten into
  paid work;
- *Healthcare Horizons*, a schools programme (a third of the trusts): pupils aged 14-18, work
  placements and a few apprenticeships, very few straight into jobs.

Dates after the snapshot are not known yet (null). Recruits who started work before the
snapshot carry the ``staff_id`` of a staff record of the trust that started in a band 2-4
job near their start date (their start date is taken from it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ladder.synth import calibration as cal
from ladder.synth import frames, geography, people
from ladder.synth.sampling import STREAM_PARTICIPANTS, bernoulli, rng_for
from ladder.synth.trusts import TrustPlan

STAGES: tuple[str, ...] = (
    "engaged_date", "enrolled_date", "trained_date", "interviewed_date", "offered_date",
    "employed_date", "in_work_13w_date", "in_work_26w_date", "in_work_12m_date",
)  # fmt: skip
COMMUNITY_WORKS = "Community Works for Health"
PROJECT_SEARCH = "Project Search"
HORIZONS = "Healthcare Horizons"
ACADEMY = COMMUNITY_WORKS


@dataclass(frozen=True)
class Shape:
    """How one kind of programme runs: intakes (months back from the snapshot), people per
    intake, the conversion to each next stage (None: the stage is not part of it), the days
    between stages (uniform ranges) and its outcomes (share of the stage they follow)."""

    name: str
    intakes: tuple[int, ...]
    per_intake: int
    conversion: tuple[float | None, ...]
    gaps: tuple[tuple[int, int], ...]
    age: tuple[float, float, float, float]  # mean, sd, min, max
    qualification: float
    placement: float
    apprenticeship: float


SHAPES: dict[str, Shape] = {
    COMMUNITY_WORKS: Shape(
        COMMUNITY_WORKS,
        intakes=(22, 19, 16, 13, 10, 7, 4),
        per_intake=18,
        # enrolled, completed, interviewed, offered, started, 13 w, 26 w, 12 m
        conversion=(0.72, 0.66, 0.97, 0.88, 0.95, 0.92, 0.9, 0.86),
        gaps=((3, 21), (28, 56), (0, 21), (0, 14), (21, 63), (91, 91), (91, 91), (183, 183)),
        age=(31.0, 10.0, 18.0, 64.0),
        qualification=0.82,
        placement=0.35,
        apprenticeship=0.04,
    ),
    PROJECT_SEARCH: Shape(
        PROJECT_SEARCH,
        intakes=(30, 18, 6),
        per_intake=12,
        conversion=(0.9, 0.85, 0.82, 0.8, 0.92, 0.92, 0.9, 0.88),
        gaps=((14, 60), (280, 300), (0, 30), (0, 21), (21, 60), (91, 91), (91, 91), (183, 183)),
        age=(19.5, 1.5, 18.0, 24.0),
        qualification=0.7,
        placement=0.95,
        apprenticeship=0.05,
    ),
    HORIZONS: Shape(
        HORIZONS,
        intakes=(20, 14, 8, 2),
        per_intake=16,
        conversion=(None, 0.72, 0.14, 0.8, 0.9, None, None, None),
        gaps=((0, 0), (90, 150), (60, 240), (0, 21), (21, 60), (0, 0), (0, 0), (0, 0)),
        age=(16.0, 1.0, 14.0, 18.0),
        qualification=0.15,
        placement=0.45,
        apprenticeship=0.08,
    ),
}


def _programmes(rng: np.random.Generator, org_code: str) -> list[str]:
    """Every trust runs a pre-employment academy; half run Project Search; a third a schools
    programme."""
    out = [COMMUNITY_WORKS]
    if rng.random() < 0.5 or org_code == "RR8":
        out.append(PROJECT_SEARCH)
    if rng.random() < 0.35 or org_code == "RR8":
        out.append(HORIZONS)
    return out


def _month_start(at: dt.date, months_back: int) -> dt.date:
    index = at.year * 12 + at.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _one(
    rng: np.random.Generator, shape: Shape, plan: TrustPlan, snapshot: dt.date, scale: float
) -> pl.DataFrame:
    starts = [_month_start(snapshot, m) for m in shape.intakes]
    sizes = rng.poisson(max(4.0, shape.per_intake * scale), len(starts))
    n = int(sizes.sum())
    cohort_idx = np.repeat(np.arange(len(starts)), sizes)
    engaged = np.array(starts, dtype="datetime64[D]")[cohort_idx] + rng.integers(0, 21, n).astype(
        "timedelta64[D]"
    )
    limit = np.datetime64(snapshot, "D")
    columns: dict[str, np.ndarray] = {"engaged_date": engaged}
    reached = np.ones(n, dtype=np.bool_)
    last = engaged
    for name, conversion, (lo, hi) in zip(STAGES[1:], shape.conversion, shape.gaps, strict=True):
        if conversion is None:
            columns[name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
            continue
        reached = reached & bernoulli(rng, conversion, n)
        when = last + rng.integers(lo, hi + 1, n).astype("timedelta64[D]")
        columns[name] = np.where(reached & (when <= limit), when, np.datetime64("NaT"))
        reached = reached & (when <= limit)
        last = when
    completed = ~np.isnat(columns["trained_date"])
    offered = ~np.isnat(columns["offered_date"])
    enrolled = ~np.isnat(columns["enrolled_date"]) | (shape.conversion[0] is None)

    def outcome(mask: np.ndarray, p: float, after: np.ndarray, days: int) -> np.ndarray:
        hit = mask & bernoulli(rng, p, n)
        when = after + rng.integers(0, days + 1, n).astype("timedelta64[D]")
        return np.where(hit & (when <= limit), when, np.datetime64("NaT"))

    trained_or_engaged = np.where(completed, columns["trained_date"], engaged)
    columns["qualification_date"] = outcome(completed, shape.qualification, trained_or_engaged, 14)
    columns["conditional_offer_date"] = np.where(
        offered, columns["offered_date"], np.datetime64("NaT")
    )
    columns["placement_date"] = outcome(enrolled, shape.placement, engaged, 60)
    columns["apprenticeship_date"] = outcome(
        completed, shape.apprenticeship, trained_or_engaged, 120
    )

    mean, sd, lo_age, hi_age = shape.age
    age = np.clip(rng.normal(mean, sd, n), lo_age, hi_age)
    dob = people.birth_dates(rng, snapshot, age)
    female = people.is_female(rng, np.full(n, 0.55))
    la = geography.sample_la(rng, plan.area, n)
    rows = geography.sample_postcodes(rng, la, np.full(n, cal.PARTICIPANT_TILT))
    ethnicity = geography.sample_ethnicity(rng, la, np.full(n, 1.2))
    d = rng.random(n)
    disability = np.where(d < 0.15, 1, np.where(d < 0.35, -1, 0))
    if shape.name == PROJECT_SEARCH:
        disability[:] = 1  # supported internships for young people with learning disabilities
    pcds, lsoa = geography.postcode_columns(rows, np.zeros(n, dtype=np.bool_))
    labels = np.array([s.strftime("%Y-%m") for s in starts])[cohort_idx]
    return pl.DataFrame(
        [
            pl.Series("programme", [shape.name] * n, dtype=pl.String),
            pl.Series("cohort", labels, dtype=pl.String),
            pl.Series("org_code", [plan.org_code] * n, dtype=pl.String),
            pcds,
            lsoa,
            frames.labels(ethnicity, geography.ETHNIC_CODES, "ethnic_category"),
            pl.Series("sex", np.where(female, "female", "male"), dtype=pl.String),
            frames.tri_bool(disability, "disability"),
            pl.Series("date_of_birth", dob, dtype=pl.Date),
            *(pl.Series(name, values, dtype=pl.Date) for name, values in columns.items()),
        ]
    )


def _link_staff(df: pl.DataFrame, staff: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Give each recruit the staff_id of a band 2-4 starter of the trust who started on or
    after their start date (that record's start date becomes theirs); unmatched recruits keep
    no staff_id."""
    pool = (
        staff.filter(pl.col("pay_band").is_in(["Band 2", "Band 3", "Band 4"]))
        .filter(pl.col("start_date").is_not_null())
        .select("staff_id", "start_date")
        .sort("start_date")
    )
    ids = pool["staff_id"].to_list()
    dates = pool["start_date"].to_list()
    taken: set[int] = set()
    staff_id: list[str | None] = []
    employed = df["employed_date"].to_list()
    for when in employed:
        pick = None
        if when is not None and dates:
            i = int(np.searchsorted(np.array(dates, dtype="datetime64[D]"), np.datetime64(when)))
            for j in range(i, min(i + 40, len(ids))):
                if j not in taken and (dates[j] - when).days <= 45:
                    pick = j
                    break
        if pick is not None and rng.random() < 0.9:
            taken.add(pick)
            staff_id.append(ids[pick])
        else:
            staff_id.append(None)
    return df.with_columns(pl.Series("staff_id", staff_id, dtype=pl.String))


def generate_participants(
    plan: TrustPlan, seed: int, snapshot: dt.date, staff: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Participants engaged over the two years to ``snapshot``; later stages may be null
    (dropped out, or not reached by the snapshot date). With ``staff`` (the trust's staff
    records), recruits are linked to them by ``staff_id``."""
    rng = rng_for(seed, plan.index, STREAM_PARTICIPANTS)
    scale = min(3.0, max(0.5, plan.staff * cal.PARTICIPANTS_PER_STAFF / 8.0))
    parts = [
        _one(rng, SHAPES[name], plan, snapshot, scale) for name in _programmes(rng, plan.org_code)
    ]
    df = pl.concat(parts)
    n = df.height
    df = df.with_columns(
        frames.ids(f"SYN-{plan.org_code}-P", n, 5, "participant_id"),
        frames.age_band(pl.col("date_of_birth"), snapshot).alias("age_band"),
        pl.col("in_work_26w_date").alias("retained_date"),
    )
    if staff is not None:
        df = _link_staff(df, staff, rng)
    return frames.conform(df, "participants")
