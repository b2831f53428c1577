"""The access log: who imported or read which data, and when."""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

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
