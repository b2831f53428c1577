"""Each kind of bad input gets its own clear message, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.io.validate import validate_file

HEADER = "staff_id,org_code,snapshot_date,pay_band,hourly_pay,date_of_birth,start_date\n"


def _problems(path: Path, kind: str = "staff") -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in validate_file(path, kind).problems]


def test_unknown_kind_raises_key_error_naming_the_kinds(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(HEADER)
    with pytest.raises(KeyError, match="staff, applications"):
        validate_file(path, "staffing")


def test_missing_file(tmp_path: Path) -> None:
    result = validate_file(tmp_path / "nope.csv", "staff")
    assert result.blocking
    assert [p.format() for p in result.problems] == [
        f"{tmp_path / 'nope.csv'}: file not found (check the path)"
    ]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert _problems(path) == [(None, None, "empty_file")]


def test_header_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(HEADER)
    assert _problems(path) == [(None, None, "no_rows")]


def test_missing_required_columns_listed_at_row_1(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("staff_id,pay_band\nA1,Band 5\n")
    result = validate_file(path, "staff")
    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (1, "org_code", "missing_column"),
        (1, "snapshot_date", "missing_column"),
    ]
    assert "Organisation Code" in result.problems[0].hint
    assert result.blocking and result.valid_rows().height == 0


def test_org_given_on_the_command_line_fills_the_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("staff_id,snapshot_date,pay_band\nA1,2024-03-31,Band 5\n")
    result = validate_file(path, "staff", org="RR8")
    assert result.ok
    assert result.valid_rows().get_column("org_code").to_list() == ["RR8"]


def test_duplicate_column(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "staff_id,Assignment Number,org_code,snapshot_date,pay_band\n1,1,R1H,2024-03-31,5\n"
    )
    assert _problems(path) == [(1, "Assignment Number", "duplicate_column")]


def test_duplicate_ids_name_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        HEADER
        + "A1,R1H,2024-03-31,Band 5,15,,\n"
        + "A2,R1H,2024-03-31,Band 5,15,,\n"
        + "A1,R1H,2024-03-31,Band 6,18,,\n"
        + "A1,R1H,2024-03-31,Band 7,20,,\n"
    )
    result = validate_file(path, "staff")
    assert [(p.row, p.code) for p in result.problems] == [(4, "duplicate_id"), (5, "duplicate_id")]
    assert all("row 2" in p.reason for p in result.problems)
    # The first occurrence is kept; its repeats are rejected.
    assert result.valid_rows().get_column("staff_id").to_list() == ["A1", "A2"]


def test_impossible_dates(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        HEADER
        + "A1,R1H,31/02/2024,Band 5,15,,\n"  # no 31 February
        + "A2,R1H,2024-03-31,Band 5,15,2020-01-01,\n"  # a four-year-old
        + "A3,R1H,2024-03-31,Band 5,15,,2025-01-01\n"  # starts after the snapshot
        + "A4,R1H,2024-03-31,Band 5,15,1900-01-01,\n"  # 124 years old
    )
    assert _problems(path) == [
        (2, "snapshot_date", "impossible_date"),
        (3, "date_of_birth", "impossible_date"),
        (4, "start_date", "impossible_date"),
        (5, "date_of_birth", "impossible_date"),
    ]


def test_negative_pay_and_two_problems_on_one_row(tmp_path: Path) -> None:
    path = tmp_path / "pay.csv"
    path.write_text(HEADER + "A1,R1H,2024-03-31,Band 12,-15.20,,\n")
    result = validate_file(path, "staff")
    lines = [p.format() for p in result.problems]
    assert lines == [
        f"{path}:2:pay_band: Band 12 — not a recognised pay band (use an Agenda for Change band "
        "(Band 1-9, 8a-8d), VSM, Consultant, Non-consultant career grade, Trainee grade or Other)",
        f"{path}:2:hourly_pay: -15.20 — must not be below 0 (check the value; amounts are in "
        "pounds)",
    ]
    assert result.summary() == {"invalid_value": 1, "negative_value": 1}


def test_required_value_blank(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(HEADER + " ,R1H,2024-03-31,Band 5,15,,\n")
    assert _problems(path) == [(2, "staff_id", "missing_value")]


def test_rows_for_another_org(tmp_path: Path) -> None:
    path = tmp_path / "org.csv"
    path.write_text(HEADER + "A1,R1H,2024-03-31,Band 5,15,,\nA2,RR8,2024-03-31,Band 5,15,,\n")
    result = validate_file(path, "staff", org="R1H")
    assert [(p.row, p.code) for p in result.problems] == [(3, "wrong_org")]


def test_ragged_row_is_reported_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "A1,R1H,2024-03-31,Band 5,15,,\nA2,R1H,2024-03-31,Band 5,1,200,,,\n")
    result = validate_file(path, "staff")
    assert [(p.row, p.code) for p in result.problems] == [(3, "unreadable")]
    assert "cells" in result.problems[0].reason


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert _problems(path) == [(None, None, "unreadable")]


def test_corrupt_parquet_and_xlsx(tmp_path: Path) -> None:
    parquet = tmp_path / "bad.parquet"
    parquet.write_bytes(b"PAR1" + b"\x00garbage" * 10)
    xlsx = tmp_path / "bad.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    assert _problems(parquet) == [(None, None, "unreadable")]
    assert _problems(xlsx) == [(None, None, "unreadable")]


def test_applications_rules(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(
        "application_id,vacancy_id,org_code,applied_date,shortlisted,appointed\n"
        "P1,V1,R1H,2024-01-02,Y,Y\n"
        "P2,V1,R1H,2024-01-02,N,Y\n"
        "P3,V1,R1H,2024-01-02,maybe,N\n"
    )
    assert _problems(path, "applications") == [
        (3, "appointed", "inconsistent"),
        (4, "shortlisted", "invalid_value"),
    ]


def test_participant_stages_in_order(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "participant_id,programme,org_code,engaged_date,trained_date,employed_date\n"
        "X1,Project Search,R1H,2024-01-10,2024-02-01,2024-06-01\n"
        "X2,Project Search,R1H,2024-01-10,2023-12-01,\n"
    )
    assert _problems(path, "participants") == [(3, "trained_date", "impossible_date")]
