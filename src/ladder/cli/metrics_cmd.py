"""``ladder metrics``: every indicator for every organisation and period in DATA.

Thin: the results come from :func:`ladder.app.results.results` (stored results on a
workspace), their JSON and CSV forms from :mod:`ladder.app.formats`; this module parses
the options and prints. Heavy modules are imported inside the commands (start-up time).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ladder.cli.console import console, err_console, fail
from ladder.cli.options import (
    Disclosure,
    DisclosureOption,
    EngineOption,
    SeedOption,
    ThresholdOption,
)
from ladder.cli.validate_cmd import checked_org
from ladder.engines import EngineName
from ladder.metrics import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from ladder.metrics import Result


class MetricsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def print_table(results: list[Result], threshold: int) -> None:
    """One table per organisation and period, in registry order."""
    from rich.table import Table

    from ladder.metrics.formatting import counts_text, interval_text, value_text

    keys = sorted({(r.org, r.period) for r in results})
    for org, period in keys:
        table = Table(title=f"{org} — period {period}", title_justify="left", show_lines=False)
        for name in ("indicator", "group", "breakdown", "value", "95% CI", "n/N", "flags"):
            table.add_column(name, justify="right" if name in ("value", "n/N") else "left")
        for r in results:
            if (r.org, r.period) != (org, period):
                continue
            table.add_row(
                r.id,
                r.group or "",
                ", ".join(r.breakdown.values()),
                value_text(r, threshold),
                interval_text(r),
                counts_text(r),
                ", ".join(f for f in r.flags if f != "suppressed"),
            )
        console.print(table)


def print_headline(results: list[Result], threshold: int) -> None:
    """One row per organisation and period with the headline figures."""
    from rich.table import Table

    from ladder.metrics.formatting import value_text
    from ladder.metrics.headline import HEADLINES, headline_table

    rows = headline_table(results)
    table = Table(
        title="Headline indicators (ratios: 1.00 is equality; * no evidence of difference)",
        title_justify="left",
    )
    table.add_column("org")
    table.add_column("period", justify="right")
    for h in HEADLINES:
        table.add_column(h.label, justify="right")
    for (org, period), figures in sorted(rows.items()):
        cells = []
        for h in HEADLINES:
            r = figures.get(h.label)
            text = "–" if r is None else value_text(r, threshold)  # withheld: "withheld"
            if r is not None and "no_evidence_of_difference" in r.flags and not r.suppressed:
                text += "*"
            cells.append(text)
        table.add_row(org, str(period), *cells)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``metrics`` and ``indicators``."""

    @app.command()
    def metrics(
        data: Annotated[Path, typer.Argument(help="A workspace, or a folder of dataset files.")],
        output: Annotated[
            MetricsFormat, typer.Option("--format", "-f", help="table, json or csv.")
        ] = MetricsFormat.table,
        org: Annotated[str | None, typer.Option(help="Only this organisation (ODS code).")] = None,
        period: Annotated[
            list[int] | None, typer.Option(help="Only this reporting year (repeatable).")
        ] = None,
        engine: EngineOption = EngineName.polars,
        indicator: Annotated[
            list[str] | None,
            typer.Option("--indicator", "-i", help="Only these ids or families (repeatable)."),
        ] = None,
        threshold: ThresholdOption = DEFAULT_THRESHOLD,
        disclosure: DisclosureOption = Disclosure.suppression,
        seed: SeedOption = 0,
        disciplinary_years: Annotated[
            int, typer.Option(min=1, max=5, help="WRES 3 window in years to the snapshot.")
        ] = 1,
        benchmark: Annotated[
            Path | None,
            typer.Option(
                help='JSON of local-population shares (%), e.g. {"ethnic_group": {"White": 45, '
                '"BME": 55}}, for the representation benchmark comparisons.'
            ),
        ] = None,
        headline: Annotated[
            bool, typer.Option("--headline", help="Only the headline figures, one row per org.")
        ] = False,
        recompute: Annotated[
            bool,
            typer.Option(
                "--recompute",
                help="Compute again even if the workspace's stored results are current.",
            ),
        ] = False,
        strict: Annotated[
            bool,
            typer.Option(
                "--strict",
                help="Leave out rows with warnings when DATA is a folder of files to validate.",
            ),
        ] = False,
    ) -> None:
        """Compute every indicator whose datasets DATA holds, for every organisation and period.

        A workspace keeps the results: they are computed once per organisation and read back
        until an import, other settings or a new Ladder method changes them. Indicators that
        cannot be computed are listed with the reason. JSON and CSV carry full precision; the
        table rounds as the official publications do.
        """
        from rich.progress import Progress

        from ladder.app.formats import BenchmarkError, read_benchmark, results_csv, results_json
        from ladder.app.results import results
        from ladder.engines import EngineUnavailable
        from ladder.metrics import InputError, Settings, all_indicators
        from ladder.store import StoreError

        if indicator:
            known = {i.id for i in all_indicators()} | {i.family for i in all_indicators()}
            known |= {r for i in all_indicators() for r in i.result_ids}
            unknown = [i for i in indicator if i not in known]
            if unknown:
                fail(f"unknown indicator {', '.join(unknown)}", "see `ladder indicators`", code=2)
        try:
            shares = read_benchmark(benchmark) if benchmark else {}
        except BenchmarkError as exc:
            fail(str(exc), exc.hint, code=2)
        settings = Settings(
            threshold=threshold,
            disciplinary_years=disciplinary_years,
            benchmark=shares,
            disclosure=disclosure.value,
            seed=seed,
        )
        try:
            with Progress(
                console=err_console, transient=True, disable=output is not MetricsFormat.table
            ) as bar:
                task = bar.add_task("Computing indicators", total=None)

                def step(_label: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                outcome = results(
                    data,
                    org=checked_org(org),
                    periods=period,
                    ids=indicator,
                    settings=settings,
                    engine=engine,
                    recompute=recompute,
                    progress=step,
                    strict=strict,
                )
        except (InputError, StoreError, EngineUnavailable) as exc:
            fail(str(exc))
        except ValueError as exc:  # a benchmark that does not fit the characteristic
            fail(str(exc), "check the --benchmark file", code=2)
        for note in outcome.notes:
            err_console.print(f"Note: {note}", highlight=False, soft_wrap=True)
        if output is MetricsFormat.json:
            typer.echo(results_json(outcome.results))
        elif output is MetricsFormat.csv:
            typer.echo(results_csv(outcome.results), nl=False)
        elif headline:
            print_headline(outcome.results, threshold)
        else:
            print_table(outcome.results, threshold)
        for s in outcome.skipped:
            err_console.print(
                f"Skipped {s.id} ({s.title}): {s.reason}",
                highlight=False,
                soft_wrap=True,
                style="dim",
            )
        if not outcome.results:
            fail("no indicator could be computed from this data")

    @app.command("indicators")
    def list_indicators(
        output: Annotated[
            str, typer.Option("--format", "-f", help="table or markdown (docs/indicators.md).")
        ] = "table",
    ) -> None:
        """List every indicator: id, title, datasets needed, method."""
        from rich.table import Table

        from ladder.metrics import all_indicators
        from ladder.metrics.docs import indicators_markdown

        if output == "markdown":
            typer.echo(indicators_markdown(), nl=False)
            return
        table = Table(title="Indicators", title_justify="left")
        for name in ("id", "title", "needs", "method"):
            table.add_column(name)
        for i in all_indicators():
            table.add_row(i.id, i.title, ", ".join(i.needs), i.method)
        console.print(table)
