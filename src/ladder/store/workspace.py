"""A Ladder workspace: a database (SQLite or PostgreSQL) plus a folder of Parquet datasets."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from types import TracebackType

import polars as pl
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from ladder.contract import dataset
from ladder.normalise.stages import StageMap
from ladder.store import audit, database, importing, layout
from ladder.store.config import (
    DATABASE_ENV,
    WorkspaceConfig,
    config_path,
    read_config,
    write_config,
)
from ladder.store.errors import (
    DatabaseError,
    NotAWorkspaceError,
    UsageError,
    WorkspaceExistsError,
)
from ladder.store.importing import Progress
from ladder.store.lock import exclusive_lock_or_skip
from ladder.store.models import DatasetRow, ImportRow, WorkspaceRow, utcnow
from ladder.store.records import AuditRecord, DatasetRecord, ImportRecord, ImportResult


class Workspace:
    """An open workspace. Use :meth:`init` to create one and :meth:`open` to open one."""

    def __init__(self, root: Path, config: WorkspaceConfig, engine: Engine) -> None:
        self.root = root
        self.config = config
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)
        self.reading = sessionmaker(database.read_only(engine), expire_on_commit=False)
        """Sessions that only read (no write lock on SQLite): pages' hot paths."""
        self.audit = audit.Batcher(self.session)
        """The access log's group-committing writer (:class:`ladder.store.audit.Batcher`)."""

    # -- life cycle ---------------------------------------------------------------------

    @staticmethod
    def is_workspace(path: Path) -> bool:
        """Whether ``path`` holds a workspace (its ``ladder.toml``)."""
        return config_path(Path(path)).is_file()

    @classmethod
    def init(cls, path: Path, database_url: str | None = None) -> Workspace:
        """Create a workspace in the new or empty folder ``path`` and open it.

        ``database_url`` (recorded in ladder.toml) puts the database on a server such as
        PostgreSQL; otherwise $LADDER_DATABASE_URL (not recorded) or ``DIR/ladder.db``.
        Raises :class:`WorkspaceExistsError`, changing nothing, if it already is one.
        """
        root = Path(path).expanduser().resolve()
        if cls.is_workspace(root):
            raise WorkspaceExistsError(f"{root} is already a Ladder workspace; nothing changed")
        if root.exists() and not root.is_dir():
            raise UsageError(f"{root} is a file, not a folder")
        if root.exists() and any(root.iterdir()):
            raise UsageError(
                f"{root} is not empty and is not a Ladder workspace: give a new or empty folder"
            )
        given = database_url or os.environ.get(DATABASE_ENV)
        url = database.normalise_url(given) if given else database.default_url(root)
        config = WorkspaceConfig.new(database.normalise_url(database_url) if database_url else None)
        created = not root.exists()
        engine: Engine | None = None
        try:
            root.mkdir(parents=True, exist_ok=True)
            engine = database.make_engine(url)
            _create_database(root, engine, config)
        except BaseException:
            if engine is not None:
                engine.dispose()
            _empty_folder(root, remove=created)
            raise
        engine.dispose()
        return cls.open(root)

    @classmethod
    def open(cls, path: Path, database_url: str | None = None) -> Workspace:
        """Open the workspace at ``path``: migrate its database and tidy interrupted imports.
        ``database_url`` (else $LADDER_DATABASE_URL, else ladder.toml's) names its database."""
        root = Path(path).expanduser().resolve()
        if not cls.is_workspace(root):
            raise NotAWorkspaceError(
                f"{root} is not a Ladder workspace (no ladder.toml): create one with "
                f"`ladder init {root}`"
            )
        config = read_config(root)
        given = database_url or os.environ.get(DATABASE_ENV) or config.database_url
        url = database.normalise_url(given) if given else database.default_url(root)
        if not given and not (root / database.DATABASE_NAME).is_file():
            raise DatabaseError(
                f"the workspace database {root / database.DATABASE_NAME} is missing"
            )
        engine = database.make_engine(url)
        try:
            _check_database(engine, config)
            workspace = cls(root, config, engine)
            workspace.cleanup()
        except BaseException:
            engine.dispose()
            raise
        return workspace

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def lock_path(self) -> Path:
        return self.root / layout.LOCK

    @property
    def database_url(self) -> str:
        """The database URL with any password hidden."""
        return database.describe_url(str(self.engine.url))

    def cleanup(self) -> list[Path]:
        """Remove leftovers of interrupted imports (skipped while an import runs)."""
        with exclusive_lock_or_skip(self.lock_path) as locked:
            if not locked:
                return []
            try:
                with self.session() as session:
                    paths = list(session.scalars(select(DatasetRow.path)))
                    rejects = session.scalars(
                        select(ImportRow.rejects_file).where(ImportRow.rejects_file.is_not(None))
                    )
                    paths.extend(r for r in rejects if r is not None)
            except SQLAlchemyError as exc:
                raise database.unreachable(self.engine, exc) from None
            return layout.cleanup(self.root, paths)

    # -- data -----------------------------------------------------------------------------

    def import_file(
        self,
        kind: str,
        file: Path,
        org: str | None,
        period: int,
        quarantine: bool = False,
        rejects: Path | None = None,
        user: str | None = None,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        progress: Progress | None = None,
        snapshot_date: date | None = None,
        strict: bool = False,
        stage_map: StageMap | None = None,
        chunk_rows: int | None = None,
    ) -> ImportResult:
        """Validate and store ``file`` (see :func:`ladder.store.importing.import_file`)."""
        return importing.import_file(
            self,
            kind,
            file,
            org=org,
            period=period,
            quarantine=quarantine,
            rejects=rejects,
            user=user,
            sheet=sheet,
            header_row=header_row,
            progress=progress,
            snapshot_date=snapshot_date,
            strict=strict,
            stage_map=stage_map,
            chunk_rows=chunk_rows,
        )

    def datasets(
        self, kind: str | None = None, org: str | None = None, period: int | None = None
    ) -> list[DatasetRecord]:
        """The current datasets, optionally only those of ``kind``, ``org`` and ``period``."""
        query = select(DatasetRow).order_by(DatasetRow.kind, DatasetRow.org_code, DatasetRow.period)
        if kind is not None:
            query = query.where(DatasetRow.kind == kind)
        if org is not None:
            query = query.where(DatasetRow.org_code == org.strip().upper())
        if period is not None:
            query = query.where(DatasetRow.period == period)
        try:
            with self.session() as session:
                return [DatasetRecord.of(row, self.root) for row in session.scalars(query)]
        except SQLAlchemyError as exc:
            raise database.unreachable(self.engine, exc) from None

    def files(
        self,
        kind: str,
        org: str | None = None,
        period: int | None = None,
        *,
        user: str | None = None,
    ) -> list[DatasetRecord]:
        """The current datasets of ``kind`` (optionally one org and/or period) to read.

        The access is written to the audit log. Read the files before re-importing the
        same data: a re-import deletes the file it replaces.
        """
        try:
            dataset(kind)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        records = self.datasets(kind, org, period)
        detail = (
            f"{kind} org {org or 'all'} period {period or 'all'}: "
            f"{len(records)} datasets, {sum(r.row_count for r in records)} rows"
        )
        try:
            with self.session() as session, session.begin():
                audit.record(session, audit.current_user(user), "scan", detail)
        except SQLAlchemyError as exc:
            raise database.unreachable(self.engine, exc) from None
        return records

    def scan(
        self,
        kind: str,
        org: str | None = None,
        period: int | None = None,
        *,
        user: str | None = None,
    ) -> pl.LazyFrame:
        """The current rows of ``kind`` (optionally one org and/or period), lazily (audited).

        Collect the frame before re-importing the same data: a re-import deletes the file
        it replaces.
        """
        records = self.files(kind, org, period, user=user)
        schema = dataset(kind).polars_schema()
        if not records:
            return pl.LazyFrame(schema=schema)
        return pl.scan_parquet(
            [r.path for r in records],
            schema=schema,
            hive_partitioning=False,
            missing_columns="insert",
            extra_columns="ignore",
        )

    def import_log(self, limit: int | None = None) -> list[ImportRecord]:
        """The import log, oldest first (the newest ``limit`` entries when given)."""
        query = select(ImportRow).order_by(ImportRow.id.desc())
        if limit is not None:
            query = query.limit(limit)
        try:
            with self.session() as session:
                rows = list(session.scalars(query))
        except SQLAlchemyError as exc:
            raise database.unreachable(self.engine, exc) from None
        return [ImportRecord.of(row, self.root) for row in reversed(rows)]

    def audit_log(self, limit: int | None = None) -> list[AuditRecord]:
        """The access log, oldest first (the newest ``limit`` entries when given)."""
        try:
            with self.session() as session:
                return audit.entries(session, limit)
        except SQLAlchemyError as exc:
            raise database.unreachable(self.engine, exc) from None


def _create_database(root: Path, engine: Engine, config: WorkspaceConfig) -> None:
    """Migrate an empty database, name it after this workspace and write ladder.toml.

    All in one transaction, so a failure leaves the database as it was.
    """
    try:
        if database.has_tables(engine):
            raise DatabaseError(
                f"the database {database.describe_url(str(engine.url))} already holds a Ladder "
                "workspace: give an empty database"
            )
        layout.create_layout(root)
        with engine.begin() as conn:
            database.upgrade(conn)
            conn.execute(
                insert(WorkspaceRow).values(
                    id=config.workspace_id,
                    created_at=utcnow(),
                    format_version=config.format_version,
                )
            )
            write_config(root, config)
    except SQLAlchemyError as exc:
        raise database.unreachable(engine, exc) from None


def _check_database(engine: Engine, config: WorkspaceConfig) -> None:
    """Refuse a database that is not this workspace's; bring it up to date."""
    url = database.describe_url(str(engine.url))
    try:
        if not database.has_tables(engine):
            raise DatabaseError(
                f"the database {url} is not initialised for this workspace (no Ladder tables)"
            )
        database.migrate(engine)
        with engine.connect() as conn:
            owner = conn.execute(select(WorkspaceRow.id)).scalars().all()
    except SQLAlchemyError as exc:
        raise database.unreachable(engine, exc) from None
    if owner != [config.workspace_id]:
        raise DatabaseError(
            f"the database {url} belongs to another workspace (id {', '.join(owner) or 'none'}, "
            f"this one is {config.workspace_id})"
        )


def _empty_folder(root: Path, *, remove: bool) -> None:
    """Undo a failed init: the folder was new or empty, so remove what is in it."""
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    if remove:
        root.rmdir()
