"""The workspace config file, ``ladder.toml``: format version, workspace id, database URL."""

from __future__ import annotations

import json
import os
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from ladder.store.errors import StoreError

CONFIG_NAME = "ladder.toml"
FORMAT_VERSION = 1
DATABASE_ENV = "LADDER_DATABASE_URL"


@dataclass(frozen=True)
class WorkspaceConfig:
    """What ``ladder.toml`` holds. ``database_url`` is None for the default SQLite file."""

    workspace_id: str
    format_version: int = FORMAT_VERSION
    database_url: str | None = None

    @staticmethod
    def new(database_url: str | None = None) -> WorkspaceConfig:
        return WorkspaceConfig(workspace_id=uuid.uuid4().hex, database_url=database_url)


def config_path(root: Path) -> Path:
    return root / CONFIG_NAME


def read_config(root: Path) -> WorkspaceConfig:
    """Read and check ``root/ladder.toml``; StoreError says what is wrong with it."""
    path = config_path(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None
    version = data.get("format_version")
    if not isinstance(version, int):
        raise StoreError(f"{path} has no integer format_version")
    if version > FORMAT_VERSION:
        raise StoreError(
            f"{path} has format version {version}; this Ladder reads up to {FORMAT_VERSION}: "
            "upgrade Ladder"
        )
    workspace_id = data.get("workspace_id")
    url = data.get("database_url")
    if not isinstance(workspace_id, str) or not workspace_id:
        raise StoreError(f"{path} has no workspace_id")
    if url is not None and not isinstance(url, str):
        raise StoreError(f"{path}: database_url must be a string")
    return WorkspaceConfig(workspace_id=workspace_id, format_version=version, database_url=url)


def write_config(root: Path, config: WorkspaceConfig) -> Path:
    """Write ``root/ladder.toml`` atomically (temporary file, fsync, rename)."""
    lines = [
        "# Ladder workspace (see docs/workspace.md). Made by `ladder init`.",
        f"format_version = {config.format_version}",
        f"workspace_id = {_toml_string(config.workspace_id)}",
    ]
    if config.database_url is not None:
        lines.append(f"database_url = {_toml_string(config.database_url)}")
    path = config_path(root)
    tmp = path.with_name(f".{CONFIG_NAME}.{uuid.uuid4().hex}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(text, ensure_ascii=False)
