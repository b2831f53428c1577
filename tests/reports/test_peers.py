"""Peer positions in a run, and published gender pay gap / staff survey figures by ODS code."""

from __future__ import annotations

import polars as pl
import pytest

from ladder import reference
from ladder.metrics.headline import HEADLINES
from ladder.metrics.results import Measure, Result, Unit
from ladder.reports.peers import (
    PeerPosition,
    competition_rank,
    national_pay_gap_context,
    peer_positions,
    published_pay_gap,
    published_staff_survey,
)

WRES2 = "WRES 2 appointed (W:BME)"
GAP_MEAN = "Gender pay gap, mean"


def _wres2(org: str, value: float | None, period: int = 2024) -> Result:
    return Result(
        id="wres.2",
        title="Relative likelihood of appointment from shortlisting",
        org=org,
        period=period,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        value=value,
        method="test",
        group="White:BME",
    )


def _gap(org: str, value: float, period: int = 2024) -> Result:
    return Result(
        id="paygap.sex.mean_hourly",
        title="Gender pay gap (mean hourly)",
        org=org,
        period=period,
        measure=Measure.GAP,
        unit=Unit.PERCENT,
        value=value,
        method="test",
        group="female",
    )


def _by_label(positions: list[PeerPosition]) -> dict[str, PeerPosition]:
    return {p.label: p for p in positions}


# --- peer_positions ---------------------------------------------------------------------------


def test_competition_rank_1224() -> None:
    values = [5.0, 3.0, 3.0, 1.0]
    assert [competition_rank(v, values) for v in values] == [1, 2, 2, 4]


def test_one_position_per_headline_in_order() -> None:
    positions = peer_positions([_wres2("A", 1.2)], "A", 2024)
    assert [p.label for p in positions] == [h.label for h in HEADLINES]


def test_ties_share_rank_and_next_rank_skips() -> None:
    results = [_wres2("A", 2.0), _wres2("B", 1.5), _wres2("C", 1.5), _wres2("D", 1.0)]
    ranks = {org: _by_label(peer_positions(results, org, 2024))[WRES2].rank for org in "ABCD"}
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}
    pos = _by_label(peer_positions(results, "D", 2024))[WRES2]
    assert pos.value == 1.0
    assert pos.of == 4
    assert pos.median == 1.5
    assert pos.lowest == 1.0
    assert pos.highest == 2.0
    assert "1.00 is equality" in pos.note


def test_suppressed_excluded_from_ranking() -> None:
    results = [
        _wres2("A", 3.0).suppress("fewer than 10 people"),
        _wres2("B", 1.5),
        _wres2("C", 1.2),
    ]
    b = _by_label(peer_positions(results, "B", 2024))[WRES2]
    assert (b.rank, b.of, b.highest, b.median) == (1, 2, 1.5, 1.35)
    a = _by_label(peer_positions(results, "A", 2024))[WRES2]
    assert a.value is None and a.rank is None
    assert a.of == 2
    assert a.note.startswith("withheld; ")  # as every withheld figure reads: no reason
    assert "fewer than" not in a.note


def test_missing_headline_and_missing_org() -> None:
    results = [_wres2("A", 1.1), _wres2("B", 1.3), _gap("B", 12.0)]
    a = _by_label(peer_positions(results, "A", 2024))
    assert a[GAP_MEAN].value is None
    assert a[GAP_MEAN].rank is None
    assert a[GAP_MEAN].of == 1
    assert "not computed for A" in a[GAP_MEAN].note
    assert a[WRES2].rank == 2
    z = _by_label(peer_positions(results, "Z", 2024))
    assert z[WRES2].value is None
    assert z[WRES2].of == 2
    assert "Z has no results for period 2024" in z[WRES2].note


def test_other_periods_and_breakdowns_ignored() -> None:
    results = [
        _wres2("A", 1.0),
        _wres2("B", 9.0, period=2023),
        Result(**{**_wres2("C", 5.0).__dict__, "breakdown": {"cluster": "clinical"}}),
    ]
    a = _by_label(peer_positions(results, "A", 2024))[WRES2]
    assert (a.rank, a.of, a.highest) == (1, 1, 1.0)


def test_nan_value_not_ranked() -> None:
    results = [_wres2("A", float("nan")), _wres2("B", 1.4)]
    a = _by_label(peer_positions(results, "A", 2024))[WRES2]
    assert a.value is None and a.rank is None and a.of == 1


# --- reference data ---------------------------------------------------------------------------


def test_reference_frames_typed() -> None:
    gpg = reference.published_gender_pay_gap()
    assert gpg.height == 1092
    assert gpg.schema["snapshot_year"] == pl.Int16
    assert gpg.schema["diff_mean_hourly_pct"] == pl.Float64
    nss = reference.published_staff_survey()
    assert nss.height == 1075
    assert nss.schema["discrimination_internal_rate"] == pl.Float64
    assert nss.group_by("ods_code", "survey_year").len()["len"].max() == 1


# --- published pay gap ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org", "mean", "median"),
    [("R1H", "20.2", "13.3"), ("RR8", "27.9", "9.4"), ("rr8", "27.9", "9.4")],
)
def test_published_pay_gap_2017_18(org: str, mean: str, median: str) -> None:
    pub = published_pay_gap(org)
    assert pub.found
    row = next(r for r in pub.rows if r[0] == "2017-18")
    assert row[pub.headers.index("Mean hourly gap %")] == mean
    assert row[pub.headers.index("Median hourly gap %")] == median
    assert all(len(r) == len(pub.headers) for r in pub.rows)
    assert "matched by name" in pub.message or "by employer name" in pub.message


def test_published_pay_gap_every_year_for_barts() -> None:
    pub = published_pay_gap("R1H")
    assert [r[0] for r in pub.rows] == ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22"]
    assert pub.rows[1][pub.headers.index("Median hourly gap %")] == "11.0"


def test_published_pay_gap_unknown() -> None:
    pub = published_pay_gap("XYZ99")
    assert not pub.found
    assert pub.rows == []
    assert "XYZ99" in pub.message
    assert "not in the gender pay gap service's NHS subset" in pub.message


# --- published staff survey -------------------------------------------------------------------


def test_published_staff_survey_barts() -> None:
    pub = published_staff_survey("R1H")
    assert pub.found
    years = [r[0] for r in pub.rows[:4]]
    assert years == ["2021", "2022", "2023", "2024"]
    col = pub.headers.index("Discrimination from manager/colleagues %")
    assert pub.rows[0][col] == "15.3"
    # the shared README rounds this to 54%
    assert pub.rows[0][pub.headers.index("Ethnic-minority respondents %")] == "54.3"
    rank_row, median_row = pub.rows[4], pub.rows[5]
    assert rank_row[0].startswith("2024: rank")
    assert median_row[0] == "2024: group median"
    rank, _, of = rank_row[col].partition(" of ")
    assert 1 <= int(rank) <= int(of)
    assert "Acute and Acute & Community Trusts" in pub.message


def test_published_staff_survey_leeds_and_group_median() -> None:
    pub = published_staff_survey("RR8")
    col = pub.headers.index("Discrimination from manager/colleagues %")
    assert pub.rows[0][col] == "7.6"
    nss = reference.published_staff_survey()
    group = nss.filter(
        (pl.col("survey_year") == 2024)
        & (pl.col("benchmarking_group") == "Acute and Acute & Community Trusts")
    )
    expected = group["discrimination_internal_rate"].median()
    assert isinstance(expected, float)
    assert pub.rows[-1][col] == f"{expected:.1f}"
    assert pub.rows[-2][col].endswith(f" of {group.height}")


def test_published_staff_survey_unknown() -> None:
    pub = published_staff_survey("XYZ99")
    assert not pub.found
    assert pub.rows == []
    assert "XYZ99" in pub.message


# --- national context -------------------------------------------------------------------------


def test_national_pay_gap_context_leeds_2017() -> None:
    text = national_pay_gap_context("RR8", 2017)
    assert text is not None
    gpg = reference.published_gender_pay_gap().filter(pl.col("snapshot_year") == 2017)
    median = gpg["diff_median_hourly_pct"].median()
    assert isinstance(median, float)
    assert "9.4%" in text
    assert "2017-18" in text
    assert f"median of NHS employers 2017-18: {median:.1f}%" in text


def test_national_pay_gap_context_unavailable() -> None:
    assert national_pay_gap_context("XYZ99", 2017) is None
    assert national_pay_gap_context("R1H", 2030) is None
