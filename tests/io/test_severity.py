"""Errors and warnings; every problem at once; context (org, snapshot date) and trust names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.contract.datasets import dataset
from ladder.io.validate import validate_file
from ladder.metrics.inputs import load_folder

HEADER = "staff_id,org_code,snapshot_date,pay_band,hourly_pay,religion,home_postcode,staff_group"


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_severity_is_declared_per_column_in_the_contract() -> None:
    staff = dataset("staff")
    warnings = {c.name for c in staff.columns if c.severity == "warning"}
    assert warnings == {
        "age_band",
        "date_of_birth",
        "religion",
        "sexual_orientation",
        "staff_group",
        "occupation_code",
        "home_postcode",
        "home_lsoa",
        "seb_parent_occupation",
        "seb_school_type",
        "seb_free_school_meals",
        "seb_parent_qualification",
    }
    for name in ("staff_id", "org_code", "snapshot_date", "pay_band", "hourly_pay"):
        assert staff.column(name).severity == "error"
    assert dataset("applications").column("shortlisted").severity == "error"


def test_warning_keeps_the_row_with_the_value_not_known(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.csv",
        HEADER,
        [
            "A,R1H,2024-03-31,Band 5,12.5,Jedi,NOTAPC,Wizards",
            "B,R1H,2024-03-31,Band 12,12.5,Islam,E1 1BB,Medical and Dental",
        ],
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.column, p.severity) for p in result.problems] == [
        (2, "religion", "warning"),
        (2, "home_postcode", "warning"),
        (2, "staff_group", "warning"),
        (3, "pay_band", "error"),
    ]
    assert result.ok is False  # one error
    assert result.rows_with_warnings == 1
    rows = result.valid_rows().to_dicts()
    assert [r["staff_id"] for r in rows] == ["A"]
    assert (rows[0]["religion"], rows[0]["home_postcode"], rows[0]["staff_group"]) == (
        None,
        None,
        None,
    )
    assert rows[0]["pay_band"] == "Band 5"
    # The rejects hold the row with an error only.
    assert result.rejected_rows().get_column("row").to_list() == [3]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", HEADER, ["A,R1H,2024-03-31,Band 5,12.5,Jedi,E1 1BB,"])
    relaxed = validate_file(path, "staff")
    assert relaxed.ok and relaxed.valid_rows().height == 1
    strict = validate_file(path, "staff", strict=True)
    assert [(p.code, p.severity) for p in strict.problems] == [("invalid_value", "error")]
    assert not strict.ok
    assert strict.valid_rows().height == 0


def test_rule_on_a_warning_column_nulls_that_value_only(tmp_path: Path) -> None:
    # Born in 2020: "younger than 14 at the snapshot" is a warning on date_of_birth.
    path = _write(
        tmp_path / "s.csv",
        "staff_id,org_code,snapshot_date,pay_band,date_of_birth",
        ["A,R1H,2024-03-31,Band 5,2020-01-01"],
    )
    result = validate_file(path, "staff")
    assert [(p.code, p.severity) for p in result.problems] == [("impossible_date", "warning")]
    (row,) = result.valid_rows().to_dicts()
    assert row["date_of_birth"] is None and row["age_band"] is None


def test_missing_required_column_still_checks_every_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.csv",
        "staff_id,org_code,snapshot_date,hourly_pay,religion",
        [
            "A,R1H,2024-03-31,-1,Islam",
            "B,R1H,31/02/2024,12,Jedi",
            ",R1H,2024-03-31,abc,",
            "A,R1H,2024-03-31,12,",
        ],
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.column, p.code, p.severity) for p in result.problems] == [
        (1, "pay_band", "missing_column", "error"),
        (2, "hourly_pay", "negative_value", "error"),
        (3, "snapshot_date", "impossible_date", "error"),
        (3, "religion", "invalid_value", "warning"),
        (4, "staff_id", "missing_value", "error"),
        (4, "hourly_pay", "invalid_value", "error"),
        (5, "staff_id", "duplicate_id", "error"),
    ]
    assert result.blocking
    assert result.valid_rows().height == 0
    summary = {(k.code, k.severity): (k.count, k.blocks, k.rows) for k in result.kinds()}
    assert summary == {
        ("missing_column", "error"): (1, "file", ()),
        ("missing_value", "error"): (1, "rows", (4,)),
        ("invalid_value", "error"): (1, "rows", (4,)),
        ("impossible_date", "error"): (1, "rows", (3,)),
        ("negative_value", "error"): (1, "rows", (2,)),
        ("duplicate_id", "error"): (1, "rows", (5,)),
        ("invalid_value", "warning"): (1, "none", (3,)),
    }


def test_duplicate_column_no_longer_hides_row_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.csv",
        "staff_id,org_code,snapshot_date,pay_band,Band",
        ["A,R1H,2024-03-31,Band 12,Band 5"],
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.code) for p in result.problems] == [
        (1, "duplicate_column"),
        (2, "invalid_value"),
    ]
    assert result.blocking


def test_context_fills_org_and_snapshot_date(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "Assignment Number,Pay Band", ["1,Band 5", "2,5"])
    missing = validate_file(path, "staff")
    assert [(p.column, p.code) for p in missing.problems] == [
        ("org_code", "missing_column"),
        ("snapshot_date", "missing_column"),
    ]
    given_ = validate_file(path, "staff", org="R1H", snapshot_date=dt.date(2023, 9, 30))
    assert given_.problems == []
    rows = given_.valid_rows()
    assert rows.get_column("org_code").to_list() == ["R1H", "R1H"]
    assert rows.get_column("snapshot_date").to_list() == [dt.date(2023, 9, 30)] * 2
    by_period = validate_file(path, "staff", org="R1H", period=2024)
    assert (
        by_period.valid_rows().get_column("snapshot_date").to_list() == [dt.date(2024, 3, 31)] * 2
    )


def test_explicit_snapshot_date_fills_blanks_and_flags_other_dates(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.csv",
        "staff_id,org_code,snapshot_date,pay_band",
        ["A,,2024-03-31,Band 5", "B,R1H,,Band 5", "C,RQX,2023-03-31,Band 5"],
    )
    result = validate_file(path, "staff", org="R1H", snapshot_date=dt.date(2024, 3, 31))
    assert [(p.row, p.code) for p in result.problems] == [
        (4, "wrong_org"),
        (4, "wrong_snapshot_date"),
    ]
    assert result.valid_rows().get_column("staff_id").to_list() == ["A", "B"]
    # --period only fills a missing column: a blank cell stays a blank required value.
    implied = validate_file(path, "staff", period=2024)
    assert [(p.row, p.code) for p in implied.problems] == [
        (2, "missing_value"),
        (3, "missing_value"),
    ]


def test_trust_names_resolve_to_ods_codes(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.csv",
        "Assignment Number,Organisation,Census Date,Pay Band",
        [
            "1,Barts Health NHS Trust,31/03/2024,Band 5",
            "2,R1H Barts Health NHS Trust,31/03/2024,Band 5",
            "3,barts health,31/03/2024,Band 5",
            "4,Homerton University Hospital NHS Foundation Trust (RQX),31/03/2024,Band 5",
            "5,RQX,31/03/2024,Band 5",
        ],
    )
    result = validate_file(path, "staff")
    assert result.problems == []
    assert result.valid_rows().get_column("org_code").to_list() == [
        "R1H",
        "R1H",
        "R1H",
        "RQX",
        "RQX",
    ]


def test_unresolved_name_is_one_problem_listing_its_rows(tmp_path: Path) -> None:
    rows = [f"{i},Barts Hospital,31/03/2024,Band 5" for i in range(1, 2001)]
    rows[9] = "10,Nowhere General,31/03/2024,Band 5"
    path = _write(tmp_path / "s.csv", "Assignment Number,Organisation,Census Date,Pay Band", rows)
    result = validate_file(path, "staff")
    assert [(p.row, p.value, p.code, len(p.rows)) for p in result.problems] == [
        (2, "Barts Hospital", "unknown_org", 1999),
        (11, "Nowhere General", "unknown_org", 1),
    ]
    first = result.problems[0]
    assert first.format() == (
        f"{path}:2:Organisation: Barts Hospital — not an ODS code or the name of an NHS trust "
        "in Ladder's trust list (on 1,999 rows: 2-10, 12-2001) (write the organisation's ODS "
        "code (e.g. R1H), or give --org CODE for a file of one organisation)"
    )
    assert len(result.bad_rows) == 2000
    assert result.valid_rows().height == 0


# -- property: a warning never removes a row ---------------------------------------------

GOOD_BAND, BAD_BAND = ["Band 5", "8A", "Consultant"], ["Band 12", "", "Band 8"]
GOOD_PAY, BAD_PAY = ["12.5", "£17.53", ""], ["-1", "abc"]
GOOD_RELIGION, BAD_RELIGION = ["Islam", "Christianity", ""], ["Jedi", "42"]
GOOD_POSTCODE, BAD_POSTCODE = ["E1 1BB", "e11bb", ""], ["NOTAPC", "ZZ"]
GOOD_GROUP, BAD_GROUP = ["Medical and Dental", ""], ["Wizards"]

ROWS = st.lists(
    st.tuples(
        st.sampled_from(GOOD_BAND + BAD_BAND),
        st.sampled_from(GOOD_PAY + BAD_PAY),
        st.sampled_from(GOOD_RELIGION + BAD_RELIGION),
        st.sampled_from(GOOD_POSTCODE + BAD_POSTCODE),
        st.sampled_from(GOOD_GROUP + BAD_GROUP),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, strict=st.booleans())
def test_a_warning_never_removes_a_row(
    tmp_path: Path, rows: list[tuple[str, ...]], strict: bool
) -> None:
    lines = [
        f'S{i},R1H,2024-03-31,{band},"{pay}",{religion},{postcode},{group}'
        for i, (band, pay, religion, postcode, group) in enumerate(rows)
    ]
    result = validate_file(_write(tmp_path / "p.csv", HEADER, lines), "staff", strict=strict)
    has_error = [band in BAD_BAND or pay in BAD_PAY for band, pay, *_ in rows]
    has_warning = [
        religion in BAD_RELIGION or postcode in BAD_POSTCODE or group in BAD_GROUP
        for _, _, religion, postcode, group in rows
    ]
    kept = [
        f"S{i}"
        for i, (error, warning) in enumerate(zip(has_error, has_warning, strict=True))
        if not error and not (strict and warning)
    ]
    valid = result.valid_rows()
    assert valid.get_column("staff_id").to_list() == kept
    assert valid.height == result.rows_read - len(result.bad_rows)
    expected_severity = "error" if strict else "warning"
    for p in result.problems:
        if p.column in ("religion", "home_postcode", "staff_group"):
            assert p.severity == expected_severity
    if not strict:
        assert result.rows_with_warnings == sum(
            w and not e for e, w in zip(has_error, has_warning, strict=True)
        )


def test_metrics_folder_keeps_rows_with_warnings(tmp_path: Path) -> None:
    _write(
        tmp_path / "staff.csv",
        HEADER,
        [
            "A,R1H,2024-03-31,Band 5,12.5,Jedi,,",
            "B,R1H,2024-03-31,Band 6,14.5,,NOTAPC,",
            "C,R1H,2024-03-31,Band 12,14.5,,,",
        ],
    )

    def staff_ids(strict: bool) -> tuple[list[str], list[str]]:
        loaded = load_folder(tmp_path, strict=strict)
        try:
            frame = loaded.context.frames["staff"].collect().to_native()
            assert isinstance(frame, pl.DataFrame)
            return sorted(frame.get_column("staff_id").to_list()), loaded.notes
        finally:
            loaded.close()

    ids, notes = staff_ids(False)
    assert ids == ["A", "B"]
    assert notes == [
        "staff.csv: 1 of 3 rows have errors and are left out (run `ladder validate` for the list)",
        "staff.csv: 2 rows have warnings and are used with those values as not known "
        "(--strict leaves them out)",
    ]
    assert staff_ids(True)[0] == []
