"""WDES 1-8 and 10 and the declaration rate worked by hand, on Polars, DuckDB and PySpark.

Tables and independent statistics come from test_wres.py; every expected figure is worked
out in the comments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from ladder.engines import EngineName
from ladder.metrics.results import Measure, Unit
from ladder.metrics.settings import Settings
from tests.metrics.conftest import compute_results, pick
from tests.metrics.test_wres import (
    ADMIN,
    IN_YEAR,
    aggregate,
    assert_rate,
    assert_ratio,
    cases,
    newcombe,
    people,
    person,
    staff,
    survey,
    survey_rows,
)

# --- WDES 1, 10 and the declaration rate ------------------------------------------------------


def test_wdes_1_10_and_declaration_hand_worked(engine: EngineName) -> None:
    rows = [
        # an executive (VSM, non-clinical) who is disabled, and a non-executive (not in the
        # workforce) who has not declared
        person("E1", band="VSM", group=ADMIN, disability=True, board=True, executive=True),
        person("N1", band="Other", group=ADMIN, disability=None, board=True, executive=False),
        # clinical Band 5: disabled 1, non-disabled 3, not declared 1
        person("D1", disability=True),
        *people("ND", 3, "A", disability=False),
        person("U1", disability=None),
        # medical trainees: non-disabled 2
        *people("MT", 2, "A", band="Trainee grade", group="Medical and Dental"),
    ]
    for member in rows[:2]:
        member["is_voting_member"] = True
    results = compute_results(
        {"staff": staff(rows)}, ["wdes.1", "wdes.10", "wdes.declaration"], engine=engine
    )
    # WDES 1. Workforce 8: Disabled 2 (25%), Non-disabled 5 (62.5%), Unknown 1 (12.5%)
    assert_rate(pick(results, "wdes.1", "Disabled", cluster="all", pay_band="all"), 2, 8)
    assert_rate(pick(results, "wdes.1", "Non-disabled", cluster="all", pay_band="all"), 5, 8)
    assert_rate(pick(results, "wdes.1", "Unknown", cluster="all", pay_band="all"), 1, 8)
    assert_rate(pick(results, "wdes.1", "Disabled", cluster="clinical", pay_band="Band 5"), 1, 5)
    assert_rate(pick(results, "wdes.1", "Disabled", cluster="non-clinical", pay_band="VSM"), 1, 1)
    trainees = pick(results, "wdes.1", "Non-disabled", cluster="medical", pay_band="Trainee grade")
    assert trainees.measure is Measure.SHARE
    assert_rate(trainees, 2, 2)
    # Declaration: 7 of the 8 have declared (U1 has not) = 87.5%
    declared = pick(results, "wdes.declaration", "Declared")
    assert_rate(declared, 7, 8)
    # WDES 10. Board E1, N1: Disabled 1 (50%), Non-disabled 0, Unknown 1 (50%):
    # 50 − 25 = 25; 0 − 62.5 = −62.5; 50 − 12.5 = 37.5. Executives (E1 only): 75, −62.5, −12.5
    expected = {
        "board": (25.0, -62.5, 37.5),
        "voting": (25.0, -62.5, 37.5),
        "executive": (75.0, -62.5, -12.5),
    }
    for membership, values in expected.items():
        for group, value in zip(("Disabled", "Non-disabled", "Unknown"), values, strict=True):
            r = pick(results, "wdes.10", group, membership=membership)
            assert r.unit is Unit.PERCENTAGE_POINTS and r.value == pytest.approx(value)


# --- WDES 2 ------------------------------------------------------------------------------


def test_wdes_2_hand_worked(engine: EngineName) -> None:
    # Non-disabled: 40 shortlisted, 12 appointed (30%); disabled: 20 shortlisted, 4 appointed
    # (20%); not declared: 5 shortlisted, 1 appointed. Not shortlisted rows never count.
    counts: list[tuple[bool | None, bool, bool, int]] = [
        (False, True, True, 12),
        (False, True, False, 28),
        (True, True, True, 4),
        (True, True, False, 16),
        (None, True, True, 1),
        (None, True, False, 4),
        (True, False, False, 50),
    ]
    rows = [
        (disabled, short, appointed) for disabled, short, appointed, k in counts for _ in range(k)
    ]
    applications = pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(len(rows))],
            "vacancy_id": ["V1"] * len(rows),
            "org_code": ["R1H"] * len(rows),
            "applied_date": [IN_YEAR] * len(rows),
            "disability": [r[0] for r in rows],
            "shortlisted": [r[1] for r in rows],
            "appointed": [r[2] for r in rows],
        }
    )
    results = compute_results({"applications": applications}, ["wdes.2"], engine=engine)
    # RL = 0.30 / 0.20 = 1.5; SE = sqrt(1/12 − 1/40 + 1/4 − 1/20) = 0.5083 → 0.55–4.06
    ratio = pick(results, "wdes.2", "Non-disabled:Disabled")
    assert_ratio(ratio, 12, 40, 4, 20)
    assert ratio.value == pytest.approx(1.5)
    assert "no_evidence_of_difference" in ratio.flags
    assert_rate(pick(results, "wdes.2", "Unknown"), 1, 5)


# --- WDES 3 ------------------------------------------------------------------------------


def capability(
    staff_id: str, date: dt.date, reason: str = "performance", disabled: bool | None = None
) -> tuple[Any, ...]:
    return (staff_id, date, "capability", reason, None, disabled)


def wdes3_frames() -> dict[str, pl.DataFrame]:
    snapshot = staff(
        [
            *people("D", 10, "A", disability=True),
            *people("N", 40, "A", disability=False),
            *people("U", 5, "A", disability=None),
        ]
    )
    rows = [
        capability("D01", dt.date(2023, 6, 1)),  # this year
        capability("D02", dt.date(2022, 9, 1)),  # last year: in the two-year window
        capability("D03", dt.date(2023, 7, 1), "ill_health"),  # ill health: not counted
        ("D04", IN_YEAR, "disciplinary", None, None, None),  # not capability
        capability("N01", dt.date(2023, 5, 1)),
        capability("N01", dt.date(2022, 6, 1)),  # both years: one person
        capability("N02", dt.date(2022, 5, 1)),
        capability("N03", dt.date(2021, 5, 1)),  # three years ago: outside the window
        capability("U01", dt.date(2023, 8, 1)),
        capability("L01", dt.date(2023, 8, 1), disabled=True),  # a leaver, disabled per case
    ]
    return {"staff": snapshot, "cases": cases(rows)}


def test_wdes_3_hand_worked(engine: EngineName) -> None:
    results = compute_results(wdes3_frames(), ["wdes.3"], engine=engine)
    # Two years to 31 March 2024: disabled D01, D02, L01 = 3 of 10; non-disabled N01, N02
    # = 2 of 40. RL = 0.30 / 0.05 = 6.0; SE = sqrt(1/3 − 1/10 + 1/2 − 1/40) = 0.8416
    # → 1.15–31.24
    ratio = pick(results, "wdes.3", "Disabled:Non-disabled")
    assert_ratio(ratio, 3, 10, 2, 40)
    assert ratio.value == pytest.approx(6.0)
    assert "no_evidence_of_difference" not in ratio.flags
    assert "in the 24 months to 31 March 2024" in (ratio.note or "")
    assert "incomplete_window" not in ratio.flags
    assert_rate(pick(results, "wdes.3", "Unknown"), 1, 5)


def test_wdes_3_one_year_window() -> None:
    results = compute_results(
        wdes3_frames(), ["wdes.3"], settings=Settings(threshold=1, capability_years=1)
    )
    # This year only: disabled D01, L01 = 2 of 10; non-disabled N01 = 1 of 40 → 8.0
    assert_ratio(pick(results, "wdes.3", "Disabled:Non-disabled"), 2, 10, 1, 40)


# --- WDES 4-8 ----------------------------------------------------------------------------


def respondents(question: str, disabled: tuple[int, int, int], non: tuple[int, int]) -> Any:
    """Disabled d1… (yes, no, blank) and non-disabled n1… (yes, no) answers to ``question``."""
    d_yes, d_no, d_blank = disabled
    d_values: list[bool | None] = [True] * d_yes + [False] * d_no + [None] * d_blank
    n_values = [True] * non[0] + [False] * non[1]
    return survey_rows(
        question,
        [(f"d{i}", "A", True, v) for i, v in enumerate(d_values, 1)]
        + [(f"n{i}", "H", False, v) for i, v in enumerate(n_values, 1)],
    )


def test_wdes_4_to_8_hand_worked(engine: EngineName) -> None:
    rows = (
        respondents("q14a", (3, 3, 0), (2, 8))  # 3 of 6 vs 2 of 10
        + respondents("q14b", (2, 4, 0), (1, 9))  # 2 of 6 vs 1 of 10
        + respondents("q14c", (1, 5, 0), (0, 10))  # 1 of 6 vs 0 of 10
        + respondents("q15", (2, 3, 1), (6, 4))  # 2 of 5 (one don't know) vs 6 of 10
        + respondents("q11e", (3, 3, 0), (2, 8))  # 3 of 6 vs 2 of 10
        + respondents("q4b", (2, 4, 0), (5, 5))  # 2 of 6 vs 5 of 10
        + respondents("q30b", (4, 1, 1), (1, 0))  # disabled 4 of 5; n1's answer is ignored
        + survey_rows("q14a", [("x1", "A", None, True)])  # not declared: Unknown 1 of 1
    )
    ids = ["wdes.4", "wdes.5", "wdes.6", "wdes.7", "wdes.8"]
    results = compute_results({"survey": survey(rows)}, ids, engine=engine)
    expected: dict[tuple[str, str | None], tuple[tuple[int, int], tuple[int, int]]] = {
        ("wdes.4", "patients_public"): ((3, 6), (2, 10)),
        ("wdes.4", "managers"): ((2, 6), (1, 10)),
        ("wdes.4", "colleagues"): ((1, 6), (0, 10)),
        ("wdes.5", None): ((2, 5), (6, 10)),
        ("wdes.6", None): ((3, 6), (2, 10)),
        ("wdes.7", None): ((2, 6), (5, 10)),
    }
    for (id, source), ((de, dn), (ne, nn)) in expected.items():
        cut = {"from": source} if source else {}
        assert_rate(pick(results, id, "Disabled", **cut), de, dn)
        assert_rate(pick(results, id, "Non-disabled", **cut), ne, nn)
        diff = pick(results, id, "Disabled:Non-disabled", **cut)
        value, low, high = newcombe(de, dn, ne, nn)
        assert diff.value == pytest.approx(value)
        assert diff.ci_lower == pytest.approx(low) and diff.ci_upper == pytest.approx(high)
    # WDES 4 from colleagues: 16.7% − 0.0% = 16.7 points
    colleagues = pick(results, "wdes.4", "Disabled:Non-disabled", **{"from": "colleagues"})
    assert colleagues.value == pytest.approx(100 / 6)
    assert_rate(pick(results, "wdes.4", "Unknown", **{"from": "patients_public"}), 1, 1)
    # WDES 8 is about disabled staff only: one figure, no difference
    wdes8 = [r for r in results if r.id == "wdes.8"]
    assert [r.group for r in wdes8] == ["Disabled"]
    assert_rate(wdes8[0], 4, 5)


def test_wdes_survey_aggregates_match_respondent_level() -> None:
    rows = respondents("q15", (2, 3, 1), (6, 4))
    # RR8 gives the same counts as aggregates by disability; an ethnicity aggregate (no
    # disability) is not a WDES row and is left out
    rows += [
        aggregate("RR8", "q15", disabled=True, n=5, pos=2),
        aggregate("RR8", "q15", disabled=False, n=10, pos=6),
        aggregate("RR8", "q15", group="White", n=99, pos=50),
    ]
    results = compute_results({"survey": survey(rows)}, ["wdes.5"])
    for group in ("Disabled", "Non-disabled", "Disabled:Non-disabled"):
        by_org = {r.org: r for r in results if r.group == group}
        assert set(by_org) == {"R1H", "RR8"}
        assert by_org["R1H"].value == pytest.approx(by_org["RR8"].value)
        assert by_org["R1H"].ci_upper == pytest.approx(by_org["RR8"].ci_upper)
    assert not [r for r in results if r.org == "RR8" and r.group == "Unknown"]
