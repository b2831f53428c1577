"""Where a workspace keeps its files, and the file operations that make imports atomic.

Layout::

    DIR/ladder.toml                    config (format version, workspace id, database URL)
    DIR/ladder.db                      SQLite database (the embedded default)
    DIR/datasets/<kind>/org=<ORG>/period=<YEAR>/<uuid>.parquet   current data
    DIR/datasets/.staging/             files being written by an import
    DIR/rejects/<import-id>-<kind>-<org>-<period>.csv            quarantined rows
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

DATASETS = "datasets"
STAGING = ".staging"
REJECTS = "rejects"
LOCK = ".ladder.lock"

_DATA_FILE = re.compile(r"^[0-9a-f]{32}\.parquet$")
_REJECTS_FILE = re.compile(r"^\d+-[a-z_]+-[A-Za-z0-9]+-\d+\.csv$")
_TEMP_FILE = re.compile(r"^\..+\.tmp$")


def datasets_dir(root: Path) -> Path:
    return root / DATASETS


def staging_dir(root: Path) -> Path:
    return root / DATASETS / STAGING


def rejects_dir(root: Path) -> Path:
    return root / REJECTS


def create_layout(root: Path) -> None:
    """Make the folders of a new workspace."""
    for folder in (datasets_dir(root), staging_dir(root), rejects_dir(root)):
        folder.mkdir(parents=True, exist_ok=True)
    (root / LOCK).touch()


def partition_dir(root: Path, kind: str, org_code: str, period: int) -> Path:
    return datasets_dir(root) / kind / f"org={org_code}" / f"period={period}"


def new_data_file(root: Path, kind: str, org_code: str, period: int) -> Path:
    """A fresh, unique final path for a dataset file (never an existing file)."""
    return partition_dir(root, kind, org_code, period) / f"{uuid.uuid4().hex}.parquet"


def new_staging_file(root: Path, suffix: str = ".parquet") -> Path:
    folder = staging_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex}{suffix}"


def temp_beside(target: Path) -> Path:
    """A hidden temporary path in ``target``'s folder, so it can be renamed onto it."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")


def default_rejects_file(root: Path, import_id: int, kind: str, org: str, period: int) -> Path:
    return rejects_dir(root) / f"{import_id}-{kind}-{org}-{period}.csv"


def relative(root: Path, path: Path) -> str:
    """``path`` as stored in the database: relative to the workspace when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def absolute(root: Path, stored: str) -> Path:
    """The inverse of :func:`relative`."""
    path = Path(stored)
    return path if path.is_absolute() else root / path


def fsync_file(path: Path) -> None:
    """Flush a written file to disk."""
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames) to disk, where the OS supports it."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_into_place(source: Path, target: Path) -> None:
    """Atomically rename ``source`` (already fsynced) to ``target`` and persist the rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    fsync_dir(target.parent)


def remove_quietly(path: Path | None) -> None:
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def check_rejects_target(root: Path, rejects: Path | None, source: Path) -> None:
    """Refuse a ``--rejects`` file inside the workspace or equal to the input file.

    Inside the workspace it could overwrite the database, its settings or a dataset file;
    the input itself would be replaced by its own rejected rows. Raises UsageError.
    """
    if rejects is None:
        return
    from ladder.store.errors import UsageError  # layout has no other store dependency

    target = Path(rejects).expanduser().resolve()
    if target == Path(source).resolve():
        raise UsageError(
            f"--rejects {rejects} is the file being imported: give another path "
            "(the rejected rows would overwrite it)"
        )
    if _within(root.resolve(), target):
        raise UsageError(
            f"--rejects {rejects} is inside the workspace {root}: give a path outside it, or "
            "leave --rejects out to use the workspace's rejects/ folder"
        )
    if target.is_dir():
        raise UsageError(f"--rejects {rejects} is a folder: give the path of a CSV file to write")


def remove_inside(root: Path, path: Path) -> None:
    """Remove ``path`` only when it is a regular file inside the workspace reached by no
    symbolic link (a replaced dataset file): never a file elsewhere."""
    if _regular(path) and _safe_folder(root, path.parent):
        remove_quietly(path)


def _within(top: Path, path: Path) -> bool:
    return path == top or top in path.parents


def _safe_folder(root: Path, folder: Path) -> bool:
    """True when ``folder`` is a real folder inside ``root``, reached by no symbolic link."""
    top = root.resolve()
    current = folder
    while current != root and current.parent != current:
        if current.is_symlink():
            return False
        current = current.parent
    return folder.is_dir() and _within(top, folder.resolve())


def _walk(folder: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk`` that never follows a symbolic link (to a file or a folder)."""
    for top, dirs, files in os.walk(folder, followlinks=False):
        base = Path(top)
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
        yield base, dirs, [f for f in files if not (base / f).is_symlink()]


def _regular(path: Path) -> bool:
    """A regular file, not a symbolic link (so removing it touches nothing elsewhere)."""
    return not path.is_symlink() and path.is_file()


def cleanup(root: Path, referenced: Iterable[str]) -> list[Path]:
    """Remove what interrupted imports left behind; return the removed files.

    That is: everything in the staging folder, dataset files and default rejects files
    that the database does not reference (``referenced`` holds stored relative paths),
    temporary files, and partition folders left empty.

    Symbolic links are never followed: a ``datasets/``, ``rejects/`` or staging folder that
    is a link (or sits behind one), and any linked file or folder below them, is left alone,
    so nothing outside the workspace is ever removed.
    """
    keep = {absolute(root, p).resolve() for p in referenced}
    removed: list[Path] = []
    staging = staging_dir(root)
    if _safe_folder(root, staging):
        for entry in staging.iterdir():
            if entry.is_symlink():
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                remove_quietly(entry)
            removed.append(entry)
    data = datasets_dir(root)
    if _safe_folder(root, data):
        for base, _dirs, files in _walk(data):
            if base == staging or staging in base.parents:
                continue
            for name in sorted(files):
                path = base / name
                orphan = _DATA_FILE.match(name) and path.resolve() not in keep
                if (orphan or _TEMP_FILE.match(name)) and _regular(path):
                    remove_quietly(path)
                    removed.append(path)
        _remove_empty_folders(data, keep={data, staging})
    rejects = rejects_dir(root)
    if _safe_folder(root, rejects):
        for path in rejects.iterdir():
            orphan = _REJECTS_FILE.match(path.name) and path.resolve() not in keep
            if _regular(path) and (orphan or _TEMP_FILE.match(path.name)):
                remove_quietly(path)
                removed.append(path)
    return removed


def _remove_empty_folders(top: Path, keep: set[Path]) -> None:
    folders = [base for base, _dirs, _files in _walk(top)]
    for folder in sorted(folders, reverse=True):
        if folder in keep or any(k in folder.parents for k in keep if k != top):
            continue
        with contextlib.suppress(OSError):  # not empty
            folder.rmdir()
