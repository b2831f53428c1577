"""Errors of the workspace store: each one is an expected failure with a one-line message."""

from __future__ import annotations


class StoreError(Exception):
    """An expected failure of the store; ``exit_code`` is what the CLI exits with.

    1 means the operation failed (bad data, unreachable database); 2 means the request
    itself was wrong (not a workspace, unknown kind, missing file, bad option).
    """

    exit_code: int = 1


class UsageError(StoreError):
    """The request cannot be carried out as given (bad kind, org, period or path)."""

    exit_code = 2


class NotAWorkspaceError(UsageError):
    """The folder is not a Ladder workspace."""


class WorkspaceExistsError(StoreError):
    """``init`` on a folder that already is a workspace (nothing was changed)."""

    exit_code = 0


class DatabaseError(StoreError):
    """The database cannot be reached, is not this workspace's, or refused the change."""
