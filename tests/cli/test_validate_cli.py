"""``ladder validate`` and ``ladder contract`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.contract.docs import contract_markdown

runner = CliRunner()
DOCS = Path(__file__).parents[2] / "docs"


def test_valid_file_exits_0(tmp_path: Path, staff_frame: pl.DataFrame) -> None:
    path = tmp_path / "staff.csv"
    staff_frame.write_csv(path)
    result = runner.invoke(app, ["validate", str(path), "--kind", "staff"])
    assert result.exit_code == 0
    assert "Valid: 6 staff rows" in result.output


def test_invalid_file_exits_1_with_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "staff_id,org_code,snapshot_date,pay_band,hourly_pay\nA,R1H,2024-03-31,Band 12,-1\n"
    )
    result = runner.invoke(app, ["validate", str(path), "--kind", "staff"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert lines == [
        f"{path}:2:pay_band: Band 12 — not a recognised pay band (use an Agenda for Change band "
        "(Band 1-9, 8a-8d), VSM, Consultant, Non-consultant career grade, Trainee grade or Other)",
        f"{path}:2:hourly_pay: -1 — must not be below 0 (check the value; amounts are in pounds)",
    ]
    assert "2 errors and 0 warnings" in result.output
    assert "negative_value" in result.output
    assert "1 of 1 rows have errors" in result.output


def test_json_output(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "staff_id,org_code,snapshot_date,pay_band\nA,R1H,2024-03-31,Band 5\nA,R1H,2024-03-31,5\n"
    )
    result = runner.invoke(app, ["validate", str(path), "--kind", "staff", "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["valid"] is False
    assert doc["rows"] == 2
    assert doc["summary"] == {"duplicate_id": 1}
    assert doc["problems"] == [
        {
            "file": str(path),
            "row": 3,
            "column": "staff_id",
            "value": "A",
            "code": "duplicate_id",
            "severity": "error",
            "reason": "duplicate staff_id: the same ID is on row 2",
            "hint": "each row needs its own ID; remove the repeated row or correct the ID",
        }
    ]


def test_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a\n1\n")
    result = runner.invoke(app, ["validate", str(path), "--kind", "nurses"])
    assert result.exit_code == 2
    assert "unknown dataset kind 'nurses'" in result.output
    assert "staff, applications, training, cases, survey, participants" in result.output


def test_bad_org_option(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("a\n1\n")
    result = runner.invoke(app, ["validate", str(path), "--kind", "staff", "--org", "Barts!"])
    assert result.exit_code == 2
    assert "not an ODS organisation code" in result.output


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["validate", str(empty), "--kind", "cases"])
    assert result.exit_code == 1
    assert f"{empty}: file is empty" in result.output
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.xlsx"), "--kind", "cases"])
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_contract_docs_are_generated_from_the_code() -> None:
    assert (DOCS / "data-contract.md").read_text(encoding="utf-8") == contract_markdown(), (
        "docs/data-contract.md is stale: run `ladder contract --format markdown > "
        "docs/data-contract.md`"
    )


def test_contract_command_lists_columns_and_aliases() -> None:
    result = runner.invoke(app, ["contract", "applications", "--format", "json"])
    assert result.exit_code == 0
    columns = {c["name"]: c for c in json.loads(result.output)["applications"]}
    assert columns["shortlisted"]["required"] is True
    assert "Vacancy Reference" in columns["vacancy_id"]["aliases"]


def test_title_rows_header_row_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "esr.csv"
    path.write_text(
        "Staff in post,,,\n"
        "staff_id,org_code,snapshot_date,pay_band\n"
        "1,R1H,2024-03-31,Band 99\n"
        "Grand total,,,\n"
    )
    result = runner.invoke(app, ["validate", str(path), "--kind", "staff", "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["notes"] == [
        "row 1 above the header (row 2) not read",
        "row 4 at the bottom is a totals row ('Grand total'): not read",
    ]
    assert [(p["row"], p["column"]) for p in doc["problems"]] == [(3, "pay_band")]
    text = runner.invoke(app, ["validate", str(path), "--kind", "staff", "--header-row", "2"])
    assert f"{path}:3:pay_band: Band 99" in text.output
    assert "Note: row 1 above the header (row 2) not read" in text.output
    zero = runner.invoke(app, ["validate", str(path), "--kind", "staff", "--header-row", "0"])
    assert zero.exit_code == 2
