"""The recovery attack on hand-built publications whose feasible intervals are known."""

from __future__ import annotations

from typing import Any

from ladder.metrics.disclosure.report import audit

PRIMARY = "a count below 10"
SECONDARY = "withheld so a smaller cell cannot be derived from totals"


def share(
    group: str,
    band: str,
    n: int | None,
    total: int | None,
    note: str | None = None,
    rid: str = "representation.sex",
) -> dict[str, Any]:
    """A representation cell (share of the band's headcount)."""
    return {
        "id": rid,
        "title": "t",
        "org": "X",
        "period": 2024,
        "measure": "share",
        "unit": "percent",
        "value": None if n is None or not total else 100 * n / total,
        "method": "m",
        "group": group,
        "breakdown": {"pay_band": band},
        "numerator": n,
        "denominator": total,
        "reference_numerator": None,
        "reference_denominator": None,
        "ci_lower": None,
        "ci_upper": None,
        "suppressed": n is None,
        "flags": [],
        "note": note,
    }


def published(true: dict[str, Any], note: str) -> dict[str, Any]:
    """``true`` withheld with ``note``."""
    return {
        **true,
        "value": None,
        "numerator": None,
        "denominator": None,
        "suppressed": True,
        "note": note,
    }


def test_a_lone_withheld_cell_is_the_total_less_the_rest() -> None:
    """Band 5: 18 staff, female 14 published, male 4 withheld: 18 − 14 = 4 exactly."""
    truth = [share("female", "Band 5", 14, 18), share("male", "Band 5", 4, 18)]
    pub = [truth[0], published(truth[1], PRIMARY)]
    result = audit(pub, truth, 10)
    assert [(f.low, f.high, f.exact) for f in result.findings] == [(4.0, 4.0, True)]
    assert "sum over sex" in " ".join(result.findings[0].why)


def test_two_cells_below_ten_in_a_line_of_18_are_both_9() -> None:
    """x + y = 18 with both 1..9 (the notes say "below 10"): x = y = 9."""
    truth = [
        share("female", "Band 5", 9, 18),
        share("male", "Band 5", 9, 18),
        share("female", "all", 30, 50),
        share("male", "all", 20, 50),
    ]
    pub = [
        {**published(truth[0], PRIMARY), "denominator": None},
        {**published(truth[1], PRIMARY), "denominator": None},
        truth[2],
        truth[3],
    ]
    # The band's total is published by a third table (the WRES 1 total of the band).
    band_total = {
        **share("female", "Band 5", 18, 18, rid="wres.1"),
        "group": None,
        "breakdown": {"cluster": "all", "pay_band": "Band 5"},
    }
    result = audit([*pub, band_total], [*truth, band_total], 10)
    cells = sorted((f.low, f.high) for f in result.findings if "sex=" in f.what)
    assert cells == [(9.0, 9.0), (9.0, 9.0)]


def test_a_secondary_cell_known_to_be_small_is_zero() -> None:
    """Total 12: a primary cell (1..9) and a secondary one (0 or ≥ 10) sum to 12 − 5 = 7,
    so the secondary cell is 0 and the primary cell is 7. Only the 7 is a finding: a zero
    is published by the rules, so recovering it discloses nothing; the 5, published outright
    here, is a finding too."""
    truth = [
        share("A", "b", 5, 12, rid="representation.age"),
        share("B", "b", 7, 12, rid="representation.age"),
        share("C", "b", 0, 12, rid="representation.age"),
    ]
    pub = [truth[0], published(truth[1], PRIMARY), published(truth[2], SECONDARY)]
    pub[0] = {**pub[0], "numerator": 5, "denominator": 12}
    result = audit(pub, truth, 10)
    assert sorted((f.low, f.high) for f in result.findings) == [(5.0, 5.0), (7.0, 7.0)]
    assert [f.why for f in result.findings if f.low == 5] == [("published",)]


def test_a_wide_line_discloses_nothing() -> None:
    """Total 40, two withheld cells summing to 25 with no note bound: each is 0..25."""
    truth = [
        share("A", "b", 15, 40, rid="representation.age"),
        share("B", "b", 12, 40, rid="representation.age"),
        share("C", "b", 13, 40, rid="representation.age"),
    ]
    pub = [truth[0], published(truth[1], "withheld"), published(truth[2], "withheld")]
    result = audit(pub, truth, 10)
    assert result.findings == []
    assert result.withheld == 3  # the two cells, and the band total they withhold too


def test_nested_groups_give_the_child_count_and_its_mean_pay() -> None:
    """White n = 133 (mean 30), White British n = 126 (mean 29.95): Other White n = 7,
    mean = (133 × 30 − 126 × 29.95) / 7 = 30.9."""

    def mean(group: str, n: int, value: float) -> dict[str, Any]:
        return {
            **share(group, "all", None, n, rid="paygap.ethnicity.hourly_pay.mean"),
            "measure": "mean",
            "unit": "gbp",
            "value": value,
            "breakdown": {},
            "numerator": None,
            "denominator": n,
            "suppressed": False,
        }

    other = (133 * 30 - 126 * 29.95) / 7
    truth = [
        mean("White", 133, 30.0),
        mean("White British", 126, 29.95),
        mean("Other White", 7, other),
    ]
    pub = [
        truth[0],
        truth[1],
        {**truth[2], "value": None, "denominator": None, "suppressed": True, "note": "withheld"},
    ]
    result = audit(pub, truth, 10)
    found = {f.what.split(" of ")[0]: f for f in result.findings}
    assert (found["count"].low, found["count"].high) == (7.0, 7.0)
    assert abs(found["pay sum"].low / 7 - 30.9) < 1e-9
    assert "ethnicity: White = White British + Other White" in found["count"].why


def test_neutral_notes_take_away_the_bounds() -> None:
    """With one neutral note, two withheld cells summing to 18 are each 0..18: no finding
    (the same cells with today's notes are both 9, above)."""
    from ladder.metrics.disclosure.notes import WITHHELD, neutral

    truth = [share("female", "Band 5", 9, 18), share("male", "Band 5", 9, 18)]
    band_total = {
        **share("female", "Band 5", 18, 18, rid="wres.1"),
        "group": None,
        "breakdown": {"cluster": "all", "pay_band": "Band 5"},
    }
    pub = [{**published(t, PRIMARY), "note": f"snapshot 2024-03-31; {PRIMARY}"} for t in truth]
    pub[1]["note"] = f"snapshot 2024-03-31; {SECONDARY}"
    quiet = neutral([*pub, band_total])
    assert [r["note"] for r in quiet[:2]] == [f"snapshot 2024-03-31; {WITHHELD}"] * 2
    assert quiet[2] == band_total
    assert audit(quiet, [*truth, band_total], 10).findings == []
