"""Uploads through the web service: keep the file, validate it, then store it on request.

An upload is kept under ``DIR/.uploads/<ORG>-<random>.<ext>`` until it is confirmed (or
refused); its id is random, so it cannot be guessed, and it names the organisation it was
uploaded for (a confirmation for another organisation finds nothing). Storing goes through
the one import of the store (all or nothing; quarantine keeps valid rows) and then computes
the organisation's stored results, so its dashboard reads them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ladder.app.access import NotFound, Scope
from ladder.contract.kinds import KINDS
from ladder.io.problems import Problem
from ladder.store import ImportResult, UsageError, Workspace

UPLOADS = ".uploads"
MAX_BYTES = 20 * 1024 * 1024
"""The largest upload accepted (20 MB); larger files are refused while they arrive."""
SUFFIXES = (".csv", ".xlsx")
OTHER_ORG = "other_organisation"
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


__all__ = [
    "KINDS",
    "MAX_BYTES",
    "Checked",
    "TooLarge",
    "check_request",
    "discard",
    "keep",
    "store",
    "validate",
]


class TooLarge(ValueError):
    """The upload is larger than :data:`MAX_BYTES`."""


@dataclass(frozen=True)
class Checked:
    """An upload kept and validated (nothing stored yet)."""

    upload_id: str
    kind: str
    period: int
    filename: str
    rows_read: int
    bad_rows: int
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def blocked(self) -> bool:
        return any(p.blocking or p.code == OTHER_ORG for p in self.errors)


def check_request(kind: str, period: int, filename: str) -> str:
    """The file's suffix, or :class:`UsageError` for an unknown kind, period or format."""
    if kind not in KINDS:
        raise UsageError(f"unknown dataset {kind!r}: choose one of {', '.join(KINDS)}")
    if not 2000 <= period <= 2100:
        raise UsageError(f"the period {period} is not a year between 2000 and 2100")
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError("upload a CSV (.csv) or Excel (.xlsx) file")
    return suffix


def _folder(ws: Workspace) -> Path:
    folder = ws.root / UPLOADS
    folder.mkdir(exist_ok=True)
    return folder


def keep(ws: Workspace, access: Scope, suffix: str, chunks: Iterable[bytes]) -> str:
    """Write the upload's bytes (refusing more than :data:`MAX_BYTES`); its id."""
    access.require_upload()
    upload_id = secrets.token_urlsafe(24)
    path = _folder(ws) / f"{access.org}-{upload_id}{suffix}"
    size = 0
    with path.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_BYTES:
                out.close()
                path.unlink()
                raise TooLarge(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
            out.write(chunk)
    return upload_id


def _path(ws: Workspace, access: Scope, upload_id: str) -> Path:
    if not _ID.match(upload_id):
        raise NotFound(upload_id)
    for suffix in SUFFIXES:
        path = ws.root / UPLOADS / f"{access.org}-{upload_id}{suffix}"
        if path.is_file():
            return path
    raise NotFound(upload_id)


def validate(
    ws: Workspace, access: Scope, upload_id: str, kind: str, period: int, filename: str
) -> Checked:
    """Validate a kept upload as ``kind`` of ``access.org`` in ``period``."""
    from ladder.io.validate import validate_file

    access.require_upload()
    path = _path(ws, access, upload_id)
    result = validate_file(path, kind, org=access.org, period=period)
    problems = [_named(p, filename) for p in result.problems]
    foreign = _foreign(result.canonical, access.org)
    if foreign:
        problems.insert(0, _other_org(filename, access.org, foreign))
    return Checked(
        upload_id=upload_id,
        kind=kind,
        period=period,
        filename=filename,
        rows_read=result.rows_read,
        bad_rows=len(result.bad_rows),
        errors=[p for p in problems if p.is_error],
        warnings=[p for p in problems if not p.is_error],
    )


def _foreign(canonical: pl.DataFrame, org: str) -> list[str]:
    """Organisations other than ``org`` the file's rows belong to."""
    if "org_code" not in canonical.columns:
        return []
    codes = canonical["org_code"].drop_nulls().unique().to_list()
    return sorted(str(c) for c in codes if str(c) != org)


def _other_org(filename: str, org: str, foreign: list[str]) -> Problem:
    shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
    return Problem(
        file=Path(filename).name,
        row=None,
        column="org_code",
        value=shown,
        code=OTHER_ORG,
        reason=f"the file has rows of other organisations than {org}",
        hint=f"upload only {org}'s rows here (an admin can import a whole region)",
    )


def _named(problem: Problem, filename: str) -> Problem:
    """The problem naming the file as uploaded (not the kept copy's name)."""
    from dataclasses import replace

    return replace(problem, file=Path(filename).name)


def store(
    ws: Workspace, access: Scope, upload_id: str, kind: str, period: int, *, quarantine: bool
) -> ImportResult:
    """Store a kept upload (all or nothing, or its valid rows with ``quarantine``), then
    compute the organisation's stored results; the kept file is removed once stored."""
    from ladder.app.results import stored_results
    from ladder.io.validate import validate_file

    access.require_upload()
    path = _path(ws, access, upload_id)
    if _foreign(validate_file(path, kind, org=access.org, period=period).canonical, access.org):
        raise UsageError(f"the file has rows of other organisations than {access.org}")
    outcome = ws.import_file(
        kind, path, access.org, period, quarantine=quarantine, user=access.user.email
    )
    if outcome.stored:
        path.unlink(missing_ok=True)
        stored_results(ws, org=access.org, user=access.user.email)
    return outcome


def discard(ws: Workspace, access: Scope, upload_id: str) -> None:
    _path(ws, access, upload_id).unlink(missing_ok=True)
