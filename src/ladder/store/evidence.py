"""Evidence files of open-index answers (table of migration 0009): each file is kept under
``DIR/evidence/<ORG>/<token>`` (the organisation's own folder) and found only by its random
token together with its organisation, so one organisation's token finds nothing of another's.
Uploads, removals and downloads are written to the access log."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ladder.store.audit import record
from ladder.store.models import IndexEvidenceRow, utcnow

EVIDENCE = "evidence"


@dataclass(frozen=True)
class EvidenceFile:
    token: str
    framework: str
    org_code: str
    period: int
    question: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def _of(row: IndexEvidenceRow) -> EvidenceFile:
    return EvidenceFile(
        row.token, row.framework, row.org_code, row.period, row.question, row.filename,
        row.media_type, row.size, row.sha256, row.uploaded_by, row.uploaded_at,
    )  # fmt: skip


def folder(root: Path, org: str) -> Path:
    """The organisation's evidence folder."""
    return root / EVIDENCE / org


def path_of(root: Path, found: EvidenceFile) -> Path:
    return folder(root, found.org_code) / found.token


def add(
    session: Session,
    root: Path,
    *,
    framework: str,
    org: str,
    period: int,
    question: str,
    filename: str,
    media_type: str,
    content: bytes,
    user: str,
) -> EvidenceFile:
    """Write the file (atomically, under the organisation's folder) and record it."""
    token = secrets.token_urlsafe(24)
    target = folder(root, org) / token
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{token}.tmp")
    temp.write_bytes(content)
    os.replace(temp, target)
    row = IndexEvidenceRow(
        token=token, framework=framework, org_code=org, period=period, question=question,
        filename=filename, media_type=media_type, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=user, uploaded_at=utcnow(),
    )  # fmt: skip
    session.add(row)
    record(session, user, "evidence_upload",
           f"{org}: {framework} {period} {question} {filename} ({len(content)} bytes)")  # fmt: skip
    session.flush()
    return _of(row)


def listed(
    session: Session, framework: str, org: str, period: int, question: str | None = None
) -> list[EvidenceFile]:
    query = select(IndexEvidenceRow).where(
        IndexEvidenceRow.framework == framework,
        IndexEvidenceRow.org_code == org,
        IndexEvidenceRow.period == period,
    )
    if question is not None:
        query = query.where(IndexEvidenceRow.question == question)
    return [_of(r) for r in session.scalars(query.order_by(IndexEvidenceRow.id))]


def counts(session: Session, framework: str, period: int) -> dict[str, int]:
    """The number of evidence files of each organisation's submission."""
    query = (
        select(IndexEvidenceRow.org_code, func.count())
        .where(IndexEvidenceRow.framework == framework, IndexEvidenceRow.period == period)
        .group_by(IndexEvidenceRow.org_code)
    )
    return {org: int(n) for org, n in session.execute(query)}


def get(session: Session, org: str, token: str) -> EvidenceFile | None:
    """The file ``token`` of ``org`` (None for another organisation's token)."""
    row = session.scalars(
        select(IndexEvidenceRow).where(
            IndexEvidenceRow.org_code == org, IndexEvidenceRow.token == token
        )
    ).first()
    return None if row is None else _of(row)


def remove(session: Session, root: Path, org: str, token: str, user: str) -> bool:
    row = session.scalars(
        select(IndexEvidenceRow).where(
            IndexEvidenceRow.org_code == org, IndexEvidenceRow.token == token
        )
    ).first()
    if row is None:
        return False
    found = _of(row)
    session.delete(row)
    what = f"{org}: {found.framework} {found.period} {found.question} {found.filename}"
    record(session, user, "evidence_remove", what)
    path_of(root, found).unlink(missing_ok=True)
    return True


def downloaded(session: Session, found: EvidenceFile, user: str) -> None:
    record(session, user, "evidence_download",
           f"{found.org_code}: {found.framework} {found.period} {found.question} "
           f"{found.filename}")  # fmt: skip
