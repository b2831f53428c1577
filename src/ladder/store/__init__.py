"""The workspace store: a database (SQLite or PostgreSQL, Alembic-migrated) plus Parquet files.

Start here: :class:`Workspace` (``init``, ``open``, ``import_file``, ``datasets``, ``scan``,
``import_log``, ``audit_log``). See docs/workspace.md.
"""

from ladder.store.errors import (
    DatabaseError,
    NotAWorkspaceError,
    StoreError,
    UsageError,
    WorkspaceExistsError,
)
from ladder.store.records import (
    AuditRecord,
    DatasetRecord,
    ImportRecord,
    ImportResult,
    ImportStatus,
)
from ladder.store.workspace import Workspace

__all__ = [
    "AuditRecord",
    "DatabaseError",
    "DatasetRecord",
    "ImportRecord",
    "ImportResult",
    "ImportStatus",
    "NotAWorkspaceError",
    "StoreError",
    "UsageError",
    "Workspace",
    "WorkspaceExistsError",
]
