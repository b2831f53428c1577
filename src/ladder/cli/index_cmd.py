"""``ladder index``: the open index — frameworks, answer templates, validation, scores,
ranks with their stability, the public ranking and each entrant's feedback (docs/index.md).

Thin: every command calls :mod:`ladder.app.index` and prints what it returns; the JSON forms
are documented in docs/index.md.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ladder.cli.console import checked_out_folder, console, err_console, fail


class Format(StrEnum):
    table = "table"
    json = "json"


class StabilityMethod(StrEnum):
    weights = "weights"
    bootstrap = "bootstrap"


FrameworkArg = Annotated[
    str, typer.Argument(help="A shipped framework id (ladder index frameworks) or a YAML file.")
]
AnswersArg = Annotated[
    list[Path], typer.Argument(help="Answer files (YAML, or the XLSX template filled in).")
]
SomeAnswersArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Answer files (YAML or XLSX); optional with --stored."),
]
StoredOption = Annotated[
    Path | None,
    typer.Option(
        "--stored",
        help="A workspace whose kept submissions (ladder index submit, the web form) are "
        "included; also answers the data-bound questions unless --data is given.",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A workspace or folder of dataset files: answers the data-bound questions from "
        "the organisations' measured results.",
    ),
]


def _json(doc: Any) -> None:
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))


def _problems(exc: Exception) -> NoReturn:
    from ladder.frameworks import FileProblems, UnknownFramework

    if isinstance(exc, FileProblems):
        for p in exc.problems:
            err_console.print(str(p), style="red", highlight=False, soft_wrap=True, markup=False)
        fail(f"{len(exc.problems)} problem(s) found", "fix them and run the command again")
    if isinstance(exc, UnknownFramework | ValueError | LookupError):
        fail(str(exc))
    if isinstance(exc, OSError):
        fail(f"cannot read or write a file ({exc})")
    from ladder.metrics import InputError

    if isinstance(exc, InputError):
        fail(str(exc))
    raise exc


def register(app: typer.Typer) -> None:
    """Add the ``index`` command group."""
    index = typer.Typer(
        name="index",
        help="The open index: frameworks, submissions, scores, ranks and feedback.",
        no_args_is_help=True,
    )
    app.add_typer(index)

    @index.command("frameworks")
    def frameworks_(fmt: FormatOption = Format.table) -> None:
        """List the shipped frameworks."""
        from ladder.app.index import frameworks

        found = frameworks()
        if fmt is Format.json:
            _json(found)
            return
        from rich.table import Table

        table = Table(title="Frameworks", title_justify="left")
        for name in ("id", "version", "title", "scoring", "sections", "questions"):
            table.add_column(name)
        for f in found:
            table.add_row(
                f["id"],
                f["version"],
                f["title"],
                f["scoring"],
                str(f["sections"]),
                str(f["questions"]),
            )
        console.print(table)

    @index.command("show")
    def show_(name: FrameworkArg, fmt: FormatOption = Format.table) -> None:
        """Show a framework: sections, weights, questions, options with their points."""
        from ladder.app.index import show

        try:
            doc = show(name)
        except Exception as exc:
            _problems(exc)
        if fmt is Format.json:
            _json(doc)
            return
        console.print(f"[bold]{doc['title']}[/] ({doc['id']} {doc['version']})")
        console.print(doc["label"], highlight=False)
        for s in doc["sections"]:
            console.print(
                f"\n[bold]{s['title']}[/] (weight {s['weight']:g}, {s['max_points']:g} points)"
            )
            for q in s["questions"]:
                console.print(
                    f"  {q['id']} [{q['kind']}] {q['text']}", highlight=False, markup=False
                )
                for o in q.get("options", []):
                    console.print(
                        f"      {o['id']}: {o['text']} ({o['points']:g})", highlight=False
                    )

    @index.command("template")
    def template_(
        name: FrameworkArg,
        out: Annotated[Path, typer.Option("--out", "-o", help="File to write (.yaml or .xlsx).")],
        org: Annotated[str, typer.Option(help="The employer's code to fill in.")] = "ODS",
        period: Annotated[int, typer.Option(help="Year ending 31 March.")] = 2025,
    ) -> None:
        """Write an answer file to fill in (YAML, or XLSX when OUT ends .xlsx)."""
        from ladder.app.index import write_template

        try:
            written = write_template(name, out, org=org, period=period)
        except OSError as exc:
            fail(f"cannot write {out} ({exc.strerror or exc})")
        except Exception as exc:
            _problems(exc)
        console.print(f"Wrote {written}")

    @index.command("validate")
    def validate_(name: FrameworkArg, answers: AnswersArg) -> None:
        """Check answer files against a framework (every problem with file, line, field)."""
        from ladder.app.index import read_answers

        try:
            checked = read_answers(name, answers)
        except Exception as exc:
            _problems(exc)
        for p in checked.problems:
            err_console.print(str(p), highlight=False, soft_wrap=True, markup=False)
        if not checked.ok:
            fail(f"{len(checked.problems)} problem(s) in the answer files")
        for s in checked.submissions:
            console.print(
                f"{s.source}: {s.org} {s.period}: {len(s.answers)} answers, "
                f"{len(s.adjustments)} adjustment(s): valid",
                highlight=False,
            )

    @index.command("score")
    def score_(
        name: FrameworkArg,
        answers: SomeAnswersArg = None,
        data: DataOption = None,
        stored: StoredOption = None,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Score submissions: points, maximum and score per employer and section."""
        from ladder.app.index import scores

        try:
            found = scores(name, answers or [], data=data, stored=stored)
        except Exception as exc:
            _problems(exc)
        if fmt is Format.json:
            _json([s.to_dict() for s in found])
            return
        from rich.table import Table

        for s in found:
            table = Table(title=f"{s.org} {s.period}: {_score_text(s.score)}", title_justify="left")
            for col in ("section", "points", "maximum", "score", "level"):
                table.add_column(col)
            for sec in s.sections:
                table.add_row(
                    sec.title,
                    f"{sec.points:g}",
                    f"{sec.maximum:g}",
                    f"{sec.score:.1f}",
                    sec.level or "",
                )
            console.print(table)

    @index.command("rank")
    def rank_(
        name: FrameworkArg,
        answers: SomeAnswersArg = None,
        data: DataOption = None,
        stored: StoredOption = None,
        top: Annotated[int, typer.Option(help="How many are published by name.")] = 75,
        period: Annotated[int | None, typer.Option(help="Year to rank (default latest).")] = None,
        method: Annotated[
            StabilityMethod, typer.Option(help="Stability: weight perturbation or bootstrap.")
        ] = StabilityMethod.weights,
        draws: Annotated[int, typer.Option(min=10, max=100_000)] = 1000,
        seed: Annotated[int, typer.Option(help="Seed of the stability draws.")] = 0,
        public: Annotated[
            bool,
            typer.Option(
                "--public", help="Publication form: entrants outside the top N are anonymous."
            ),
        ] = False,
        fmt: FormatOption = Format.table,
    ) -> None:
        """Rank entrants (ties share a rank) with the interval of ranks each could take."""
        from ladder.app.index import ranking

        try:
            ranked = ranking(
                name,
                answers or [],
                data=data,
                stored=stored,
                top=top,
                period=period,
                method=method.value,
                draws=draws,
                seed=seed,
            )
        except Exception as exc:
            _problems(exc)
        doc = ranked.to_dict(public=public)
        if fmt is Format.json:
            _json(doc)
            return
        from rich.table import Table

        table = Table(title=f"{ranked.framework} {ranked.period}", title_justify="left")
        for col in ("rank", "stability", "org", "name", "score", "movement", "published"):
            table.add_column(col)
        for e in doc["entries"]:
            table.add_row(
                str(e["rank"]),
                f"{e['rank_low']}–{e['rank_high']}",
                e["org"] or "(anonymous)",
                e["name"] or "",
                f"{e['score']:.2f}",
                "" if e["movement"] is None else f"{e['movement']:+d}",
                "yes" if e["published"] else "no",
            )
        console.print(table)

    @index.command("publish")
    def publish_(
        name: FrameworkArg,
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the public files.")],
        answers: SomeAnswersArg = None,
        data: DataOption = None,
        stored: StoredOption = None,
        top: Annotated[int, typer.Option(help="How many are published by name.")] = 75,
        seed: Annotated[int, typer.Option(help="Seed of the stability draws.")] = 0,
    ) -> None:
        """Write the public ranking (ranking.json and ranking.html): only the top N named."""
        from ladder.app.index import publish

        checked_out_folder(out)
        try:
            written = publish(
                name, answers or [], out, data=data, stored=stored, top=top, seed=seed
            )
        except Exception as exc:
            _problems(exc)
        for path in written:
            console.print(f"Wrote {path}")

    @index.command("submit")
    def submit_(
        workspace: Annotated[Path, typer.Argument(help="The workspace to keep them in.")],
        name: FrameworkArg,
        answers: AnswersArg,
        user: Annotated[str | None, typer.Option(help="Who submits (for the log).")] = None,
    ) -> None:
        """Keep answer files in a workspace as submissions (audited). An evidence entry that
        names a file next to the answer file (PDF, DOCX, XLSX, PNG or JPEG, at most 10 MB,
        checked by its content) is attached to the answer."""
        from ladder.app.index import submit
        from ladder.app.workspace import open_workspace

        try:
            with open_workspace(workspace) as ws:
                kept = submit(ws, name, answers, user=user)
        except Exception as exc:
            _problems(exc)
        for s in kept:
            console.print(f"Kept {s.org} {s.period} ({len(s.answers)} answers)", highlight=False)

    @index.command("adjust")
    def adjust_(
        workspace: Annotated[Path, typer.Argument(help="The workspace holding the submission.")],
        name: FrameworkArg,
        org: Annotated[str, typer.Option(help="The employer.")],
        period: Annotated[int, typer.Option(help="Year ending 31 March.")],
        question: Annotated[str, typer.Option(help="The question's id.")],
        points: Annotated[float, typer.Option(help="The points it should have.")],
        reason: Annotated[str, typer.Option(help="Why (required; kept and logged).")],
        user: Annotated[str | None, typer.Option(help="The assessor (default: you).")] = None,
    ) -> None:
        """Adjust one question's points, with the reason recorded (audited)."""
        from ladder.app.index import adjust
        from ladder.app.workspace import open_workspace
        from ladder.store.audit import current_user

        try:
            with open_workspace(workspace) as ws:
                adjust(
                    ws,
                    name,
                    org=org,
                    period=period,
                    question=question,
                    points=points,
                    reason=reason,
                    assessor=current_user(user),
                )
        except Exception as exc:
            _problems(exc)
        console.print(f"Adjusted {org} {period} {question} to {points:g}", highlight=False)

    @index.command("feedback")
    def feedback_(
        name: FrameworkArg,
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports.")],
        answers: SomeAnswersArg = None,
        data: DataOption = None,
        stored: StoredOption = None,
        org: Annotated[str | None, typer.Option(help="Only this employer's report.")] = None,
        pdf: Annotated[bool, typer.Option("--pdf", help="Also write PDFs.")] = False,
        top: Annotated[int, typer.Option(help="How many are published by name.")] = 75,
        seed: Annotated[int, typer.Option(help="Seed of the stability draws.")] = 0,
    ) -> None:
        """Write each entrant's feedback report (HTML; --pdf for PDF)."""
        from ladder.app.index import write_feedback

        checked_out_folder(out)
        try:
            done = write_feedback(
                name,
                answers or [],
                out,
                data=data,
                stored=stored,
                org=org,
                pdf=pdf,
                top=top,
                seed=seed,
            )
        except Exception as exc:
            _problems(exc)
        for d in done:
            console.print(f"{d.org}: {d.html}" + (f", {d.pdf}" if d.pdf else ""))


def _score_text(value: float | None) -> str:
    return "qualitative (no score)" if value is None else f"{value:.1f} / 100"
