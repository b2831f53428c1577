"""Tables of the workspace database (SQLAlchemy 2 typed ORM).

The schema is created and changed only by the Alembic migrations in
``ladder/store/migrations``; a test checks that these models and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint naming (so migrations can name what they change)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class WorkspaceRow(Base):
    """The one row naming the workspace this database belongs to (see ladder.toml)."""

    __tablename__ = "workspace"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]
    format_version: Mapped[int]


class ImportRow(Base):
    """One stored import of a file for (kind, org_code, period): the import log."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_kind_org_period", "kind", "org_code", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(16))
    period: Mapped[int]
    source_file: Mapped[str] = mapped_column(String(1024))
    file_sha256: Mapped[str] = mapped_column(String(64))
    rows_read: Mapped[int]
    rows_stored: Mapped[int]
    rows_rejected: Mapped[int]
    rejects_file: Mapped[str | None] = mapped_column(String(1024))
    user: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    replaced_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    dataset_path: Mapped[str] = mapped_column(String(1024))


class DatasetRow(Base):
    """The current data of one (kind, org_code, period): which import and which file."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("kind", "org_code", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(16))
    period: Mapped[int]
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    path: Mapped[str] = mapped_column(String(1024))
    row_count: Mapped[int]
    updated_at: Mapped[datetime]


class AuditRow(Base):
    """One access to the workspace's data: who, when, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)


class ResultSetRow(Base):
    """Stored results of one (org_code, period) under one settings key: the index of a
    Parquet file under ``DIR/results`` (docs/architecture.md, "Stored results").

    ``settings_key`` names the settings the figures were computed with (threshold, windows,
    benchmark, catchment); the set is current while ``method_version`` is Ladder's and
    ``data_version`` is the fingerprint of the organisation's current datasets.
    """

    __tablename__ = "result_sets"
    __table_args__ = (UniqueConstraint("org_code", "period", "settings_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[int]
    settings_key: Mapped[str] = mapped_column(String(64))
    method_version: Mapped[str] = mapped_column(String(32))
    data_version: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1024))
    row_count: Mapped[int]
    skipped: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime]


class PublicationRow(Base):
    """One publication: the published (protected) figures of an organisation and period, as
    a Parquet file under ``DIR/publications``, with the settings they were published under
    (docs/methods/disclosure.md, "Periods and re-publication")."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[int]
    settings_key: Mapped[str] = mapped_column(String(64))
    threshold: Mapped[int]
    path: Mapped[str] = mapped_column(String(1024))
    figures: Mapped[int]
    withheld: Mapped[int]
    published_at: Mapped[datetime]


class UserRow(Base):
    """A person who signs in to the web service (docs/web.md, "Roles")."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    org_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)


class TokenRow(Base):
    """An API token of a user: only the SHA-256 of the token is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class SessionRow(Base):
    """A signed-in browser session (server-side; the cookie holds only the random id's
    SHA-256 preimage, the table its hash)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginAttemptRow(Base):
    """A failed sign-in (for throttling, per account and per address)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]


class CareersReachRow(Base):
    """Uses of the public careers matching, counted by day, neighbourhood (LSOA 2021) and
    IMD decile; ``org_code`` "*" counts every use, an organisation's code the uses that
    showed it a match. Counters only: nothing says who used it (docs/matching.md)."""

    __tablename__ = "careers_reach"
    __table_args__ = (UniqueConstraint("day", "org_code", "lsoa21"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    org_code: Mapped[str] = mapped_column(String(16))
    lsoa21: Mapped[str] = mapped_column(String(16))
    imd_decile: Mapped[int | None]
    uses: Mapped[int]


class CareersFairnessRow(Base):
    """Uses by people who chose to give a characteristic, counted by day, characteristic and
    group, with how many got a match and a good match: one counter per characteristic, never
    crossed with another or with the neighbourhood."""

    __tablename__ = "careers_fairness"
    __table_args__ = (UniqueConstraint("day", "dimension", "grp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    dimension: Mapped[str] = mapped_column(String(32))
    grp: Mapped[str] = mapped_column(String(64))
    uses: Mapped[int]
    matched: Mapped[int]
    good: Mapped[int]


class IndexSubmissionRow(Base):
    """An employer's submission to an open-index framework for a period (docs/index.md):
    the answer document as JSON, saved and returned to until it is submitted."""

    __tablename__ = "index_submissions"
    __table_args__ = (UniqueConstraint("framework", "org_code", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[int]
    document: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime]


class IndexAdjustmentRow(Base):
    """An assessor's change to one question's points, never without its reason."""

    __tablename__ = "index_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("index_submissions.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(64))
    points: Mapped[float]
    reason: Mapped[str] = mapped_column(Text)
    assessor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]


# --------------------------------------------------------------------------- issue 14
# Report lifecycle and the socio-economic background staff survey (migration 0005).


class ReportRow(Base):
    """The report of one organisation and period: ``draft`` until an analyst publishes it,
    then ``published`` (its revisions kept) or ``withdrawn`` (with the reason)."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("org_code", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(254))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(254))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class ReportRevisionRow(Base):
    """One built revision of a report: the draft being prepared (``published_at`` None) or a
    published revision; its files lie under ``DIR/reports/<folder>``."""

    __tablename__ = "report_revisions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    folder: Mapped[str] = mapped_column(String(512))
    data_version: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime]
    built_by: Mapped[str] = mapped_column(String(254))
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(254))


class SurveyRow(Base):
    """A socio-economic background staff survey of one organisation, answered through the
    secret link ``/s/<token>`` (no account)."""

    __tablename__ = "seb_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    anonymous: Mapped[bool]
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    created_by: Mapped[str] = mapped_column(String(254))


class SurveyResponseRow(Base):
    """One anonymous answer: never an account, an address or a time finer than the day; a
    random id, so the order of rows does not tell the order of answers."""

    __tablename__ = "seb_survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("seb_surveys.id", ondelete="CASCADE"), index=True
    )
    answered_on: Mapped[date]
    parent_occupation: Mapped[int | None]
    school_type: Mapped[str | None] = mapped_column(String(32))
    free_school_meals: Mapped[str | None] = mapped_column(String(32))
    parent_qualification: Mapped[str | None] = mapped_column(String(32))
    ethnicity: Mapped[str | None] = mapped_column(String(64))
    disability: Mapped[str | None] = mapped_column(String(32))
    pay_band: Mapped[str | None] = mapped_column(String(64))


# --------------------------------------------------------------------------- issue 16
# Evidence files attached to open-index answers (migration 0009).


class IndexEvidenceRow(Base):
    """A file attached as evidence to one question of an organisation's submission: kept
    under ``DIR/evidence/<ORG>/<token>``; ``token`` (random) is its only address."""

    __tablename__ = "index_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    framework: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[int]
    question: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime]
