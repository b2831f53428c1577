"""``ladder metrics``: every indicator for every organisation and period in DATA."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from ladder.cli.console import console, err_console, fail
from ladder.cli.options import EngineOption, ThresholdOption
from ladder.cli.validate_cmd import checked_org
from ladder.engines import EngineName, EngineUnavailable
from ladder.io.safe import neutralise
from ladder.metrics.docs import indicators_markdown
from ladder.metrics.formatting import counts_text, interval_text, value_text
from ladder.metrics.headline import HEADLINES, headline_table
from ladder.metrics.inputs import InputError, load
from ladder.metrics.registry import all_indicators
from ladder.metrics.results import RESULT_FIELDS, Result
from ladder.metrics.runner import Run, run, select
from ladder.metrics.settings import DEFAULT_THRESHOLD, Settings
from ladder.store import StoreError


class MetricsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def results_json(results: list[Result]) -> str:
    """The documented JSON: a list of result objects (docs/indicators.md)."""
    return json.dumps([r.to_dict() for r in results], indent=2)


def results_csv(results: list[Result]) -> str:
    """One row per result; breakdown as key=value pairs and flags joined with ';'."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RESULT_FIELDS), lineterminator="\n")
    writer.writeheader()
    for r in results:
        row = r.to_dict()
        row["breakdown"] = ";".join(f"{k}={v}" for k, v in r.breakdown.items())
        row["flags"] = ";".join(r.flags)
        writer.writerow({k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def print_table(outcome: Run, threshold: int) -> None:
    """One table per organisation and period, in registry order."""
    keys = sorted({(r.org, r.period) for r in outcome.results})
    for org, period in keys:
        table = Table(title=f"{org} — period {period}", title_justify="left", show_lines=False)
        for name in ("indicator", "group", "breakdown", "value", "95% CI", "n/N", "flags"):
            table.add_column(name, justify="right" if name in ("value", "n/N") else "left")
        for r in outcome.results:
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


def read_benchmark(path: Path) -> dict[str, dict[str, float]]:
    """The --benchmark file: {characteristic key: {group: percent}}; exit 2 if malformed."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"cannot read the benchmark {path}: {exc}", code=2)
    ok = isinstance(doc, dict) and all(
        isinstance(k, str)
        and isinstance(v, dict)
        and all(isinstance(g, str) and isinstance(x, int | float) for g, x in v.items())
        for k, v in doc.items()
    )
    if not ok:
        fail(
            f"the benchmark {path} is not of the form "
            '{"ethnic_group": {"White": 45.0, "BME": 55.0}}',
            "keys: ethnic_group, sex, disability, age_band, seb_group; values in percent",
            code=2,
        )
    return {k: {g: float(x) for g, x in v.items()} for k, v in doc.items()}


def print_headline(outcome: Run, threshold: int) -> None:
    """One row per organisation and period with the headline figures."""
    rows = headline_table(outcome.results)
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
            if r is None:
                text = "–"
            elif r.suppressed:
                text = f"<{threshold}"
            else:
                text = value_text(r, threshold)
            if r is not None and "no_evidence_of_difference" in r.flags and not r.suppressed:
                text += "*"
            cells.append(text)
        table.add_row(org, str(period), *cells)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``metrics``."""

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
    ) -> None:
        """Compute every indicator whose datasets DATA holds, for every organisation and period.

        Indicators that cannot be computed are listed with the reason. JSON and CSV carry
        full precision; the table rounds as the official publications do.
        """
        if indicator:
            known = {i.id for i in all_indicators()} | {i.family for i in all_indicators()}
            known |= {r for i in all_indicators() for r in i.result_ids}
            unknown = [i for i in indicator if i not in known]
            if unknown:
                fail(f"unknown indicator {', '.join(unknown)}", "see `ladder indicators`", code=2)
        settings = Settings(
            threshold=threshold,
            disciplinary_years=disciplinary_years,
            benchmark=read_benchmark(benchmark) if benchmark else {},
        )
        try:
            loaded = load(data, engine=engine, org=checked_org(org), settings=settings)
        except (InputError, StoreError, EngineUnavailable) as exc:
            fail(str(exc))
        try:
            chosen = select(indicator)
            with Progress(
                console=err_console, transient=True, disable=output is not MetricsFormat.table
            ) as bar:
                task = bar.add_task("Computing indicators", total=len(chosen))
                outcome = run(
                    loaded.context,
                    ids=indicator,
                    periods=period,
                    progress=lambda _i: bar.advance(task),
                )
        except EngineUnavailable as exc:
            fail(str(exc))
        except ValueError as exc:  # a benchmark that does not fit the characteristic
            fail(str(exc), "check the --benchmark file", code=2)
        finally:
            loaded.close()
        for note in loaded.notes:
            err_console.print(f"Note: {note}", highlight=False, soft_wrap=True)
        if output is MetricsFormat.json:
            typer.echo(results_json(outcome.results))
        elif output is MetricsFormat.csv:
            typer.echo(results_csv(outcome.results), nl=False)
        elif headline:
            print_headline(outcome, threshold)
        else:
            print_table(outcome, threshold)
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
        if output == "markdown":
            typer.echo(indicators_markdown(), nl=False)
            return
        table = Table(title="Indicators", title_justify="left")
        for name in ("id", "title", "needs", "method"):
            table.add_column(name)
        for i in all_indicators():
            table.add_row(i.id, i.title, ", ".join(i.needs), i.method)
        console.print(table)
