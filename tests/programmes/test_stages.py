"""Programme definitions as data and the stage checks: dates going backwards, gaps (an
error, or implying the earlier stage), a stage column instead of dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ladder.metrics.programmes import (
    STANDARD,
    ProgrammeError,
    definition_for,
    load_file,
    shipped,
)
from ladder.metrics.programmes.stages import check, check_many, reached
from ladder.synth.frames import conform

D = dt.date


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    base = {"programme": "Academy", "org_code": "RR8", "cohort": "2024-01"}
    return conform(pl.DataFrame([{**base, **r} for r in rows]), "participants")


def test_shipped_definitions_and_the_standard_stages() -> None:
    names = {p.name for p in shipped()}
    assert names == {"Community Works for Health", "Project Search", "Healthcare Horizons"}
    assert STANDARD.stage_ids == (
        "engaged",
        "enrolled",
        "completed",
        "interviewed",
        "offered",
        "started",
        "in_work_13w",
        "in_work_26w",
        "in_work_12m",
    )
    assert definition_for("project SEARCH").stage("completed").label == "Completed the internship"
    assert definition_for("Pre-employment academy").name == "Pre-employment academy"
    assert definition_for("Pre-employment academy").kind == "pre-employment academy"
    assert definition_for("Something else").stage_ids == STANDARD.stage_ids


def test_a_stages_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: Kitchen Academy\naliases: [Kitchens]\nstages:\n  - engaged\n"
        "  - id: taster\n    label: Taster day\n    column: enrolled_date\n  - started\n"
        "outcomes: [qualification]\nheadline: [started]\n",
        encoding="utf-8",
    )
    p = load_file(path)
    assert p.stage_ids == ("engaged", "taster", "started")
    assert p.stage("taster").column == "enrolled_date"
    assert p.matches("kitchens") and p.headline == ("started",)
    assert definition_for("Kitchens", [p]).stage_ids == p.stage_ids


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stages: [engaged]\n", "name: give the programme's name"),
        ("name: X\nstages: [engaged, mystery]\n", "is not a standard stage"),
        ("name: X\nstages: [engaged, engaged]\n", "a stage is listed twice"),
        ("name: X\nstages: [engaged]\nheadline: [started]\n", "'started' is not one of"),
        ("name: X\nstages: [: bad\n", "not valid YAML"),
    ],
)
def test_a_bad_stages_file_says_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgrammeError, match=message) as caught:
        load_file(path)
    assert str(path) in str(caught.value)


def test_dates_going_backwards_are_errors_with_row_and_column() -> None:
    data = frame(
        [
            {"participant_id": "A", "engaged_date": D(2024, 1, 1), "trained_date": D(2024, 2, 1)},
            {  # trained before engaged
                "participant_id": "B",
                "engaged_date": D(2024, 1, 10),
                "trained_date": D(2024, 1, 5),
            },
            {  # started before training (and training is fine)
                "participant_id": "C",
                "engaged_date": D(2024, 1, 1),
                "trained_date": D(2024, 3, 1),
                "employed_date": D(2024, 2, 1),
            },
        ]
    )
    checked = check(data, definition_for("Academy"), gaps="error", file="p.csv")
    errors = [(p.row, p.column, p.code) for p in checked.errors]
    assert errors == [
        (3, "trained_date", "stage_out_of_order"),
        (4, "employed_date", "stage_out_of_order"),
    ]
    assert "started work is dated before completed pre-employment" in checked.errors[1].reason
    assert checked.errors[0].file == "p.csv" and checked.errors[0].value == "2024-01-05"
    assert checked.rows["participant_id"].to_list() == ["A"]
    assert checked.excluded == 2


def test_a_gap_is_an_error_or_implies_the_earlier_stage() -> None:
    data = frame(
        [
            {"participant_id": "A", "engaged_date": D(2024, 1, 1), "trained_date": D(2024, 2, 1)},
            {  # started without completing the training
                "participant_id": "B",
                "engaged_date": D(2024, 1, 1),
                "employed_date": D(2024, 4, 1),
            },
        ]
    )
    as_error = check(data, definition_for("Academy"), gaps="error")
    assert [(p.row, p.column, p.code) for p in as_error.errors] == [
        (3, "trained_date", "stage_gap")
    ]
    assert "reaches started work without completed pre-employment" in as_error.errors[0].reason
    assert as_error.rows.height == 1

    implied = check(data, definition_for("Academy"), gaps="imply")
    assert implied.errors == []
    assert [(p.row, p.column, p.severity) for p in implied.problems] == [
        (3, "trained_date", "warning")
    ]
    assert implied.implied == 1
    assert implied.rows[reached("completed")].to_list() == [True, True]
    assert implied.rows[reached("started")].to_list() == [False, True]


def test_a_stage_column_instead_of_dates() -> None:
    data = frame(
        [
            {"participant_id": "A", "engaged_date": D(2024, 1, 1), "stage": "Offered a job"},
            {"participant_id": "B", "engaged_date": D(2024, 1, 1), "stage": "completed"},
            {"participant_id": "C", "engaged_date": D(2024, 1, 1), "stage": "hired?"},
        ]
    )
    checked = check(data, definition_for("Academy"))
    assert [(p.row, p.column, p.code) for p in checked.errors] == [(4, "stage", "unknown_stage")]
    assert checked.programme.stage_ids == (
        "engaged",
        "enrolled",
        "completed",
        "interviewed",
        "offered",
    )
    rows = checked.rows
    assert rows[reached("interviewed")].to_list() == [True, False]
    assert rows[reached("completed")].to_list() == [True, True]
    assert rows[reached("offered")].to_list() == [True, False]


@pytest.mark.parametrize("gaps", ["imply", "error"])
def test_check_many_is_check_at_every_organisation(gaps: str) -> None:
    # Three trusts: clean rows; a gap, dates going backwards and an unknown stage; a trust
    # with no enrolment dates (the stage left out there) and a stage column instead of dates.
    rows = [
        {"org_code": "AAA", "participant_id": "A1", "engaged_date": D(2024, 1, 1),
         "enrolled_date": D(2024, 1, 5), "employed_date": D(2024, 3, 1)},
        {"org_code": "AAA", "participant_id": "A2", "engaged_date": D(2024, 1, 2)},
        {"org_code": "BBB", "participant_id": "B1", "engaged_date": D(2024, 1, 1),
         "employed_date": D(2024, 2, 1)},
        {"org_code": "BBB", "participant_id": "B2", "engaged_date": D(2024, 2, 1),
         "enrolled_date": D(2024, 1, 1)},
        {"org_code": "BBB", "participant_id": "B3", "engaged_date": D(2024, 1, 3),
         "enrolled_date": D(2024, 1, 4), "stage": "nonsense"},
        {"org_code": "CCC", "participant_id": "C1", "engaged_date": D(2024, 1, 1),
         "stage": "interviewed"},
        {"org_code": "CCC", "participant_id": "C2", "engaged_date": D(2024, 1, 1),
         "employed_date": D(2024, 5, 1)},
    ]  # fmt: skip
    data = frame(rows)
    programme = definition_for("Academy")
    many = check_many(data, programme, gaps=gaps)
    for org, in_use, implied, excluded in many.orgs:
        one = check(data.filter(pl.col("org_code") == org), programme, gaps=gaps)
        assert tuple(s in one.programme.stages for s in programme.stages) == in_use
        assert (implied, excluded) == (one.implied, one.excluded)
        marks = [reached(s.id) for s in one.programme.stages]
        mine = many.rows.filter(pl.col("org_code") == org).sort("participant_id")
        theirs = one.rows.sort("participant_id")
        assert mine.select("participant_id", *marks).equals(theirs.select("participant_id", *marks))
    assert [o[0] for o in many.orgs] == ["AAA", "BBB", "CCC"]
    assert sum(o[3] for o in many.orgs) > 0 and any(not all(o[1]) for o in many.orgs)


def test_backwards_dates_as_the_stage_checks_find_them() -> None:
    # check_many finds dates going backwards on day numbers with a running maximum: the
    # rows the comparison with the latest earlier date (nulls ignored) finds.
    import random

    from ladder.metrics.programmes.stages import _backwards

    rnd = random.Random(5)
    columns = ["a", "b", "c", "d"]
    data = pl.DataFrame(
        {
            c: [rnd.choice([None, D(2024, 1, 1 + rnd.randrange(20))]) for _ in range(300)]
            for c in columns
        },
        schema=dict.fromkeys(columns, pl.Date),
    )
    expected = data.select(
        pl.any_horizontal(
            (pl.col(later) < pl.max_horizontal(*columns[:k])).fill_null(False)
            for k, later in enumerate(columns)
            if k
        )
    ).to_series()
    assert _backwards(data, columns).to_list() == expected.to_list()
    assert 0 < sum(expected.to_list()) < data.height
