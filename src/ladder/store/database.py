"""The workspace database: URLs, engines and Alembic migrations (run from the package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ladder.store.errors import DatabaseError, UsageError

DATABASE_NAME = "ladder.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url(root: Path) -> str:
    """The embedded default: the SQLite file ``ladder.db`` in the workspace folder."""
    return f"sqlite:///{root / DATABASE_NAME}"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` (and ``postgres://``) URLs: use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


READ_ONLY = "ladder_read_only"
"""Execution option of a connection whose transactions only read (see :func:`read_only`)."""

BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, write-ahead logging (readers never wait
    for the writer), ``synchronous=NORMAL`` (safe in WAL mode: a power cut may lose the last
    commits, never corrupt the file), a 30 s busy timeout, and write-locking transactions
    except on :func:`read_only` connections."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise UsageError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    try:
        if backend == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ImportError) as exc:
        raise UsageError(
            f"no driver for {describe_url(url)} ({exc}); install ladder-mobility[postgres]"
        ) from None
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event start transactions (pysqlite's own handling is lax).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    if _is_file(dbapi_connection):
        # WAL is a property of the file (kept once set); readers then never wait for a writer.
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode and str(mode[0]).lower() == "wal":
            cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _is_file(dbapi_connection: Any) -> bool:
    """Whether the SQLite connection is to a file (WAL does not apply to ``:memory:``)."""
    try:
        rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    except Exception:
        return False
    return any(row[1] == "main" and row[2] for row in rows)


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock at the start, so concurrent writers wait instead of deadlocking;
    # a read-only connection begins a deferred transaction (in WAL mode it takes no lock).
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def read_only(engine: Engine) -> Engine:
    """``engine`` for transactions that only read: on SQLite they take no write lock, so many
    readers run at once (a write in one fails rather than waits: use ``engine`` to write)."""
    return engine.execution_options(**{READ_ONLY: True})


def unreachable(engine: Engine, exc: Exception) -> DatabaseError:
    """A one-line error for a database that cannot be used."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    return DatabaseError(f"cannot use the database {describe_url(str(engine.url))}: {first}")


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration revision."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise DatabaseError("no migrations found in the installed package")
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision, None when it was never migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_tables(engine: Engine) -> bool:
    """Whether the database holds Ladder's version table (it was initialised once)."""
    with engine.connect() as conn:
        return inspect(conn).has_table("alembic_version")


def migrate(engine: Engine) -> bool:
    """Upgrade the database to the head revision; True when a migration ran."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    try:
        current = current_revision(engine)
        if current == script.get_current_head():
            return False
        if current is not None:
            try:
                script.get_revision(current)
            except CommandError:
                raise DatabaseError(
                    f"the database is at revision {current}, made by a newer Ladder: upgrade Ladder"
                ) from None
        with engine.begin() as conn:
            upgrade(conn)
    except SQLAlchemyError as exc:
        raise unreachable(engine, exc) from None
    return True


def upgrade(connection: Connection) -> None:
    """Run the pending migrations on ``connection``, inside its current transaction."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
