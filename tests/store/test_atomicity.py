"""An import killed with SIGKILL at any point leaves the workspace exactly as it was.

The importer's test hook (``LADDER_TEST_PAUSE``, see ladder.store.importing) makes
``python -m ladder import`` stop at a named point; the test kills it there, reopens the
workspace and compares the database tables and the files with a snapshot taken before.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from ladder.store import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

TABLES = ("workspace", "imports", "datasets", "audit_log", "alembic_version")


def snapshot(root: Path) -> dict[str, Any]:
    """Every row of every table, and every file and folder with its content hash."""
    with Workspace.open(root) as ws, ws.engine.connect() as conn:
        rows = {t: conn.execute(text(f"SELECT * FROM {t}")).all() for t in TABLES}
    tables = {t: sorted(tuple(str(v) for v in row) for row in found) for t, found in rows.items()}
    files = {}
    for path in sorted(root.rglob("*")):
        if path.name.startswith("ladder.db"):
            continue  # the database is compared by content above
        rel = path.relative_to(root).as_posix()
        files[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return {"tables": tables, "files": files}


# Rows read at a time: the whole file at once, or 60,000 rows in chunks of 7,000.
CHUNKS = {"whole": "0", "chunks": "7000"}


@pytest.fixture(params=list(CHUNKS))
def chunk_rows(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LADDER_CHUNK_ROWS", CHUNKS[request.param])
    return CHUNKS[request.param]


def _start_import(root: Path, source: Path, pause: str | None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if pause is not None:
        env |= {"LADDER_TEST_PAUSE": pause, "LADDER_TEST_PAUSE_SECONDS": "120"}
    command = [
        sys.executable,
        "-m",
        "ladder",
        "import",
        str(root),
        "staff",
        str(source),
        "--org",
        "R1H",
        "--period",
        "2024",
        "--quarantine",
        "--user",
        "killed",
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_pause(proc: subprocess.Popen[str], point: str) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.strip() == f"LADDER_TEST_PAUSE {point}":
            return
    proc.wait()
    pytest.fail(f"import ended (code {proc.returncode}) before reaching {point!r}")


def _data_files(root: Path) -> list[Path]:
    return sorted((root / "datasets").rglob("*.parquet"))


@pytest.fixture
def prepared(workspace_dir: Path, staff_csv, chunk_rows: str) -> tuple[Path, Path, dict[str, Any]]:
    """A workspace holding one import, a larger replacement file, and the snapshot."""
    with Workspace.open(workspace_dir) as ws:
        ws.import_file("staff", staff_csv(1000, name="first.csv"), "R1H", 2024, user="first")
    replacement = staff_csv(60_000, name="second.csv", seed=2, bad_pay_band_rows=[10, 20])
    return workspace_dir, replacement, snapshot(workspace_dir)


@pytest.mark.parametrize("point", ["chunk", "staged", "placed", "transaction"])
def test_killed_import_leaves_workspace_unchanged(
    prepared: tuple[Path, Path, dict[str, Any]], point: str
) -> None:
    root, replacement, before = prepared
    proc = _start_import(root, replacement, point)
    try:
        _wait_for_pause(proc, point)
        # The import got as far as promised: its files exist.
        staged = list((root / "datasets" / ".staging").iterdir())
        if point == "chunk":  # mid-file: the first chunk's rows are staged, the rest unread
            assert [p.suffix for p in staged] == [".parquet"] and len(_data_files(root)) == 2
            assert list((root / "rejects").glob(".*.tmp"))  # its rejected row, staged too
        elif point == "staged":
            assert staged and len(_data_files(root)) == 2  # kept file + staging file
        else:
            assert not staged and len(_data_files(root)) == 2  # kept file + placed file
        if point == "transaction":
            assert list((root / "rejects").glob("2-staff-R1H-2024.csv"))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(root) == before

    # The workspace still works: the same import now completes and replaces import 1.
    with Workspace.open(root) as ws:
        result = ws.import_file("staff", replacement, "R1H", 2024, quarantine=True)
        assert result.stored and result.records[0].replaced_import_id == 1
        assert ws.scan("staff").collect().height == 60_000 - 2
    assert len(_data_files(root)) == 1


def test_killed_while_writing_parquet(prepared: tuple[Path, Path, dict[str, Any]]) -> None:
    """Without the hook: kill as soon as the staging file appears (mid-write)."""
    root, replacement, before = prepared
    staging = root / "datasets" / ".staging"
    proc = _start_import(root, replacement, None)
    deadline = time.monotonic() + 60
    while proc.poll() is None and not any(staging.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    after = snapshot(root)
    if proc.returncode == -signal.SIGKILL:
        assert after == before
    else:  # the import won the race and finished: then it is complete, never half-done
        assert proc.returncode == 0
        with Workspace.open(root) as ws:
            assert [d.row_count for d in ws.datasets()] == [60_000 - 2]


def test_concurrent_reimports_serialise(prepared: tuple[Path, Path, dict[str, Any]]) -> None:
    """Two re-imports of the same data at once: both are stored, one after the other."""
    root, replacement, _ = prepared
    procs = [_start_import(root, replacement, None) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with Workspace.open(root) as ws:
        log = ws.import_log()
        [current] = ws.datasets()
    assert [e.id for e in log] == [1, 2, 3]
    # Each replaced the one before it: a chain, never two imports replacing the same one.
    assert [e.replaced_import_id for e in log] == [None, 1, 2]
    assert current.import_id == 3 and _data_files(root) == [current.path]
