"""Open or create a workspace, and import a file into it (the store does the work).

Importing changes the data fingerprint of every organisation it stores rows for, so those
organisations' stored results stop being current and are computed again when next asked
for (:mod:`ladder.app.results`); nothing else needs to be told.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ladder.store import ImportResult, Workspace

__all__ = ["ImportResult", "Workspace", "create_workspace", "import_file", "open_workspace"]


def open_workspace(path: Path, database_url: str | None = None) -> Workspace:
    """The workspace at ``path`` (its database at ``database_url`` when given), migrated and
    tidied (see :meth:`Workspace.open`)."""
    return Workspace.open(path, database_url)


def create_workspace(path: Path, database_url: str | None = None) -> Workspace:
    """A new workspace in the new or empty folder ``path`` (see :meth:`Workspace.init`)."""
    return Workspace.init(path, database_url)


def import_file(
    ws: Workspace, kind: str, file: Path, org: str | None, period: int, **options: Any
) -> ImportResult:
    """Validate and store ``file`` as ``kind`` (all or nothing): the store's public import,
    with its options passed through (quarantine, rejects, user, sheet, progress, ...)."""
    return ws.import_file(kind, file, org, period, **options)
