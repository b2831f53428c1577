"""``ladder audit disclosure``: a recovery attack on what a publication would contain."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ladder.cli.console import console, fail
from ladder.cli.options import (
    Disclosure,
    DisclosureOption,
    EngineOption,
    SeedOption,
    ThresholdOption,
)
from ladder.cli.validate_cmd import checked_org
from ladder.engines import EngineName
from ladder.metrics.settings import DEFAULT_THRESHOLD


class Changes(StrEnum):
    withhold = "withhold"
    round = "round"


class AuditFormat(StrEnum):
    table = "table"
    json = "json"


def _number(x: float) -> str:
    return "∞" if x == float("inf") else f"{x:,.2f}".removesuffix(".00")


def register(app: typer.Typer) -> None:
    """Add ``audit`` and its ``disclosure`` command."""
    audit_app = typer.Typer(help="Audit what Ladder would publish.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @app.command("publish")
    def publish_cmd(
        data: Annotated[Path, typer.Argument(help="A workspace.")],
        org: Annotated[str, typer.Option(help="The organisation (ODS code).")],
        period: Annotated[int, typer.Option(help="The reporting year.")],
        threshold: ThresholdOption = DEFAULT_THRESHOLD,
        engine: EngineOption = EngineName.polars,
        changes: Annotated[
            Changes,
            typer.Option(
                "--changes",
                help="A figure whose change since the previous publication is 1 to "
                "threshold−1 people: withhold it, or publish it rounded where the audit allows.",
            ),
        ] = Changes.withhold,
        disclosure: DisclosureOption = Disclosure.suppression,
        seed: SeedOption = 0,
    ) -> None:
        """Publish ORG's figures for PERIOD from a workspace: protected (against everything
        published together and against ORG's previous publication), audited, and recorded
        as published. Exit status 1, and nothing recorded, when the audit finds anything."""
        from ladder.app.disclosure import NothingToPublish, PublicationRefused, publish
        from ladder.engines import EngineUnavailable
        from ladder.metrics import InputError
        from ladder.store import StoreError

        try:
            done = publish(
                data,
                org=checked_org(org) or org,
                period=period,
                threshold=threshold,
                engine=engine,
                changes=str(changes),
                disclosure=disclosure.value,
                seed=seed,
            )
        except (
            InputError,
            StoreError,
            EngineUnavailable,
            NothingToPublish,
            PublicationRefused,
        ) as exc:
            fail(str(exc))
        shown = done.results
        withheld = sum(1 for r in shown if r.suppressed)
        if disclosure is Disclosure.cellkey:
            console.print(
                f"Published {org} {period}: {len(shown):,} figures, perturbed by the cell key "
                f"method ({withheld:,} means, medians or gaps over small populations withheld)."
            )
            return
        console.print(
            f"Published {org} {period}: {len(shown):,} figures, {withheld:,} withheld "
            "(disclosure control; the audit recovers none of them)."
        )
        for note in done.notes:
            console.print(f"Note: {note}", highlight=False, soft_wrap=True)

    @audit_app.command("disclosure")
    def disclosure(
        data: Annotated[Path, typer.Argument(help="A workspace, or a folder of dataset files.")],
        org: Annotated[
            list[str] | None,
            typer.Option(
                help="Only this organisation (ODS code). Twice (--org A --org B): the two "
                "publications side by side, through the staff they share."
            ),
        ] = None,
        period: Annotated[
            list[int] | None, typer.Option(help="Only this reporting year (repeatable).")
        ] = None,
        threshold: ThresholdOption = DEFAULT_THRESHOLD,
        engine: EngineOption = EngineName.polars,
        output: Annotated[
            AuditFormat, typer.Option("--format", "-f", help="table or json.")
        ] = AuditFormat.table,
        exhaustive: Annotated[
            bool,
            typer.Option(
                "--exhaustive",
                help="Also bound every value by linear programming (slower, finds more).",
            ),
        ] = False,
    ) -> None:
        """Attack the publication of DATA: every withheld value an attacker can narrow to
        fewer than THRESHOLD possibilities from the published figures, and how.

        Exit status 1 when anything is found (so a publish step can refuse), 0 when not.
        """
        from rich.table import Table

        from ladder.app.disclosure import NothingToPublish, audit_disclosure, audit_overlap
        from ladder.engines import EngineUnavailable
        from ladder.metrics import InputError
        from ladder.store import StoreError

        orgs = [checked_org(o) or o for o in org or []]
        if len(orgs) > 2 or (len(orgs) == 2 and orgs[0] == orgs[1]):
            fail("give one organisation, or two different ones side by side", code=2)
        try:
            if len(orgs) == 2:
                result = audit_overlap(
                    data,
                    orgs,
                    periods=period,
                    threshold=threshold,
                    engine=engine,
                    exhaustive=exhaustive,
                )
            else:
                result = audit_disclosure(
                    data,
                    org=orgs[0] if orgs else None,
                    periods=period,
                    threshold=threshold,
                    engine=engine,
                    exhaustive=exhaustive,
                )
        except (InputError, StoreError, EngineUnavailable, NothingToPublish) as exc:
            fail(str(exc))
        if output is AuditFormat.json:
            typer.echo(json.dumps(result.to_dict(), indent=2))
        else:
            table = Table(
                title=f"Withheld values narrowed below {threshold} "
                f"({len(result.findings)} of {result.withheld}; {len(result.exact)} exact)",
                title_justify="left",
            )
            for name in ("org", "period", "withheld value", "feasible", "withheld in", "from"):
                table.add_column(name)
            for f in result.findings:
                table.add_row(
                    f.org,
                    str(f.period),
                    f.what,
                    _number(f.low) if f.exact else f"{_number(f.low)}–{_number(f.high)}",
                    "; ".join(f.figures[:3]) + (" …" if len(f.figures) > 3 else ""),
                    "; ".join(f.why[:3]) + (" …" if len(f.why) > 3 else ""),
                )
            console.print(table)
            for org_code, year, hidden, figures in result.publications:
                console.print(f"{org_code} {year}: {hidden:,} of {figures:,} figures withheld")
        if result.findings:
            raise typer.Exit(1)
