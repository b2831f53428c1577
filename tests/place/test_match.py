"""``ladder place match``: match counts per dataset and every unmatched value with its reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder.app.place import NeighbourhoodInputError, place_match
from ladder.cli.app import app
from ladder.place.matching import unmatched_reason

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    postcodes = ["LS1 1AS", "ls11as", "ZZ99 9ZZ", "ZZ99 9ZZ", "nonsense", None, None, None]
    lsoas = [None, None, None, None, None, "E01999999", "X123", None]
    pl.DataFrame(
        {
            "staff_id": [f"s{i}" for i in range(8)],
            "org_code": ["RR8"] * 8,
            "snapshot_date": [date(2024, 3, 31)] * 8,
            "pay_band": ["Band 5"] * 8,
            "home_postcode": postcodes,
            "home_lsoa": lsoas,
        }
    ).write_parquet(tmp_path / "staff.parquet")
    return tmp_path


def test_match_counts_and_reasons(folder: Path) -> None:
    # The folder is not canonical Parquet: it is validated first. A malformed postcode
    # ('nonsense') or LSOA ('X123') is a warning there (named in a note): the row is kept
    # with its home area not known, so it counts as missing.
    report = place_match(folder)
    (staff,) = report.datasets
    counts = (staff.records, staff.given, staff.matched, staff.unmatched, staff.missing)
    assert counts == (8, 5, 2, 3, 3)
    assert any("2" in note and "staff" in note for note in report.notes), report.notes
    rows = {r["value"]: r for r in report.values.to_dicts()}
    assert rows["ZZ99 9ZZ"]["records"] == 2  # most frequent first
    assert report.values["value"][0] == "ZZ99 9ZZ"
    assert "not in the postcode lookup" in rows["ZZ99 9ZZ"]["reason"]
    assert rows["E01999999"]["field"] == "home_lsoa"
    assert "not a known LSOA" in rows["E01999999"]["reason"]


def test_unmatched_reasons_of_malformed_values() -> None:
    assert "not a UK postcode" in unmatched_reason("home_postcode", "nonsense")
    assert "not an LSOA code" in unmatched_reason("home_lsoa", "X123")


def test_match_cli_table_and_json(folder: Path) -> None:
    result = runner.invoke(app, ["place", "match", str(folder), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "Not matched (2 distinct values)" in result.stdout
    assert "ZZ99 9ZZ" in result.stdout and "not for publication" in result.stdout
    result = runner.invoke(app, ["place", "match", str(folder), "--limit", "1"])
    assert "1 more" in result.stdout and "not for publication" in result.stdout
    result = runner.invoke(app, ["place", "match", str(folder), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["datasets"][0]["matched"] == 2 and len(doc["unmatched"]) == 2


def test_match_without_place_datasets(tmp_path: Path) -> None:
    pl.DataFrame(
        {"org_code": ["RR8"], "year": [2023], "respondent_id": ["r1"], "question_id": ["q14a"]}
    ).write_parquet(tmp_path / "survey.parquet")
    with pytest.raises(NeighbourhoodInputError, match="nothing has a home area"):
        place_match(tmp_path)
