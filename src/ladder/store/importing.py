"""The import pipeline: read, validate, write Parquet, commit, all or nothing.

Order of work (see docs/workspace.md, "Atomicity"):

1. hash the file and validate it (nothing is written while the data may be rejected);
2. write each organisation's rows to ``datasets/.staging/<uuid>.parquet`` and fsync;
3. rename each staged file to its final, never-used path in its partition folder;
4. ONE database transaction: insert the import log rows, point the ``datasets`` rows at
   the new files, move the rejects file into place, add the audit entry; commit;
5. only then delete the files the import replaced.

A process killed before step 4 commits leaves unreferenced files only, which the next
opening of the workspace removes (:func:`ladder.store.layout.cleanup`).

Test hook: with ``LADDER_TEST_PAUSE`` set to ``staged`` (after step 2), ``placed`` (after
step 3) or ``transaction`` (inside step 4, before commit), the importer prints
``LADDER_TEST_PAUSE <point>`` to stderr and sleeps ``LADDER_TEST_PAUSE_SECONDS`` (default
60) there, so that tests can kill it at a known point.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ladder.contract import dataset
from ladder.io.safe import neutralise_frame
from ladder.io.validate import Validation, context_mistake, validate_file
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_org_code
from ladder.normalise.stages import StageMap
from ladder.store import audit, layout
from ladder.store.database import unreachable
from ladder.store.errors import DatabaseError, StoreError, UsageError
from ladder.store.lock import shared_lock
from ladder.store.models import DatasetRow, ImportRow, utcnow
from ladder.store.records import ImportRecord, ImportResult, ImportStatus

if TYPE_CHECKING:
    from ladder.store.workspace import Workspace

Progress = Callable[[str], None]
"""Called with the stage name: ``reading``, ``validating``, ``writing``, ``committing``."""

PAUSE_ENV = "LADDER_TEST_PAUSE"
PAUSE_SECONDS_ENV = "LADDER_TEST_PAUSE_SECONDS"
FIRST_PERIOD, LAST_PERIOD = 1990, 2100
_SAFE_ORG = re.compile(r"^[A-Z0-9]{3,5}$")


@dataclass
class _Files:
    """Files this import created, removed again if it does not commit."""

    rows: dict[str, int] = field(default_factory=dict)  # org -> rows stored
    staged: dict[str, Path] = field(default_factory=dict)  # org -> staging file
    placed: dict[str, Path] = field(default_factory=dict)  # org -> final path
    rejects_tmp: Path | None = None
    rejects_final: Path | None = None

    def discard(self) -> None:
        for path in self.staged.values():
            layout.remove_quietly(path)
        for path in self.placed.values():
            layout.remove_quietly(path)
        layout.remove_quietly(self.rejects_tmp)
        layout.remove_quietly(self.rejects_final)


@dataclass(frozen=True)
class _Request:
    kind: str
    source: Path
    org: str | None
    period: int
    user: str
    rejects: Path | None
    started_at: datetime


def import_file(
    ws: Workspace,
    kind: str,
    file: Path,
    *,
    org: str | None,
    period: int,
    quarantine: bool = False,
    rejects: Path | None = None,
    user: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    snapshot_date: date | None = None,
    strict: bool = False,
    stage_map: StageMap | None = None,
) -> ImportResult:
    """Validate ``file`` as dataset ``kind`` and store it for ``org`` and ``period``.

    With ``org`` None the file's ``org_code`` column decides, and each organisation in it
    is stored (and logged) separately. ``snapshot_date`` (default for staff: 31 March of
    ``period``) fills a file without one; rows with warnings only are stored, unless
    ``strict`` makes the warnings errors. Expected failures raise :class:`StoreError`;
    rejected data is not an exception but an :class:`ImportResult` whose ``stored`` is False.
    """
    step = progress or (lambda _stage: None)
    request = _check_request(kind, file, org, period, quarantine, rejects, user)
    _check_snapshot_date(kind, snapshot_date, period)
    layout.check_rejects_target(ws.root, request.rejects, request.source)
    step("reading")
    digest = _sha256(request.source)
    step("validating")
    extra = {"sheet": sheet} if sheet is not None else {}
    validation = validate_file(
        request.source,
        kind,
        org=request.org,
        snapshot_date=snapshot_date,
        period=period,
        strict=strict,
        stage_map=stage_map,
        header_row=header_row,
        **extra,
    )
    status = _refusal(validation, quarantine)
    valid = None if status else validation.valid_rows()
    if valid is None or valid.height == 0:
        result = _result(request, validation, digest, status or ImportStatus.NO_ROWS, 0)
        _audit_refusal(ws, request, result)
        return result
    step("writing")
    files = _Files()
    with shared_lock(ws.lock_path):
        try:
            _stage(ws.root, request, _conform(valid, kind), files)
            if validation.errors:
                files.rejects_tmp = _stage_rejects(ws.root, request, validation)
            _pause("staged")
            for org_code in list(files.staged):
                final = layout.new_data_file(ws.root, kind, org_code, request.period)
                files.placed[org_code] = final
                layout.move_into_place(files.staged[org_code], final)
                del files.staged[org_code]
            _pause("placed")
            step("committing")
            records, replaced = _commit(ws, request, validation, digest, files)
        except BaseException:
            files.discard()
            raise
        for path in replaced:
            layout.remove_inside(ws.root, path)
    return _result(
        request, validation, digest, ImportStatus.STORED, valid.height, records, files.rejects_final
    )


def _check_request(
    kind: str,
    file: Path,
    org: str | None,
    period: int,
    quarantine: bool,
    rejects: Path | None,
    user: str | None,
) -> _Request:
    try:
        dataset(kind)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    org_code = None
    if org is not None:
        try:
            org_code = normalise_org_code(org)
        except InvalidValue as exc:
            raise UsageError(f"--org {org!r}: {exc.reason} ({exc.hint})") from None
    if not FIRST_PERIOD <= period <= LAST_PERIOD:
        raise UsageError(f"--period {period}: give a year from {FIRST_PERIOD} to {LAST_PERIOD}")
    source = Path(file).expanduser()
    if not source.exists():
        raise UsageError(f"file not found: {source}")
    if not source.is_file():
        raise UsageError(f"not a file: {source}")
    if rejects is not None and not quarantine:
        raise UsageError("--rejects names the quarantine file: give it with --quarantine")
    return _Request(
        kind=kind,
        source=source.resolve(),
        org=org_code,
        period=period,
        user=audit.current_user(user),
        rejects=None if rejects is None else Path(rejects).expanduser().resolve(),
        started_at=utcnow(),
    )


def _check_snapshot_date(kind: str, snapshot_date: date | None, period: int) -> None:
    mistake = context_mistake(kind, snapshot_date, period)
    if mistake is not None:
        raise UsageError(mistake)


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None


def _refusal(validation: Validation, quarantine: bool) -> ImportStatus | None:
    if validation.blocking:
        return ImportStatus.BLOCKED
    if validation.errors and not quarantine:
        return ImportStatus.INVALID
    return None


def _conform(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The rows in the contract's storage schema (column order and types)."""
    schema = dataset(kind).polars_schema()
    if frame.columns == list(schema) and dict(frame.schema) == schema:
        return frame
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise StoreError(f"validated {kind} rows lack columns {missing}: this is a bug")
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _stage(root: Path, request: _Request, valid: pl.DataFrame, files: _Files) -> None:
    """Write each organisation's rows to the staging folder and flush them to disk."""
    orgs = sorted(valid.get_column("org_code").unique().to_list())
    if len(orgs) == 1:
        parts = {orgs[0]: valid}
    else:
        split = valid.partition_by("org_code", as_dict=True, maintain_order=True)
        parts = {str(key[0]): frame for key, frame in split.items()}
    for org_code in sorted(parts):
        if not _SAFE_ORG.match(org_code):
            raise StoreError(f"unexpected organisation code {org_code!r} in validated rows")
        frame = parts[org_code]
        staged = layout.new_staging_file(root)
        files.staged[org_code], files.rows[org_code] = staged, frame.height
        frame.write_parquet(staged, compression="zstd", statistics=True)
        layout.fsync_file(staged)


def _stage_rejects(root: Path, request: _Request, validation: Validation) -> Path:
    """Write the rejected rows with their reasons next to where they will go."""
    folder = layout.rejects_dir(root) if request.rejects is None else request.rejects.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = request.rejects or folder / "rejects.csv"
    tmp = layout.temp_beside(target)
    try:
        neutralise_frame(validation.rejected_rows()).write_csv(tmp)
    except OSError as exc:
        layout.remove_quietly(tmp)
        raise UsageError(f"cannot write the rejects file in {folder}: {exc.strerror}") from None
    layout.fsync_file(tmp)
    return tmp


def _commit(
    ws: Workspace, request: _Request, validation: Validation, digest: str, files: _Files
) -> tuple[list[ImportRecord], list[Path]]:
    """One transaction: log the imports, point the datasets at the new files."""
    rows_read = validation.rows_read
    rows_rejected = rows_read - sum(files.rows.values())
    replaced: list[Path] = []
    try:
        with ws.session() as session, session.begin():
            logged: list[ImportRow] = []
            for org_code, path in files.placed.items():
                rows = files.rows[org_code]
                current = session.scalars(
                    select(DatasetRow)
                    .where(
                        DatasetRow.kind == request.kind,
                        DatasetRow.org_code == org_code,
                        DatasetRow.period == request.period,
                    )
                    .with_for_update()
                ).one_or_none()
                now = utcnow()
                entry = ImportRow(
                    kind=request.kind,
                    org_code=org_code,
                    period=request.period,
                    source_file=str(request.source),
                    file_sha256=digest,
                    rows_read=rows_read,
                    rows_stored=rows,
                    rows_rejected=rows_rejected,
                    rejects_file=None,
                    user=request.user,
                    started_at=request.started_at,
                    finished_at=now,
                    replaced_import_id=None if current is None else current.import_id,
                    dataset_path=layout.relative(ws.root, path),
                )
                session.add(entry)
                session.flush()
                logged.append(entry)
                stored = layout.relative(ws.root, path)
                if current is None:
                    session.add(
                        DatasetRow(
                            kind=request.kind,
                            org_code=org_code,
                            period=request.period,
                            import_id=entry.id,
                            path=stored,
                            row_count=rows,
                            updated_at=now,
                        )
                    )
                else:
                    replaced.append(layout.absolute(ws.root, current.path))
                    current.import_id, current.path = entry.id, stored
                    current.row_count, current.updated_at = rows, now
            if files.rejects_tmp is not None:
                target = request.rejects or layout.default_rejects_file(
                    ws.root, logged[0].id, request.kind, _org_label(request, files), request.period
                )
                layout.move_into_place(files.rejects_tmp, target)
                files.rejects_tmp, files.rejects_final = None, target
                for entry in logged:
                    entry.rejects_file = layout.relative(ws.root, target)
            audit.record(session, request.user, "import", _detail(request, logged))
            session.flush()
            _pause("transaction")
    except IntegrityError:
        raise DatabaseError(
            f"another import of {request.kind} for period {request.period} was stored at the "
            "same time: nothing stored, run the import again"
        ) from None
    except SQLAlchemyError as exc:
        raise unreachable(ws.engine, exc) from None
    return [ImportRecord.of(entry, ws.root) for entry in logged], replaced


def _org_label(request: _Request, files: _Files) -> str:
    if request.org is not None:
        return request.org
    return next(iter(files.placed)) if len(files.placed) == 1 else "all"


def _detail(request: _Request, logged: list[ImportRow]) -> str:
    parts = ", ".join(f"{e.org_code}: import {e.id}, {e.rows_stored} rows" for e in logged)
    return f"{request.kind} period {request.period} from {request.source.name} ({parts})"


def _result(
    request: _Request,
    validation: Validation,
    digest: str,
    status: ImportStatus,
    stored: int,
    records: list[ImportRecord] | None = None,
    rejects: Path | None = None,
) -> ImportResult:
    records = records or []
    orgs = {r.org_code for r in records}
    return ImportResult(
        status=status,
        kind=request.kind,
        period=request.period,
        org_code=request.org or (next(iter(orgs)) if len(orgs) == 1 else None),
        source_file=request.source,
        file_sha256=digest,
        rows_read=validation.rows_read,
        rows_stored=stored,
        rows_rejected=_rejected(validation, status, stored),
        problems=list(validation.problems),
        summary=validation.summary(),
        warnings=len(validation.warnings),
        rows_with_warnings=validation.rows_with_warnings,
        records=records,
        rejects_file=rejects,
    )


def _rejected(validation: Validation, status: ImportStatus, stored: int) -> int:
    """Rows not stored because of their problems (every row when the file is blocked)."""
    if status is ImportStatus.BLOCKED:
        return validation.rows_read
    if status is ImportStatus.STORED:
        return validation.rows_read - stored
    return len(validation.bad_rows)


def _audit_refusal(ws: Workspace, request: _Request, result: ImportResult) -> None:
    detail = (
        f"{request.kind} period {request.period} org {request.org or '(from file)'} from "
        f"{request.source.name}: {result.status.value}, nothing stored "
        f"({len(result.problems) - result.warnings} errors, {result.warnings} warnings)"
    )
    try:
        with ws.session() as session, session.begin():
            audit.record(session, request.user, "import_refused", detail)
    except SQLAlchemyError as exc:
        raise unreachable(ws.engine, exc) from None


def _pause(point: str) -> None:
    """Test hook (see the module docstring): sleep at ``point`` when asked to."""
    if os.environ.get(PAUSE_ENV) != point:
        return
    print(f"{PAUSE_ENV} {point}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV, "60")))
