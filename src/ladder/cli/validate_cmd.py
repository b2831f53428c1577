"""``ladder validate``: check a file against the data contract and list every problem."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ladder.cli.console import console, fail
from ladder.contract.datasets import DATASETS
from ladder.io.problems import PROBLEM_CODES
from ladder.io.stream import check_file
from ladder.io.validate import Validation
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_org_code


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def checked_kind(kind: str) -> str:
    """The dataset kind, or exit 2 naming the valid kinds."""
    if kind not in DATASETS:
        fail(f"unknown dataset kind '{kind}'", f"use one of: {', '.join(DATASETS)}", code=2)
    return kind


def checked_org(org: str | None) -> str | None:
    """The ODS code in canonical form, or exit 2 explaining the format."""
    if org is None:
        return None
    try:
        return normalise_org_code(org)
    except InvalidValue as exc:
        fail(f"--org '{org}' is {exc.reason}", exc.hint, code=2)


def validation_json(result: Validation) -> dict[str, object]:
    """The JSON document ``ladder validate --format json`` prints (documented in docs/)."""
    return {
        "file": str(result.source),
        "kind": result.kind,
        "valid": result.ok,
        "rows": result.rows_read,
        "rows_with_problems": len(result.bad_rows),
        "format": result.file_format,
        "encoding": result.encoding,
        "ignored_columns": result.ignored_columns,
        "summary": result.summary(),
        "problems": [p.to_dict() for p in result.problems],
    }


def print_problems(result: Validation) -> None:
    """One line per problem, then a summary table of counts per kind of problem."""
    for problem in result.problems:
        typer.echo(problem.format())
    if result.ignored_columns:
        console.print(
            f"Ignored columns (not in the {result.kind} contract): "
            + ", ".join(result.ignored_columns),
            style="dim",
            highlight=False,
            soft_wrap=True,
        )
    if result.ok:
        console.print(f"[green]Valid:[/] {result.rows_read:,} {result.kind} rows, no problems.")
        return
    count = len(result.problems)
    table = Table(title=f"{count:,} problem{'s' if count != 1 else ''} in {result.source.name}")
    table.add_column("problem")
    table.add_column("code", style="dim")
    table.add_column("count", justify="right")
    for code, count in result.summary().items():
        table.add_row(PROBLEM_CODES.get(code, code), code, f"{count:,}")
    console.print(table)
    if not result.blocking:
        console.print(
            f"{len(result.bad_rows):,} of {result.rows_read:,} rows have problems.",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Add ``validate``."""

    @app.command()
    def validate(
        file: Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet file to check.")],
        kind: Annotated[str, typer.Option("--kind", "-k", help="Dataset: " + ", ".join(DATASETS))],
        org: Annotated[
            str | None, typer.Option(help="ODS code of the organisation, if the file has none.")
        ] = None,
        sheet: Annotated[str | None, typer.Option(help="Worksheet of an XLSX file.")] = None,
        output: Annotated[
            OutputFormat, typer.Option("--format", "-f", help="text or json.")
        ] = OutputFormat.text,
    ) -> None:
        """Check FILE against the data contract; exit 0 if valid, 1 if not.

        Every problem is listed as file:row:column: value — reason (what to do), rows
        numbered as a spreadsheet shows them (the header is row 1).
        """
        # In chunks (bounded memory at any size); the same result as validate_file's.
        result = check_file(file, checked_kind(kind), org=checked_org(org), sheet=sheet)
        if output is OutputFormat.json:
            typer.echo(json.dumps(validation_json(result), indent=2, default=str))
        else:
            print_problems(result)
        raise typer.Exit(0 if result.ok else 1)
