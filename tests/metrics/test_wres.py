"""WRES 1 and 3-9 worked by hand (WRES 2: test_wres_2.py), on Polars, DuckDB and PySpark.

Every expected figure is worked out in the comments from the small tables built here; the
confidence intervals are recomputed in this file (log method for ratios, Wilson score for
percentages, Newcombe's hybrid score for differences) independently of ladder.metrics.stats.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.engines import EngineName
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.settings import Settings
from tests.metrics.conftest import compute_results, pick

Z = 1.959963984540054
SNAP = dt.date(2024, 3, 31)
IN_YEAR = dt.date(2023, 10, 1)  # inside the reporting year 2023/24 (period 2024)
NURSE = "Nursing and Midwifery Registered"
ADMIN = "Administrative and Clerical"

# --- independent statistics for the expected values -----------------------------------------


def log_ci(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    """(a/n1)/(c/n2) with its 95% interval by the log (Katz) method."""
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return rr, rr * math.exp(-Z * se), rr * math.exp(Z * se)


def wilson(e: int, n: int) -> tuple[float, float, float]:
    """e/n with its Wilson score interval, as fractions."""
    p = e / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return p, centre - half, centre + half


def newcombe(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    """a/n1 − c/n2 in percentage points with Newcombe's hybrid score interval."""
    p1, l1, u1 = wilson(a, n1)
    p2, l2, u2 = wilson(c, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return 100 * d, 100 * low, 100 * high


def assert_ratio(r: Result, a: int, n1: int, c: int, n2: int) -> None:
    value, low, high = log_ci(a, n1, c, n2)
    assert r.measure is Measure.RELATIVE_LIKELIHOOD and r.unit is Unit.RATIO
    assert (r.numerator, r.denominator) == (a, n1)
    assert (r.reference_numerator, r.reference_denominator) == (c, n2)
    assert r.value == pytest.approx(value)
    assert r.ci_lower == pytest.approx(low, rel=1e-9)
    assert r.ci_upper == pytest.approx(high, rel=1e-9)


def assert_rate(r: Result, e: int, n: int) -> None:
    p, low, high = wilson(e, n)
    assert (r.numerator, r.denominator) == (e, n)
    assert r.value == pytest.approx(100 * p)
    assert r.ci_lower == pytest.approx(100 * low, abs=1e-9)
    assert r.ci_upper == pytest.approx(100 * high, abs=1e-9)


# --- small tables -------------------------------------------------------------------------

STAFF_SCHEMA: dict[str, Any] = {
    "staff_id": pl.String,
    "org_code": pl.String,
    "snapshot_date": pl.Date,
    "ethnic_category": pl.String,
    "disability": pl.Boolean,
    "staff_group": pl.String,
    "pay_band": pl.String,
    "is_board_member": pl.Boolean,
    "is_executive": pl.Boolean,
    "is_voting_member": pl.Boolean,
}


def person(
    staff_id: str,
    code: str | None = "A",
    *,
    band: str = "Band 5",
    group: str | None = NURSE,
    disability: bool | None = False,
    board: bool = False,
    executive: bool | None = None,
    voting: bool | None = None,
    snapshot: dt.date = SNAP,
    org: str = "R1H",
) -> dict[str, Any]:
    return {
        "staff_id": staff_id,
        "org_code": org,
        "snapshot_date": snapshot,
        "ethnic_category": code,
        "disability": disability,
        "staff_group": group,
        "pay_band": band,
        "is_board_member": board,
        "is_executive": executive,
        "is_voting_member": voting,
    }


def people(prefix: str, n: int, code: str | None, **kw: Any) -> list[dict[str, Any]]:
    """n people with ids prefix01, prefix02, …"""
    return [person(f"{prefix}{i:02d}", code, **kw) for i in range(1, n + 1)]


def staff(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=STAFF_SCHEMA)


def cases(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """(staff_id, start_date, case_type, capability_reason, case ethnic code, case disability)."""
    return pl.DataFrame(
        {
            "case_id": [f"C{i}" for i in range(len(rows))],
            "staff_id": [r[0] for r in rows],
            "org_code": ["R1H"] * len(rows),
            "start_date": [r[1] for r in rows],
            "case_type": [r[2] for r in rows],
            "capability_reason": [r[3] for r in rows],
            "ethnic_category": [r[4] for r in rows],
            "disability": [r[5] for r in rows],
        },
        schema_overrides={
            "capability_reason": pl.String,
            "ethnic_category": pl.String,
            "disability": pl.Boolean,
        },
    )


def disciplinary(
    staff_id: str, date: dt.date = IN_YEAR, code: str | None = None
) -> tuple[Any, ...]:
    return (staff_id, date, "disciplinary", None, code, None)


def survey_rows(
    question: str, respondents: Sequence[tuple[str, str | None, bool | None, bool | None]]
) -> list[dict[str, Any]]:
    """Respondent-level rows: (respondent id, ethnic code, disability, answer)."""
    return [
        {
            "respondent_id": rid,
            "org_code": "R1H",
            "year": 2023,
            "question_id": question,
            "ethnic_category": code,
            "disability": disabled,
            "answer": answer,
        }
        for rid, code, disabled, answer in respondents
    ]


SURVEY_SCHEMA: dict[str, Any] = {
    "respondent_id": pl.String,
    "org_code": pl.String,
    "year": pl.Int64,
    "question_id": pl.String,
    "ethnic_category": pl.String,
    "ethnic_group": pl.String,
    "disability": pl.Boolean,
    "answer": pl.Boolean,
    "n": pl.Int64,
    "n_positive": pl.Int64,
}


def survey(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SURVEY_SCHEMA)


def aggregate(
    org: str,
    question: str,
    *,
    group: str | None = None,
    disabled: bool | None = None,
    n: int,
    pos: int,
) -> dict[str, Any]:
    return {
        "org_code": org,
        "year": 2023,
        "question_id": question,
        "ethnic_group": group,
        "disability": disabled,
        "n": n,
        "n_positive": pos,
    }


def answers(
    question: str, prefix: str, code: str | None, yes: int, no: int, blank: int = 0
) -> list[dict[str, Any]]:
    """``yes`` positive, ``no`` negative and ``blank`` unanswered rows, ids prefix1, prefix2…"""
    values: list[bool | None] = [True] * yes + [False] * no + [None] * blank
    return survey_rows(question, [(f"{prefix}{i}", code, None, v) for i, v in enumerate(values, 1)])


# --- WRES 1 --------------------------------------------------------------------------------


def wres1_staff() -> pl.DataFrame:
    return staff(
        [
            # clinical, Band 5: White 3, BME 1, Unknown 1 (Z) → 60% / 20% / 20% of 5
            *people("CW", 3, "A"),
            person("CB1", "H"),
            person("CU1", "Z"),
            # medical: a consultant without a staff group is medical; White 1, BME 2 of 3
            person("MW1", "C", band="Consultant", group=None),
            *people("MB", 2, "N", band="Consultant", group=None),
            # non-clinical Band 3: White 2, not known 1 (null) of 3
            *people("NW", 2, "B", band="Band 3", group=ADMIN),
            person("NU1", None, band="Band 3", group=ADMIN),
            # an executive director on Band 9 is reported as VSM (non-clinical)
            person("EX1", "A", band="Band 9", group=ADMIN, board=True, executive=True),
            # a non-executive director is not in the workforce
            person("NED", "H", band="Other", group=ADMIN, board=True, executive=False),
            # no staff group, non-medical band: cluster 'unknown'
            person("UG1", "M", band="Band 4", group=None),
            # an earlier snapshot in the same period is not used
            person("OLD", "H", snapshot=dt.date(2023, 9, 30)),
        ]
    )


def test_wres_1_hand_worked(engine: EngineName) -> None:
    results = compute_results({"staff": wres1_staff()}, ["wres.1"], engine=engine)
    # 5 cells + 4 cluster totals + the workforce, each × 3 groups
    assert len(results) == 30
    assert all(r.measure is Measure.SHARE and r.unit is Unit.PERCENT for r in results)
    assert_rate(pick(results, "wres.1", "White", cluster="clinical", pay_band="Band 5"), 3, 5)
    assert_rate(pick(results, "wres.1", "BME", cluster="clinical", pay_band="Band 5"), 1, 5)
    assert_rate(pick(results, "wres.1", "Unknown", cluster="clinical", pay_band="Band 5"), 1, 5)
    assert_rate(pick(results, "wres.1", "BME", cluster="medical", pay_band="Consultant"), 2, 3)
    zero = pick(results, "wres.1", "Unknown", cluster="medical", pay_band="Consultant")
    assert (zero.value, zero.numerator, zero.denominator) == (0.0, 0, 3)
    assert_rate(pick(results, "wres.1", "Unknown", cluster="non-clinical", pay_band="Band 3"), 1, 3)
    assert_rate(pick(results, "wres.1", "White", cluster="non-clinical", pay_band="VSM"), 1, 1)
    assert_rate(pick(results, "wres.1", "BME", cluster="unknown", pay_band="Band 4"), 1, 1)
    # non-clinical in all: Band 3 (White 2, Unknown 1) + VSM (White 1) = White 3 of 4
    assert_rate(pick(results, "wres.1", "White", cluster="non-clinical", pay_band="all"), 3, 4)
    # workforce: 13 (the NED and the old snapshot left out): White 7, BME 4, Unknown 2
    assert_rate(pick(results, "wres.1", "White", cluster="all", pay_band="all"), 7, 13)
    assert_rate(pick(results, "wres.1", "BME", cluster="all", pay_band="all"), 4, 13)
    assert_rate(pick(results, "wres.1", "Unknown", cluster="all", pay_band="all"), 2, 13)
    overall = pick(results, "wres.1", "BME", cluster="all", pay_band="all")
    assert overall.method.endswith("indicator 1") and "31 March 2024" in (overall.note or "")


def test_wres_1_secondary_suppression() -> None:
    rows = [*people("W", 30, "A"), *people("B", 25, "H"), *people("U", 3, None)]
    results = compute_results({"staff": staff(rows)}, ["wres.1"], suppress=True)
    cell = {"cluster": "clinical", "pay_band": "Band 5"}
    unknown = pick(results, "wres.1", "Unknown", **cell)
    assert unknown.suppressed and unknown.value is None  # 3 is below 10
    # the next smallest cell of the row (BME 25) is withheld too, so 3 = 58 − 30 − 25 cannot
    # be worked out from the band total published with White
    assert pick(results, "wres.1", "BME", **cell).suppressed
    assert not pick(results, "wres.1", "White", **cell).suppressed


# --- WRES 3 --------------------------------------------------------------------------------


def wres3_frames() -> dict[str, pl.DataFrame]:
    # Snapshot: White W01-W20, BME B01-B10, Unknown U01-U05 (3 'Z', 2 not known)
    snapshot = staff(
        [
            *people("W", 20, "A"),
            *people("B", 10, "H"),
            *people("U", 3, "Z"),
            person("U04", None),
            person("U05", None),
        ]
    )
    rows = [
        disciplinary("W01", dt.date(2023, 5, 1)),
        disciplinary("W01", dt.date(2023, 11, 1)),  # the same person again: counted once
        disciplinary("W02", dt.date(2024, 3, 31)),  # last day of the year
        disciplinary("W03", code="H"),  # the staff record (White) wins over the case row
        ("W04", IN_YEAR, "capability", "performance", None, None),  # not disciplinary
        disciplinary("B01", dt.date(2023, 4, 1)),  # first day of the year
        disciplinary("B02"),
        disciplinary("L01", code="N"),  # a leaver: grouped by the case row → BME
        disciplinary("L02"),  # a leaver with no ethnic category → Unknown
        disciplinary("U01"),
        disciplinary("B03", dt.date(2023, 3, 31)),  # previous year (period 2023)
        disciplinary("W05", dt.date(2024, 4, 1)),  # next year (period 2025)
    ]
    return {"staff": snapshot, "cases": cases(rows)}


def test_wres_3_hand_worked(engine: EngineName) -> None:
    results = compute_results(wres3_frames(), ["wres.3"], engine=engine)
    ratio = pick(results, "wres.3", "BME:White")
    # BME: B01, B02, L01 = 3 of 10; White: W01, W02, W03 = 3 of 20.
    # RL = 0.30 / 0.15 = 2.0; SE = sqrt(1/3 − 1/10 + 1/3 − 1/20) = 0.7188 → 0.49–8.18
    assert_ratio(ratio, 3, 10, 3, 20)
    assert ratio.value == pytest.approx(2.0)
    assert "no_evidence_of_difference" in ratio.flags and "outside_four_fifths" in ratio.flags
    assert "in the 12 months to 31 March 2024" in (ratio.note or "")
    # Unknown (U01 and L02 of 5) is reported, never in the ratio
    assert_rate(pick(results, "wres.3", "Unknown"), 2, 5)
    assert_rate(pick(results, "wres.3", "White"), 3, 20)
    assert {r.period for r in results} == {2024}  # no snapshot for 2025: nothing reported
    assert all("incomplete_window" not in r.flags for r in results)


def test_wres_3_window_setting_changes_which_cases_count() -> None:
    two = compute_results(
        wres3_frames(), ["wres.3"], settings=Settings(threshold=1, disciplinary_years=2)
    )
    ratio = pick(two, "wres.3", "BME:White")
    # B03's case of March 2023 now counts: BME 4 of 10 ÷ White 3 of 20 = 2.667
    assert_ratio(ratio, 4, 10, 3, 20)
    assert "in the 24 months to 31 March 2024" in (ratio.note or "")
    assert "incomplete_window" not in ratio.flags  # both years hold cases
    three = compute_results(
        wres3_frames(), ["wres.3"], settings=Settings(threshold=1, disciplinary_years=3)
    )
    ratio3 = pick(three, "wres.3", "BME:White")
    assert "incomplete_window" in ratio3.flags  # no cases at all in 2021/22
    assert "no cases recorded in 2021/22" in (ratio3.note or "")


def test_wres_3_zero_events() -> None:
    snapshot = staff([*people("W", 10, "A"), *people("B", 10, "H")])
    # only White staff entered: BME rate 0 → ratio 0 with no interval, and the reason
    white_only = compute_results(
        {"staff": snapshot, "cases": cases([disciplinary("W01"), disciplinary("W02")])},
        ["wres.3"],
    )
    ratio = pick(white_only, "wres.3", "BME:White")
    assert ratio.value == 0.0 and ratio.ci_lower is None and ratio.ci_upper is None
    assert "no BME staff entering the formal disciplinary process" in (ratio.note or "")
    assert pick(white_only, "wres.3", "BME").value == 0.0
    # only BME staff entered: division by zero → no ratio, and the reason
    bme_only = compute_results(
        {"staff": snapshot, "cases": cases([disciplinary("B01")])}, ["wres.3"]
    )
    ratio = pick(bme_only, "wres.3", "BME:White")
    assert ratio.value is None and "undefined" in (ratio.note or "")
    assert (ratio.numerator, ratio.reference_numerator) == (1, 0)
    # BME leavers but no BME staff in the snapshot: no rate and no ratio, with the reason
    leavers = compute_results(
        {
            "staff": staff(people("W", 10, "A")),
            "cases": cases([disciplinary("L1", code="H"), disciplinary("W01")]),
        },
        ["wres.3"],
    )
    for group in ("BME", "BME:White"):
        r = pick(leavers, "wres.3", group)
        assert r.value is None and "more people counted than in the headcount" in (r.note or "")


def test_wres_3_cases_without_cases_in_the_period_report_nothing() -> None:
    frames = wres3_frames()
    frames["cases"] = cases([disciplinary("W01", dt.date(2022, 6, 1))])  # period 2023 only
    assert compute_results(frames, ["wres.3"]) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    codes=st.lists(st.sampled_from(["A", "C", "H", "N", "Z", None]), min_size=4, max_size=40),
    entered=st.lists(st.booleans(), min_size=40, max_size=40),
    seed=st.integers(0, 10_000),
)
def test_relative_likelihood_is_invariant_to_row_order(
    codes: list[str | None], entered: list[bool], seed: int
) -> None:
    rows = [person(f"S{i:03d}", code) for i, code in enumerate(codes)]
    case_rows = [disciplinary(f"S{i:03d}") for i in range(len(codes)) if entered[i]]
    case_rows.append(disciplinary("S000"))  # at least one case in the year
    shuffled_rows, shuffled_cases = list(rows), list(case_rows)
    random.Random(seed).shuffle(shuffled_rows)
    random.Random(seed + 1).shuffle(shuffled_cases)

    def ratios(staff_rows: list[dict[str, Any]], case_list: list[tuple[Any, ...]]) -> list[Any]:
        results = compute_results(
            {"staff": staff(staff_rows), "cases": cases(case_list)}, ["wres.3"]
        )
        return [r.to_dict() for r in results if r.measure is Measure.RELATIVE_LIKELIHOOD]

    first, second = ratios(rows, case_rows), ratios(shuffled_rows, shuffled_cases)
    assert first == second
    # one ratio (possibly None) whenever the snapshot holds White or BME staff
    assert len(first) == (1 if any(c in ("A", "C", "H", "N") for c in codes) else 0)


# --- WRES 4 --------------------------------------------------------------------------------


def test_wres_4_hand_worked(engine: EngineName) -> None:
    snapshot = staff([*people("W", 10, "A"), *people("B", 8, "K"), *people("U", 2, None)])
    events = [
        ("W01", False),
        ("W01", False),  # two courses: one person
        ("W02", False),
        ("W03", False),
        ("W04", False),
        ("W04", True),
        ("W05", True),  # mandatory only: does not count
        ("B01", False),
        ("B02", False),
        ("B03", True),
        ("U01", False),
        ("X99", False),  # not in the snapshot
    ]
    training = pl.DataFrame(
        {
            "staff_id": [e[0] for e in events] + ["B04"],
            "org_code": ["R1H"] * (len(events) + 1),
            "start_date": [IN_YEAR] * len(events) + [dt.date(2023, 2, 1)],  # B04: last year
            "course": ["Course"] * (len(events) + 1),
            "mandatory": [e[1] for e in events] + [False],
        }
    )
    results = compute_results({"staff": snapshot, "training": training}, ["wres.4"], engine=engine)
    # White: W01-W04 = 4 of 10 (0.40); BME: B01, B02 = 2 of 8 (0.25); RL = 1.6,
    # SE = sqrt(1/4 − 1/10 + 1/2 − 1/8) = 0.7246 → 0.39–6.62
    ratio = pick(results, "wres.4", "White:BME")
    assert_ratio(ratio, 4, 10, 2, 8)
    assert ratio.value == pytest.approx(1.6)
    assert_rate(pick(results, "wres.4", "Unknown"), 1, 2)
    assert "12 months to 31 March 2024" in (ratio.note or "")


# --- WRES 5-8 -----------------------------------------------------------------------------


def wres_survey_rows() -> list[dict[str, Any]]:
    # White respondents w1-w10 (A), BME b1-b8 (H), Unknown u1-u2 (not known)
    q14a = answers("q14a", "w", "A", 3, 7) + answers("q14a", "b", "H", 4, 4)
    q14a += answers("q14a", "u", None, 1, 1)
    # From staff (q14b or q14c): w1 managers only, w2 colleagues only, w3 both; w4 answered
    # q14b only (no); w5 answered neither (left out); w6-w10 no to both → 3 of 9.
    # b1 managers only; b2-b8 no to both → 1 of 8. u1, u2 no to both → 0 of 2.
    staff_rows = survey_rows(
        "q14b",
        [("w1", "A", None, True), ("w2", "A", None, False), ("w3", "A", None, True)]
        + [("w4", "A", None, False)]
        + [(f"w{i}", "A", None, False) for i in range(6, 11)]
        + [("b1", "H", None, True)]
        + [(f"b{i}", "H", None, False) for i in range(2, 9)]
        + [("u1", None, None, False), ("u2", None, None, False)],
    ) + survey_rows(
        "q14c",
        [("w1", "A", None, False), ("w2", "A", None, True), ("w3", "A", None, True)]
        + [("w4", "A", None, None), ("w5", "A", None, None)]
        + [(f"w{i}", "A", None, False) for i in range(6, 11)]
        + [(f"b{i}", "H", None, False) for i in range(1, 9)]
        + [("u1", None, None, False), ("u2", None, None, False)],
    )
    # q15: White 6 yes, 2 no, 2 don't know (no answer) → 6 of 8; BME 3 of 8
    q15 = answers("q15", "w", "A", 6, 2, 2) + answers("q15", "b", "H", 3, 5)
    # q16b: White 1 of 10; BME 2 of 8
    q16b = answers("q16b", "w", "A", 1, 9) + answers("q16b", "b", "H", 2, 6)
    return q14a + staff_rows + q15 + q16b


def test_wres_5_to_8_hand_worked(engine: EngineName) -> None:
    frames = {"survey": survey(wres_survey_rows())}
    results = compute_results(frames, ["wres.5", "wres.6", "wres.7", "wres.8"], engine=engine)
    expected = {
        "wres.5": ((3, 10), (4, 8)),
        "wres.6": ((3, 9), (1, 8)),
        "wres.7": ((6, 8), (3, 8)),
        "wres.8": ((1, 10), (2, 8)),
    }
    for id, ((we, wn), (be, bn)) in expected.items():
        assert_rate(pick(results, id, "White"), we, wn)
        assert_rate(pick(results, id, "BME"), be, bn)
        diff = pick(results, id, "BME:White")
        value, low, high = newcombe(be, bn, we, wn)
        assert diff.measure is Measure.DIFFERENCE and diff.unit is Unit.PERCENTAGE_POINTS
        assert diff.value == pytest.approx(value)
        assert diff.ci_lower == pytest.approx(low) and diff.ci_upper == pytest.approx(high)
        assert diff.period == 2024 and "NHS Staff Survey 2023" in (diff.note or "")
    # e.g. WRES 5: BME 50.0% − White 30.0% = 20.0 points
    assert pick(results, "wres.5", "BME:White").value == pytest.approx(20.0)
    assert_rate(pick(results, "wres.5", "Unknown"), 1, 2)
    assert_rate(pick(results, "wres.6", "Unknown"), 0, 2)
    assert "respondent-level" in (pick(results, "wres.6", "White").note or "")


def test_survey_aggregates_give_the_same_percentages(engine: EngineName) -> None:
    rows = wres_survey_rows()
    # R1H also sends an aggregate row: respondent-level answers are preferred, it is ignored
    rows.append(aggregate("R1H", "q14a", group="White", n=100, pos=100))
    # RR8: the same counts as R1H's respondents, as aggregates (WRES 6 as q14b_c)
    for question, white, bme in (
        ("q14a", (3, 10), (4, 8)),
        ("q14b_c", (3, 9), (1, 8)),
        ("q15", (6, 8), (3, 8)),
        ("q16b", (1, 10), (2, 8)),
    ):
        rows.append(aggregate("RR8", question, group="White", n=white[1], pos=white[0]))
        rows.append(aggregate("RR8", question, group="BME", n=bme[1], pos=bme[0]))
    # RR8 also sends separate q14b / q14c aggregates: the combined ones are used
    rows.append(aggregate("RR8", "q14b", group="White", n=9, pos=2))
    # RX1: only separate aggregates for WRES 6 — they cannot be combined
    rows.append(aggregate("RX1", "q14b", group="BME", n=40, pos=8))
    rows.append(aggregate("RX1", "q14c", group="BME", n=40, pos=12))
    results = compute_results(
        {"survey": survey(rows)}, ["wres.5", "wres.6", "wres.7", "wres.8"], engine=engine
    )
    for id in ("wres.5", "wres.6", "wres.7", "wres.8"):
        for group in ("White", "BME", "BME:White"):
            mine = [r for r in results if r.id == id and r.group == group]
            by_org = {r.org: r for r in mine}
            assert by_org["R1H"].value == pytest.approx(by_org["RR8"].value)
            assert by_org["R1H"].ci_lower == pytest.approx(by_org["RR8"].ci_lower)
            assert by_org["R1H"].numerator == by_org["RR8"].numerator
    rr8 = next(r for r in results if r.id == "wres.6" and r.org == "RR8" and r.group == "White")
    assert "aggregates" in (rr8.note or "") and "q14b_c" in (rr8.note or "")
    rx1 = [r for r in results if r.org == "RX1"]
    assert [(r.id, r.group, r.value) for r in rx1] == [("wres.6", "BME", None)]
    assert "cannot be combined" in (rx1[0].note or "")


# --- WRES 9 --------------------------------------------------------------------------------


def test_wres_9_hand_worked(engine: EngineName) -> None:
    board: dict[str, Any] = {"band": "VSM", "group": ADMIN, "board": True}
    rows = [
        person("E1", "A", **board, executive=True, voting=True),
        person("E2", "H", **board, executive=True, voting=True),
        person("E3", "C", **board, executive=True, voting=False),
        person("N1", "B", **board, executive=False, voting=True),  # non-executives: on the
        person("N2", "M", **board, executive=False, voting=True),  # board, not the workforce
        *people("W", 10, "A"),
        *people("B", 5, "H"),
        *people("U", 2, None),
    ]
    results = compute_results({"staff": staff(rows)}, ["wres.9"], engine=engine)
    # Workforce 20 (E1-E3 and 17 staff): White 12 (60%), BME 6 (30%), Unknown 2 (10%).
    # Board 5: White E1, E3, N1 (60%), BME E2, N2 (40%) → 0, +10, −10 points.
    # Voting 4: White E1, N1 (50%), BME E2, N2 (50%) → −10, +20, −10.
    # Executive 3: White E1, E3 (66.7%), BME E2 (33.3%) → +6.67, +3.33, −10.
    expected = {
        "board": (0.0, 10.0, -10.0),
        "voting": (-10.0, 20.0, -10.0),
        "executive": (200 / 3 - 60, 100 / 3 - 30, -10.0),
    }
    for membership, values in expected.items():
        for group, value in zip(("White", "BME", "Unknown"), values, strict=True):
            r = pick(results, "wres.9", group, membership=membership)
            assert r.measure is Measure.DIFFERENCE and r.unit is Unit.PERCENTAGE_POINTS
            assert r.value == pytest.approx(value, abs=1e-9)
            assert r.reference_denominator == 20
    voting_bme = pick(results, "wres.9", "BME", membership="voting")
    assert (voting_bme.numerator, voting_bme.denominator) == (2, 4)
    assert voting_bme.reference_numerator == 6
    assert len(results) == 9


def test_survey_respondents_grouped_by_their_wres_group_when_no_category() -> None:
    # Respondents carrying only the WRES group (no ethnic category): 2 of 4 BME, 1 of 5 White
    rows = [
        {**row, "ethnic_category": None, "ethnic_group": group}
        for group, yes, no in (("BME", 2, 2), ("White", 1, 4))
        for row in answers("q16b", group[0], None, yes, no)
    ]
    rows += answers("q16b", "z", None, 1, 0)  # neither: Unknown
    results = compute_results({"survey": survey(rows)}, ["wres.8"])
    assert_rate(pick(results, "wres.8", "BME"), 2, 4)
    assert_rate(pick(results, "wres.8", "White"), 1, 5)
    assert_rate(pick(results, "wres.8", "Unknown"), 1, 1)
