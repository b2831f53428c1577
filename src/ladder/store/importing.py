"""The import pipeline: read, validate, write Parquet, commit, all or nothing.

Order of work (see docs/workspace.md, "Atomicity"):

1. hash the file;
2. read and validate it chunk by chunk (:class:`ladder.io.stream.ChunkedValidation`), and
   append each chunk's valid rows to its organisation's file in ``datasets/.staging/``
   (``<uuid>.parquet``, one :class:`pyarrow.parquet.ParquetWriter` per organisation) and its
   rejected rows to the staged rejects file, so that memory holds one chunk at a time. As
   soon as a chunk shows that the import will be refused (a blocking problem, or a problem
   without ``--quarantine``), the staged files are deleted and the rest is only validated,
   to list every problem. A refused import, or a read error in a later chunk, thus leaves
   nothing behind;
3. close and fsync the staged files; rename each to its final, never-used path in its
   partition folder;
4. ONE database transaction: insert the import log rows, point the ``datasets`` rows at
   the new files, move the rejects file into place, add the audit entry; commit;
5. only then delete the files the import replaced.

The staged files are written under the workspace's shared lock, so the tidy-up that runs
when a workspace is opened leaves them alone while the import runs. A process killed before
step 4 commits leaves unreferenced files only, which the next opening of the workspace
removes (:func:`ladder.store.layout.cleanup`).

Test hook: with ``LADDER_TEST_PAUSE`` set to ``chunk`` (after the first chunk is staged, mid
file), ``staged`` (after step 3's fsync), ``placed`` (after the renames) or ``transaction``
(inside step 4, before commit), the importer prints ``LADDER_TEST_PAUSE <point>`` to stderr
and sleeps ``LADDER_TEST_PAUSE_SECONDS`` (default 60) there, so that tests can kill it at a
known point.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ladder.contract import dataset
from ladder.io.safe import neutralise_frame
from ladder.io.stream import ChunkedValidation
from ladder.io.validate import Validation, context_mistake
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


class Progress(Protocol):
    """Told the stage (``reading``, ``validating``, ``writing``, ``committing``) and, while
    validating, after each chunk: rows read so far, the file's rows when known, problems."""

    def __call__(
        self, stage: str, /, *, rows: int = 0, total: int | None = None, problems: int = 0
    ) -> None: ...


def _no_progress(
    stage: str, /, *, rows: int = 0, total: int | None = None, problems: int = 0
) -> None:
    return None


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
    writers: dict[str, pq.ParquetWriter] = field(default_factory=dict)  # org -> open writer
    rejects_tmp: Path | None = None
    rejects_out: IO[bytes] | None = None
    rejects_final: Path | None = None

    def close(self) -> None:
        """Close the open files (the staged Parquet files and the rejects file)."""
        writers, self.writers = self.writers, {}
        for writer in writers.values():
            writer.close()
        if self.rejects_out is not None:
            out, self.rejects_out = self.rejects_out, None
            out.close()

    def discard(self) -> None:
        with contextlib.suppress(Exception):  # errors closing a file about to be deleted
            self.close()
        for path in self.staged.values():
            layout.remove_quietly(path)
        for path in self.placed.values():
            layout.remove_quietly(path)
        layout.remove_quietly(self.rejects_tmp)
        layout.remove_quietly(self.rejects_final)
        self.rows.clear()
        self.staged.clear()
        self.placed.clear()
        self.rejects_tmp = self.rejects_final = None


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
    chunk_rows: int | None = None,
) -> ImportResult:
    """Validate ``file`` as dataset ``kind`` and store it for ``org`` and ``period``.

    With ``org`` None the file's ``org_code`` column decides, and each organisation in it
    is stored (and logged) separately. ``snapshot_date`` (default for staff: 31 March of
    ``period``) fills a file without one; rows with warnings only are stored, unless
    ``strict`` makes the warnings errors. Expected failures raise :class:`StoreError`;
    rejected data is not an exception but an :class:`ImportResult` whose ``stored`` is False.
    ``chunk_rows`` sets the rows read at a time (default ``$LADDER_CHUNK_ROWS`` or
    :data:`ladder.io.stream.DEFAULT_CHUNK_ROWS`; 0 reads the whole file at once).
    """
    step = progress or _no_progress
    request = _check_request(kind, file, org, period, quarantine, rejects, user)
    _check_snapshot_date(kind, snapshot_date, period)
    layout.check_rejects_target(ws.root, request.rejects, request.source)
    step("reading")
    digest = _sha256(request.source)
    step("validating")
    stream = ChunkedValidation(
        request.source,
        kind,
        chunk_rows=chunk_rows,
        sheet=sheet,
        header_row=header_row,
        org=request.org,
        snapshot_date=snapshot_date,
        period=period,
        strict=strict,
        stage_map=stage_map,
    )
    files = _Files()
    records: list[ImportRecord] = []
    replaced: list[Path] = []
    with shared_lock(ws.lock_path):
        try:
            validation = _validate_and_stage(ws.root, request, stream, quarantine, files, step)
            status = _refusal(validation, quarantine)
            stored = sum(files.rows.values())
            if status is None and stored:
                step("writing")
                _finish_staged(files)
                _pause("staged")
                for org_code in list(files.staged):
                    final = layout.new_data_file(ws.root, kind, org_code, request.period)
                    files.placed[org_code] = final
                    layout.move_into_place(files.staged[org_code], final)
                    del files.staged[org_code]
                _pause("placed")
                step("committing")
                records, replaced = _commit(ws, request, validation, digest, files)
            else:
                files.discard()
        except BaseException:
            files.discard()
            raise
        for path in replaced:
            layout.remove_inside(ws.root, path)
    if not records:
        result = _result(request, validation, digest, status or ImportStatus.NO_ROWS, 0)
        _audit_refusal(ws, request, result)
        return result
    return _result(
        request, validation, digest, ImportStatus.STORED, stored, records, files.rejects_final
    )


def _validate_and_stage(
    root: Path,
    request: _Request,
    stream: ChunkedValidation,
    quarantine: bool,
    files: _Files,
    step: Progress,
) -> Validation:
    """Validate every chunk, staging its rows while the import can still be stored."""
    refused = False
    for number, chunk in enumerate(stream):
        if not refused and _refusal(chunk, quarantine) is not None:
            refused = True  # nothing will be stored: stop writing, keep listing problems
            files.discard()
        if not refused:
            valid = chunk.valid_rows()
            if valid.height:
                _stage(root, _conform(valid, request.kind), files)
            if chunk.errors:
                _stage_rejects(root, request, chunk, files)
            if number == 0:
                _pause("chunk")
        problems = len(stream.problems)
        step("validating", rows=stream.rows_read, total=stream.total_rows, problems=problems)
    if stream.failed:
        files.discard()
    return stream.result()


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


def _stage(root: Path, valid: pl.DataFrame, files: _Files) -> None:
    """Append each organisation's rows to its staging file (opened on its first rows)."""
    orgs = valid.get_column("org_code").unique().to_list()
    if len(orgs) == 1:
        parts = {orgs[0]: valid}
    else:
        split = valid.partition_by("org_code", as_dict=True, maintain_order=True)
        parts = {key[0]: frame for key, frame in split.items()}
    jobs: list[tuple[pq.ParquetWriter, pa.Table]] = []
    for key in sorted(parts, key=str):
        org_code, table = str(key), parts[key].to_arrow()
        writer = files.writers.get(org_code)
        if writer is None:
            if key is None or not _SAFE_ORG.match(org_code):
                raise StoreError(f"unexpected organisation code {key!r} in validated rows")
            staged = layout.new_staging_file(root)
            files.staged[org_code], files.rows[org_code] = staged, 0
            writer = pq.ParquetWriter(staged, table.schema, compression="zstd")
            files.writers[org_code] = writer
        if table.schema != writer.schema:
            table = table.cast(writer.schema)
        jobs.append((writer, table))
        files.rows[org_code] += table.num_rows
    if len(jobs) == 1:
        jobs[0][0].write_table(jobs[0][1])
        return
    # Each organisation has its own file: write them side by side (Arrow releases the GIL).
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        for done in [pool.submit(writer.write_table, table) for writer, table in jobs]:
            done.result()


def _finish_staged(files: _Files) -> None:
    """Close the staged files and flush them to disk."""
    files.close()
    for path in files.staged.values():
        layout.fsync_file(path)
    if files.rejects_tmp is not None:
        layout.fsync_file(files.rejects_tmp)


def _stage_rejects(root: Path, request: _Request, chunk: Validation, files: _Files) -> None:
    """Append a chunk's rejected rows, with their reasons, to the staged rejects file."""
    folder = layout.rejects_dir(root) if request.rejects is None else request.rejects.parent
    try:
        if files.rejects_out is None:
            folder.mkdir(parents=True, exist_ok=True)
            target = request.rejects or folder / "rejects.csv"
            files.rejects_tmp = layout.temp_beside(target)
            files.rejects_out = files.rejects_tmp.open("wb")
            header = True
        else:
            header = False
        neutralise_frame(chunk.rejected_rows()).write_csv(files.rejects_out, include_header=header)
    except OSError as exc:
        raise UsageError(f"cannot write the rejects file in {folder}: {exc.strerror}") from None


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
