"""Golden test: a hand-made messy ESR-style export (Windows-1252) gives exactly these problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ladder.io.validate import validate_file

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def in_data_dir() -> object:
    before = Path.cwd()
    os.chdir(DATA)
    yield
    os.chdir(before)


def test_messy_export_problems_exactly(in_data_dir: object) -> None:
    result = validate_file(Path("messy_staff.csv"), "staff")
    expected = (DATA / "messy_staff.expected").read_text(encoding="utf-8").splitlines()
    assert [p.format() for p in result.problems] == expected
    assert (len(result.errors), len(result.warnings)) == (5, 3)
    assert result.summary() == {
        "missing_value": 1,
        "invalid_value": 3,
        "impossible_date": 2,
        "negative_value": 1,
        "duplicate_id": 1,
    }
    assert result.encoding == "cp1252"
    assert result.ignored_columns == ["Notes"]


def test_messy_export_valid_rows_are_normalised(in_data_dir: object) -> None:
    rows = validate_file(Path("messy_staff.csv"), "staff").valid_rows().to_dicts()
    # Rows 4 and 7 have warnings only (date of birth, parental occupation): kept, value null.
    assert [r["staff_id"] for r in rows] == ["10000001", "10000002", "10000003", "10000006"]
    first, second, third, sixth = rows
    assert (third["date_of_birth"], third["pay_band"]) == (None, "Band 8a")
    assert (sixth["seb_parent_occupation"], sixth["pay_band"]) == (None, "Band 8a")
    assert (first["ethnic_category"], first["sex"], first["disability"]) == ("A", "female", False)
    assert first["staff_group"] == "Nursing and Midwifery Registered"
    assert first["home_postcode"] == "E1 1BB"
    assert first["seb_parent_occupation"] == 4
    assert first["bonus_pay"] is None
    assert (second["ethnic_category"], second["disability"], second["pay_band"]) == (
        "H",
        None,
        "Consultant",
    )
    assert second["bonus_pay"] == 4500.0
    assert str(second["snapshot_date"]) == "2024-03-31"
    assert second["age_band"] == "41-45"
