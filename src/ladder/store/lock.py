"""An advisory lock on the workspace folder, so that cleanup never races an import.

Imports hold the lock shared (several may run at once); the cleanup that runs when a
workspace is opened takes it exclusively and is skipped while any import runs. The
operating system releases the lock when a process dies, even by SIGKILL. Where ``fcntl``
is missing (Windows) the lock does nothing (see docs/workspace.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def shared_lock(path: Path) -> Iterator[None]:
    """Hold the lock shared for the ``with`` block (waits for an exclusive holder)."""
    with _open(path) as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        yield


@contextlib.contextmanager
def exclusive_lock_or_skip(path: Path) -> Iterator[bool]:
    """Try the lock exclusively without waiting; yields whether it was taken."""
    with _open(path) as handle:
        if fcntl is None:
            yield True
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _open(path: Path) -> IO[bytes]:
    return path.open("ab")
