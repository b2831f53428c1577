"""Errors raised while reading a file (before any row can be checked)."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read as a table: what is wrong and what to do."""

    def __init__(self, reason: str, hint: str, *, row: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.row = row
