"""``ladder validate`` / ``ladder import`` on real-shaped exports: context options, warnings."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.store import Workspace

runner = CliRunner()
DATA = Path(__file__).parent.parent / "data"
ESR = "esr_no_context.csv"  # ESR headers, no organisation and no snapshot date


@pytest.fixture
def in_data_dir() -> Iterator[None]:
    before = Path.cwd()
    os.chdir(DATA)
    yield
    os.chdir(before)


def _problem_lines(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(name)]


def test_esr_export_without_org_and_date_golden(in_data_dir: None) -> None:
    result = runner.invoke(
        app,
        ["validate", ESR, "--kind", "staff", "--org", "R1H", "--snapshot-date", "31/03/2024"],
    )
    expected = (DATA / "esr_no_context.expected").read_text(encoding="utf-8").splitlines()
    assert _problem_lines(result.output, ESR) == expected
    assert result.exit_code == 1  # rows 4 and 6 have errors
    assert "2 errors and 6 warnings" in result.output
    assert "2 of 5 rows have errors and would be rejected" in result.output
    assert "2 rows have warnings only" in result.output


def test_esr_export_without_context_lists_missing_columns_and_every_row(in_data_dir: None) -> None:
    result = runner.invoke(app, ["validate", ESR, "--kind", "staff"])
    lines = _problem_lines(result.output, ESR)
    assert lines[:2] == [
        f"{ESR}:1:org_code: (blank) — required column is missing (add a column headed "
        "'org_code' or one of 'Organisation Code', 'Org Code', 'ODS Code', or give --org CODE)",
        f"{ESR}:1:snapshot_date: (blank) — required column is missing (add a column headed "
        "'snapshot_date' or one of 'Snapshot Date', 'Census Date', 'Extract Date', or give "
        "--snapshot-date DATE (or --period YEAR for 31 March))",
    ]
    assert lines[2:] == (DATA / "esr_no_context.expected").read_text().splitlines()
    assert result.exit_code == 1
    assert "Blocked (org_code: required column is missing; snapshot_date: required" in (
        result.output.replace("\n", " ")
    )


def test_period_implies_31_march_for_staff(in_data_dir: None) -> None:
    result = runner.invoke(
        app, ["validate", ESR, "--kind", "staff", "--org", "R1H", "--period", "2024"]
    )
    assert _problem_lines(result.output, ESR) == (
        (DATA / "esr_no_context.expected").read_text().splitlines()
    )


def test_json_carries_severity_on_every_problem(in_data_dir: None) -> None:
    result = runner.invoke(
        app,
        ["validate", ESR, "-k", "staff", "--org", "R1H", "--period", "2024", "--format", "json"],
    )
    doc = json.loads(result.output)
    assert [p["severity"] for p in doc["problems"]] == [
        "warning",
        "warning",
        "warning",
        "error",
        "warning",
        "warning",
        "warning",
        "error",
    ]
    assert (doc["valid"], doc["blocked"], doc["errors"], doc["warnings"]) == (False, False, 2, 6)
    assert (doc["rows_with_problems"], doc["rows_with_warnings"]) == (2, 2)
    assert doc["kinds"] == [
        {"code": "invalid_value", "severity": "error", "count": 1, "blocks": "rows", "rows": "4"},
        {"code": "negative_value", "severity": "error", "count": 1, "blocks": "rows", "rows": "6"},
        {
            "code": "invalid_value",
            "severity": "warning",
            "count": 6,
            "blocks": "none",
            "rows": "3-5",
        },
    ]


def test_warnings_only_exit_0_and_strict_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Assignment Number,Pay Band,Religious Belief\n1,Band 5,Jedi\n2,Band 6,Islam\n")
    args = ["validate", str(path), "-k", "staff", "--org", "R1H", "--period", "2024"]
    relaxed = runner.invoke(app, args)
    assert relaxed.exit_code == 0
    assert _problem_lines(relaxed.output, str(path)) == [
        f"{path}:2:Religious Belief: warning: Jedi — not a recognised religion (use an ESR "
        "religion value such as Christianity, Islam or Atheism)"
    ]
    assert "Valid: 2 rows, no errors. 1 rows have warnings only" in relaxed.output
    strict = runner.invoke(app, [*args, "--strict", "--format", "json"])
    assert strict.exit_code == 1
    doc = json.loads(strict.output)
    assert [(p["row"], p["severity"]) for p in doc["problems"]] == [(2, "error")]


def test_organisation_names_in_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Assignment Number,Organisation,Census Date,Pay Band\n"
        "1,R1H Barts Health NHS Trust,31/03/2024,Band 5\n"
        "2,Barts Hospital,31/03/2024,Band 5\n"
        "3,Barts Hospital,31/03/2024,Band 5\n"
    )
    result = runner.invoke(app, ["validate", str(path), "-k", "staff"])
    assert result.exit_code == 1
    assert _problem_lines(result.output, str(path)) == [
        f"{path}:3:Organisation: Barts Hospital — not an ODS code or the name of an NHS trust in "
        "Ladder's trust list (on 2 rows: 3-4) (write the organisation's ODS code (e.g. R1H), or "
        "give --org CODE for a file of one organisation)"
    ]
    doc = json.loads(
        runner.invoke(app, ["validate", str(path), "-k", "staff", "-f", "json"]).output
    )
    assert doc["problems"][0]["rows"] == [3, 4]
    assert doc["rows_with_problems"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--snapshot-date", "31/02/2024"], "--snapshot-date '31/02/2024' is not a real"),
        (["--snapshot-date", "2023-03-31", "--period", "2024"], "is in reporting year 2023"),
    ],
)
def test_bad_context_options_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("staff_id\n1\n")
    result = runner.invoke(app, ["validate", str(path), "-k", "staff", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_snapshot_date_for_a_kind_without_one_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("application_id\n1\n")
    result = runner.invoke(
        app, ["validate", str(path), "-k", "applications", "--snapshot-date", "2024-03-31"]
    )
    assert result.exit_code == 2
    assert "applications files have no snapshot date" in result.output


# -- import --------------------------------------------------------------------------------


def test_import_stores_rows_with_warnings_and_fills_the_snapshot(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Workspace.init(ws).close()
    path = tmp_path / "esr.csv"
    path.write_text(
        "Assignment Number,Pay Band,Religious Belief,Home Postcode\n"
        "1,Band 5,Jedi,E1 1BB\n"
        "2,Band 6,Islam,NOTAPC\n"
        "3,Band 7,,\n"
    )
    args = ["import", str(ws), "staff", str(path), "--org", "R1H", "--period", "2024"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "3 rows stored as import 1" in result.output
    assert "2 warnings: 2 rows stored with those values as not known" in result.output
    with Workspace.open(ws) as opened:
        frame = opened.scan("staff", org="R1H", period=2024).collect()
    assert frame.sort("staff_id").select("snapshot_date", "religion", "home_postcode").rows() == [
        (dt.date(2024, 3, 31), None, "E1 1BB"),
        (dt.date(2024, 3, 31), "islam", None),
        (dt.date(2024, 3, 31), None, None),
    ]
    strict = runner.invoke(app, [*args, "--strict", "--format", "json"])
    assert strict.exit_code == 1
    doc = json.loads(strict.output)
    assert (doc["status"], doc["rows_rejected"], doc["warnings"]) == ("invalid", 2, 0)


def test_quarantine_rejects_only_rows_with_errors(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Workspace.init(ws).close()
    path = tmp_path / "esr.csv"
    path.write_text(
        "Assignment Number,Pay Band,Religious Belief\n1,Band 5,Jedi\n2,Band 12,Jedi\n3,Band 7,\n"
    )
    result = runner.invoke(
        app,
        [
            "import",
            str(ws),
            "staff",
            str(path),
            "--org",
            "R1H",
            "--snapshot-date",
            "2024-03-31",
            "--period",
            "2024",
            "--quarantine",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["rows_stored"], doc["rows_rejected"], doc["warnings"]) == (2, 1, 2)
    assert doc["rows_with_warnings"] == 1
    rejects = pl.read_csv(doc["rejects_file"], infer_schema=False)
    assert rejects.get_column("row").to_list() == ["3"]
    assert rejects.get_column("problems").to_list() == [
        "Pay Band: not a recognised pay band; Religious Belief: not a recognised religion (warning)"
    ]


def test_import_snapshot_date_outside_the_period_is_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Workspace.init(ws).close()
    path = tmp_path / "esr.csv"
    path.write_text("Assignment Number,Pay Band\n1,Band 5\n")
    result = runner.invoke(
        app,
        [
            *("import", str(ws), "staff", str(path), "--org", "R1H", "--period", "2023"),
            *("--snapshot-date", "2024-03-31"),
        ],
    )
    assert result.exit_code == 2
    assert "--snapshot-date 2024-03-31 is in reporting year 2024" in result.output


def test_contract_shows_severity() -> None:
    doc = json.loads(runner.invoke(app, ["contract", "staff", "--format", "json"]).output)
    severity = {c["name"]: c["severity"] for c in doc["staff"]}
    assert (severity["religion"], severity["pay_band"]) == ("warning", "error")
    markdown = runner.invoke(app, ["contract", "--format", "markdown"]).output
    assert "| `religion` ◆ | religion |  | warning |" in markdown
    assert "| `pay_band` | pay_band | yes | error |" in markdown
