"""WRES 2 worked by hand: appointment from shortlisting, White vs BME."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from ladder.engines import EngineName
from tests.metrics.conftest import compute_results, pick


def applications(rows: list[tuple[str | None, bool, bool]]) -> pl.DataFrame:
    """(ethnic code, shortlisted, appointed) rows for one trust, applied in 2023/24."""
    return pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(len(rows))],
            "vacancy_id": ["V1"] * len(rows),
            "org_code": ["R1H"] * len(rows),
            "applied_date": [dt.date(2023, 10, 1)] * len(rows),
            "ethnic_category": [r[0] for r in rows],
            "shortlisted": [r[1] for r in rows],
            "appointed": [r[2] for r in rows],
        }
    )


def test_hand_worked(engine: EngineName) -> None:
    # White: 40 shortlisted, 12 appointed (30%); BME: 50 shortlisted, 10 appointed (20%).
    # Unknown: 10 shortlisted, 5 appointed. Not shortlisted rows never count.
    rows = (
        [("A", True, True)] * 12
        + [("B", True, False)] * 28
        + [("H", True, True)] * 10
        + [("N", True, False)] * 40
        + [("Z", True, True)] * 5
        + [(None, True, False)] * 5
        + [("A", False, False)] * 100
    )
    results = compute_results({"applications": applications(rows)}, ["wres.2"], engine=engine)
    ratio = pick(results, "wres.2", "White:BME")
    # RL = 0.30 / 0.20 = 1.5; SE(ln RR) = sqrt(1/12 - 1/40 + 1/10 - 1/50) = sqrt(0.13833…)
    assert ratio.value == pytest.approx(1.5)
    se = math.sqrt(1 / 12 - 1 / 40 + 1 / 10 - 1 / 50)
    assert ratio.ci_lower == pytest.approx(1.5 * math.exp(-1.959964 * se), rel=1e-6)
    assert ratio.ci_upper == pytest.approx(1.5 * math.exp(1.959964 * se), rel=1e-6)
    assert (ratio.numerator, ratio.denominator) == (12, 40)
    assert (ratio.reference_numerator, ratio.reference_denominator) == (10, 50)
    assert "no_evidence_of_difference" in ratio.flags  # CI ≈ 0.72–3.12 includes 1
    assert "outside_four_fifths" in ratio.flags
    white = pick(results, "wres.2", "White")
    assert white.value == pytest.approx(30.0)
    unknown = pick(results, "wres.2", "Unknown")
    assert (unknown.numerator, unknown.denominator) == (5, 10)
    assert ratio.period == 2024 and ratio.org == "R1H"
