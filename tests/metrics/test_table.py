"""Results as one frame (stored results, dashboards): written and read back without loss."""

from __future__ import annotations

import math

import polars as pl

from ladder.metrics.results import RESULT_FIELDS, Measure, Result, Unit
from ladder.metrics.table import RESULT_SCHEMA, results_frame, results_from_frame

RATIO = Result(
    id="wres.2",
    title="Relative likelihood",
    org="R1H",
    period=2024,
    measure=Measure.RELATIVE_LIKELIHOOD,
    unit=Unit.RATIO,
    value=1.5,
    method="guidance",
    group="White:BME",
    numerator=30,
    denominator=100,
    reference_numerator=20,
    reference_denominator=100,
    ci_lower=0.9,
    ci_upper=2.5,
    flags=("no_evidence_of_difference", "outside_four_fifths"),
)
SHARE = Result(
    id="wres.1",
    title="Staff in each band",
    org="RR8",
    period=2024,
    measure=Measure.SHARE,
    unit=Unit.PERCENT,
    value=None,
    method="guidance",
    group="BME",
    breakdown={"cluster": "clinical", "pay_band": "Band 5"},
    suppressed=True,
    flags=("suppressed",),
    note="a count below 10",
)
ODD = Result(
    id="paygap.sex.mean_hourly",
    title="Mean gap",
    org="RR8",
    period=2023,
    measure=Measure.GAP,
    unit=Unit.PERCENT,
    value=math.nan,
    method="statute",
)


def test_one_row_per_result_with_the_record_fields() -> None:
    frame = results_frame([RATIO, SHARE, ODD])
    assert frame.columns == list(RESULT_FIELDS)
    assert frame.schema == pl.Schema(RESULT_SCHEMA)
    assert frame["numerator"].to_list() == [30, None, None]
    assert frame["value"].to_list() == [1.5, None, None]  # NaN is null, as in JSON
    assert frame["breakdown"][1].to_list() == [
        {"name": "cluster", "value": "clinical"},
        {"name": "pay_band", "value": "Band 5"},
    ]
    assert frame["flags"][0].to_list() == ["no_evidence_of_difference", "outside_four_fifths"]


def test_read_back_gives_the_same_json_records() -> None:
    back = results_from_frame(results_frame([RATIO, SHARE, ODD]))
    assert [r.to_dict() for r in back] == [r.to_dict() for r in (RATIO, SHARE, ODD)]
    assert back[0] == RATIO and back[1] == SHARE


def test_no_results_give_an_empty_typed_frame() -> None:
    frame = results_frame([])
    assert frame.height == 0 and frame.schema == pl.Schema(RESULT_SCHEMA)
    assert results_from_frame(frame) == []
