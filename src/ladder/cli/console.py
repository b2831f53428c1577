"""Shared console helpers: one place for how the CLI prints errors and tables."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

# Piped output (files, CI logs) gets room for wide tables instead of Rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)


def fail(message: str, hint: str | None = None, *, code: int = 1) -> NoReturn:
    """Print ``Error: message`` (and a hint) to stderr and exit with ``code``."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    if hint:
        err_console.print(f"  {hint}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def checked_out_folder(out: Path, option: str = "--out") -> Path:
    """``out`` as a folder to write into, created if missing; exit 2 with a clear message when
    it is an existing file or cannot be created (never a traceback)."""
    if out.exists() and not out.is_dir():
        fail(
            f"{option} {out} is a file, not a folder",
            f"give {option} a folder to write into (it is created if it does not exist)",
            code=2,
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create the folder {out} ({exc.strerror or exc})", "check the path", code=2)
    return out
