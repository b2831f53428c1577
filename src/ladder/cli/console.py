"""Shared console helpers: one place for how the CLI prints errors and tables."""

from __future__ import annotations

import os
import sys
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
