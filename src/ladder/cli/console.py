"""Shared console helpers: one place for how the CLI prints errors and tables."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, hint: str | None = None, *, code: int = 1) -> NoReturn:
    """Print ``Error: message`` (and a hint) to stderr and exit with ``code``."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    if hint:
        err_console.print(f"  {hint}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
