"""Round trips: a canonical table written as CSV (three encodings), XLSX and Parquet reads back
exactly, through the same validation."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ladder.io.validate import validate_file


def _write_csv(frame: pl.DataFrame, path: Path, encoding: str, delimiter: str = ",") -> None:
    text = frame.write_csv(separator=delimiter)
    prefix = "\ufeff" if encoding == "utf-8-sig" else ""
    path.write_bytes((prefix + text).encode("cp1252" if encoding == "cp1252" else "utf-8"))


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t")],
)
def test_csv_round_trip(
    tmp_path: Path, staff_frame: pl.DataFrame, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "staff.csv"
    _write_csv(staff_frame, path, encoding, delimiter)
    result = validate_file(path, "staff")
    assert result.problems == []
    assert_frame_equal(result.valid_rows(), staff_frame)


def test_cp1252_text_survives(tmp_path: Path, staff_frame: pl.DataFrame) -> None:
    frame = staff_frame.with_columns(pl.lit("Café – £ costs").alias("occupation_code"))
    path = tmp_path / "staff.csv"
    _write_csv(frame, path, "cp1252")
    assert b"\x96" in path.read_bytes()  # the en dash as Windows-1252 writes it
    result = validate_file(path, "staff")
    assert result.encoding == "cp1252"
    assert result.valid_rows().get_column("occupation_code").to_list() == ["Café – £ costs"] * 6


def test_parquet_round_trip(tmp_path: Path, staff_frame: pl.DataFrame) -> None:
    path = tmp_path / "staff.parquet"
    staff_frame.write_parquet(path)
    result = validate_file(path, "staff")
    assert result.problems == []
    assert result.file_format == "parquet"
    assert_frame_equal(result.valid_rows(), staff_frame)


def test_xlsx_round_trip(tmp_path: Path, staff_frame: pl.DataFrame) -> None:
    path = tmp_path / "staff.xlsx"
    staff_frame.write_excel(path, worksheet="ESR extract")
    result = validate_file(path, "staff")
    assert result.problems == []
    assert result.file_format == "xlsx"
    assert_frame_equal(result.valid_rows(), staff_frame)


def test_xlsx_named_sheet_and_missing_sheet(tmp_path: Path, staff_frame: pl.DataFrame) -> None:
    path = tmp_path / "book.xlsx"
    staff_frame.write_excel(path, worksheet="Staff")
    assert validate_file(path, "staff", sheet="Staff").ok
    missing = validate_file(path, "staff", sheet="Nope")
    assert [p.code for p in missing.problems] == ["unreadable"]
    assert "Staff" in missing.problems[0].hint


def test_format_is_recognised_from_content_not_name(
    tmp_path: Path, staff_frame: pl.DataFrame
) -> None:
    path = tmp_path / "staff.csv"  # really Parquet
    staff_frame.write_parquet(path)
    assert validate_file(path, "staff").file_format == "parquet"


def test_excel_style_export_with_aliases(tmp_path: Path) -> None:
    """An ESR-style export: alias headers, labels, UK dates, Y/N flags, £ and spaces."""
    path = tmp_path / "esr.csv"
    path.write_bytes(
        (
            "Assignment Number,Organisation Code,Census Date,Ethnic Origin,Gender,"
            "Disability Flag,Pay Band,Hourly Rate,Board Member,Date of Birth\r\n"
            " 12345678 ,r1h,31/03/2024,White - British,F,Not Declared,Band 8 - Range A,"
            '"£1,000.00",N,45000\r\n'
            "22222222,R1H,31-Mar-2024,Asian or Asian British - Indian,M,Y,AfC Band 5,17.5,Y,"
            "01/02/1980\r\n"
        ).encode("cp1252")
    )
    result = validate_file(path, "staff")
    rows = result.valid_rows().to_dicts()
    assert [p.format() for p in result.problems] == [
        f"{path}:2:Date of Birth: warning: 45000 — date of birth makes the person younger than "
        "14 at the snapshot date (check the date of birth and the snapshot date)"
    ]
    # The date of birth only describes: the row is kept, the date stored as not known.
    assert len(rows) == 2
    assert rows[0]["date_of_birth"] is None and rows[0]["age_band"] is None
    row = rows[1]
    assert row["staff_id"] == "22222222"
    assert row["ethnic_category"] == "H"
    assert row["sex"] == "male"
    assert row["disability"] is True
    assert row["pay_band"] == "Band 5"
    assert row["is_board_member"] is True
    assert row["age_band"] == "41-45"  # derived from the date of birth at the snapshot
    first = result.canonical.row(0, named=True)
    assert first["org_code"] == "R1H"
    assert first["pay_band"] == "Band 8a"
    assert first["hourly_pay"] == 1000.0
    assert first["disability"] is None
