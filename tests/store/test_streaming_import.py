"""Imports read, validate and stage a file in chunks: same data, same atomicity, progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.store import ImportStatus, Workspace
from tests.store.conftest import StaffFiles, staff_frame
from tests.store.test_atomicity import snapshot


def _staging(root: Path) -> list[Path]:
    folder = root / "datasets" / ".staging"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _tmp_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tmp"))


@pytest.mark.parametrize("source", ["csv", "parquet"])
def test_organisations_split_across_chunks_store_as_a_whole_file_does(
    workspace: Workspace, tmp_path: Path, source: str
) -> None:
    """Three trusts interleaved row by row, read 7 rows at a time, then in one chunk."""
    frame = staff_frame(100, org=["R1H", "RQX", "RF4"], bad_pay_band_rows=[5, 49, 99])
    path = tmp_path / f"staff.{source}"
    frame.write_csv(path) if source == "csv" else frame.write_parquet(path)
    stored: dict[int, dict[str, pl.DataFrame]] = {}
    for rows in (7, 0):  # the second import replaces the first
        result = workspace.import_file("staff", path, None, 2024, quarantine=True, chunk_rows=rows)
        assert result.stored and (result.rows_read, result.rows_stored) == (100, 97)
        assert sorted((r.org_code, r.rows_stored) for r in result.records) == [
            ("R1H", 33),  # rows 0, 3, ..., 99: 34 rows, less row 99
            ("RF4", 32),  # rows 2, 5, ..., 98: 33 rows, less row 5
            ("RQX", 32),  # rows 1, 4, ..., 97: 33 rows, less row 49
        ]
        assert result.rejects_file is not None
        rejects = pl.read_csv(result.rejects_file, infer_schema=False)
        assert rejects.get_column("row").to_list() == ["7", "51", "101"]
        stored[rows] = {
            org: workspace.scan("staff", org=org).collect() for org in ("R1H", "RQX", "RF4")
        }
        # Each trust's file holds its rows in file order.
        ids = stored[rows]["RQX"].get_column("staff_id").to_list()
        assert ids == sorted(ids) and ids[:2] == ["S00000001", "S00000004"]
        assert _staging(workspace.root) == [] and _tmp_files(workspace.root) == []
    for org in ("R1H", "RQX", "RF4"):
        assert stored[7][org].equals(stored[0][org])


def test_duplicate_in_a_later_chunk_is_quarantined_naming_the_first_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    frame = staff_frame(25)
    repeat = frame.slice(3, 1).with_columns(pl.lit("Band 6").alias("pay_band"))
    path = tmp_path / "staff.csv"
    pl.concat([frame, repeat]).write_csv(path)  # file row 27 repeats row 5's staff_id
    result = workspace.import_file("staff", path, "R1H", 2024, quarantine=True, chunk_rows=10)
    assert result.stored and (result.rows_stored, result.rows_rejected) == (25, 1)
    [problem] = result.problems
    assert (problem.row, problem.code, problem.value) == (27, "duplicate_id", "S00000003")
    assert problem.reason == "duplicate staff_id: the same ID is on row 5"
    assert result.rejects_file is not None
    rejects = pl.read_csv(result.rejects_file, infer_schema=False)
    assert rejects.select("row", "staff_id", "pay_band").rows() == [("27", "S00000003", "Band 6")]
    kept = workspace.scan("staff").collect().filter(pl.col("staff_id") == "S00000003")
    assert kept.get_column("pay_band").to_list() == ["Band 8a"]  # the first row is kept


def test_rejects_of_every_chunk_in_one_file_with_one_header(
    workspace: Workspace, staff_csv: StaffFiles
) -> None:
    source = staff_csv(95, bad_pay_band_rows=[0, 9, 10, 47, 94])
    result = workspace.import_file("staff", source, "R1H", 2024, quarantine=True, chunk_rows=10)
    assert result.stored and (result.rows_stored, result.rows_rejected) == (90, 5)
    assert result.rejects_file is not None
    lines = result.rejects_file.read_text().splitlines()
    assert lines[0].startswith("row,staff_id,") and len(lines) == 6
    assert [line.split(",")[0] for line in lines[1:]] == ["2", "11", "12", "49", "96"]


def test_a_read_error_in_a_later_chunk_leaves_the_workspace_unchanged(
    workspace_dir: Path, staff_csv: StaffFiles
) -> None:
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(30, name="first.csv"), "R1H", 2024, user="first")
    before = snapshot(workspace_dir)
    broken = staff_csv(3000, name="broken.csv", seed=1)
    lines = broken.read_text().splitlines()
    lines[2500] += ",one cell too many"  # file row 2501, in the third chunk of 1,000
    broken.write_text("\n".join(lines) + "\n")
    with Workspace.open(workspace_dir) as ws:
        result = ws.import_file("staff", broken, "R1H", 2024, quarantine=True, chunk_rows=1000)
        assert result.status is ImportStatus.BLOCKED and result.rows_stored == 0
        assert [(p.code, p.row) for p in result.problems] == [("unreadable", 2501)]
        assert _staging(workspace_dir) == [] and _tmp_files(workspace_dir) == []
    after = snapshot(workspace_dir)
    # Only the access log changed: the refusal is recorded.
    assert {k: v for k, v in after["tables"].items() if k != "audit_log"} == {
        k: v for k, v in before["tables"].items() if k != "audit_log"
    }
    assert after["files"] == before["files"]
    added = set(after["tables"]["audit_log"]) - set(before["tables"]["audit_log"])
    assert [row[3] for row in added] == ["import_refused"]


def test_a_problem_in_a_later_chunk_without_quarantine_stores_nothing(
    workspace_dir: Path, staff_csv: StaffFiles
) -> None:
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(30, name="first.csv"), "R1H", 2024)
    before = snapshot(workspace_dir)
    source = staff_csv(2500, name="second.csv", seed=1, bad_pay_band_rows=[2200])
    with Workspace.open(workspace_dir) as ws:
        result = ws.import_file("staff", source, "R1H", 2024, chunk_rows=1000)
        assert result.status is ImportStatus.INVALID and result.rows_read == 2500
        assert [(p.row, p.code) for p in result.problems] == [(2202, "invalid_value")]
        assert _staging(workspace_dir) == [] and _tmp_files(workspace_dir) == []
        assert [d.row_count for d in ws.datasets()] == [30]
    assert snapshot(workspace_dir)["files"] == before["files"]


def test_progress_reports_rows_read_and_problems_after_each_chunk(
    workspace: Workspace, tmp_path: Path
) -> None:
    calls: list[tuple[str, int, int | None, int]] = []

    def progress(
        stage: str, /, *, rows: int = 0, total: int | None = None, problems: int = 0
    ) -> None:
        calls.append((stage, rows, total, problems))

    frame = staff_frame(35, bad_pay_band_rows=[3, 25, 26])
    for source in ("csv", "parquet"):
        path = tmp_path / f"staff.{source}"
        frame.write_csv(path) if source == "csv" else frame.write_parquet(path)
        calls.clear()
        workspace.import_file(
            "staff", path, "R1H", 2024, quarantine=True, progress=progress, chunk_rows=10
        )
        total = None if source == "csv" else 35
        assert calls == [
            ("reading", 0, None, 0),
            ("validating", 0, None, 0),
            ("validating", 10, total, 1),
            ("validating", 20, total, 1),
            ("validating", 30, total, 3),
            ("validating", 35, total, 3),
            ("writing", 0, None, 0),
            ("committing", 0, None, 0),
        ]


def test_the_default_chunk_size_comes_from_the_environment(
    workspace: Workspace, staff_csv: StaffFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_CHUNK_ROWS", "4")
    seen: list[int] = []

    def progress(stage: str, /, **counts: Any) -> None:
        if stage == "validating" and counts.get("rows"):
            seen.append(counts["rows"])

    workspace.import_file("staff", staff_csv(10), "R1H", 2024, progress=progress)
    assert seen == [4, 8, 10]


def test_cli_import_shows_rows_read_and_problems_on_a_terminal(
    workspace_dir: Path, staff_csv: StaffFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich: stderr is a terminal
    monkeypatch.setenv("LADDER_CHUNK_ROWS", "1000")
    source = staff_csv(2500, bad_pay_band_rows=[10, 1500])
    args = ["import", str(workspace_dir), "staff", str(source), "--org", "R1H"]
    result = CliRunner().invoke(app, [*args, "--period", "2024", "--quarantine"])
    assert result.exit_code == 0, result.output
    assert "2,500 rows read, 2 problems" in result.stderr
    assert "2,498 rows stored as import 1" in result.stdout
    assert "problems" not in result.stdout  # progress stays off the output


def test_cli_import_without_a_terminal_shows_no_progress(
    workspace_dir: Path, staff_csv: StaffFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    args = ["import", str(workspace_dir), "staff", str(staff_csv(20)), "--org", "R1H"]
    result = CliRunner().invoke(app, [*args, "--period", "2024"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
