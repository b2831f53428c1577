"""Open-index submissions kept in the workspace (tables of migration 0007): the answer
document of an employer for a framework and period, and assessors' adjustments. Each change
is written to the access log in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ladder.store.audit import record
from ladder.store.models import IndexAdjustmentRow, IndexSubmissionRow, utcnow


@dataclass(frozen=True)
class StoredSubmission:
    framework: str
    org_code: str
    period: int
    document: dict[str, Any]
    status: str
    updated_by: str
    adjustments: tuple[dict[str, Any], ...]


def _of(session: Session, row: IndexSubmissionRow) -> StoredSubmission:
    adjustments = session.scalars(
        select(IndexAdjustmentRow)
        .where(IndexAdjustmentRow.submission_id == row.id)
        .order_by(IndexAdjustmentRow.id)
    )
    latest: dict[str, dict[str, Any]] = {}
    for a in adjustments:  # the latest adjustment of a question stands
        latest[a.question] = {
            "question": a.question,
            "points": a.points,
            "reason": a.reason,
            "assessor": a.assessor,
        }
    return StoredSubmission(
        row.framework,
        row.org_code,
        row.period,
        json.loads(row.document),
        row.status,
        row.updated_by,
        tuple(latest.values()),
    )


def _row(session: Session, framework: str, org: str, period: int) -> IndexSubmissionRow | None:
    return session.scalars(
        select(IndexSubmissionRow).where(
            IndexSubmissionRow.framework == framework,
            IndexSubmissionRow.org_code == org,
            IndexSubmissionRow.period == period,
        )
    ).first()


def save(
    session: Session,
    *,
    framework: str,
    version: str,
    org: str,
    period: int,
    document: dict[str, Any],
    status: str,
    user: str,
) -> None:
    """Create or replace the submission's answers (adjustments already made are kept)."""
    row = _row(session, framework, org, period)
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    if row is None:
        row = IndexSubmissionRow(
            framework=framework,
            framework_version=version,
            org_code=org,
            period=period,
            document=text,
            status=status,
            updated_by=user,
            updated_at=utcnow(),
        )
        session.add(row)
    else:
        row.document, row.status, row.updated_by = text, status, user
        row.framework_version, row.updated_at = version, utcnow()
    record(session, user, "index_save", f"{org}: {framework} {period} ({status})")


def adjust(
    session: Session,
    *,
    framework: str,
    org: str,
    period: int,
    question: str,
    points: float,
    reason: str,
    assessor: str,
) -> None:
    """Record an assessor's adjustment (LookupError when there is no such submission)."""
    row = _row(session, framework, org, period)
    if row is None:
        raise LookupError(f"no submission of {org} to {framework} for {period}")
    session.add(
        IndexAdjustmentRow(
            submission_id=row.id,
            question=question,
            points=points,
            reason=reason,
            assessor=assessor,
            at=utcnow(),
        )
    )
    record(
        session,
        assessor,
        "index_adjust",
        f"{org}: {framework} {period} {question} = {points:g} ({reason})",
    )


def get(session: Session, framework: str, org: str, period: int) -> StoredSubmission | None:
    row = _row(session, framework, org, period)
    return None if row is None else _of(session, row)


def listed(session: Session, framework: str, period: int | None = None) -> list[StoredSubmission]:
    query = select(IndexSubmissionRow).where(IndexSubmissionRow.framework == framework)
    if period is not None:
        query = query.where(IndexSubmissionRow.period == period)
    rows = session.scalars(query.order_by(IndexSubmissionRow.org_code))
    return [_of(session, r) for r in rows]


def organisations(session: Session) -> list[str]:
    """Every organisation with a submission (to any framework, any period)."""
    query = select(IndexSubmissionRow.org_code).distinct().order_by(IndexSubmissionRow.org_code)
    return list(session.scalars(query))
