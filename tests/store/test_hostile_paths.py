"""Hostile paths: a --rejects file aimed at the workspace or the input, workspace folders that
are symbolic links out of it, a named pipe as input, a hostile header copied into the
rejects file, and --out options given an existing file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.store import Workspace
from ladder.store.errors import UsageError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("inside", ["ladder.db", "ladder.toml", "datasets/notes.csv", "."])
def test_rejects_inside_the_workspace_is_refused(
    workspace: Workspace, staff_csv, inside: str
) -> None:
    source = staff_csv(10, bad_pay_band_rows=[1])
    target = workspace.root / inside
    before = {p: _digest(p) for p in workspace.root.glob("ladder.*")}
    with pytest.raises(UsageError, match="is inside the workspace"):
        workspace.import_file("staff", source, "R1H", 2024, quarantine=True, rejects=target)
    assert {p: _digest(p) for p in workspace.root.glob("ladder.*")} == before
    assert workspace.datasets() == []


def test_rejects_equal_to_the_input_is_refused(workspace: Workspace, staff_csv) -> None:
    source = staff_csv(10, bad_pay_band_rows=[1])
    before = _digest(source)
    with pytest.raises(UsageError, match="is the file being imported"):
        workspace.import_file("staff", source, "R1H", 2024, quarantine=True, rejects=source)
    assert _digest(source) == before


def test_rejects_inside_the_workspace_from_the_cli(workspace_dir: Path, staff_csv) -> None:
    source = staff_csv(10, bad_pay_band_rows=[1])
    db = workspace_dir / "ladder.db"
    before = _digest(db) if db.exists() else None
    result = CliRunner().invoke(
        app,
        [
            *("import", str(workspace_dir), "staff", str(source), "--period", "2024"),
            *("--quarantine", "--rejects", str(db)),
        ],
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"--rejects {db} is inside the workspace" in result.stderr
    assert (_digest(db) if db.exists() else None) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_not_imported(workspace: Workspace, tmp_path: Path) -> None:
    pipe = tmp_path / "staff.csv"
    os.mkfifo(pipe)
    with pytest.raises(UsageError, match="not a file"):
        workspace.import_file("staff", pipe, "R1H", 2024)


@pytest.mark.parametrize("folder", ["rejects", "datasets", "datasets/.staging"])
def test_linked_workspace_folders_never_lose_files_outside(
    workspace_dir: Path, tmp_path: Path, folder: str
) -> None:
    """Files outside named like leftovers (a data file, a rejects file, a temporary file)."""
    outside = tmp_path / "outside"
    nested = outside / "staff" / "org=R1H" / "period=2024"
    nested.mkdir(parents=True)
    victims = [
        outside / ("ab" * 16 + ".parquet"),
        outside / "3-staff-R1H-2024.csv",
        outside / ".x.tmp",
        nested / ("cd" * 16 + ".parquet"),
    ]
    for victim in victims:
        victim.write_text("not the workspace's")
    (outside / "empty").mkdir()
    link = workspace_dir / folder
    if link.is_dir():
        for child in link.iterdir():
            child.rmdir()
        link.rmdir()
    link.symlink_to(outside, target_is_directory=True)
    # and a linked file and folder inside the real datasets folder
    if folder != "datasets":
        (workspace_dir / "datasets" / ("ef" * 16 + ".parquet")).symlink_to(victims[0])
        (workspace_dir / "datasets" / "linked").symlink_to(outside, target_is_directory=True)
    Workspace.open(workspace_dir).close()
    assert all(v.read_text() == "not the workspace's" for v in victims)
    assert (outside / "empty").is_dir() and nested.is_dir()


def test_rejects_header_is_neutralised(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(
        'staff_id,org_code,snapshot_date,pay_band,"=HYPERLINK(""http://x"",""y"")"\n'
        "1,R1H,2024-03-31,Band 5,a\n"
        "2,R1H,2024-03-31,Band 99,=1+1\n"
    )
    result = workspace.import_file("staff", source, "R1H", 2024, quarantine=True)
    assert result.rejects_file is not None
    header, row = result.rejects_file.read_text().splitlines()
    assert (
        header
        == 'row,staff_id,org_code,snapshot_date,pay_band,"\'=HYPERLINK(""http://x"",""y"")",problems'
    )
    assert row.startswith("3,2,R1H,2024-03-31,Band 99,'=1+1,")


@pytest.mark.parametrize(
    "args",
    [
        ["synth", "--out", "{file}", "--orgs", "1", "--staff", "10"],
        ["report", "{data}", "--out", "{file}"],
    ],
)
def test_out_given_an_existing_file(tmp_path: Path, args: list[str]) -> None:
    existing = tmp_path / "report.html"
    existing.write_text("keep me")
    argv = [a.format(file=existing, data=tmp_path) for a in args]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"--out {existing} is a file, not a folder" in result.output
    assert existing.read_text() == "keep me"


def test_reimport_through_a_linked_datasets_folder_deletes_nothing_outside(
    workspace_dir: Path, staff_csv, tmp_path: Path
) -> None:
    """The database names the old file; the folder has since become a link elsewhere."""
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(5), "R1H", 2024)
        old = ws.datasets()[0].path
    outside = tmp_path / "elsewhere"
    (workspace_dir / "datasets").rename(outside)
    (workspace_dir / "datasets").symlink_to(outside, target_is_directory=True)
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(6, seed=1), "R1H", 2024)
    assert (outside / old.relative_to(workspace_dir / "datasets")).is_file()
