"""Importing files into a workspace through the library API."""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import UTC
from pathlib import Path

import polars as pl
import pytest

from ladder.contract import dataset
from ladder.store import ImportStatus, UsageError, Workspace


def _parquet_files(root: Path) -> list[Path]:
    return sorted((root / "datasets").rglob("*.parquet"))


def test_import_stores_typed_rows_readable_by_scan(workspace: Workspace, staff_csv) -> None:
    source = staff_csv(500)
    result = workspace.import_file("staff", source, "r1h", 2024, user="alice")
    assert result.status is ImportStatus.STORED
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (500, 500, 0)
    assert result.org_code == "R1H" and len(result.records) == 1

    frame = workspace.scan("staff", org="R1H", period=2024).collect()
    assert dict(frame.schema) == dataset("staff").polars_schema()
    assert frame.height == 500
    first = frame.sort("staff_id").row(0, named=True)
    assert first["staff_id"] == "S00000000"
    assert first["snapshot_date"] == dt.date(2024, 3, 31)
    assert first["pay_band"] == "Band 2"
    assert first["fte"] == pytest.approx(0.5)
    assert frame.get_column("org_code").unique().to_list() == ["R1H"]

    [record] = workspace.datasets()
    assert (record.kind, record.org_code, record.period, record.row_count) == (
        "staff",
        "R1H",
        2024,
        500,
    )
    assert record.path.is_file() and record.path.parent == (
        workspace.root / "datasets" / "staff" / "org=R1H" / "period=2024"
    )
    assert record.updated_at.tzinfo is UTC
    # Nothing else was stored.
    assert workspace.scan("staff", period=2023).collect().height == 0
    assert workspace.scan("training").collect().height == 0


def test_import_is_logged_and_audited(workspace: Workspace, staff_csv) -> None:
    source = staff_csv(50)
    workspace.import_file("staff", source, "R1H", 2024, user="alice")
    workspace.scan("staff", user="bob").collect()
    [entry] = workspace.import_log()
    assert entry.user == "alice"
    assert entry.file_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert entry.source_file == str(source.resolve())
    assert entry.started_at.tzinfo is UTC and entry.started_at <= entry.finished_at
    assert entry.replaced_import_id is None and entry.rejects_file is None
    actions = [(a.user, a.action) for a in workspace.audit_log()]
    assert actions == [("alice", "import"), ("bob", "scan")]


def test_user_defaults_to_environment(
    workspace: Workspace, staff_csv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_USER", "carol")
    workspace.import_file("staff", staff_csv(10), "R1H", 2024)
    assert workspace.import_log()[0].user == "carol"


def test_invalid_file_stores_nothing(workspace: Workspace, staff_csv) -> None:
    result = workspace.import_file("staff", staff_csv(100, bad_pay_band_rows=[3, 7]), "R1H", 2024)
    assert result.status is ImportStatus.INVALID and not result.stored
    assert result.rows_rejected == 2 and result.rows_stored == 0
    assert [p.row for p in result.problems] == [5, 9]
    assert result.summary == {"invalid_value": 2}
    assert workspace.datasets() == [] and workspace.import_log() == []
    assert _parquet_files(workspace.root) == []
    assert [a.action for a in workspace.audit_log()] == ["import_refused"]


def test_wrong_org_rows_are_problems(workspace: Workspace, staff_csv) -> None:
    result = workspace.import_file("staff", staff_csv(10, org=["R1H", "RQX"]), "R1H", 2024)
    assert result.status is ImportStatus.INVALID
    assert result.summary == {"wrong_org": 5}


def test_blocking_problem_stores_nothing_even_in_quarantine(
    workspace: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "no_band.csv"
    no_band = {"staff_id": ["1"], "org_code": ["R1H"], "snapshot_date": ["2024-03-31"]}
    pl.DataFrame(no_band).write_csv(source)
    result = workspace.import_file("staff", source, "R1H", 2024, quarantine=True)
    assert result.status is ImportStatus.BLOCKED
    assert "missing_column" in result.summary
    assert workspace.datasets() == [] and _parquet_files(workspace.root) == []
    assert list((workspace.root / "rejects").iterdir()) == []


def test_quarantine_stores_valid_rows_and_writes_rejects(workspace: Workspace, staff_csv) -> None:
    result = workspace.import_file(
        "staff", staff_csv(100, bad_pay_band_rows=[3, 7]), "R1H", 2024, quarantine=True
    )
    assert result.status is ImportStatus.STORED
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (100, 98, 2)
    [entry] = workspace.import_log()
    expected = workspace.root / "rejects" / f"{entry.id}-staff-R1H-2024.csv"
    assert result.rejects_file == expected == entry.rejects_file
    rejects = pl.read_csv(expected, infer_schema=False)
    assert rejects.get_column("row").to_list() == ["5", "9"]
    assert rejects.get_column("pay_band").to_list() == ["Band 99", "Band 99"]
    assert all("pay band" in reason for reason in rejects.get_column("problems").to_list())
    assert workspace.scan("staff").collect().height == 98


def test_quarantine_to_a_chosen_rejects_file(
    workspace: Workspace, staff_csv, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "bad.csv"
    result = workspace.import_file(
        "staff", staff_csv(20, bad_pay_band_rows=[0]), "R1H", 2024, quarantine=True, rejects=target
    )
    assert result.rejects_file == target and target.is_file()
    assert workspace.import_log()[0].rejects_file == target


def test_rejects_without_quarantine_is_a_usage_error(
    workspace: Workspace, staff_csv, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="--quarantine"):
        workspace.import_file("staff", staff_csv(5), "R1H", 2024, rejects=tmp_path / "x.csv")


def test_reimport_replaces_atomically_and_is_logged(workspace: Workspace, staff_csv) -> None:
    first = workspace.import_file("staff", staff_csv(30, name="a.csv"), "R1H", 2024, user="a")
    old_file = workspace.datasets()[0].path
    second = workspace.import_file(
        "staff", staff_csv(40, name="b.csv", seed=1), "R1H", 2024, user="b"
    )
    [record] = workspace.datasets()
    assert record.import_id == second.import_ids[0] and record.row_count == 40
    assert not old_file.exists() and _parquet_files(workspace.root) == [record.path]
    frame = workspace.scan("staff").collect()
    assert frame.height == 40 and frame.get_column("staff_id").str.starts_with("S1").all()
    log = workspace.import_log()
    assert [e.replaced_import_id for e in log] == [None, first.import_ids[0]]
    assert [(e.user, e.rows_read, e.rows_stored) for e in log] == [("a", 30, 30), ("b", 40, 40)]
    assert log[0].file_sha256 != log[1].file_sha256


def test_other_periods_and_orgs_are_kept(workspace: Workspace, staff_csv) -> None:
    workspace.import_file("staff", staff_csv(10, name="a.csv"), "R1H", 2023)
    workspace.import_file("staff", staff_csv(20, name="b.csv"), "R1H", 2024)
    workspace.import_file("staff", staff_csv(30, name="c.csv", org="RQX"), "RQX", 2024)
    keys = [(d.org_code, d.period, d.row_count) for d in workspace.datasets()]
    assert keys == [("R1H", 2023, 10), ("R1H", 2024, 20), ("RQX", 2024, 30)]
    assert workspace.scan("staff", period=2024).collect().height == 50
    assert workspace.scan("staff", org="r1h").collect().height == 30


def test_file_of_several_orgs_without_org_stores_each(workspace: Workspace, staff_csv) -> None:
    result = workspace.import_file("staff", staff_csv(90, org=["R1H", "RQX", "RF4"]), None, 2024)
    assert result.stored and result.org_code is None
    assert sorted((r.org_code, r.rows_stored) for r in result.records) == [
        ("R1H", 30),
        ("RF4", 30),
        ("RQX", 30),
    ]
    assert [d.org_code for d in workspace.datasets()] == ["R1H", "RF4", "RQX"]
    frame = workspace.scan("staff", org="RQX").collect()
    assert frame.height == 30 and frame.get_column("org_code").unique().to_list() == ["RQX"]


@pytest.mark.parametrize(
    ("kind", "org", "period", "message"),
    [
        ("stuff", "R1H", 2024, "unknown dataset kind 'stuff'"),
        ("staff", "R1H/..", 2024, "not an ODS organisation code"),
        ("staff", "R1H", 24, "give a year"),
    ],
)
def test_bad_requests_are_usage_errors(
    workspace: Workspace, staff_csv, kind: str, org: str, period: int, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        workspace.import_file(kind, staff_csv(5), org, period)


def test_missing_file_is_a_usage_error(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="file not found"):
        workspace.import_file("staff", tmp_path / "nope.csv", "R1H", 2024)


def test_open_removes_leftovers_of_interrupted_imports(workspace_dir: Path, staff_csv) -> None:
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(10), "R1H", 2024)
        kept = ws.datasets()[0].path
    staged = workspace_dir / "datasets" / ".staging" / "0123.parquet"
    staged.write_bytes(b"x")
    orphan_dir = workspace_dir / "datasets" / "staff" / "org=R1H" / "period=2030"
    orphan_dir.mkdir(parents=True)
    orphan = orphan_dir / ("ab" * 16 + ".parquet")
    orphan.write_bytes(b"x")
    stray_rejects = workspace_dir / "rejects" / "99-staff-R1H-2030.csv"
    stray_rejects.write_text("row\n")
    mine = workspace_dir / "datasets" / "README.txt"
    mine.write_text("a user's note is not touched")
    Workspace.open(workspace_dir).close()
    assert kept.is_file() and mine.is_file()
    assert not staged.exists() and not orphan.exists() and not orphan_dir.exists()
    assert not stray_rejects.exists()


def test_quarantine_with_no_valid_row_stores_nothing(workspace: Workspace, staff_csv) -> None:
    source = staff_csv(3, bad_pay_band_rows=[0, 1, 2])
    result = workspace.import_file("staff", source, "R1H", 2024, quarantine=True)
    assert result.status is ImportStatus.NO_ROWS and result.rows_rejected == 3
    assert workspace.datasets() == [] and list((workspace.root / "rejects").iterdir()) == []
