"""Pay gap indicators worked by hand, on every engine (sex, ethnicity, disability, SEB)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from ladder.codes import SEB_GROUP
from ladder.engines import EngineName
from ladder.metrics.indicators import paygap
from ladder.metrics.inputs import load_frames
from ladder.metrics.registry import REGISTRY
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.runner import run
from ladder.metrics.settings import Settings
from tests.metrics.conftest import compute_results, pick

SNAPSHOT = dt.date(2024, 3, 31)
QUARTILES = ("lower", "lower_middle", "upper_middle", "upper")


def staff(rows: list[dict[str, Any]], *, org: str = "R1H") -> pl.DataFrame:
    """Staff rows for one trust at the 31 March 2024 snapshot (period 2024)."""
    columns = (
        "sex",
        "hourly_pay",
        "bonus_pay",
        "full_pay_relevant",
        "ethnic_category",
        "disability",
        "seb_parent_occupation",
        "snapshot_date",
    )
    return pl.DataFrame(
        {
            "staff_id": [f"S{i:03d}" for i in range(len(rows))],
            "org_code": [org] * len(rows),
            "pay_band": ["Band 5"] * len(rows),
            **{
                c: [r.get(c, SNAPSHOT if c == "snapshot_date" else None) for r in rows]
                for c in columns
            },
        },
        schema_overrides={
            "hourly_pay": pl.Float64,
            "bonus_pay": pl.Float64,
            "full_pay_relevant": pl.Boolean,
            "disability": pl.Boolean,
            "seb_parent_occupation": pl.Int64,
            "sex": pl.String,
            "ethnic_category": pl.String,
        },
    )


def person(
    sex: str | None, hourly: float, bonus: float | None = None, **more: Any
) -> dict[str, Any]:
    return {"sex": sex, "hourly_pay": hourly, "bonus_pay": bonus, **more}


def shares(results: list[Result], id: str, group: str) -> list[float | None]:
    return [pick(results, id, group, quartile=q).value for q in QUARTILES]


# --------------------------------------------------------------------------------------
# Sex: the statutory gender pay gap

SEX_ROWS = [
    person("female", 10.0, full_pay_relevant=True),
    person("female", 12.0, 100.0),  # full_pay_relevant blank = yes
    person("female", 15.0, full_pay_relevant=True),
    person("female", 20.0, 300.0, full_pay_relevant=True),
    # on reduced pay for leave: out of hourly pay and quartiles, in for bonus
    person("female", 30.0, 1100.0, full_pay_relevant=False),
    person("male", 12.0, 200.0, full_pay_relevant=True),
    person("male", 15.0),
    person("male", 25.0, 0.0),  # a bonus of 0 is no bonus
    person("male", 28.0, 600.0),
    person("other", 18.0, 50.0),  # neither female nor male: in no sex figure
    person(None, 40.0),
]


def test_gender_pay_gap_by_hand(engine: EngineName) -> None:
    results = compute_results({"staff": staff(SEX_ROWS)}, ["paygap.sex"], engine=engine)
    # Hourly pay, full-pay relevant only. Women: 10, 12, 15, 20 (the £30 on leave is out):
    # mean 57/4 = 14.25, median (12 + 15)/2 = 13.5. Men: 12, 15, 25, 28: mean 80/4 = 20,
    # median (15 + 25)/2 = 20.
    mean_gap = pick(results, "paygap.sex.mean_hourly", "female")
    assert mean_gap.value == pytest.approx(28.75)  # (20 − 14.25) ÷ 20 × 100
    assert (mean_gap.measure, mean_gap.unit, mean_gap.breakdown) == (Measure.GAP, Unit.PERCENT, {})
    assert (mean_gap.numerator, mean_gap.denominator) == (4, 4)  # women, men in the calculation
    assert mean_gap.note is not None and "reference group: male" in mean_gap.note
    assert "2024-03-31" in mean_gap.note
    assert "reg. 8" in mean_gap.method and "Gender Pay Gap Information" in mean_gap.method
    assert (mean_gap.org, mean_gap.period) == ("R1H", 2024)
    median_gap = pick(results, "paygap.sex.median_hourly", "female")
    assert median_gap.value == pytest.approx(32.5)  # (20 − 13.5) ÷ 20 × 100
    assert "reg. 9" in median_gap.method
    # Bonus, recipients only (bonus above 0, whether on full pay or not). Women: 100, 300,
    # 1100: mean 500, median 300. Men: 200, 600: mean 400, median (200 + 600)/2 = 400.
    mean_bonus = pick(results, "paygap.sex.mean_bonus", "female")
    assert mean_bonus.value == pytest.approx(-25.0)  # (400 − 500) ÷ 400: women paid more
    assert (mean_bonus.numerator, mean_bonus.denominator) == (3, 2)
    assert pick(results, "paygap.sex.median_bonus", "female").value == pytest.approx(25.0)
    # Proportion receiving a bonus, over every relevant employee of that sex:
    # women 3 of 5 = 60%, men 2 of 4 = 50% (the £0 bonus is none).
    women = pick(results, "paygap.sex.bonus_proportion", "female")
    assert women.value == pytest.approx(60.0)
    assert (women.numerator, women.denominator) == (3, 5)
    assert women.measure is Measure.RATE and "reg. 12" in women.method
    men = pick(results, "paygap.sex.bonus_proportion", "male")
    assert men.value == pytest.approx(50.0)
    assert (men.numerator, men.denominator) == (2, 4)
    assert men.ci_lower is not None and men.ci_lower < 50.0 < (men.ci_upper or 0)
    # Each group's pay in pounds.
    expected_pay = {
        ("paygap.sex.hourly_pay.mean", "female"): (14.25, 4),
        ("paygap.sex.hourly_pay.mean", "male"): (20.0, 4),
        ("paygap.sex.hourly_pay.median", "female"): (13.5, 4),
        ("paygap.sex.hourly_pay.median", "male"): (20.0, 4),
        ("paygap.sex.bonus_pay.mean", "female"): (500.0, 3),
        ("paygap.sex.bonus_pay.mean", "male"): (400.0, 2),
        ("paygap.sex.bonus_pay.median", "female"): (300.0, 3),
        ("paygap.sex.bonus_pay.median", "male"): (400.0, 2),
    }
    for (id, group), (value, n) in expected_pay.items():
        r = pick(results, id, group)
        assert r.value == pytest.approx(value)
        assert (r.denominator, r.unit) == (n, Unit.GBP)
        assert r.measure is (Measure.MEAN if id.endswith("mean") else Measure.MEDIAN)
    # Quartiles: the 8 full-pay relevant women and men ranked: 10F | 12F 12M | 15F 15M | 20F
    # | 25M | 28M, 2 per section. £12 straddles lower/lower middle and £15 lower middle/
    # upper middle, one place each side: each rate's 1 woman + 1 man cannot be halved, so
    # by the documented rule the woman takes the lower place. Lower: 10F, 12F; lower
    # middle: 12M, 15F; upper middle: 15M, 20F; upper: 25M, 28M.
    assert shares(results, "paygap.sex.quartiles", "female") == [100.0, 50.0, 50.0, 0.0]
    assert shares(results, "paygap.sex.quartiles", "male") == [0.0, 50.0, 50.0, 100.0]
    upper = pick(results, "paygap.sex.quartiles", "male", quartile="upper")
    assert (upper.numerator, upper.denominator, upper.measure) == (2, 2, Measure.SHARE)
    assert "reg. 13" in upper.method
    # Every group here is far below 50 people: computed, and flagged.
    assert all("small_group" in r.flags for r in results if r.measure is not Measure.SHARE)
    assert {r.group for r in results} == {"female", "male"}  # "other" and blank in none
    declared = set(REGISTRY["paygap.sex"].result_ids)
    assert {r.id for r in results} == declared


def test_tied_rate_straddling_a_boundary(engine: EngineName) -> None:
    # 8 employees, quartile size 2. Four share £15 (2 women, 2 men), ranks 3-6: two
    # places in lower middle and two in upper middle. Each section gets 1 woman and 1 man,
    # the same 50:50 mix as everyone on £15; every quartile is 50% women.
    rows = [
        person("female", 10.0),
        person("male", 11.0),
        *[person("female", 15.0)] * 2,
        *[person("male", 15.0)] * 2,
        person("female", 20.0),
        person("male", 21.0),
    ]
    results = compute_results({"staff": staff(rows)}, ["paygap.sex"], engine=engine)
    assert shares(results, "paygap.sex.quartiles", "female") == [50.0] * 4
    # Median of women 10, 15, 15, 20 = 15; of men 11, 15, 15, 21 = 15: no median gap.
    assert pick(results, "paygap.sex.median_hourly", "female").value == 0.0
    # Means: women 60/4 = 15, men 62/4 = 15.5 → (15.5 − 15) ÷ 15.5 × 100 = 3.2258…%
    assert pick(results, "paygap.sex.mean_hourly", "female").value == pytest.approx(
        0.5 / 15.5 * 100
    )
    # Nobody had a bonus: no bonus gap, a 0% proportion for each sex.
    assert not [r for r in results if r.id in {"paygap.sex.mean_bonus", "paygap.sex.median_bonus"}]
    assert pick(results, "paygap.sex.bonus_proportion", "female").value == 0.0


# --------------------------------------------------------------------------------------
# Ethnicity: BME vs White (headline), each broad group vs White, Other White vs White British


def test_ethnicity_pay_gap_by_hand(engine: EngineName) -> None:
    rows = [
        person("female", 20.0, 1000.0, ethnic_category="A"),  # White British
        person("male", 22.0, ethnic_category="A"),  # White British
        person("female", 18.0, ethnic_category="B"),  # Other White
        person("female", 15.0, 500.0, ethnic_category="H"),  # Asian
        person("male", 17.0, ethnic_category="K"),  # Asian
        person("male", 14.0, 700.0, ethnic_category="N"),  # Black
        person("female", 30.0, ethnic_category="D"),  # Mixed
        person("female", 16.0, ethnic_category="R"),  # Other
        person("male", 50.0, ethnic_category="Z"),  # not stated: unknown
        person("male", 12.0, ethnic_category=None),  # not known
    ]
    results = compute_results({"staff": staff(rows)}, ["paygap.ethnicity"], engine=engine)
    # White (A-C): 20, 22, 18: mean 20, median 20. BME (D-S): 15, 17, 14, 30, 16: mean
    # 92/5 = 18.4, median 16.
    bme = pick(results, "paygap.ethnicity.mean_hourly", "BME")
    assert bme.value == pytest.approx(8.0)  # (20 − 18.4) ÷ 20 × 100
    assert (bme.numerator, bme.denominator) == (5, 3)
    assert bme.note is not None and "reference group: White" in bme.note
    assert "Ethnicity pay reporting" in bme.method and "reg. 8" in bme.method
    assert pick(results, "paygap.ethnicity.median_hourly", "BME").value == pytest.approx(20.0)
    # Broad groups vs White: Asian 15, 17 → mean 16: 20%; Black 14: 30%; Mixed 30: −50%
    # (paid more than White); Other 16: 20%.
    for group, gap in (("Asian", 20.0), ("Black", 30.0), ("Mixed", -50.0), ("Other", 20.0)):
        assert pick(results, "paygap.ethnicity.mean_hourly", group).value == pytest.approx(gap)
    # Other White (18) vs White British (20, 22 → 21): (21 − 18) ÷ 21 × 100 = 14.2857…%
    other_white = pick(results, "paygap.ethnicity.mean_hourly", "Other White")
    assert other_white.value == pytest.approx(300 / 21)
    assert other_white.note is not None and "reference group: White British" in other_white.note
    # Bonus recipients: White 1000; BME 500 (Asian), 700 (Black): mean 600, median 600.
    assert pick(results, "paygap.ethnicity.mean_bonus", "BME").value == pytest.approx(40.0)
    assert pick(results, "paygap.ethnicity.median_bonus", "BME").value == pytest.approx(40.0)
    assert pick(results, "paygap.ethnicity.mean_bonus", "Asian").value == pytest.approx(50.0)
    assert pick(results, "paygap.ethnicity.mean_bonus", "Black").value == pytest.approx(30.0)
    bonus_ids = {"paygap.ethnicity.mean_bonus", "paygap.ethnicity.median_bonus"}
    no_recipients = {r.group for r in results if r.id in bonus_ids} & {"Mixed", "Other"}
    assert not no_recipients  # no gap without recipients in both groups
    proportions = {
        "White": 100 / 3,
        "BME": 40.0,
        "Asian": 50.0,
        "Black": 100.0,
        "Mixed": 0.0,
        "Other": 0.0,
        "White British": 50.0,
        "Other White": 0.0,
    }
    for group, value in proportions.items():
        got = pick(results, "paygap.ethnicity.bonus_proportion", group).value
        assert got == pytest.approx(value)
    # Quartiles of the 8 with a known ethnicity (unknown left out), 2 per section:
    # 14 Black, 15 Asian | 16 Other, 17 Asian | 18 Other White, 20 WB | 22 WB, 30 Mixed.
    assert shares(results, "paygap.ethnicity.quartiles", "White") == [0.0, 0.0, 100.0, 50.0]
    assert shares(results, "paygap.ethnicity.quartiles", "BME") == [100.0, 100.0, 0.0, 50.0]
    assert shares(results, "paygap.ethnicity.quartiles", "Asian") == [50.0, 50.0, 0.0, 0.0]
    assert shares(results, "paygap.ethnicity.quartiles", "Mixed") == [0.0, 0.0, 0.0, 50.0]
    # 2 of the 10 relevant employees have no known ethnicity (Z and blank): 20%.
    unknown = pick(results, "paygap.ethnicity.unknown_share", "Unknown")
    assert unknown.value == pytest.approx(20.0)
    assert (unknown.numerator, unknown.denominator) == (2, 10)
    assert unknown.measure is Measure.SHARE
    assert "Unknown" not in {r.group for r in results if r.id != unknown.id}


# --------------------------------------------------------------------------------------
# Disability and socio-economic background


def test_disability_and_seb_pay_gaps_by_hand(engine: EngineName) -> None:
    rows = [
        person("female", 10.0, disability=True, seb_parent_occupation=4),  # lower
        person("female", 12.0, 100.0, disability=True, seb_parent_occupation=5),  # lower
        person("male", 20.0, disability=False, seb_parent_occupation=1),  # professional
        person("male", 24.0, 300.0, disability=False, seb_parent_occupation=2),  # professional
        person("female", 16.0, disability=False, seb_parent_occupation=3),  # intermediate
        person("male", 18.0, disability=False, seb_parent_occupation=7),  # intermediate
        person(
            "female", 30.0, 200.0, full_pay_relevant=False, disability=None, seb_parent_occupation=8
        ),
        person("male", 14.0, disability=None, seb_parent_occupation=9),  # prefer not to say
        person("female", 11.0, disability=False, seb_parent_occupation=None),
        person("male", 22.0, disability=True, seb_parent_occupation=6),  # lower
    ]
    results = compute_results(
        {"staff": staff(rows)}, ["paygap.disability", "paygap.seb"], engine=engine
    )
    # Disability. Disabled (full pay): 10, 12, 22 → mean 44/3, median 12. Non-disabled:
    # 20, 24, 16, 18, 11 → mean 17.8, median 18. The £30 row is on leave and undeclared.
    gap = pick(results, "paygap.disability.mean_hourly", "Disabled")
    assert gap.value == pytest.approx((17.8 - 44 / 3) / 17.8 * 100)  # 17.603 %
    assert (gap.numerator, gap.denominator) == (3, 5)
    assert gap.note is not None and "reference group: Non-disabled" in gap.note
    assert pick(results, "paygap.disability.median_hourly", "Disabled").value == pytest.approx(
        100 / 3
    )  # (18 − 12) ÷ 18
    # Bonus: disabled 100, non-disabled 300: (300 − 100) ÷ 300 = 66.7%; proportions 1/3, 1/5.
    assert pick(results, "paygap.disability.mean_bonus", "Disabled").value == pytest.approx(200 / 3)
    assert pick(results, "paygap.disability.bonus_proportion", "Disabled").value == pytest.approx(
        100 / 3
    )
    assert pick(
        results, "paygap.disability.bonus_proportion", "Non-disabled"
    ).value == pytest.approx(20.0)
    # Quartiles (8 declared, full pay): 10D 11N | 12D 16N | 18N 20N | 22D 24N.
    assert shares(results, "paygap.disability.quartiles", "Disabled") == [50.0, 50.0, 0.0, 50.0]
    unknown = pick(results, "paygap.disability.unknown_share", "Unknown")
    assert (unknown.numerator, unknown.denominator) == (2, 10)

    # SEB. Professional (1, 2): 20, 24 → 22. Intermediate (3, 7): 16, 18 → 17. Lower
    # (4, 5, 6): 10, 12, 22 → mean 44/3, median 12. 8, 9 and blank are non-response.
    lower = pick(results, "paygap.seb.mean_hourly", "lower")
    assert lower.value == pytest.approx((22 - 44 / 3) / 22 * 100)  # 33.3 %
    assert lower.note is not None and "reference group: professional" in lower.note
    assert "Social Mobility Commission" in lower.method
    assert pick(results, "paygap.seb.median_hourly", "lower").value == pytest.approx(
        (22 - 12) / 22 * 100
    )
    intermediate = pick(results, "paygap.seb.mean_hourly", "intermediate")
    assert intermediate.value == pytest.approx(5 / 22 * 100)
    assert pick(results, "paygap.seb.mean_bonus", "lower").value == pytest.approx(200 / 3)
    assert not [r for r in results if r.id == "paygap.seb.mean_bonus" and r.group != "lower"]
    # Quartiles of the 7 with a known background: sizes 2/2/2/1 (3 extra: lower, lower
    # middle, upper middle). 10L 12L | 16I 18I | 20P 22L | 24P.
    assert shares(results, "paygap.seb.quartiles", "lower") == [100.0, 0.0, 50.0, 0.0]
    assert shares(results, "paygap.seb.quartiles", "professional") == [0.0, 0.0, 50.0, 100.0]
    assert pick(results, "paygap.seb.quartiles", "professional", quartile="upper").denominator == 1
    response = pick(results, "paygap.seb.unknown_share", "non-response")
    assert response.value == pytest.approx(30.0)
    assert response.numerator == 3


# --------------------------------------------------------------------------------------
# Suppression, small groups, snapshots, organisations (Polars only: engine-independent)


def test_small_groups_flagged_and_small_counts_suppressed() -> None:
    # 60 women (£10 … £15.90) and 5 men (£20): the gap publishes the men's count of 5,
    # so it is withheld at the default threshold of 10; the women's own figures are
    # published, and not flagged (60 ≥ 50); the men's are withheld (and, withheld, carry no
    # flag but "suppressed": issue 12).
    rows = [person("female", 10.0 + i / 10) for i in range(60)]
    rows += [person("male", 20.0)] * 5
    results = compute_results({"staff": staff(rows)}, ["paygap.sex"], suppress=True)
    gap = pick(results, "paygap.sex.mean_hourly", "female")
    assert gap.suppressed and gap.value is None
    assert gap.flags == ("suppressed",)  # a withheld figure says nothing of its group's size
    women = pick(results, "paygap.sex.hourly_pay.mean", "female")
    assert not women.suppressed and women.value == pytest.approx(12.95)
    assert "small_group" not in women.flags
    assert pick(results, "paygap.sex.hourly_pay.mean", "male").suppressed
    # Upper quartile (16 people): 11 women, 5 men (the top paid); the 5 is withheld and so
    # (by secondary suppression) is the other cell of that quartile.
    upper_men = pick(results, "paygap.sex.quartiles", "male", quartile="upper")
    upper_women = pick(results, "paygap.sex.quartiles", "female", quartile="upper")
    assert upper_men.suppressed and upper_women.suppressed


def test_threshold_one_keeps_every_figure() -> None:
    rows = [person("female", 10.0), person("male", 20.0)] * 3
    results = compute_results(
        {"staff": staff(rows)}, ["paygap.sex"], settings=Settings(threshold=1)
    )
    assert not [r for r in results if r.suppressed]


def test_latest_snapshot_of_a_period_and_each_organisation() -> None:
    # R1H has a September snapshot and the 31 March one in period 2024: only March counts.
    # RR8 is computed on its own.
    rows_sep = [
        person("female", 100.0, snapshot_date=dt.date(2023, 9, 30)),
        person("male", 1.0, snapshot_date=dt.date(2023, 9, 30)),
    ]
    march = [person("female", 10.0), person("male", 20.0), person("male", 30.0)]
    frame = pl.concat(
        [staff(rows_sep + march), staff([person("female", 5.0), person("male", 5.0)], org="RR8")]
    )
    results = compute_results({"staff": frame}, ["paygap.sex"])
    r1h = pick([r for r in results if r.org == "R1H"], "paygap.sex.mean_hourly", "female")
    assert r1h.value == pytest.approx(60.0)  # (25 − 10) ÷ 25 × 100
    assert (r1h.numerator, r1h.denominator) == (1, 2)
    assert r1h.note is not None and "snapshot 2024-03-31" in r1h.note
    rr8 = pick([r for r in results if r.org == "RR8"], "paygap.sex.mean_hourly", "female")
    assert rr8.value == 0.0
    assert {r.period for r in results} == {2024}


def test_characteristic_not_recorded_is_skipped() -> None:
    # No ethnicity, disability, SEB or home area recorded for anyone (blank columns): those
    # families report nothing, not "100% unknown", and the run says why.
    rows = [person("female", 10.0), person("male", 12.0)]
    loaded = load_frames({"staff": staff(rows)}, settings=Settings(threshold=1))
    try:
        outcome = run(loaded.context, ids=["paygap"])
    finally:
        loaded.close()
    assert {r.id.split(".")[1] for r in outcome.results} == {"sex"}
    skipped = {s.id: s.reason for s in outcome.skipped}
    assert set(skipped) == {
        "paygap.ethnicity", "paygap.disability", "paygap.seb", "paygap.deprivation"
    }  # fmt: skip
    assert skipped["paygap.seb"] == "no rows to compute it from"


def test_registry_declares_every_result_id() -> None:
    for name in ("sex", "ethnicity", "disability", "seb"):
        ind = REGISTRY[f"paygap.{name}"]
        assert ind.family == "paygap" and ind.needs == ("staff",)
        assert f"paygap.{name}.mean_hourly" in ind.result_ids
        assert f"paygap.{name}.quartiles" in ind.result_ids
        assert ("paygap.sex.unknown_share" in ind.result_ids) is False
        assert ind.method


# --------------------------------------------------------------------------------------
# The GOV.UK return: the published fields, as published

# Barts Health NHS Trust (R1H), 2017-18, from the GOV.UK gender pay gap service download
# (Open Government Licence v3.0; /work/shared/data/gender_pay_gap): the service's column
# names and the published figures, one decimal place.
PUBLISHED_BARTS_2017 = {
    "DiffMeanHourlyPercent": 20.2,
    "DiffMedianHourlyPercent": 13.3,
    "DiffMeanBonusPercent": 32.1,
    "DiffMedianBonusPercent": 33.3,
    "MaleBonusPercent": 3.9,
    "FemaleBonusPercent": 0.7,
    "MaleLowerQuartile": 26.2,
    "FemaleLowerQuartile": 73.8,
    "MaleLowerMiddleQuartile": 20.8,
    "FemaleLowerMiddleQuartile": 79.2,
    "MaleUpperMiddleQuartile": 19.8,
    "FemaleUpperMiddleQuartile": 80.2,
    "MaleTopQuartile": 41.8,
    "FemaleTopQuartile": 58.2,
}


def test_gov_uk_return_reproduces_published_counts_based_figures() -> None:
    # No employee-level data is published, so only a sanity check is honest: a workforce
    # of 2,000 full-pay relevant employees (500 per quartile, one pay rate per quartile
    # so no rate straddles a cut) built to Barts' published quartile mix and bonus take-up
    # gives back exactly those published figures, to one decimal place, under the
    # service's own field names. Men per quartile: 26.2%, 20.8%, 19.8%, 41.8% of 500.
    men_by_quartile = [131, 104, 99, 209]  # 543 men
    rates = [11.0, 13.0, 17.0, 30.0]
    rows: list[dict[str, Any]] = []
    for men, rate in zip(men_by_quartile, rates, strict=True):
        rows += [person("male", rate)] * men + [person("female", rate)] * (500 - men)
    # Bonus take-up: 21 of 543 men = 3.87% → 3.9; 10 of 1,457 women = 0.69% → 0.7.
    bonus_men, bonus_women = 21, 10
    for i, row in enumerate(rows):
        if row["sex"] == "male" and bonus_men:
            rows[i] = {**row, "bonus_pay": 1000.0}
            bonus_men -= 1
        elif row["sex"] == "female" and bonus_women:
            rows[i] = {**row, "bonus_pay": 1000.0}
            bonus_women -= 1
    results = compute_results({"staff": staff(rows)}, ["paygap.sex"], suppress=True)
    ours = paygap.gov_uk_return(results, "R1H", 2024)
    assert tuple(ours) == paygap.GOV_UK_FIELDS == tuple(PUBLISHED_BARTS_2017)
    counts_based = [k for k in PUBLISHED_BARTS_2017 if "Quartile" in k or "BonusPercent" in k]
    counts_based = [k for k in counts_based if not k.startswith("Diff")]
    assert {k: ours[k] for k in counts_based} == {k: PUBLISHED_BARTS_2017[k] for k in counts_based}
    for value in ours.values():  # every figure as published: one decimal place
        assert value is not None and round(value, 1) == value
    assert ours["DiffMeanBonusPercent"] == 0.0  # everyone's bonus was £1,000 here


def test_a_label_without_a_declared_column_is_evaluated_in_the_engine() -> None:
    # A characteristic that does not declare the one column its label reads gets the same
    # figures (the label then computed on every row, in the engine).
    from dataclasses import replace

    from ladder.metrics.inputs import load_frames as load

    frame = staff(
        [
            *(person("female", 10.0 + i, ethnic_category="A") for i in range(6)),
            *(person("male", 12.0 + i, bonus=5.0, ethnic_category="H") for i in range(5)),
            person(None, 11.0, ethnic_category=None),
        ]
    )
    for char in (paygap.SEX, paygap.ETHNICITY):
        loaded = load({"staff": frame}, settings=Settings(threshold=1))
        try:
            declared = paygap.compute(loaded.context, char)
            engine = paygap.compute(loaded.context, replace(char, reads=None))
        finally:
            loaded.close()
        assert isinstance(declared, pl.DataFrame) and isinstance(engine, pl.DataFrame)
        assert declared.height > 10
        assert declared.equals(engine)


def test_a_rate_that_is_not_a_number_spoils_only_its_groups_mean() -> None:
    # A NaN hourly rate (not null) is a rate: ranked, counted, and its group's mean is no
    # figure; the other group's figures are untouched by it.
    rows = [
        person("female", 10.0),
        person("female", float("nan")),
        person("female", 12.0),
        person("male", 11.0),
        person("male", 13.0),
        person("male", 14.0),
    ]
    results = compute_results({"staff": staff(rows)}, ["paygap.sex"])
    assert pick(results, "paygap.sex.hourly_pay.mean", "female").value is None
    assert pick(results, "paygap.sex.hourly_pay.mean", "male").value == pytest.approx(38 / 3)
    assert pick(results, "paygap.sex.hourly_pay.median", "female").value == 12.0
    assert pick(results, "paygap.sex.hourly_pay.median", "male").value == 13.0


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (["b", None, "a", "b", "c"], pl.String),
        ([True, None, False, True, True], pl.Boolean),
        ([7, None, -3, 7, 2], pl.Int64),
        ([0.5, None, 2.5, 0.5, 1.0], pl.Float64),  # joined
        (["a", "b", "a", "c", "b"], pl.String),  # no null
    ],
)
def test_coded_gives_each_value_its_distinct_values_code(values: list[Any], dtype: Any) -> None:
    series = pl.Series("v", values, dtype=dtype)
    distinct = series.unique()
    codes = [10 + i for i in range(distinct.len())]
    expected = [codes[distinct.to_list().index(v)] for v in values]
    assert paygap._coded(series, distinct, codes).tolist() == expected


def test_slots_sorted_instead_of_counted_give_the_same_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many organisations with many rates are laid out by a sort, not a count: same figures.
    rows = [
        person("female" if i % 3 else "male", 10.0 + i % 7, bonus=float(i % 4)) for i in range(40)
    ]
    frame = pl.concat([staff(rows, org="R1H"), staff(rows[5:], org="RAA")])
    counted = compute_results({"staff": frame}, ["paygap.sex"])
    monkeypatch.setattr(paygap, "_DENSE", 0)
    assert compute_results({"staff": frame}, ["paygap.sex"]) == counted


def test_labels_agree_with_the_shared_group_expressions() -> None:
    # The pay gap labels are replace_strict forms of the shared group expressions.
    import narwhals as nw

    from ladder.metrics.expressions import seb_group
    from ladder.place.enrich import deprivation_group

    def labels(values: list[Any], dtype: Any, *exprs: nw.Expr, name: str = "v") -> list[list[Any]]:
        frame = nw.from_native(pl.DataFrame({name: values}, schema={name: dtype}))
        out = frame.select(*(e.alias(f"l{i}") for i, e in enumerate(exprs))).to_native()
        return [out.get_column(c).to_list() for c in out.columns]

    options = [*range(-1, 12), None]
    (seb,) = labels(options, pl.Int64, seb_group("v"))
    assert seb == [SEB_GROUP.get(o) or "non-response" for o in options]  # type: ignore[call-overload]
    ours, shared = labels(options, pl.Int64, paygap.deprivation_label("v"), deprivation_group("v"))
    assert ours == shared
    codes = [*"ABCDEFGHJKLMNPRSZ", "X", "", "a", None]
    (ethnic,) = labels(codes, pl.String, paygap.broad_ethnic_group("v"))
    assert ethnic == [paygap.BROAD_ETHNIC_GROUP.get(c or "", "Unknown") for c in codes]
    sexes = ["female", "male", "other", "Female", "", None]
    (sex,) = labels(sexes, pl.String, paygap.sex_label(), name="sex")
    assert sex == ["female", "male", *["other or not known"] * 4]


def test_native_polars_selection_equals_the_narwhals_one() -> None:
    # A Polars staff frame's pay columns are selected natively; the Narwhals selection (any
    # engine, or a label read as an expression) gives the same frame.
    import narwhals as nw

    rows = [
        person("female", 10.0, 5.0, full_pay_relevant=None, seb_parent_occupation=3),
        person("male", 12.5, -1.0, full_pay_relevant=False, disability=True),
        person(None, 9.0, None, ethnic_category="A"),
    ]
    frame = nw.from_native(staff(rows).with_columns(pl.lit(2024).alias("period")).lazy())
    columns = ["sex", "disability", "seb_parent_occupation", "ethnic_category"]
    native = paygap._selected(frame, columns)
    translated = paygap._selected(frame, [nw.col(c) for c in columns])
    assert native.equals(translated) and native.schema == translated.schema


def test_lookup_labels_in_python_equal_their_expressions() -> None:
    # label_codes labels a Lookup's distinct values in Python: the labels its expression gives
    # (the disability lookup's are also the shared disability_group's).
    import narwhals as nw

    from ladder.metrics.expressions import disability_group

    samples: dict[str, tuple[Any, list[Any]]] = {
        "sex": (pl.String, ["female", "male", "other", "Female", "", None]),
        "ethnic_category": (pl.String, [*"ABCDEFGHJKLMNPRSZ", "X", "", "a", None]),
        "disability": (pl.Boolean, [True, False, None]),
        "seb_parent_occupation": (pl.Int64, [*range(-1, 12), None]),
        "imd_quintile": (pl.Int64, [*range(-1, 7), None]),
    }
    for char in paygap.CHARACTERISTICS:
        lookup = char.label
        assert isinstance(lookup, paygap.Lookup) and lookup.column == char.reads
        dtype, values = samples[lookup.column]
        frame = nw.from_native(pl.DataFrame({lookup.column: values}, schema={lookup.column: dtype}))
        shown = frame.select(lookup().alias("label")).get_column("label").to_list()
        assert lookup.of(values) == shown
    flags = nw.from_native(pl.DataFrame({"disability": [True, False, None]}))
    shared = flags.select(disability_group().alias("g")).get_column("g").to_list()
    assert isinstance(paygap.DISABILITY.label, paygap.Lookup)
    assert paygap.DISABILITY.label.of([True, False, None]) == shared
