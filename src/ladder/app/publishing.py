"""The report lifecycle: a report is a draft (watermarked "Draft") until an analyst publishes
it; publishing runs the disclosure audit and refuses what it breaks; published reports keep
their revisions and can be withdrawn with a reason. Everything is written to the access log.

Reports are built from the STORED results (every organisation's, for the peer comparisons)
when a draft is prepared or a report published: a download only serves the files built then.
Files lie under ``DIR/reports/<org>/<period>/r<n>[-draft]/``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ladder.app import dashboard
from ladder.app.access import Forbidden, NotFound, Scope
from ladder.app.accounts import Role
from ladder.app.errors import UsageError
from ladder.metrics import Result
from ladder.store import Workspace
from ladder.store import results as store
from ladder.store.audit import record
from ladder.store.models import ReportRevisionRow, ReportRow, utcnow

REPORTS = "reports"
FORMATS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WATERMARK_CSS = (
    ".ladder-draft{position:fixed;top:40%;left:0;right:0;text-align:center;"
    "font-size:120px;font-weight:700;color:rgba(218,41,28,.18);transform:rotate(-30deg);"
    "pointer-events:none;z-index:1000}"
    ".ladder-draft-banner{background:#da291c;color:#fff;padding:8px 16px;font-weight:700}"
)


class Status(StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


class PublishRefused(Exception):
    """The disclosure audit found withheld figures that the report would let be worked out."""

    def __init__(self, findings: list[dict[str, object]]) -> None:
        super().__init__(f"{len(findings)} withheld figure(s) could be worked out")
        self.findings = findings


@dataclass(frozen=True)
class Revision:
    number: int
    draft: bool
    built_at: datetime
    built_by: str
    published_at: datetime | None
    published_by: str | None
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    org: str
    period: int
    status: Status
    created_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None
    revisions: list[Revision] = field(default_factory=list)

    @property
    def draft(self) -> Revision | None:
        """The draft being prepared (newer than every published revision), if any."""
        return next((r for r in self.revisions if r.draft), None)

    @property
    def published(self) -> Revision | None:
        """The newest published revision."""
        return next((r for r in self.revisions if not r.draft), None)

    def to_dict(self) -> dict[str, object]:
        return {
            "org_code": self.org,
            "period": self.period,
            "status": self.status.value,
            "withdrawn_reason": self.withdrawn_reason,
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
            "revisions": [
                {
                    "number": r.number,
                    "state": "draft" if r.draft else "published",
                    "built_at": r.built_at.isoformat(),
                    "published_at": r.published_at.isoformat() if r.published_at else None,
                    "files": {
                        f: f"/orgs/{self.org}/reports/{self.period}/{r.number}/{f}"
                        for f in r.formats
                    },
                }
                for r in self.revisions
            ],
        }


def may_publish(access: Scope) -> bool:
    """Analysts and admins prepare, publish and withdraw reports."""
    return access.user.role in (Role.analyst, Role.admin)


def _require(access: Scope) -> None:
    if not may_publish(access):
        raise Forbidden(f"a {access.user.role} may not prepare or publish reports")


def _sees_drafts(access: Scope) -> bool:
    """Assessors see published reports only; the organisation's own people see drafts."""
    return access.user.role is not Role.assessor


def _folder(ws: Workspace, rel: str) -> Path:
    return ws.root / REPORTS / rel


def _formats(folder: Path) -> tuple[str, ...]:
    return tuple(f for f in FORMATS if any(folder.glob(f"*.{f}")))


def _report(ws: Workspace, row: ReportRow, revisions: list[ReportRevisionRow]) -> Report:
    return Report(
        org=row.org_code,
        period=row.period,
        status=Status(row.status),
        created_at=row.created_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        withdrawn_reason=row.withdrawn_reason,
        revisions=[
            Revision(
                number=r.number,
                draft=r.published_at is None,
                built_at=r.built_at,
                built_by=r.built_by,
                published_at=r.published_at,
                published_by=r.published_by,
                formats=_formats(_folder(ws, r.folder)),
            )
            for r in sorted(revisions, key=lambda r: -r.number)
        ],
    )


def reports(ws: Workspace, access: Scope) -> list[Report]:
    """The reports of ``access.org``, newest period first (assessors: published ones only,
    and only their published revisions)."""
    with ws.reading() as session:
        rows = list(
            session.scalars(
                select(ReportRow)
                .where(ReportRow.org_code == access.org)
                .order_by(ReportRow.period.desc())
            )
        )
        found = []
        for row in rows:
            revisions = list(
                session.scalars(
                    select(ReportRevisionRow).where(ReportRevisionRow.report_id == row.id)
                )
            )
            report = _report(ws, row, revisions)
            if not _sees_drafts(access):
                if report.status is not Status.published:
                    continue
                report.revisions[:] = [r for r in report.revisions if not r.draft]
            found.append(report)
    return found


def report(ws: Workspace, access: Scope, period: int) -> Report | None:
    return next((r for r in reports(ws, access) if r.period == period), None)


def _every_result(ws: Workspace) -> list[Result]:
    """Every organisation's stored results (the peers of the report), never computed."""
    found: list[Result] = []
    for org in sorted(store.data_versions(ws)):
        found.extend(dashboard.stored_results(ws, org)[0])
    return found


def _watermark(html: str) -> str:
    """The report as a draft: a "Draft" banner and a diagonal watermark on every page."""
    html = html.replace("</head>", f"<style>{WATERMARK_CSS}</style></head>", 1)
    marks = (
        '<div class="ladder-draft-banner">Draft: not published. These figures have not been '
        'checked for disclosure and must not be shared.</div><div class="ladder-draft" '
        'aria-hidden="true">Draft</div>'
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + marks, html, count=1)


def _build(
    ws: Workspace, org: str, period: int, folder: Path, *, draft: bool, threshold: int
) -> None:
    """Write the HTML, PDF (when WeasyPrint can run) and XLSX of the report into ``folder``."""
    from ladder.reports import xlsx
    from ladder.reports.html import render_html
    from ladder.reports.pdf import write_pdf

    every = _every_result(ws)
    if not any(r.org == org and r.period == period for r in every):
        raise UsageError(f"no results are stored for {org} in {period}: upload its data first")
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{org}-{period}-equality-report{'-DRAFT' if draft else ''}"
    html = render_html(every, org, period, threshold=threshold, source="Ladder web service")
    if draft:
        html = _watermark(html)
    stem.with_suffix(".html").write_text(html, encoding="utf-8")
    try:
        write_pdf(html, stem.with_suffix(".pdf"))
    except (ImportError, OSError):  # WeasyPrint's system libraries missing: HTML and XLSX only
        stem.with_suffix(".pdf").unlink(missing_ok=True)
    mine = [r for r in every if r.org == org and r.period == period]
    xlsx.write_workbook(mine, org, period, stem.with_suffix(".xlsx"), threshold)


def _row(session: Session, org: str, period: int) -> ReportRow | None:
    return session.scalars(
        select(ReportRow).where(ReportRow.org_code == org, ReportRow.period == period)
    ).first()


def prepare_draft(ws: Workspace, access: Scope, period: int, *, threshold: int = 10) -> Report:
    """Build a draft of ``access.org``'s report for ``period`` from the stored results (the
    draft replaces an earlier unpublished draft; published revisions are kept)."""
    _require(access)
    org = access.org
    version = store.data_version(ws, org) or ""
    with ws.session.begin() as session:
        row = _row(session, org, period)
        numbers = [] if row is None else _numbers(session, row.id)
    number = max(numbers, default=0) + 1
    rel = f"{org}/{period}/r{number}-draft"
    _build(ws, org, period, _folder(ws, rel), draft=True, threshold=threshold)  # no lock held
    with ws.session.begin() as session:
        row = _row(session, org, period)
        if row is None:
            row = ReportRow(
                org_code=org,
                period=period,
                status=Status.draft.value,
                created_at=utcnow(),
                created_by=access.user.email,
            )
            session.add(row)
            session.flush()
        for old in session.scalars(
            select(ReportRevisionRow).where(
                ReportRevisionRow.report_id == row.id, ReportRevisionRow.published_at.is_(None)
            )
        ):
            shutil.rmtree(_folder(ws, old.folder), ignore_errors=True)
            session.delete(old)
        session.add(
            ReportRevisionRow(
                report_id=row.id,
                number=number,
                folder=rel,
                data_version=version,
                built_at=utcnow(),
                built_by=access.user.email,
            )
        )
        record(session, access.user.email, "report_draft", f"{org}: {period} revision {number}")
    found = report(ws, access, period)
    assert found is not None
    return found


def _numbers(session: Session, report_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ReportRevisionRow.number).where(ReportRevisionRow.report_id == report_id)
        )
    )


def disclosure_findings(
    ws: Workspace, org: str, period: int, threshold: int
) -> list[dict[str, object]]:
    """THE publish-time disclosure check (one place, so it can be re-pointed): the findings of
    the disclosure audit of ``org``'s publication for ``period`` (empty: safe to publish)."""
    from ladder.app.disclosure import NothingToPublish, audit_disclosure

    try:
        audit = audit_disclosure(ws.root, org=org, periods=[period], threshold=threshold)
    except NothingToPublish:
        return []
    return [f.to_dict() for f in audit.findings]


def publish(ws: Workspace, access: Scope, period: int, *, threshold: int = 10) -> Report:
    """Publish the draft of ``access.org``'s report for ``period``: refused
    (:class:`PublishRefused`, with the figures) when the disclosure audit finds a withheld
    figure that could be worked out; otherwise the draft becomes the newest published
    revision, built again without the watermark."""
    _require(access)
    org = access.org
    current = report(ws, access, period)
    if current is None or current.draft is None:
        raise UsageError("prepare a draft of this report first")
    findings = disclosure_findings(ws, org, period, threshold)
    if findings:
        with ws.session.begin() as session:
            record(
                session,
                access.user.email,
                "report_refused",
                f"{org}: {period} ({len(findings)} disclosure finding(s))",
            )
        raise PublishRefused(findings)
    number = current.draft.number
    rel = f"{org}/{period}/r{number}"
    _build(ws, org, period, _folder(ws, rel), draft=False, threshold=threshold)
    with ws.session.begin() as session:
        row = _row(session, org, period)
        assert row is not None
        revision = session.scalars(
            select(ReportRevisionRow).where(
                ReportRevisionRow.report_id == row.id, ReportRevisionRow.number == number
            )
        ).one()
        shutil.rmtree(_folder(ws, revision.folder), ignore_errors=True)
        revision.folder = rel
        revision.published_at = utcnow()
        revision.published_by = access.user.email
        row.status = Status.published.value
        row.withdrawn_at = row.withdrawn_by = row.withdrawn_reason = None
        record(
            session,
            access.user.email,
            "report_published",
            f"{org}: {period} revision {revision.number}",
        )
    found = report(ws, access, period)
    assert found is not None
    return found


def withdraw(ws: Workspace, access: Scope, period: int, reason: str) -> Report:
    """Withdraw the published report of ``access.org`` for ``period``, giving the reason (its
    revisions are kept, and shown to the organisation as withdrawn)."""
    _require(access)
    reason = reason.strip()
    if not reason:
        raise UsageError("give the reason for withdrawing the report")
    with ws.session.begin() as session:
        row = _row(session, access.org, period)
        if row is None or row.status != Status.published.value:
            raise UsageError("only a published report can be withdrawn")
        row.status = Status.withdrawn.value
        row.withdrawn_at = utcnow()
        row.withdrawn_by = access.user.email
        row.withdrawn_reason = reason[:2000]
        record(
            session,
            access.user.email,
            "report_withdrawn",
            f"{access.org}: {period}: {reason[:200]}",
        )
    found = report(ws, access, period)
    assert found is not None
    return found


def report_file(ws: Workspace, access: Scope, period: int, number: int, fmt: str) -> Path:
    """The file of revision ``number`` in format ``fmt`` (:class:`NotFound` when there is none
    for this user); the download is written to the access log."""
    if fmt not in FORMATS:
        raise NotFound(fmt)
    found = report(ws, access, period)
    if found is None:
        raise NotFound(str(period))
    with ws.session() as session:
        row = _row(session, access.org, period)
        assert row is not None
        revision = session.scalars(
            select(ReportRevisionRow).where(
                ReportRevisionRow.report_id == row.id, ReportRevisionRow.number == number
            )
        ).first()
    if revision is None or (revision.published_at is None and not _sees_drafts(access)):
        raise NotFound(str(number))
    files = sorted(_folder(ws, revision.folder).glob(f"*.{fmt}"))
    if not files:
        raise NotFound(fmt)
    with ws.session.begin() as session:
        record(
            session,
            access.user.email,
            "report_download",
            f"{access.org}: {period} revision {number} {fmt}",
        )
    return files[0]
