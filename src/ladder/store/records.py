"""Typed results the store hands to callers (CLI, indicators, reports, web)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ladder.io.problems import Problem
from ladder.store.models import AuditRow, DatasetRow, ImportRow


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


@dataclass(frozen=True)
class ImportRecord:
    """One entry of the import log (the file stored for one kind, organisation and period)."""

    id: int
    kind: str
    org_code: str
    period: int
    source_file: str
    file_sha256: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    rejects_file: Path | None
    user: str
    started_at: datetime
    finished_at: datetime
    replaced_import_id: int | None
    dataset_path: Path

    @staticmethod
    def of(row: ImportRow, root: Path) -> ImportRecord:
        rejects = None if row.rejects_file is None else _absolute(root, row.rejects_file)
        return ImportRecord(
            id=row.id,
            kind=row.kind,
            org_code=row.org_code,
            period=row.period,
            source_file=row.source_file,
            file_sha256=row.file_sha256,
            rows_read=row.rows_read,
            rows_stored=row.rows_stored,
            rows_rejected=row.rows_rejected,
            rejects_file=rejects,
            user=row.user,
            started_at=row.started_at,
            finished_at=row.finished_at,
            replaced_import_id=row.replaced_import_id,
            dataset_path=_absolute(root, row.dataset_path),
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: _json(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class DatasetRecord:
    """The current data of one (kind, org_code, period)."""

    kind: str
    org_code: str
    period: int
    import_id: int
    path: Path
    row_count: int
    updated_at: datetime

    @staticmethod
    def of(row: DatasetRow, root: Path) -> DatasetRecord:
        return DatasetRecord(
            kind=row.kind,
            org_code=row.org_code,
            period=row.period,
            import_id=row.import_id,
            path=_absolute(root, row.path),
            row_count=row.row_count,
            updated_at=row.updated_at,
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: _json(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class AuditRecord:
    """One entry of the access log."""

    id: int
    at: datetime
    user: str
    action: str
    detail: str

    @staticmethod
    def of(row: AuditRow) -> AuditRecord:
        return AuditRecord(row.id, row.at, row.user, row.action, row.detail)

    def to_dict(self) -> dict[str, Any]:
        return {k: _json(v) for k, v in self.__dict__.items()}


class ImportStatus(StrEnum):
    """How an import ended."""

    STORED = "stored"  # valid rows stored (rejected rows quarantined, if any)
    INVALID = "invalid"  # some rows have problems and --quarantine was not given
    BLOCKED = "blocked"  # a problem with the whole file: no row can be stored
    NO_ROWS = "no_rows"  # nothing valid to store


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``records`` has one entry per organisation stored."""

    status: ImportStatus
    kind: str
    period: int
    org_code: str | None
    source_file: Path
    file_sha256: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    records: list[ImportRecord] = field(default_factory=list)
    rejects_file: Path | None = None
    warnings: int = 0  # problems that are warnings (their rows are stored)
    rows_with_warnings: int = 0

    @property
    def stored(self) -> bool:
        return self.status is ImportStatus.STORED

    @property
    def import_ids(self) -> list[int]:
        return [r.id for r in self.records]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "kind": self.kind,
            "period": self.period,
            "org_code": self.org_code,
            "source_file": str(self.source_file),
            "file_sha256": self.file_sha256,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "rejects_file": _json(self.rejects_file),
            "summary": self.summary,
            "warnings": self.warnings,
            "rows_with_warnings": self.rows_with_warnings,
            "imports": [r.to_dict() for r in self.records],
            "problems": [p.to_dict() for p in self.problems],
        }


def _absolute(root: Path, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else root / path
