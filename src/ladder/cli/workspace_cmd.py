"""Workspace commands: ``init``, ``import``, ``log`` and ``status``. Thin: the work is in
:mod:`ladder.store`; this module parses options and prints results."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ladder.cli.validate_cmd import (
    SnapshotDateOption,
    StageMapOption,
    StrictOption,
    checked_snapshot_date,
    checked_stage_map,
)

if TYPE_CHECKING:  # the store (SQLAlchemy, Polars) loads when a command runs, not at start-up
    from rich.console import Console

    from ladder.store import DatasetRecord, ImportResult
    from ladder.store.importing import Progress

DEBUG_ENV = "LADDER_DEBUG"
STAGES = {
    "reading": "Reading the file",
    "validating": "Validating rows",
    "writing": "Writing Parquet",
    "committing": "Committing",
}


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


Directory = Annotated[Path, typer.Argument(help="Workspace folder.", show_default=False)]
Format = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def register(app: typer.Typer) -> None:
    """Add the workspace commands to ``app``."""
    app.command("init")(init_cmd)
    app.command("import")(import_cmd)
    app.command("log")(log_cmd)
    app.command("status")(status_cmd)


def init_cmd(
    directory: Directory,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database for a shared deployment, e.g. "
            "postgresql+psycopg://user@host/db (default: DIR/ladder.db, SQLite).",
        ),
    ] = None,
) -> None:
    """Create a workspace: database, datasets folder and ladder.toml."""
    from ladder.app.workspace import create_workspace

    with _errors(), create_workspace(directory, database_url) as ws:
        typer.echo(f"Created a Ladder workspace in {ws.root} (database: {ws.database_url})")


def import_cmd(
    directory: Directory,
    kind: Annotated[str, typer.Argument(help="Dataset: staff, applications, training, ...")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet file.")],
    period: Annotated[
        int,
        typer.Option(
            "--period",
            help="Reporting year (April to March) to store the file under, e.g. 2024; a staff "
            "file without a snapshot date is taken as of 31 March of that year.",
        ),
    ],
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="ODS code of the organisation: fills a missing or blank org_code "
            "(default: the file's org_code).",
        ),
    ] = None,
    snapshot_date: SnapshotDateOption = None,
    strict: StrictOption = False,
    quarantine: Annotated[
        bool, typer.Option("--quarantine", help="Store the valid rows; set the others aside.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Quarantine file (default: DIR/rejects/<id>-...csv)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who imports (default: $LADDER_USER or you).")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="XLSX sheet: its name or number (1=first).")
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row", min=1, help="Row that names the columns (default: found; 1 in CSV)."
        ),
    ] = None,
    stage_map: StageMapOption = None,
    output_format: Format = OutputFormat.table,
    max_problems: Annotated[
        int, typer.Option("--max-problems", help="Problem lines to print (0: all).")
    ] = 50,
) -> None:
    """Validate FILE and store it as KIND for --org and --period (all or nothing).

    Rows with warnings only are stored (those values as not known) unless --strict.
    """
    from ladder.app.workspace import import_file, open_workspace

    date = checked_snapshot_date(snapshot_date)
    stages = checked_stage_map(stage_map)
    with _errors(), open_workspace(directory) as ws, _progress(output_format) as step:
        result = import_file(
            ws,
            kind,
            file,
            org,
            period,
            quarantine=quarantine,
            rejects=rejects,
            user=user,
            sheet=sheet,
            header_row=header_row,
            progress=step,
            stage_map=stages,
            snapshot_date=date,
            strict=strict,
        )
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_import(result, max_problems)
    if not result.stored:
        raise typer.Exit(1)


def log_cmd(
    directory: Directory,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the newest N entries.")] = None,
    access: Annotated[
        bool, typer.Option("--audit", help="Show the access (audit) log instead.")
    ] = False,
    output_format: Format = OutputFormat.table,
) -> None:
    """List the import log (or, with --audit, the access log)."""
    from ladder.app.workspace import open_workspace

    with _errors(), open_workspace(directory) as ws:
        if access:
            entries: list[Any] = ws.audit_log(limit)
            columns = ["id", "at", "user", "action", "detail"]
        else:
            entries = ws.import_log(limit)
            columns = [
                "id",
                "finished_at",
                "user",
                "kind",
                "org_code",
                "period",
                "rows_read",
                "rows_stored",
                "rows_rejected",
                "replaced_import_id",
                "file_sha256",
            ]
    _print_records([e.to_dict() for e in entries], columns, output_format)


def status_cmd(directory: Directory, output_format: Format = OutputFormat.table) -> None:
    """List the datasets the workspace holds now."""
    from ladder.app.workspace import open_workspace

    with _errors(), open_workspace(directory) as ws:
        records = ws.datasets()
    if output_format is OutputFormat.json:
        columns = ["kind", "org_code", "period", "row_count", "import_id", "updated_at"]
        _print_records([r.to_dict() for r in records], columns, output_format)
        return
    _print_status(directory, records)


def _print_status(directory: Path, records: list[DatasetRecord]) -> None:
    """Rows held per organisation and period (one column per dataset)."""
    from rich.table import Table

    from ladder import reference
    from ladder.contract.datasets import DATASETS

    if not records:
        typer.echo("The workspace holds no data yet: use `ladder import`.")
        return
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for r in records:
        counts.setdefault((r.org_code, r.period), {})[r.kind] = r.row_count
    names = dict(reference.trusts().select("org_code", "name").iter_rows())
    table = Table(title=f"Workspace {directory}: rows held", title_justify="left")
    table.add_column("organisation")
    table.add_column("name", max_width=40)
    table.add_column("period", justify="right")
    for kind in DATASETS:
        table.add_column(kind, justify="right")
    for (org, period), by_kind in sorted(counts.items()):
        table.add_row(
            org,
            names.get(org, ""),
            str(period),
            *(f"{by_kind[k]:,}" if k in by_kind else "–" for k in DATASETS),
        )
    _console().print(table)


# -- output ----------------------------------------------------------------------------


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn expected failures into a one-line message and an exit code, never a traceback."""
    from ladder.store import StoreError

    try:
        yield
    except StoreError as exc:
        typer.echo(str(exc) if exc.exit_code == 0 else f"error: {exc}", err=exc.exit_code != 0)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        typer.echo(
            f"error: unexpected {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 for details)",
            err=True,
        )
        raise typer.Exit(1) from None


@contextlib.contextmanager
def _progress(output_format: OutputFormat) -> Iterator[Progress]:
    """A progress line on stderr (only on a terminal): the stage, rows read, problems so far."""
    from rich.console import Console
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    console = Console(stderr=True)
    if output_format is not OutputFormat.table or not console.is_terminal:
        yield _quiet
        return
    with RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("Starting the import", total=None, counts="")

        def update(
            stage: str, /, *, rows: int = 0, total: int | None = None, problems: int = 0
        ) -> None:
            fields: dict[str, Any] = {"description": STAGES.get(stage, stage)}
            if rows:
                of = f" of {total:,}" if total else ""
                plural = "" if problems == 1 else "s"
                fields |= {
                    "completed": rows,
                    "total": total,
                    "counts": f"{rows:,}{of} rows read, {problems:,} problem{plural}",
                }
            bar.update(task, **fields)

        yield update


def _quiet(stage: str, /, *, rows: int = 0, total: int | None = None, problems: int = 0) -> None:
    return None


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=200)


def _print_import(result: ImportResult, max_problems: int) -> None:
    from ladder.io.problems import kinds

    shown = result.problems if max_problems <= 0 else result.problems[:max_problems]
    for problem in shown:
        typer.echo(problem.format())
    if len(shown) < len(result.problems):
        typer.echo(f"... and {len(result.problems) - len(shown)} more problems")
    for kind in kinds(result.problems):
        suffix = "" if kind.severity == "error" else " (warning: rows kept)"
        typer.echo(f"{kind.count:>8}  {kind.code}{suffix}")
    typer.echo(_outcome(result))
    if result.warnings:
        typer.echo(
            f"{result.warnings:,} warnings: {result.rows_with_warnings:,} rows "
            + ("stored" if result.stored else "to be stored, once the errors are dealt with,")
            + " with those values as not known (--strict rejects them)."
        )


_LIST_AT_MOST = 8


def _outcome(result: ImportResult) -> str:
    from ladder.store import ImportStatus

    what = f"{result.kind} {result.source_file.name}: {result.rows_read:,} rows read"
    if result.status is ImportStatus.STORED:
        if len(result.records) > _LIST_AT_MOST:
            replaced = sum(1 for r in result.records if r.replaced_import_id)
            stored = (
                f"{sum(r.rows_stored for r in result.records):,} rows stored for "
                f"{len(result.records)} organisations as imports {result.records[0].id}"
                f"-{result.records[-1].id}"
                + (f", replacing {replaced} earlier imports" if replaced else "")
                + " (see `ladder log`)"
            )
        else:
            stored = "; ".join(
                f"{r.org_code} {r.period}: {r.rows_stored:,} rows stored as import {r.id}"
                + (f", replacing import {r.replaced_import_id}" if r.replaced_import_id else "")
                for r in result.records
            )
        text = f"{what}. {stored}"
        if result.rejects_file is not None:
            text += f". {result.rows_rejected} rows quarantined in {result.rejects_file}"
        return text
    blocking = [p for p in result.problems if p.blocking]
    reason = {
        ImportStatus.BLOCKED: "the file cannot be imported ("
        + "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in blocking)
        + ")",
        ImportStatus.INVALID: f"{result.rows_rejected} rows have errors "
        "(fix them, or give --quarantine to store the valid rows)",
        ImportStatus.NO_ROWS: "no valid row to store",
    }[result.status]
    return f"{what}. Nothing stored: {reason}."


def _print_records(
    rows: list[dict[str, Any]], columns: list[str], output_format: OutputFormat
) -> None:
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("(none)")
        return
    from rich.table import Table

    table = Table(*columns, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    _console().print(table, markup=False)
