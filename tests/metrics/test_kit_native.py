"""The Polars engine's fast paths of the shared kit give what the Narwhals forms give.

The kit builds its Polars queries from native expressions (cheaper than Narwhals'
translation on one trust); each native label is checked equal to its Narwhals form on every
code, a blank and unexpected values, and each fast path's table equal to the generic path's
(the same Polars frames run through the Narwhals code, as on the other engines).
"""

from __future__ import annotations

import importlib
from datetime import date

import narwhals as nw
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ladder.codes import MEDICAL_GRADES, SEB_GROUP, STAFF_GROUPS, WRES_GROUP
from ladder.engines import EngineName
from ladder.metrics.context import Context
from ladder.metrics.expressions import disability_group, ethnic_group, seb_group, to_polars
from ladder.metrics.indicators.place import DEPRIVATION
from ladder.metrics.inputs import load_frames
from ladder.metrics.kit import DISABILITY, ETHNICITY, SurveyItem
from ladder.metrics.kit.groupings import disability_label, ethnic_label, seb_label
from ladder.metrics.kit.recruitment import application_counts
from tests.metrics.test_wres import SURVEY_SCHEMA

workforce_kit = importlib.import_module("ladder.metrics.kit.workforce")
survey_kit = importlib.import_module("ladder.metrics.kit.survey")

ODD = ["a", "ZZ", "", "White"]


def _same(frame: pl.DataFrame, native: pl.Expr, generic: nw.Expr) -> None:
    expected = nw.from_native(frame).select(generic.alias("x")).to_native()
    assert_frame_equal(frame.select(native.alias("x")), expected)


def test_labels_equal_their_narwhals_forms() -> None:
    codes = pl.DataFrame({"ethnic_category": [*WRES_GROUP, None, *ODD]})
    _same(codes, ethnic_label(), ethnic_group())
    flags = pl.DataFrame({"disability": [True, False, None]})
    _same(flags, disability_label(), disability_group())
    answers = pl.DataFrame({"seb_parent_occupation": [*SEB_GROUP, 0, 10, None]})
    _same(answers, seb_label(), seb_group())


def test_groupings_native_forms_equal_their_narwhals_forms() -> None:
    rows = pl.DataFrame(
        {
            "ethnic_category": [*WRES_GROUP, None, None, None, *ODD],
            "ethnic_group": [None] * len(WRES_GROUP) + ["BME", None, "White"] + ["BME"] * 4,
        }
    ).with_columns(pl.Series("disability", [True, False, None] * 8)[: len(WRES_GROUP) + 7])
    for grouping in (ETHNICITY, DISABILITY):
        native = grouping.native
        assert native is not None
        _same(rows, native.of(grouping.column), grouping.expr())
        _same(rows, native.respondent(), grouping.respondent())
        _same(rows, native.aggregate_filter(), grouping.aggregate_filter())
        _same(rows, native.aggregate(), grouping.aggregate())


def test_deprivation_native_form_equals_its_narwhals_form() -> None:
    rows = pl.DataFrame({"imd_quintile": [1, 2, 3, 4, 5, None, 0, 6]})
    native = DEPRIVATION.native
    assert native is not None
    _same(rows, native.of(DEPRIVATION.column), DEPRIVATION.expr())
    for name in ("respondent", "aggregate_filter", "aggregate"):
        _same(rows, getattr(native, name)(), getattr(DEPRIVATION, name)())


def test_cluster_and_band_equal_their_narwhals_forms() -> None:
    groups = [*STAFF_GROUPS, None, "Other"]
    bands = [*MEDICAL_GRADES, "Band 5", "VSM", None]
    frame = pl.DataFrame(
        [(g, b, e) for g in groups for b in bands for e in (True, False, None)],
        schema={"staff_group": pl.String, "pay_band": pl.String, "is_executive": pl.Boolean},
        orient="row",
    )
    _same(frame, workforce_kit._cluster_native(), workforce_kit.cluster())
    _same(frame, workforce_kit._band_native(), workforce_kit.reported_band())


def _generic(ctx: Context) -> Context:
    """The same frames run through the generic (Narwhals) code path."""
    return Context(ctx.frames, EngineName.duckdb, ctx.settings)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(pl.all(), nulls_last=True)


def test_application_counts_fast_path() -> None:
    applications = pl.DataFrame(
        {
            "application_id": [f"A{i}" for i in range(12)],
            "org_code": ["R1"] * 11 + [None],
            "applied_date": [date(2023, 6, 1)] * 6 + [date(2024, 5, 1)] * 6,
            "ethnic_category": ["A", "D", None, "Z", "q", "A"] * 2,
            "disability": [True, False, None] * 4,
            "seb_parent_occupation": [1, 3, 4, 8, None, 9] * 2,
            "seb_school_type": ["state", "dont_know", None, "independent", "x", "outside_uk"] * 2,
            "seb_free_school_meals": ["yes", "no", None, "prefer_not_to_say", "yes", "no"] * 2,
            "seb_parent_qualification": ["degree", None, "no_formal", "x", "degree", None] * 2,
            "shortlisted": [True, True, False, None, True, True] * 2,
            "appointed": [True, False, None, None, True, False] * 2,
        }
    )
    loaded = load_frames({"applications": applications})
    try:
        fast = application_counts(loaded.context)
        generic = application_counts(_generic(loaded.context))
        assert_frame_equal(_sorted(fast), _sorted(generic))
    finally:
        loaded.close()


@pytest.mark.parametrize("aggregates", [False, True])
def test_survey_counts_fast_path(aggregates: bool) -> None:
    item = SurveyItem(("q14b", "q14c"), "combined", aggregate_question="q14b_c")
    respondents = [
        # respondent, question, ethnic category, ethnic group, disability, answer
        ("P1", "q14b", "A", None, True, True),
        ("P1", "q14c", "A", None, True, False),
        ("P2", "q14b", None, "BME", False, False),
        ("P2", "q14c", None, "BME", False, None),
        ("P3", "q14c", "D", None, None, False),
        ("P4", "q14a", "Z", None, True, True),
        (None, "q14b", "A", None, True, True),
    ]
    rows = [
        {
            "respondent_id": r,
            "org_code": "R1",
            "year": 2023,
            "question_id": q,
            "ethnic_category": c,
            "ethnic_group": g,
            "disability": d,
            "answer": a,
        }
        for r, q, c, g, d, a in respondents
    ]
    if aggregates:
        rows += [
            {
                "org_code": "R2",
                "year": 2023,
                "question_id": "q14b_c",
                "ethnic_group": "White",
                "n": 10,
                "n_positive": 4,
            },
            {
                "org_code": "R2",
                "year": 2023,
                "question_id": "q14a",
                "disability": True,
                "n": 5,
                "n_positive": 1,
            },
            {"org_code": "R2", "year": 2023, "question_id": "q14a", "n": 7, "n_positive": None},
        ]
    survey = pl.DataFrame(rows, schema=SURVEY_SCHEMA)
    loaded = load_frames({"survey": survey})
    try:
        for grouping in (ETHNICITY, DISABILITY):
            fast_single, fast_combined = survey_kit._survey_counts(loaded.context, grouping, [item])
            single, combined = survey_kit._survey_counts(_generic(loaded.context), grouping, [item])
            # the fast path's counts also hold the combined items' rows
            fast_single = fast_single.filter(pl.col("source") != survey_kit.COMBINED_SOURCE)
            assert_frame_equal(_sorted(fast_single), _sorted(single))
            assert_frame_equal(_sorted(fast_combined[0]), _sorted(combined[0]))
    finally:
        loaded.close()


@pytest.mark.parametrize("read_once", [True, False])
@pytest.mark.parametrize("dates", ["one", "several"])
def test_snapshot_fast_path(dates: str, read_once: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # one date and every organisation known: the file as read; otherwise the latest date of
    # each organisation and period (rows without an organisation or a date left out); the
    # same whether the file is read once and split or each part read with its filter
    if not read_once:
        monkeypatch.setattr(workforce_kit, "ONE_READ_ROWS", 0)
    march, september = date(2024, 3, 31), date(2023, 9, 30)
    several = dates == "several"
    staff = pl.DataFrame(
        {
            "staff_id": [f"S{i}" for i in range(8)],
            "org_code": ["R1", "R1", "R2", "R2", "R1", "R2", None if several else "R1", "R1"],
            "snapshot_date": [march] * 4
            + ([september, None] if several else [march] * 2)
            + [march, march],
            "is_board_member": [False, True, True, None, False, False, False, True],
            "is_executive": [False, False, True, None, False, None, False, None],
        }
    )
    loaded = load_frames({"staff": staff})
    try:
        fast = workforce_kit.workforce(loaded.context).to_native().collect()
        kept = ~workforce_kit.is_non_executive()
        generic = to_polars(workforce_kit.snapshot(_generic(loaded.context)).filter(kept))
        assert fast["staff_id"].to_list() == sorted(generic["staff_id"].to_list())
        ids = {
            "one": ["S0", "S2", "S3", "S4", "S5", "S6", "S7"],
            "several": ["S0", "S2", "S3", "S7"],
        }
        assert fast["staff_id"].to_list() == ids[dates]
        others = workforce_kit.non_executives(loaded.context).to_native().collect()
        assert others["staff_id"].to_list() == ["S1"]
    finally:
        loaded.close()
