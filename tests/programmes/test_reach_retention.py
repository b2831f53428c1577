"""Reach against a hand-worked catchment, and retention matched across two staff
snapshots against the trust's other new starters."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ladder.metrics.programmes.reach import (
    DECILE,
    PRIORITY,
    QUINTILE,
    catchment_population_shares,
    reach_results,
)
from ladder.metrics.results import Measure
from ladder.synth.frames import conform
from tests.metrics.conftest import compute_results, pick

PRIORITY_LSOAS = ["E01000001", "E01000002"]


def homes(deciles: list[int | None], lsoas: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "lsoa21": lsoas,
            "imd_decile": deciles,
            "imd_quintile": [None if d is None else (d + 1) // 2 for d in deciles],
        },
        schema={"lsoa21": pl.String, "imd_decile": pl.Int64, "imd_quintile": pl.Int64},
    )


def test_reach_against_a_hand_worked_catchment() -> None:
    # The catchment: four neighbourhoods. 1,000 people in a decile-1 priority LSOA, 1,000 in
    # a decile-1 LSOA outside the priority list, 2,000 in decile 2, 6,000 in decile 7.
    # Decile 1: 2,000 / 10,000 = 20%; quintile 1: 4,000 / 10,000 = 40%; priority: 10%.
    catchment = pl.DataFrame(
        {
            "lsoa21": ["E01000001", "E01000009", "E01000010", "E01000011"],
            "population": [1000, 1000, 2000, 6000],
            "imd_decile": [1, 1, 2, 7],
        }
    )
    shares = catchment_population_shares(catchment, PRIORITY_LSOAS)
    assert shares == {DECILE: 20.0, QUINTILE: 40.0, PRIORITY: 10.0}

    # 25 participants: 12 in decile 1 (10 of them in the priority LSOAs), 4 in decile 2,
    # 4 in decile 6, 5 with no known home area (left out of the shares).
    participants = homes(
        [1] * 12 + [2] * 4 + [6] * 4 + [None] * 5,
        ["E01000001"] * 6
        + ["E01000002"] * 4
        + ["E01000009"] * 2
        + ["E01000010"] * 4
        + ["E01000020"] * 4
        + [None] * 5,
    )
    # applicants: 100 known, 15 in decile 1, 10 in decile 2, 5 in the priority LSOAs
    applicants = homes(
        [1] * 15 + [2] * 10 + [8] * 75,
        ["E01000001"] * 5 + ["E01000009"] * 10 + ["E01000030"] * 85,
    )
    results = reach_results(
        participants,
        programme="Academy",
        org="RR8",
        period=2024,
        catchment=shares,
        priority=PRIORITY_LSOAS,
        applicants=applicants,
    )
    mine = {(r.group, r.breakdown["population"]): r for r in results}
    decile = mine[(DECILE, "participants")]
    assert (decile.numerator, decile.denominator, decile.value) == (12, 20, 60.0)
    assert mine[(QUINTILE, "participants")].value == 80.0  # 16 / 20
    assert mine[(PRIORITY, "participants")].value == 50.0  # 10 / 20
    assert mine[(DECILE, "applicants")].value == 15.0
    assert mine[(QUINTILE, "applicants")].value == 25.0
    assert mine[(PRIORITY, "applicants")].value == 5.0
    assert mine[(DECILE, "catchment")].value == 20.0
    assert mine[(DECILE, "catchment")].id == "programme.reach.catchment"  # not suppressed with
    assert mine[(DECILE, "catchment")].numerator is None  # the participants' table
    difference = mine[(DECILE, "difference")]
    assert difference.measure is Measure.DIFFERENCE
    assert difference.value == pytest.approx(40.0)  # 60% − 20%
    assert mine[(PRIORITY, "difference")].value == pytest.approx(40.0)  # 50% − 10%
    assert decile.ci_lower == pytest.approx(38.658, abs=1e-3)  # Wilson, 12 / 20


S1, S2 = dt.date(2024, 3, 31), dt.date(2025, 3, 31)


def staff_rows() -> pl.DataFrame:
    rows = []

    def person(sid: str, start: dt.date, band: str, later: str | None) -> None:
        rows.append({"staff_id": sid, "snapshot_date": S1, "pay_band": band, "start_date": start})
        if later is not None:
            rows.append(
                {"staff_id": sid, "snapshot_date": S2, "pay_band": later, "start_date": start}
            )

    # 12 recruits, started 1 October 2023 in band 2: 2 left by 2025, 3 of the 10 moved up
    for i in range(12):
        person(
            f"R{i}",
            dt.date(2023, 10, 1),
            "Band 2",
            None if i < 2 else "Band 3" if i < 5 else "Band 2",
        )
    # 20 other new starters in band 2 between the recruits' starts: 8 left, 2 of 12 moved up
    for i in range(20):
        person(
            f"O{i}",
            dt.date(2023, 10, 1),
            "Band 2",
            None if i < 8 else "Band 3" if i < 10 else "Band 2",
        )
    person("X1", dt.date(2023, 10, 1), "Band 5", None)  # another band: not compared
    person("X2", dt.date(2022, 1, 1), "Band 2", None)  # started earlier: not compared
    frame = pl.DataFrame(rows).with_columns(pl.lit("RR8").alias("org_code"))
    return conform(frame, "staff")


def recruits() -> pl.DataFrame:
    rows = [
        {
            "participant_id": f"P{i}",
            "programme": "Academy",
            "cohort": "2023-06",
            "org_code": "RR8",
            "engaged_date": dt.date(2023, 6, 1),
            "trained_date": dt.date(2023, 7, 1),
            "employed_date": dt.date(2023, 10, 1),
            "staff_id": f"R{i}",
        }
        for i in range(12)
    ]
    rows.append(  # engaged, never recruited
        {
            "participant_id": "P99",
            "programme": "Academy",
            "cohort": "2023-06",
            "org_code": "RR8",
            "engaged_date": dt.date(2023, 6, 1),
        }
    )
    return conform(pl.DataFrame(rows), "participants")


def test_retention_across_two_staff_snapshots() -> None:
    results = compute_results(
        {"participants": recruits(), "staff": staff_rows()}, ["programme.retention"]
    )
    for months in ("6", "12"):
        mine = pick(results, "programme.retention", "programme recruits", months=months)
        others = pick(results, "programme.retention", "other new starters", months=months)
        # 6 months: seen in post in March 2024 (before 1 April 2024), looked for in 2025
        assert (mine.numerator, mine.denominator) == (10, 12)
        assert (others.numerator, others.denominator) == (12, 20)
        ratio = pick(
            results,
            "programme.retention",
            "programme recruits:other new starters",
            months=months,
        )
        assert ratio.value == pytest.approx((10 / 12) / (12 / 20))
        assert "no_evidence_of_difference" in ratio.flags
    up = pick(results, "programme.progression", "programme recruits")
    assert (up.numerator, up.denominator) == (3, 10)
    others_up = pick(results, "programme.progression", "other new starters")
    assert (others_up.numerator, others_up.denominator) == (2, 12)
    assert "Band 2" in (up.note or "")


def test_one_staff_snapshot_gives_no_retention_figures() -> None:
    staff = staff_rows().filter(pl.col("snapshot_date") == S1)
    results = compute_results({"participants": recruits(), "staff": staff}, ["programme.retention"])
    assert results == []
