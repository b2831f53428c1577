"""The ``init``, ``import``, ``log`` and ``status`` commands (in process, via CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ladder.cli.app import app
from ladder.store import Workspace


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _init_args(root: Path, database_url: str | None) -> list[str | Path]:
    return ["init", root] + ([] if database_url is None else ["--database-url", database_url])


def test_init_and_reinit(tmp_path: Path, database_url: str | None) -> None:
    root = tmp_path / "ws"
    first = run(*_init_args(root, database_url))
    assert first.exit_code == 0, first.output
    assert "Created a Ladder workspace" in first.stdout
    again = run(*_init_args(root, database_url))
    assert again.exit_code == 0
    assert "already a Ladder workspace; nothing changed" in again.stdout


def test_init_refuses_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("x")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "error:" in result.stderr and "not empty" in result.stderr


def test_import_then_log_and_status(workspace_dir: Path, staff_csv) -> None:
    source = staff_csv(25)
    result = run(
        "import",
        workspace_dir,
        "staff",
        source,
        "--org",
        "R1H",
        "--period",
        "2024",
        "--user",
        "alice",
    )
    assert result.exit_code == 0, result.output
    assert "25 rows stored as import 1" in result.stdout
    log = run("log", workspace_dir)
    assert log.exit_code == 0
    assert "alice" in log.stdout and "staff" in log.stdout and "R1H" in log.stdout
    entries = json.loads(run("log", workspace_dir, "--format", "json").stdout)
    assert [(e["id"], e["rows_stored"], e["user"]) for e in entries] == [(1, 25, "alice")]
    status = json.loads(run("status", workspace_dir, "--format", "json").stdout)
    assert [(s["kind"], s["org_code"], s["period"], s["row_count"]) for s in status] == [
        ("staff", "R1H", 2024, 25)
    ]
    audit = run("log", workspace_dir, "--audit")
    assert "import" in audit.stdout and "alice" in audit.stdout


def test_invalid_file_exits_1_with_problem_lines(workspace_dir: Path, staff_csv) -> None:
    source = staff_csv(30, bad_pay_band_rows=[0, 4])
    result = run("import", workspace_dir, "staff", source, "--org", "R1H", "--period", "2024")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{source}:2:pay_band: Band 99 — not a recognised pay band" in lines[0]
    assert lines[1].startswith(f"{source}:6:pay_band: Band 99")
    assert "invalid_value" in result.stdout and "Nothing stored" in result.stdout
    with Workspace.open(workspace_dir) as ws:
        assert ws.datasets() == [] and ws.import_log() == []
    assert json.loads(run("log", workspace_dir, "--format", "json").stdout) == []


def test_quarantine_from_the_cli(workspace_dir: Path, staff_csv) -> None:
    source = staff_csv(30, bad_pay_band_rows=[0])
    result = run(
        "import",
        workspace_dir,
        "staff",
        source,
        "--org",
        "R1H",
        "--period",
        "2024",
        "--quarantine",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["rows_stored"], report["rows_rejected"]) == (29, 1)
    rejects = Path(report["rejects_file"])
    assert rejects == workspace_dir / "rejects" / "1-staff-R1H-2024.csv"
    assert "not a recognised pay band" in rejects.read_text()


def test_json_report_of_refused_import(workspace_dir: Path, staff_csv) -> None:
    source = staff_csv(5, bad_pay_band_rows=[1])
    result = run(
        "import",
        workspace_dir,
        "staff",
        source,
        "--org",
        "R1H",
        "--period",
        "2024",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["status"] == "invalid" and report["imports"] == []
    assert report["problems"][0]["row"] == 3 and report["problems"][0]["code"] == "invalid_value"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stuff", "{file}", "--org", "R1H", "--period", "2024"], "unknown dataset kind 'stuff'"),
        (["staff", "{missing}", "--org", "R1H", "--period", "2024"], "file not found"),
        (["staff", "{file}", "--org", "not an org", "--period", "2024"], "ODS"),
    ],
)
def test_usage_errors_are_one_line(
    workspace_dir: Path, staff_csv, tmp_path: Path, args: list[str], message: str
) -> None:
    file, missing = staff_csv(3), tmp_path / "missing.csv"
    filled = [a.format(file=file, missing=missing) for a in args]
    result = run("import", workspace_dir, *filled)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_not_a_workspace(tmp_path: Path, staff_csv) -> None:
    for args in (
        ["log", tmp_path],
        ["status", tmp_path],
        ["import", tmp_path, "staff", staff_csv(3), "--org", "R1H", "--period", "2024"],
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert "is not a Ladder workspace" in result.stderr


def test_unreachable_database(tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "ws", "--database-url", "postgresql://nobody@127.0.0.1:1/nothing"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot use the database")
    assert result.stderr.strip().count("\n") == 0
    assert not (tmp_path / "ws").exists()


def test_unreadable_file_is_blocking(workspace_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run("import", workspace_dir, "staff", empty, "--org", "R1H", "--period", "2024")
    assert result.exit_code == 1
    assert "file is empty" in result.stdout and "Nothing stored" in result.stdout


def test_database_down_when_opening(workspace_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADDER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    result = run("log", workspace_dir)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot use the database postgresql+psycopg://")
    assert result.stderr.strip().count("\n") == 0


def test_import_with_a_stage_map(workspace_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / "trac.csv"
    export.write_text(
        "Application ID,Job Reference,Date Applied,Ethnicity,Application Status\n"
        "A1,V1,01/10/2023,A,Panel\n"
        "A2,V1,01/10/2023,H,Appointed\n"
    )
    refused = run(
        "import", workspace_dir, "applications", export, "--org", "R1H", "--period", "2024"
    )
    assert refused.exit_code == 1
    assert "Panel" in refused.output and "not a known recruitment stage" in refused.output
    bad = tmp_path / "bad.csv"
    bad.write_text("stage,shortlisted\nPanel,yes\n")
    usage = run(
        "import", workspace_dir, "applications", export, "--org", "R1H", "--period", "2024",
        "--stage-map", bad,
    )  # fmt: skip
    assert usage.exit_code == 2 and "no column appointed" in usage.stderr
    stage_map = tmp_path / "stages.csv"
    stage_map.write_text("stage,shortlisted,appointed\nPanel,yes,no\n")
    stored = run(
        "import", workspace_dir, "applications", export, "--org", "R1H", "--period", "2024",
        "--stage-map", stage_map,
    )  # fmt: skip
    assert stored.exit_code == 0, stored.output
    assert "2 rows stored" in stored.stdout
