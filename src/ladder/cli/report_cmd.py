"""``ladder report``: the annual equality report per organisation (HTML, PDF, XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ladder.cli.console import checked_out_folder, console, err_console, fail
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


def register(app: typer.Typer) -> None:
    """Add ``report``."""

    @app.command()
    def report(
        data: Annotated[Path, typer.Argument(help="A workspace, or a folder of dataset files.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the reports to.")],
        org: Annotated[str | None, typer.Option(help="Only this organisation's report.")] = None,
        period: Annotated[
            int | None, typer.Option(help="Reporting year (default: each organisation's latest).")
        ] = None,
        pdf: Annotated[
            bool, typer.Option("--pdf", help="Also write a PDF of each report.")
        ] = False,
        xlsx: Annotated[
            bool, typer.Option("--xlsx", help="Also write the spreadsheet return (XLSX).")
        ] = False,
        engine: EngineOption = EngineName.polars,
        threshold: ThresholdOption = DEFAULT_THRESHOLD,
        disclosure: DisclosureOption = Disclosure.suppression,
        seed: SeedOption = 0,
        actions: Annotated[
            Path | None,
            typer.Option(
                "--actions",
                help="The trust's actions (YAML or XLSX: indicator, action, owner, date) "
                "for the action plan.",
            ),
        ] = None,
    ) -> None:
        """Write each organisation's equality report (HTML; --pdf, --xlsx for PDF and returns).

        The HTML is one self-contained file in the NHS.UK style: charts with alt text and
        table equivalents, withheld figures all shown as "withheld".
        """
        from rich.table import Table

        from ladder.app.disclosure import PublicationRefused
        from ladder.app.reports import ActionsError, build_reports  # charts, PDF load when used
        from ladder.engines import EngineUnavailable
        from ladder.metrics import InputError
        from ladder.store import StoreError

        checked_out_folder(out)
        try:
            with console.status("Computing indicators and writing reports…"):
                outcome = build_reports(
                    data,
                    out,
                    org=checked_org(org),
                    period=period,
                    pdf=pdf,
                    spreadsheet=xlsx,
                    engine=engine,
                    threshold=threshold,
                    actions=actions,
                    disclosure=disclosure.value,
                    seed=seed,
                )
        except (InputError, StoreError, EngineUnavailable, ActionsError, PublicationRefused) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write the reports in {out} ({exc.strerror or exc})", "check the folder")
        for note in outcome.notes:
            err_console.print(f"Note: {note}", highlight=False, soft_wrap=True)
        if not outcome.files:
            fail("no report written", "check --org and --period against the data")
        table = Table(title=f"Reports written to {out}", title_justify="left")
        for name in ("organisation", "period", "HTML", "PDF", "XLSX"):
            table.add_column(name)
        for f in outcome.files:
            table.add_row(
                f.org,
                str(f.period),
                f.html.name,
                f.pdf.name if f.pdf else "",
                f.xlsx.name if f.xlsx else "",
            )
        console.print(table)
