"""Creating and opening workspaces: layout, migrations, config, refusals."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from ladder.store import (
    DatabaseError,
    NotAWorkspaceError,
    UsageError,
    Workspace,
    WorkspaceExistsError,
)
from ladder.store.database import alembic_config, current_revision, head_revision, migrate
from ladder.store.models import Base


def test_init_creates_layout_and_migrated_tables(
    workspace_dir: Path, database_url: str | None
) -> None:
    assert (workspace_dir / "ladder.toml").is_file()
    assert (workspace_dir / "datasets").is_dir()
    config = tomllib.loads((workspace_dir / "ladder.toml").read_text())
    assert config["format_version"] == 1
    if database_url is None:
        assert (workspace_dir / "ladder.db").is_file()
        assert "database_url" not in config
    else:
        assert config["database_url"] == database_url
        assert not (workspace_dir / "ladder.db").exists()
    with Workspace.open(workspace_dir) as ws:
        tables = set(inspect(ws.engine).get_table_names())
        assert {"imports", "datasets", "audit_log", "workspace", "alembic_version"} <= tables
        with ws.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            assert version == head_revision()
            # The ORM models and the migrations describe the same schema.
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_reinit_changes_nothing(workspace_dir: Path, database_url: str | None) -> None:
    before = (workspace_dir / "ladder.toml").read_bytes()
    listing = sorted(p.name for p in workspace_dir.iterdir())
    with pytest.raises(WorkspaceExistsError, match="already a Ladder workspace"):
        Workspace.init(workspace_dir, database_url)
    assert (workspace_dir / "ladder.toml").read_bytes() == before
    assert sorted(p.name for p in workspace_dir.iterdir()) == listing
    Workspace.open(workspace_dir).close()


def test_init_refuses_a_non_empty_folder(tmp_path: Path, database_url: str | None) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty and is not a Ladder workspace"):
        Workspace.init(tmp_path, database_url)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.postgres
def test_init_refuses_a_database_that_holds_a_workspace(tmp_path: Path, postgres_url: str) -> None:
    Workspace.init(tmp_path / "first", postgres_url).close()
    other = tmp_path / "other"
    with pytest.raises(DatabaseError, match="already holds a Ladder workspace"):
        Workspace.init(other, postgres_url)
    assert not other.exists()


def test_open_refuses_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspaceError, match="not a Ladder workspace"):
        Workspace.open(tmp_path)


def test_open_refuses_another_database(
    workspace_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # $LADDER_DATABASE_URL overrides the config; an empty database is not this workspace's.
    monkeypatch.setenv("LADDER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseError, match="not initialised for this workspace"):
        Workspace.open(workspace_dir)


def test_migrate_upgrades_to_head_once(workspace_dir: Path) -> None:
    with Workspace.open(workspace_dir) as ws:
        command.downgrade(_config(ws), "base")
        assert current_revision(ws.engine) is None
        assert "imports" not in inspect(ws.engine).get_table_names()
        assert migrate(ws.engine) is True
        assert current_revision(ws.engine) == head_revision()
        assert "imports" in inspect(ws.engine).get_table_names()
        assert migrate(ws.engine) is False


def _config(ws: Workspace) -> Config:
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", ws.engine.url.render_as_string(False))
    return config


def test_database_of_a_newer_ladder_is_refused(workspace_dir: Path) -> None:
    with Workspace.open(workspace_dir) as ws, ws.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("DROP TABLE audit_log"))
        conn.execute(text("DROP TABLE datasets"))
        conn.execute(text("DROP TABLE imports"))
        conn.execute(text("DROP TABLE workspace"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('base0')"))
    # A database at an unknown revision is refused, not damaged.
    with pytest.raises(DatabaseError, match="newer Ladder"):
        Workspace.open(workspace_dir)


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
    with pytest.raises(DatabaseError, match="cannot use the database") as info:
        Workspace.init(target, url)
    assert "\n" not in str(info.value)
    assert not target.exists()


def test_missing_sqlite_file_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.init(root).close()
    os.remove(root / "ladder.db")
    with pytest.raises(DatabaseError, match="is missing"):
        Workspace.open(root)


def test_sqlite_url_from_environment_at_init_is_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "elsewhere.db"
    monkeypatch.setenv("LADDER_DATABASE_URL", f"sqlite:///{db}")
    Workspace.init(tmp_path / "ws").close()
    assert db.is_file()
    assert "database_url" not in (tmp_path / "ws" / "ladder.toml").read_text()
    Workspace.open(tmp_path / "ws").close()
    monkeypatch.delenv("LADDER_DATABASE_URL")
    with pytest.raises(DatabaseError, match="is missing"):
        Workspace.open(tmp_path / "ws")


@pytest.mark.postgres
def test_plain_postgresql_url_uses_psycopg(tmp_path: Path, postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with Workspace.init(tmp_path / "ws", plain) as ws:
        assert ws.engine.url.drivername == "postgresql+psycopg"
    assert tomllib.loads((tmp_path / "ws" / "ladder.toml").read_text())["database_url"] == (
        postgres_url
    )
