"""The store under concurrent page views: SQLite in WAL mode (readers take no lock), read-only
sessions, and the access log's group commit (every entry committed before ``write`` returns,
entries arriving together in one transaction), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ladder.store import Workspace
from ladder.store.models import AuditRow


def test_sqlite_is_in_wal_mode_with_normal_sync(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "ws") as ws, ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """While one transaction holds SQLite's write lock, a read-only session still reads."""
    with Workspace.init(tmp_path / "ws") as ws:
        ws.audit.write("a@x", "results_read", "R1H: one")
        with ws.session.begin() as writing:  # BEGIN IMMEDIATE: the write lock is held
            writing.add(AuditRow(at=_now(), user="b@x", action="x", detail="uncommitted"))
            writing.flush()
            with ws.reading() as reading:
                seen = reading.scalar(select(func.count()).select_from(AuditRow))
        assert seen == 1  # the committed row only, read at once


def test_audit_entries_from_many_threads_are_all_committed(workspace: Workspace) -> None:
    """40 threads x 25 entries: every entry is in the log when its ``write`` returns, and
    entries that arrived together shared transactions (fewer commits than entries)."""
    before = len(workspace.audit_log())
    start = threading.Barrier(40)
    missing: list[str] = []

    def view(n: int) -> None:
        start.wait()
        for i in range(25):
            detail = f"R1H: view {n}-{i}"
            workspace.audit.write(f"user{n}@x", "results_read", detail)
            with workspace.reading() as s:
                found = s.scalar(select(func.count()).where(AuditRow.detail == detail))
            if found != 1:
                missing.append(detail)

    threads = [threading.Thread(target=view, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert missing == []
    log = workspace.audit_log()
    assert len(log) - before == 1000
    assert {e.detail for e in log[before:]} == {
        f"R1H: view {n}-{i}" for n in range(40) for i in range(25)
    }
    assert workspace.audit.commits <= 1000


def test_a_failed_audit_commit_is_raised_to_the_writer(workspace: Workspace) -> None:
    with workspace.session.begin() as s:
        s.execute(text("DROP TABLE audit_log"))
    with pytest.raises(Exception, match="audit_log"):
        workspace.audit.write("a@x", "results_read", "R1H: lost")


def _now() -> datetime:
    from ladder.store.models import utcnow

    return utcnow()
