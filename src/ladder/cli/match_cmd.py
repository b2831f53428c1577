"""``ladder match``: a resident matched, with reasons, to vacancies and entry routes
(docs/matching.md); ``ladder match-fairness``: whether matches differ by group."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ladder.cli.console import console, fail

if TYPE_CHECKING:
    from ladder.matching.rank import Result


class MatchFormat(StrEnum):
    table = "table"
    json = "json"


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--on {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2027-01-15", code=2)


def print_result(result: Result, explain: bool, notes: list[str]) -> None:
    """The matches, the routes for the person's needs, and (asked for) the exclusions."""
    from rich.table import Table

    for note in [*notes, *result.notes]:
        console.print(f"[yellow]Note:[/] {note}")
    console.print(
        f"{result.eligible:,} of {result.considered:,} jobs and routes are open to you; "
        f"the best {len(result.matches)}:"
    )
    table = Table(show_lines=True)
    for head in ("#", "Opening", "Organisation", "Score", "Why"):
        table.add_column(head)
    for i, m in enumerate(result.matches, start=1):
        o = m.opening
        table.add_row(
            str(i), f"{o.title}\n{o.label}", o.org_code, f"{m.score:.3f}", "\n".join(m.reasons)
        )
    console.print(table)
    if result.pointers:
        console.print("Routes for the needs you told us of:")
        for m in result.pointers:
            console.print(f"  {m.opening.title} ({m.opening.org_code}): {'; '.join(m.reasons)}")
    if explain:
        console.print(f"Ruled out ({len(result.excluded):,}):")
        for e in result.excluded:
            o = e.opening
            console.print(f"  {o.title} ({o.org_code} {o.id}): {'; '.join(e.reasons)}")


def register(app: typer.Typer) -> None:
    """Add ``match``, ``match-fairness`` and ``match-reach``."""

    @app.command("match")
    def match(
        data: Annotated[Path, typer.Argument(help="Workspace or folder with vacancies/routes.")],
        person: Annotated[Path, typer.Option("--person", help="The person file (JSON or TOML).")],
        top: Annotated[int, typer.Option("--top", help="How many matches to show.")] = 10,
        explain_excluded: Annotated[
            bool, typer.Option("--explain-excluded", help="Say why each other one is ruled out.")
        ] = False,
        on: Annotated[
            str | None, typer.Option("--on", help="Match as on this day (default today).")
        ] = None,
        output: Annotated[
            MatchFormat, typer.Option("--format", "-f", help="table or json.")
        ] = MatchFormat.table,
    ) -> None:
        """Match one person to the vacancies and entry routes of DATA, with reasons."""
        from ladder.app.careers import match_file
        from ladder.app.errors import UsageError

        try:
            result, notes = match_file(data, person, top=top, today=_day(on))
        except UsageError as exc:
            fail(str(exc), code=2)
        if output is MatchFormat.json:
            doc = result.as_dict(explain_excluded=explain_excluded)
            doc["notes"] = [*notes, *doc["notes"]]
            typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            print_result(result, explain_excluded, notes)

    @app.command("match-fairness")
    def match_fairness(
        data: Annotated[Path, typer.Argument(help="Workspace or folder with vacancies/routes.")],
        people: Annotated[list[Path], typer.Argument(help="Person files with characteristics.")],
        on: Annotated[str | None, typer.Option("--on", help="Match as on this day.")] = None,
    ) -> None:
        """Whether the number and quality of matches differ by group (suppressed JSON)."""
        from ladder.app.careers import batch_fairness
        from ladder.app.errors import UsageError

        try:
            figures = batch_fairness(data, people, today=_day(on))
        except UsageError as exc:
            fail(str(exc), code=2)
        typer.echo(json.dumps([f.to_dict() for f in figures], indent=2, ensure_ascii=False))

    @app.command("match-reach")
    def match_reach(
        workspace: Annotated[Path, typer.Argument(help="The web service's workspace.")],
        org: Annotated[
            str | None, typer.Option("--org", help="Uses shown this organisation's matches.")
        ] = None,
    ) -> None:
        """Whom the careers pages reach (by IMD decile and neighbourhood) and the fairness
        figures, from the counters (JSON; counts under 10 withheld)."""
        from ladder.app.careers import fairness_view, reach_json, reach_of
        from ladder.app.errors import StoreError
        from ladder.app.workspace import open_workspace

        try:
            with open_workspace(workspace) as ws:
                typer.echo(reach_json(reach_of(ws, org), fairness_view(ws)))
        except StoreError as exc:
            fail(str(exc), code=2)
