"""Socio-economic background worked by hand: response rates, profiles, the class ceiling,
the recruitment funnel and appointment from shortlisting; suppression; calibration."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.engines import EngineName
from ladder.metrics.inputs import load
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.runner import run
from ladder.metrics.settings import Settings
from tests.metrics.conftest import compute_results, pick
from tests.metrics.test_representation import (
    Functional,
    Table,
    Var,
    assert_no_line_with_one_withheld,
    assert_nothing_recoverable,
    of,
    rows,
    share_functionals,
    staff,
    truth,
    wilson,
)

SEB_FAMILY = ["seb.profile", "seb.profile_by_band", "representation.seb"]

# --- Response rates and the supporting questions --------------------------------------------

# 20 staff. Parental occupation: 1 1 2 3 4 5 6 7 8 9 and 10 blank → 8 answers (options 1-7).
# School type: state ×6, independent ×2, outside UK ×1, don't know ×2, prefer not ×1, blank ×8
#   → 9 answers. Free school meals: yes ×3, no ×4, not applicable ×3, don't know ×1, prefer
#   not ×1, blank ×8 → 10 answers. Parental qualification: degree ×2, below degree ×3, no
#   formal ×1, don't know ×4, prefer not ×2, blank ×8 → 6 answers.
OCCUPATION: list[int | None] = [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, *[None] * 10]
SCHOOL: list[str | None] = [
    *["state"] * 6, *["independent"] * 2, "outside_uk", *["dont_know"] * 2,
    "prefer_not_to_say", *[None] * 8,
]  # fmt: skip
MEALS: list[str | None] = [
    *["yes"] * 3, *["no"] * 4, *["not_applicable"] * 3, "dont_know", "prefer_not_to_say",
    *[None] * 8,
]  # fmt: skip
QUALIFICATION: list[str | None] = [
    *["degree"] * 2, *["below_degree"] * 3, "no_formal", *["dont_know"] * 4,
    *["prefer_not_to_say"] * 2, *[None] * 8,
]  # fmt: skip
ANSWERS = staff(
    [
        {
            "pay_band": "Band 5",
            "seb_parent_occupation": OCCUPATION[i],
            "seb_school_type": SCHOOL[i],
            "seb_free_school_meals": MEALS[i],
            "seb_parent_qualification": QUALIFICATION[i],
        }
        for i in range(20)
    ]
)


def test_response_rates_and_supporting_profiles(engine: EngineName) -> None:
    ids = ["seb.response_rate", "seb.school_type", "seb.free_school_meals"]
    ids += ["seb.parent_qualification"]
    results = compute_results({"staff": ANSWERS}, ids, engine=engine)
    rates = of(results, "seb.response_rate")
    assert [r.group for r in rates] == [
        "parent_occupation",
        "school_type",
        "free_school_meals",
        "parent_qualification",
    ]
    # 8/20 = 40%, 9/20 = 45%, 10/20 = 50%, 6/20 = 30%.
    assert [(r.numerator, r.denominator) for r in rates] == [(8, 20), (9, 20), (10, 20), (6, 20)]
    assert [r.value for r in rates] == pytest.approx([40.0, 45.0, 50.0, 30.0])
    occupation = rates[0]
    assert occupation.measure is Measure.RATE and occupation.unit is Unit.PERCENT
    # Wilson 8/20: centre (0.4 + 1.96²/40) / (1 + 1.96²/20) = 0.4161, half-width 0.1973
    # → 21.9% to 61.3%.
    assert (occupation.ci_lower, occupation.ci_upper) == pytest.approx(wilson(8, 20))
    assert occupation.ci_lower == pytest.approx(21.88, abs=0.01)
    assert "8" in (occupation.note or "") and "9" in (occupation.note or "")
    assert "Social Mobility Commission" in occupation.method
    # Supporting profiles, as % of those answering: school 6/9, 2/9, 1/9; meals 3/10, 4/10,
    # 3/10 (not applicable is an answer); qualification 2/6, 3/6, 1/6.
    school = of(results, "seb.school_type")
    assert [r.group for r in school] == ["state", "independent", "outside_uk"]
    assert [r.value for r in school] == pytest.approx([100 * 6 / 9, 100 * 2 / 9, 100 / 9])
    assert {r.denominator for r in school} == {9}
    meals = of(results, "seb.free_school_meals")
    assert [r.group for r in meals] == ["yes", "no", "not_applicable"]
    assert [r.value for r in meals] == pytest.approx([30.0, 40.0, 30.0])
    qualification = of(results, "seb.parent_qualification")
    assert [r.group for r in qualification] == ["degree", "below_degree", "no_formal"]
    assert [r.value for r in qualification] == pytest.approx([100 / 3, 50.0, 100 / 6])
    assert all(r.measure is Measure.SHARE and r.breakdown == {} for r in school + meals)


def test_applicant_response_rate() -> None:
    # 4 applications: occupation 3, 9, blank, 5 → 2 answers of 4 = 50%.
    frame = applications(
        [(3, False, False), (9, True, True), (None, False, False), (5, True, False)]
    )
    results = compute_results({"applications": frame}, ["seb.applicant_response_rate"])
    rate = pick(results, "seb.applicant_response_rate", "parent_occupation")
    assert (rate.numerator, rate.denominator) == (2, 4) and rate.value == pytest.approx(50.0)
    # No other SEB answers given: 0 of 4.
    assert pick(results, "seb.applicant_response_rate", "school_type").value == 0.0


# --- The workforce profile and the class ceiling --------------------------------------------

# Band 2 (15 staff): professional 2 (options 1, 2), intermediate 3 (3, 7, 7), lower 5 (4, 5,
#   5, 6, 6), non-response 5 (8, 8, 9, blank, blank) → of 10 answering: 20%, 30%, 50%.
# Band 8a (9 staff): professional 6, intermediate 1, lower 1, option 9 ×1 → of 8: 75%, 12.5%,
#   12.5%.
# VSM (1): professional 1 → 100%, 0%, 0% (zero cells published).
# Whole workforce, 19 answering: professional 9 (47.4%), intermediate 4 (21.1%), lower 6
#   (31.6%).
CLASS = staff(
    [
        *[{"pay_band": "Band 2", "seb_parent_occupation": o} for o in (1, 2, 3, 7, 7)],
        *[{"pay_band": "Band 2", "seb_parent_occupation": o} for o in (4, 5, 5, 6, 6)],
        *[{"pay_band": "Band 2", "seb_parent_occupation": o} for o in (8, 8, 9, None, None)],
        *rows(3, pay_band="Band 8a", seb_parent_occupation=1),
        *rows(3, pay_band="Band 8a", seb_parent_occupation=2),
        {"pay_band": "Band 8a", "seb_parent_occupation": 3},
        {"pay_band": "Band 8a", "seb_parent_occupation": 5},
        {"pay_band": "Band 8a", "seb_parent_occupation": 9},
        {"pay_band": "VSM", "seb_parent_occupation": 2},
    ]
)


def test_profile_and_class_ceiling(engine: EngineName) -> None:
    results = compute_results({"staff": CLASS}, SEB_FAMILY, engine=engine)
    profile = of(results, "seb.profile")
    assert [r.group for r in profile] == ["professional", "intermediate", "lower"]
    assert [(r.numerator, r.denominator) for r in profile] == [(9, 19), (4, 19), (6, 19)]
    assert [r.value for r in profile] == pytest.approx([100 * 9 / 19, 100 * 4 / 19, 100 * 6 / 19])
    assert all(r.measure is Measure.SHARE and r.breakdown == {} for r in profile)
    assert (profile[0].ci_lower, profile[0].ci_upper) == pytest.approx(wilson(9, 19))
    by_band = of(results, "seb.profile_by_band")
    assert [(r.breakdown["pay_band"], r.group, r.value) for r in by_band] == [
        ("Band 2", "professional", pytest.approx(20.0)),
        ("Band 2", "intermediate", pytest.approx(30.0)),
        ("Band 2", "lower", pytest.approx(50.0)),
        ("Band 8a", "professional", pytest.approx(75.0)),
        ("Band 8a", "intermediate", pytest.approx(12.5)),
        ("Band 8a", "lower", pytest.approx(12.5)),
        ("VSM", "professional", pytest.approx(100.0)),
        ("VSM", "intermediate", 0.0),
        ("VSM", "lower", 0.0),
    ]
    assert {r.denominator for r in by_band if r.breakdown["pay_band"] == "Band 8a"} == {8}
    # representation.seb is the same table with the whole workforce as its last column.
    table = of(results, "representation.seb")
    assert [(r.group, r.numerator, r.denominator) for r in table] == [
        *[(r.group, r.numerator, r.denominator) for r in by_band],
        *[(r.group, r.numerator, r.denominator) for r in profile],
    ]
    assert table[-1].breakdown == {"pay_band": "all"}


def test_class_ceiling_in_synthetic_trust(tmp_path: Path) -> None:
    """Calibration: ``ladder synth`` makes the professional share rise with band."""
    from ladder.synth import SynthConfig, generate

    generate(SynthConfig(out=tmp_path, trusts=("R1H",), staff=3000, seed=7, fmt="parquet"))
    loaded = load(tmp_path, settings=Settings(threshold=1))
    try:
        results = run(loaded.context, ids=["seb.profile_by_band", "seb.profile"]).results
    finally:
        loaded.close()
    low = ("Band 2", "Band 3", "Band 4")
    high = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")
    counts: dict[tuple[str, str], float] = defaultdict(float)
    for r in of(results, "seb.profile_by_band"):
        band = r.breakdown["pay_band"]
        level = "low" if band in low else "high" if band in high else None
        if level is not None:
            counts[(level, r.group or "")] += r.numerator or 0
            counts[(level, "all")] += r.numerator or 0

    def share(level: str, group: str) -> float:
        return 100 * counts[(level, group)] / counts[(level, "all")]

    assert counts[("low", "all")] > 300 and counts[("high", "all")] > 60
    # Calibration (ladder.synth.calibration.SEB_PROFESSIONAL_BY_BAND): 24-30% professional at
    # Bands 2-4, 48-60% at Band 8a and above.
    assert 18 < share("low", "professional") < 36
    assert 38 < share("high", "professional") < 70
    assert share("high", "professional") - share("low", "professional") > 10
    assert share("high", "lower") < share("low", "lower")
    overall = {r.group: r.value or 0.0 for r in of(results, "seb.profile")}
    assert 30 < overall["professional"] < 48 and 15 < overall["intermediate"] < 30


# --- Recruitment --------------------------------------------------------------------------


def applications(rows_: list[tuple[int | None, bool, bool]], org: str = "R1H") -> pl.DataFrame:
    """(parental occupation, shortlisted, appointed) rows for one trust, applied in 2023/24."""
    return pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(len(rows_))],
            "vacancy_id": ["V1"] * len(rows_),
            "org_code": [org] * len(rows_),
            "applied_date": [dt.date(2023, 10, 1)] * len(rows_),
            "seb_parent_occupation": [r[0] for r in rows_],
            "shortlisted": [r[1] for r in rows_],
            "appointed": [r[2] for r in rows_],
        },
        schema_overrides={"seb_parent_occupation": pl.Int64},
    )


def funnel_rows(
    occupation: int | None, applied: int, shortlisted: int, appointed: int
) -> list[tuple[int | None, bool, bool]]:
    """``applied`` applications, ``shortlisted`` of them shortlisted, ``appointed`` of those
    appointed."""
    return (
        [(occupation, True, True)] * appointed
        + [(occupation, True, False)] * (shortlisted - appointed)
        + [(occupation, False, False)] * (applied - shortlisted)
    )


# Professional: 100 applied, 40 shortlisted, 12 appointed — one more applied and marked
#   appointed without being shortlisted (counts as applied only): 101 applied.
# Intermediate: 49 applied, 10 shortlisted, 3 appointed.
# Lower: 100 applied, 50 shortlisted, 10 appointed.
# Non-response (options 8, 9, blank): 30 applied, 10 shortlisted, 5 appointed — left out.
# Applied: 250 answering → 101/250 = 40.4%, 49/250 = 19.6%, 100/250 = 40%.
# Shortlisted: 100 → 40%, 10%, 50%. Appointed: 25 → 48%, 12%, 40%.
# Appointment from shortlisting: professional 12/40 = 30%, intermediate 3/10 = 30%, lower
#   10/50 = 20%; professional ÷ lower = 0.30 / 0.20 = 1.5.
FUNNEL = applications(
    funnel_rows(1, 60, 20, 6)
    + funnel_rows(2, 40, 20, 6)
    + [(2, False, True)]
    + funnel_rows(3, 29, 5, 2)
    + funnel_rows(7, 20, 5, 1)
    + funnel_rows(5, 70, 35, 7)
    + funnel_rows(6, 30, 15, 3)
    + funnel_rows(8, 15, 5, 5)
    + funnel_rows(9, 5, 5, 0)
    + funnel_rows(None, 10, 0, 0)
)


def test_funnel_and_appointment(engine: EngineName) -> None:
    ids = ["seb.funnel", "seb.appointment"]
    results = compute_results({"applications": FUNNEL}, ids, engine=engine)
    funnel = of(results, "seb.funnel")
    assert [(r.breakdown["stage"], r.group, r.numerator, r.denominator) for r in funnel] == [
        ("applied", "professional", 101, 250),
        ("applied", "intermediate", 49, 250),
        ("applied", "lower", 100, 250),
        ("shortlisted", "professional", 40, 100),
        ("shortlisted", "intermediate", 10, 100),
        ("shortlisted", "lower", 50, 100),
        ("appointed", "professional", 12, 25),
        ("appointed", "intermediate", 3, 25),
        ("appointed", "lower", 10, 25),
    ]
    assert [r.value for r in funnel] == pytest.approx([40.4, 19.6, 40, 40, 10, 50, 48, 12, 40])
    assert all(r.measure is Measure.SHARE for r in funnel)
    ratio = pick(results, "seb.appointment", "professional:lower")
    assert ratio.measure is Measure.RELATIVE_LIKELIHOOD and ratio.unit is Unit.RATIO
    assert ratio.value == pytest.approx(1.5)
    # SE(ln RR) = sqrt(1/12 − 1/40 + 1/10 − 1/50) = sqrt(0.138333) = 0.37193
    # → 1.5 × exp(±1.96 × 0.37193) = 0.7235 to 3.110: includes 1.
    se = math.sqrt(1 / 12 - 1 / 40 + 1 / 10 - 1 / 50)
    assert ratio.ci_lower == pytest.approx(1.5 * math.exp(-1.959964 * se), rel=1e-6)
    assert ratio.ci_upper == pytest.approx(1.5 * math.exp(1.959964 * se), rel=1e-6)
    assert (ratio.numerator, ratio.denominator) == (12, 40)
    assert (ratio.reference_numerator, ratio.reference_denominator) == (10, 50)
    assert "no_evidence_of_difference" in ratio.flags and "outside_four_fifths" in ratio.flags
    assert "indicator 2" in ratio.method
    rates = [r for r in of(results, "seb.appointment") if r.measure is Measure.RATE]
    assert [(r.group, r.numerator, r.denominator) for r in rates] == [
        ("professional", 12, 40),
        ("intermediate", 3, 10),
        ("lower", 10, 50),
    ]
    assert [r.value for r in rates] == pytest.approx([30.0, 30.0, 20.0])


# --- Suppression --------------------------------------------------------------------------


def test_appointment_withheld_with_the_funnel_cells_it_republishes(engine: EngineName) -> None:
    # Threshold 10. Shortlisted: professional 40, intermediate 5 (small), lower 50 (95).
    # Appointed: professional 12, intermediate 3 (small), lower 10 (25).
    # Funnel, shortlisted line: intermediate 5 withheld → the smaller of 40 / 50: professional
    # 40. Appointed line: intermediate 3 withheld → lower 10. Every count of the ratio is 10
    # or more, yet publishing it (12/40; 10/50) would give intermediate shortlisted
    # = 95 − 40 − 50 = 5: it is withheld with the funnel cells.
    frame = applications(
        funnel_rows(1, 100, 40, 12) + funnel_rows(3, 30, 5, 3) + funnel_rows(4, 100, 50, 10)
    )
    results = compute_results(
        {"applications": frame}, ["seb.funnel", "seb.appointment"], engine=engine, suppress=True
    )
    funnel = of(results, "seb.funnel")
    hidden = {(r.breakdown["stage"], r.group) for r in funnel if r.suppressed}
    assert ("shortlisted", "intermediate") in hidden and ("shortlisted", "professional") in hidden
    assert ("appointed", "intermediate") in hidden
    assert_no_line_with_one_withheld(results)
    ratio = pick(results, "seb.appointment", "professional:lower")
    assert ratio.suppressed and ratio.value is None and ratio.numerator is None
    for r in of(results, "seb.appointment"):
        assert r.suppressed  # each rate republishes a withheld shortlisted or appointed cell
    funnel_attack(results)


def funnel_attack(results: list[Result], true: Mapping[Var, int] | None = None) -> None:
    """The funnel, the rates and the ratio together give away no withheld count."""
    cells = of(results, "seb.funnel")
    if not cells:
        return
    table = Table([r.group or "" for r in cells], [r.breakdown["stage"] for r in cells], None)
    published, hidden = share_functionals(cells, table, "stage")
    for r in of(results, "seb.appointment"):
        if r.suppressed:
            continue
        groups = (r.group or "").split(":")
        for g in groups:
            published += [table.cell(g, "appointed"), table.cell(g, "shortlisted")]
    assert_nothing_recoverable(published, hidden, true)


def seb_attack(results: list[Result], true: Mapping[Var, int] | None = None) -> None:
    """seb.profile, seb.profile_by_band and representation.seb are one table: together they
    give away no withheld count."""
    joint = of(results, "representation.seb")
    if not joint:
        return
    table = Table(
        [r.group or "" for r in joint], [r.breakdown["pay_band"] for r in joint], total="all"
    )
    published: list[Functional] = []
    hidden: dict[str, Functional] = {}
    for id in SEB_FAMILY:
        cells = [
            r if r.breakdown else replace(r, breakdown={"pay_band": "all"}) for r in of(results, id)
        ]
        shown, withheld = share_functionals(cells, table, "pay_band")
        published += shown
        hidden.update(withheld)
    assert_nothing_recoverable(published, hidden, true)


def test_profile_tables_withheld_together(engine: EngineName) -> None:
    # Threshold 10. Band 3: professional 30, intermediate 20, lower 40. Band 8a: professional
    # 25, intermediate 2 (small), lower 12. Band 8b: professional 8, intermediate 0, lower 1
    # (the whole band is below 10). Whole workforce: 63, 22, 53.
    frame = staff(
        [
            *rows(30, pay_band="Band 3", seb_parent_occupation=1),
            *rows(20, pay_band="Band 3", seb_parent_occupation=3),
            *rows(40, pay_band="Band 3", seb_parent_occupation=5),
            *rows(25, pay_band="Band 8a", seb_parent_occupation=2),
            *rows(2, pay_band="Band 8a", seb_parent_occupation=7),
            *rows(12, pay_band="Band 8a", seb_parent_occupation=4),
            *rows(8, pay_band="Band 8b", seb_parent_occupation=1),
            *rows(1, pay_band="Band 8b", seb_parent_occupation=6),
            *rows(50, pay_band="Band 8b", seb_parent_occupation=9),
        ]
    )
    results = compute_results({"staff": frame}, SEB_FAMILY, engine=engine, suppress=True)
    assert_no_line_with_one_withheld(results)
    seb_attack(results)
    hidden = {
        (r.breakdown.get("pay_band", "all"), r.group)
        for id in SEB_FAMILY
        for r in of(results, id)
        if r.suppressed
    }
    # Band 8b entirely (denominator 9); Band 8a intermediate 2 and its complement lower 12;
    # columns: each then has two. The same cells are withheld in all three tables.
    assert {("Band 8b", g) for g in ("professional", "intermediate", "lower")} <= hidden
    assert ("Band 8a", "intermediate") in hidden
    for id in ("seb.profile_by_band", "representation.seb"):
        mine = {
            (r.breakdown["pay_band"], r.group)
            for r in of(results, id)
            if r.suppressed and r.breakdown["pay_band"] != "all"
        }
        assert mine == {h for h in hidden if h[0] != "all"}
    # The whole workforce row has nothing small: published in full.
    assert not [r for r in of(results, "seb.profile") if r.suppressed]


# --- Properties (Polars) --------------------------------------------------------------------

OPTIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, None]
BANDS = ["Band 2", "Band 4", "Band 6", "Band 8a", "Band 8c", "Consultant"]
person = st.fixed_dictionaries(
    {
        "pay_band": st.sampled_from(BANDS),
        "seb_parent_occupation": st.sampled_from(OPTIONS),
        "seb_school_type": st.sampled_from(["state", "independent", "dont_know", None]),
    }
)
applicant = st.tuples(st.sampled_from(OPTIONS), st.booleans(), st.booleans())


@settings(max_examples=25, deadline=None)
@given(st.lists(person, min_size=1, max_size=150))
def test_shares_add_up_to_100(people: list[dict[str, object]]) -> None:
    results = compute_results({"staff": staff(people)}, [*SEB_FAMILY, "seb.school_type"])
    lines: dict[tuple[str, str], float] = defaultdict(float)
    for r in results:
        lines[(r.id, r.breakdown.get("pay_band", ""))] += r.value or 0.0
    for total in lines.values():
        assert total == pytest.approx(100.0)


@settings(max_examples=15, deadline=None)
@given(st.lists(person, min_size=1, max_size=150), st.lists(applicant, max_size=150), st.randoms())
def test_row_order_does_not_matter(
    people: list[dict[str, object]],
    applied: list[tuple[int | None, bool, bool]],
    rnd: random.Random,
) -> None:
    frames = {"staff": staff(people)}
    shuffled = {"staff": staff(rnd.sample(people, len(people)))}
    if applied:
        frames["applications"] = applications(applied)
        shuffled["applications"] = applications(rnd.sample(applied, len(applied)))
    first = compute_results(frames, ["seb"], suppress=True)
    second = compute_results(shuffled, ["seb"], suppress=True)
    assert [r.to_dict() for r in first] == [r.to_dict() for r in second]


@settings(max_examples=25, deadline=None)
@given(st.lists(person, min_size=1, max_size=300), st.lists(applicant, max_size=300))
def test_suppression_leaves_no_line_with_one_withheld_cell(
    people: list[dict[str, object]], applied: list[tuple[int | None, bool, bool]]
) -> None:
    frames = {"staff": staff(people)}
    if applied:
        frames["applications"] = applications(applied)
    ids = ["seb", "representation.seb"]
    results = compute_results(frames, ids, suppress=True)
    assert_no_line_with_one_withheld(results)
    # Nothing withheld can be recovered from all the figures of a table family together.
    everything = compute_results(frames, ids)
    seb_attack(results, truth(everything, "representation.seb", "pay_band", "all"))
    funnel_attack(results, truth(everything, "seb.funnel", "stage", None))


def test_polars_answers_are_the_questions_groups() -> None:
    # The Polars engine's staff counts label the answers with Polars twins of the questions'
    # expressions: every answer (and a blank, and anything else) gets the same group.
    import narwhals as nw

    from ladder.metrics.indicators.seb import QUESTIONS, polars_answer

    for q in QUESTIONS:
        if q.name == "parent_occupation":
            values: pl.Series = pl.Series(q.column, [*range(0, 11), None], dtype=pl.Int64)
        else:
            answers = [*q.groups, "don't know", "prefer not to say", "", "anything", None]
            values = pl.Series(q.column, answers, dtype=pl.String)
        frame = values.to_frame()
        theirs = nw.from_native(frame).select(q.expression().alias("g")).to_native()["g"]
        mine = frame.select(polars_answer(q).alias("g"))["g"]
        assert mine.to_list() == theirs.to_list(), q.name
