"""``ladder validate``: check a file against the data contract and list every problem."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ladder.cli.console import console, fail
from ladder.contract.kinds import KINDS as DATASETS
from ladder.normalise.dates import normalise_date
from ladder.normalise.errors import InvalidValue
from ladder.normalise.identifiers import normalise_org_code

SnapshotDateOption = Annotated[
    str | None,
    typer.Option(
        "--snapshot-date",
        help="Snapshot date of a staff file that has none (e.g. 2024-03-31 or 31/03/2024).",
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Treat warnings as errors (their rows are rejected).")
]

if TYPE_CHECKING:  # validation (Polars) loads when the command runs, not at start-up
    from ladder.io.validate import Validation
    from ladder.normalise.stages import StageMap


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


def checked_snapshot_date(text: str | None) -> dt.date | None:
    """The ``--snapshot-date`` as a date, or exit 2 explaining the accepted forms."""
    if text is None:
        return None
    try:
        return normalise_date(text)
    except InvalidValue as exc:
        fail(f"--snapshot-date '{text}' is {exc.reason}", exc.hint, code=2)


def checked_context(kind: str, snapshot_date: dt.date | None, period: int | None) -> None:
    """Exit 2 when ``--snapshot-date`` does not fit the kind or ``--period``."""
    from ladder.io.validate import context_mistake

    mistake = context_mistake(kind, snapshot_date, period)
    if mistake is not None:
        fail(mistake, code=2)


StageMapOption = Annotated[
    Path | None,
    typer.Option(
        "--stage-map",
        help="CSV of recruitment stages (stage, shortlisted, appointed) extending the shipped map.",
    ),
]


def checked_stage_map(path: Path | None) -> StageMap | None:
    """The stage map (shipped, overridden by ``path``), or exit 2 saying what is wrong."""
    if path is None:
        return None
    from ladder.normalise import stages

    try:
        return stages.load(path)
    except stages.StageMapError as exc:
        fail(f"--stage-map: {exc}", "see docs/validation.md, 'Recruitment stages'", code=2)


def validation_json(result: Validation) -> dict[str, object]:
    """The JSON document ``ladder validate --format json`` prints (documented in docs/)."""
    return {
        "file": str(result.source),
        "kind": result.kind,
        "valid": result.ok,
        "blocked": result.blocking,
        "rows": result.rows_read,
        "rows_with_problems": len(result.bad_rows),
        "rows_with_warnings": result.rows_with_warnings,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "format": result.file_format,
        "encoding": result.encoding,
        "ignored_columns": result.ignored_columns,
        "notes": result.notes,
        "summary": result.summary(),
        "kinds": [k.to_dict() for k in result.kinds()],
        "problems": [p.to_dict() for p in result.problems],
    }


def print_problems(result: Validation) -> None:
    """One line per problem, then a summary table of counts per kind of problem."""

    for problem in result.problems:
        typer.echo(problem.format())
    for note in result.notes:
        console.print(f"Note: {note}", style="dim", highlight=False, soft_wrap=True)
    if result.ignored_columns:
        console.print(
            f"Ignored columns (not in the {result.kind} contract): "
            + ", ".join(result.ignored_columns),
            style="dim",
            highlight=False,
            soft_wrap=True,
        )
    if not result.problems:
        console.print(f"[green]Valid:[/] {result.rows_read:,} {result.kind} rows, no problems.")
        return
    print_summary(result)


_BLOCKS = {"file": "the whole file", "rows": "these rows", "none": "nothing (kept)"}


def print_summary(result: Validation) -> None:
    """Counts per kind of problem: severity, what it blocks and which rows it is on."""
    from rich.table import Table

    from ladder.io.problems import PROBLEM_CODES, row_ranges

    errors, warnings = len(result.errors), len(result.warnings)
    title = f"{errors:,} error{'s' if errors != 1 else ''}"
    title += f" and {warnings:,} warning{'s' if warnings != 1 else ''} in {result.source.name}"
    table = Table(title=title)
    table.add_column("problem")
    table.add_column("code", style="dim")
    table.add_column("severity")
    table.add_column("count", justify="right")
    table.add_column("blocks")
    table.add_column("rows", overflow="fold")
    for kind in result.kinds():
        table.add_row(
            PROBLEM_CODES.get(kind.code, kind.code),
            kind.code,
            kind.severity,
            f"{kind.count:,}",
            _BLOCKS[kind.blocks],
            row_ranges(kind.rows) if kind.rows else "(file)",
        )
    console.print(table)
    console.print(_verdict(result), highlight=False)


def _verdict(result: Validation) -> str:
    rows = f"{result.rows_read:,} rows"
    if result.blocking:
        causes = "; ".join(
            f"{p.column}: {p.reason}" if p.column else p.reason
            for p in result.problems
            if p.blocking
        )
        return (
            f"[red]Blocked[/] ({causes}): no row of the {rows} can be stored until this is "
            "fixed. Every row has been checked against the columns present."
        )
    bad = len(result.bad_rows)
    text = (
        f"{bad:,} of {rows} have errors and would be rejected."
        if bad
        else f"[green]Valid:[/] {rows}, no errors."
    )
    if result.rows_with_warnings:
        text += (
            f" {result.rows_with_warnings:,} rows have warnings only: they are kept, with those"
            " values stored as not known (--strict rejects them)."
        )
    return text


def register(app: typer.Typer) -> None:
    """Add ``validate``."""

    @app.command()
    def validate(
        file: Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet file to check.")],
        kind: Annotated[str, typer.Option("--kind", "-k", help="Dataset: " + ", ".join(DATASETS))],
        org: Annotated[
            str | None,
            typer.Option(help="ODS code of the organisation: fills a missing or blank org_code."),
        ] = None,
        snapshot_date: SnapshotDateOption = None,
        period: Annotated[
            int | None,
            typer.Option(
                min=1990,
                max=2100,
                help="Reporting year (April to March): a staff file without a snapshot date "
                "is taken as of 31 March of YEAR.",
            ),
        ] = None,
        strict: StrictOption = False,
        stage_map: StageMapOption = None,
        sheet: Annotated[
            str | None, typer.Option(help="Worksheet of an XLSX file: name or number (1=first).")
        ] = None,
        header_row: Annotated[
            int | None,
            typer.Option(
                "--header-row", min=1, help="Row that names the columns (default: found)."
            ),
        ] = None,
        output: Annotated[
            OutputFormat, typer.Option("--format", "-f", help="text or json.")
        ] = OutputFormat.text,
    ) -> None:
        """Check FILE against the data contract; exit 0 if no errors, 1 if any.

        Every problem is listed as file:row:column: value — reason (what to do), rows
        numbered as a spreadsheet shows them (the header is row 1 unless a title block is
        above it). Warnings (unreadable optional descriptive values, stored as not known) do
        not fail the file unless --strict is given.
        """
        from ladder.io.stream import check_file

        kind = checked_kind(kind)
        date = checked_snapshot_date(snapshot_date)
        checked_context(kind, date, period)
        # In chunks (bounded memory at any size); the same result as validate_file's.
        result = check_file(
            file,
            kind,
            org=checked_org(org),
            sheet=sheet,
            header_row=header_row,
            snapshot_date=date,
            period=period,
            strict=strict,
            stage_map=checked_stage_map(stage_map),
        )
        if output is OutputFormat.json:
            typer.echo(json.dumps(validation_json(result), indent=2, default=str))
        else:
            print_problems(result)
        raise typer.Exit(0 if result.ok else 1)
