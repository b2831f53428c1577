"""``ladder programme``: community employment programmes (docs/programmes.md).

``list`` the programme definitions (and the programmes in DATA); ``validate`` a
participants file against its programme's stages; ``funnel`` prints each programme's funnel
(``--format json|csv``: the same records as ``ladder metrics``); ``report`` writes the
evaluation report. Thin: everything comes from :mod:`ladder.app.programmes`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ladder.cli.console import checked_out_folder, console, err_console, fail
from ladder.cli.options import EngineOption, ThresholdOption
from ladder.cli.validate_cmd import checked_org
from ladder.engines import EngineName
from ladder.metrics import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from ladder.app.programmes import Funnel

programme_app = typer.Typer(
    help="Community employment programmes: funnels, reach, retention, evaluation reports.",
    no_args_is_help=True,
)


class FunnelFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class GapRule(StrEnum):
    error = "error"
    imply = "imply"


DataArgument = Annotated[
    Path,
    typer.Argument(help="A workspace, a folder of dataset files, or one participants file."),
]
StagesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--stages",
        help="A programme stages file (YAML) or a folder of them (repeatable); read before "
        "Ladder's own definitions.",
    ),
]
GapsOption = Annotated[
    GapRule,
    typer.Option(
        help="A participant who reaches a stage without the one before: error (the row is "
        "left out) or imply (the earlier stage counts as reached)."
    ),
]
OrgOption = Annotated[str | None, typer.Option(help="Only this organisation (ODS code).")]


def _input_error() -> type[Exception]:
    from ladder.app.programmes import ProgrammeInputError

    return ProgrammeInputError


@programme_app.command("list")
def list_cmd(
    data: Annotated[
        Path | None,
        typer.Argument(help="Also count the participants of each programme in this data."),
    ] = None,
    stages: StagesOption = None,
) -> None:
    """List the programme definitions: their stages and outcomes (and participants in DATA)."""
    from rich.table import Table

    from ladder.app.programmes import list_programmes

    try:
        listed = list_programmes(data, stages or [])
    except _input_error() as exc:
        fail(str(exc))
    table = Table(title="Programmes", title_justify="left", show_lines=True)
    for name in ("programme", "kind", "stages", "outcomes", "participants", "definition"):
        table.add_column(name)
    for item in listed:
        p = item.programme
        table.add_row(
            p.name,
            p.kind,
            " → ".join(s.label for s in p.stages),
            ", ".join(o.label for o in p.outcomes),
            ", ".join(f"{org}: {n:,}" for org, n in sorted(item.participants.items())) or "–",
            p.source,
        )
    console.print(table)


@programme_app.command()
def validate(
    data: DataArgument,
    org: OrgOption = None,
    gaps: GapsOption = GapRule.error,
    stages: StagesOption = None,
) -> None:
    """Check the participants' stage dates: every row whose dates go backwards, or that
    reaches a stage without the one before (an error with --gaps error, a warning with
    --gaps imply), with its row and column. Exits 1 when there are errors."""
    from rich.table import Table

    from ladder.app.programmes import validate as run_validate

    try:
        outcome = run_validate(data, org=checked_org(org), gaps=str(gaps), stages=stages or [])
    except _input_error() as exc:
        fail(str(exc))
    table = Table(title=f"Problems in {outcome.file}", title_justify="left")
    for name in ("row", "column", "value", "severity", "problem", "what to do"):
        table.add_column(name)
    problems = [*outcome.contract, *(p for c in outcome.programmes for p in c.problems)]
    for p in problems:
        table.add_row(
            "" if p.row is None else str(p.row),
            p.column or "",
            p.value or "",
            p.severity,
            p.reason,
            p.hint,
        )
    if problems:
        console.print(table)
    for c in outcome.programmes:
        left = f"; stages without data: {', '.join(c.left_out)}" if c.left_out else ""
        console.print(
            f"{c.org} {c.programme.name}: {c.rows:,} rows, {c.excluded:,} with errors, "
            f"{c.implied:,} with a stage implied{left}",
            highlight=False,
        )
    if outcome.errors:
        fail(f"{outcome.errors:,} error(s) in {outcome.file}", "correct the rows listed above")


@programme_app.command()
def funnel(
    data: DataArgument,
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="Only this programme (name or alias).")
    ] = None,
    output: Annotated[
        FunnelFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = FunnelFormat.table,
    org: OrgOption = None,
    cohort: Annotated[str, typer.Option(help="The cohort of the table (default: all).")] = "all",
    gaps: GapsOption = GapRule.imply,
    stages: StagesOption = None,
    engine: EngineOption = EngineName.polars,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
) -> None:
    """Each programme's funnel: people at each stage, conversion with Wilson 95% intervals,
    days between stages. JSON and CSV: every programme figure, the records of `ladder metrics`."""
    from ladder.app.formats import results_csv, results_json
    from ladder.app.programmes import funnels

    try:
        chosen, notes = funnels(
            data,
            org=checked_org(org),
            programme=programme,
            gaps=str(gaps),
            stages=stages or [],
            threshold=threshold,
            engine=engine,
        )
    except _input_error() as exc:
        fail(str(exc))
    for note in notes:
        err_console.print(f"Note: {note}", highlight=False, soft_wrap=True)
    if output is FunnelFormat.json:
        typer.echo(results_json([r for f in chosen for r in f.results]))
        return
    if output is FunnelFormat.csv:
        typer.echo(results_csv([r for f in chosen for r in f.results]), nl=False)
        return
    _print_funnels(chosen, cohort)


def _print_funnels(chosen: list[Funnel], cohort: str) -> None:
    from rich.table import Table

    from ladder.app.programmes import stage_rows

    for f in chosen:
        table = Table(
            title=f"{f.org} — {f.programme.name} (cohort: {cohort})", title_justify="left"
        )
        for name in (
            "stage",
            "people",
            "% of first",
            "95% CI",
            "% of previous",
            "95% CI ",
            "median days",
        ):
            table.add_column(name, justify="left" if name == "stage" else "right")
        for row in stage_rows(f, cohort):
            table.add_row(
                row.label,
                row.people,
                row.percent,
                row.interval,
                row.conversion,
                row.conversion_interval,
                row.median_days,
            )
        console.print(table)
        if f.headline and cohort == "all":
            console.print(f"{f.headline}.", highlight=False)


@programme_app.command()
def report(
    data: DataArgument,
    programme: Annotated[
        str, typer.Option("--programme", "-p", help="The programme (name or alias).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report to.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF.")] = False,
    org: OrgOption = None,
    gaps: GapsOption = GapRule.imply,
    stages: StagesOption = None,
    engine: EngineOption = EngineName.polars,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
) -> None:
    """Write the programme's evaluation report (HTML; --pdf for a PDF too): the funnel, the
    headline in words, reach, sustained employment, equality breakdowns and the method."""
    from ladder.app.programmes import write_report

    checked_out_folder(out)
    try:
        with console.status("Computing the programme's figures and writing the report…"):
            written = write_report(
                data,
                out,
                programme=programme,
                org=checked_org(org),
                pdf=pdf,
                gaps=str(gaps),
                stages=stages or [],
                threshold=threshold,
                engine=engine,
            )
    except _input_error() as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the report in {out} ({exc.strerror or exc})", "check the folder")
    for path in written:
        console.print(f"Wrote {path}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``programme`` group."""
    app.add_typer(programme_app, name="programme")
