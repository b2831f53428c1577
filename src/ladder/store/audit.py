"""The access log: who imported or read which data, and when."""

from __future__ import annotations

import getpass
import os
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ladder.store.models import AuditRow, utcnow
from ladder.store.records import AuditRecord

USER_ENV = "LADDER_USER"


def current_user(explicit: str | None = None) -> str:
    """The acting user: ``explicit`` (``--user``), else $LADDER_USER, else the OS user."""
    for candidate in (explicit, os.environ.get(USER_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()[:128]
    try:
        return getpass.getuser()[:128]
    except (OSError, KeyError):
        return "unknown"


def record(session: Session, user: str, action: str, detail: str) -> None:
    """Add an entry to the log within ``session``'s transaction."""
    session.add(AuditRow(at=utcnow(), user=user, action=action, detail=detail))


def entries(session: Session, limit: int | None = None) -> list[AuditRecord]:
    """The newest ``limit`` entries (all when None), oldest first."""
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query))
    return [AuditRecord.of(r) for r in reversed(rows)]


@dataclass
class _Entry:
    at: datetime
    user: str
    action: str
    detail: str
    done: bool = False
    error: BaseException | None = None


class Batcher:
    """Writes access-log entries with group commit: :meth:`write` returns only once its entry
    is committed (a read is never shown unlogged, and nothing waits in memory to be lost at
    shutdown or in a crash), but entries that arrive together share ONE transaction.

    The caller holding the commit lock writes every entry waiting at that moment, its own and
    the others'; the others, getting the lock after, find theirs written and return. So the
    database sees one writer per process at a time and one commit per burst, instead of one
    write-lock wait per page view."""

    def __init__(self, session: sessionmaker[Session]) -> None:
        self._session = session
        self._pending: list[_Entry] = []
        self._guard = threading.Lock()
        self._commit = threading.Lock()
        self.commits = 0
        """Transactions written so far (for tests and benchmarks)."""

    def write(self, user: str, action: str, detail: str) -> None:
        """Log one entry, committed when this returns (raises what the commit raised)."""
        entry = _Entry(utcnow(), user, action, detail)
        with self._guard:
            self._pending.append(entry)
        with self._commit:
            if not entry.done:
                with self._guard:
                    batch, self._pending = self._pending, []
                error: BaseException | None = None
                try:
                    with self._session.begin() as session:
                        session.add_all(
                            AuditRow(at=e.at, user=e.user, action=e.action, detail=e.detail)
                            for e in batch
                        )
                    self.commits += 1
                except BaseException as exc:
                    error = exc
                    raise
                finally:
                    for e in batch:
                        e.error = error
                        e.done = True
        if entry.error is not None:
            raise entry.error
