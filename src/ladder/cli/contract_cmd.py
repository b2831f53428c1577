"""``ladder contract``: show the canonical datasets and their columns."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from ladder.cli.console import console
from ladder.cli.validate_cmd import checked_kind


class ContractFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``contract``."""

    @app.command()
    def contract(
        kind: Annotated[str | None, typer.Argument(help="One dataset; all when omitted.")] = None,
        output: Annotated[
            ContractFormat, typer.Option("--format", "-f", help="table, markdown or json.")
        ] = ContractFormat.table,
    ) -> None:
        """Show the data contract: every dataset, column, type and accepted header."""
        from rich.table import Table

        from ladder.contract.datasets import DATASETS
        from ladder.contract.docs import contract_markdown

        kinds = [checked_kind(kind)] if kind else list(DATASETS)
        if output is ContractFormat.markdown:
            typer.echo(contract_markdown(), nl=False)
            return
        if output is ContractFormat.json:
            doc = {
                k: [
                    {
                        "name": c.name,
                        "type": c.type_name,
                        "required": c.required,
                        "severity": c.severity,
                        "description": c.description,
                        "aliases": list(c.aliases),
                        "allowed": list(c.type.allowed),
                    }
                    for c in DATASETS[k].columns
                ]
                for k in kinds
            }
            typer.echo(json.dumps(doc, indent=2))
            return
        for k in kinds:
            ds = DATASETS[k]
            table = Table(title=f"{ds.name}: one row per {ds.row}", title_justify="left")
            table.add_column("column")
            table.add_column("type")
            table.add_column("req.")
            table.add_column("bad value")
            table.add_column("meaning")
            table.add_column("aliases", style="dim")
            for c in ds.columns:
                table.add_row(
                    c.name,
                    c.type_name,
                    "yes" if c.required else "",
                    c.severity,
                    c.description,
                    ", ".join(c.aliases),
                )
            console.print(table)
