"""Each indicator's wording is part of its declaration; the report's sentences read it."""

from __future__ import annotations

import pytest

from ladder.metrics import registry
from ladder.metrics.registry import Indicator, Wording, wording_of
from ladder.metrics.results import Measure, Result, Unit
from ladder.reports.words import sentence


def test_declared_wordings_are_found_by_result_id() -> None:
    appointed = wording_of("wres.2")
    assert appointed is not None and appointed.subject == "applicants"
    assert appointed.likely == "be appointed from shortlisting"
    assert wording_of("wdes.2") == appointed  # the kit's one wording, shared
    bonus = wording_of("paygap.disability.bonus_proportion")
    assert bonus == Wording("employees", "received bonus pay")
    assert wording_of("paygap.disability.mean_hourly") is None
    assert wording_of("no.such.id") is None


def _ratio(id: str) -> Result:
    return Result(
        id=id,
        title="Relative likelihood of something",
        org="R1H",
        period=2024,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        value=2.0,
        method="m",
        group="White:BME",
        numerator=40,
        denominator=100,
        reference_numerator=20,
        reference_denominator=100,
        ci_lower=1.2,
        ci_upper=3.3,
    )


def test_a_new_indicator_is_worded_from_its_declaration_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry.all_indicators()  # the families first
    generic = sentence(_ratio("test.promotion"))
    assert generic.startswith("Relative likelihood of something: 2.00")
    declared = Indicator(
        "test.promotion",
        "Promotion",
        "wres",
        ("staff",),
        "m",
        lambda ctx: [],
        wording=Wording("staff", "were promoted", likely="be promoted"),
    )
    monkeypatch.setitem(registry.REGISTRY, "test.promotion", declared)
    monkeypatch.setattr(registry, "_WORDING", {})
    text = sentence(_ratio("test.promotion"))
    assert text.startswith("White staff were 2.00 times as likely as BME staff to be promoted")
