"""The ``ladder`` command: registers the sub-commands of each area."""

from __future__ import annotations

from typing import Annotated

import typer

from ladder import __version__
from ladder.cli import (
    audit_cmd,
    contract_cmd,
    index_cmd,
    match_cmd,
    metrics_cmd,
    place_cmd,
    programme_cmd,
    report_cmd,
    synth_cmd,
    validate_cmd,
    web_cmd,
    workspace_cmd,
)

app = typer.Typer(
    name="ladder",
    help="Ladder: workforce equality and social mobility indicators for NHS trusts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (Click) help and usage errors: Typer's Rich formatter loads rich.markdown and
    # markdown-it, a third of the start-up time (docs/architecture.md, "Start-up").
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ladder {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Ladder: workforce equality and social mobility indicators for NHS trusts."""


for module in (
    validate_cmd,
    contract_cmd,
    workspace_cmd,
    synth_cmd,
    metrics_cmd,
    report_cmd,
    place_cmd,
    programme_cmd,
    web_cmd,
    audit_cmd,
    match_cmd,
    index_cmd,
):
    module.register(app)


def main() -> None:
    """Entry point of the ``ladder`` console script."""
    app()
