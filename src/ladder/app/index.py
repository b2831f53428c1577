"""The open index use cases: frameworks, answer templates, validating, scoring, ranking and
feedback (docs/index.md). Front ends call these and print or render what they return.

Data-bound questions are answered from the organisation's results for the submission's
period: computed from a folder of dataset files, or read from a workspace's stored results
(audited reads), through :func:`ladder.app.results.results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ladder.frameworks import (
    FileProblems,
    Framework,
    Problem,
    Ranking,
    Score,
    Submission,
    feedback,
    framework,
    measured,
    rank,
    score,
    shipped,
)
from ladder.frameworks import answers as answer_files
from ladder.frameworks.ranking import Method
from ladder.metrics import Result, Settings

FAIRPAY_PREFIX = "fairpay."


def frameworks() -> list[dict[str, Any]]:
    """The shipped frameworks (id, version, title, label, scoring, sections)."""
    return [
        {
            "id": f.id,
            "version": f.version,
            "title": f.title,
            "scoring": f.scoring,
            "sections": len(f.sections),
            "questions": len(f.questions()),
            "label": f.label,
        }
        for f in shipped()
    ]


def show(name: str) -> dict[str, Any]:
    """The documented JSON form of a framework."""
    return framework(name).to_dict()


def write_template(name: str, out: Path, *, org: str = "ODS", period: int = 2025) -> Path:
    """Write the answer template of ``name``: XLSX when ``out`` ends .xlsx, else YAML."""
    chosen = framework(name)
    if out.suffix.lower() == ".xlsx":
        from ladder.frameworks.workbook import write_template as write_xlsx

        write_xlsx(chosen, out, org=org, period=period)
    else:
        out.write_text(answer_files.template(chosen, org=org, period=period), encoding="utf-8")
    return out


@dataclass
class Checked:
    """Answer files read: the submissions, and the problems of those that could not be."""

    framework: Framework
    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_answers(name: str, paths: Sequence[Path]) -> Checked:
    """Read and check every answer file (all problems of all files are collected)."""
    checked = Checked(framework(name))
    for path in paths:
        try:
            checked.submissions.append(answer_files.read(path, checked.framework))
        except FileProblems as exc:
            checked.problems.extend(exc.problems)
    return checked


def measured_results(
    chosen: Framework, submissions: Sequence[Submission], data: Path, *, threshold: int = 10
) -> list[Result]:
    """The results the data-bound questions (and the fair-pay figures) read, for the
    submissions' organisations and periods."""
    from ladder.app.results import results

    ids = {q.indicator for _, q in chosen.questions().values() if q.kind == "data"}
    ids.add("fairpay")
    periods = sorted({s.period for s in submissions})
    orgs = {s.org for s in submissions}
    outcome = results(
        data, periods=periods, ids=sorted(ids), settings=Settings(threshold=threshold)
    )
    return [r for r in outcome.results if r.org in orgs]


def score_all(
    chosen: Framework, submissions: Sequence[Submission], found: Sequence[Result] = ()
) -> list[Score]:
    """Score every submission, data-bound questions from ``found``."""
    return [score(chosen, s, measured(chosen, found, s.org, s.period)) for s in submissions]


def scores(
    name: str, paths: Sequence[Path], *, data: Path | None = None, threshold: int = 10
) -> list[Score]:
    """Score answer files (FileProblems when any is not valid)."""
    checked = read_answers(name, paths)
    if not checked.ok:
        raise FileProblems(checked.problems)
    found = (
        measured_results(checked.framework, checked.submissions, data, threshold=threshold)
        if data is not None
        else []
    )
    return score_all(checked.framework, checked.submissions, found)


def ranking(
    name: str,
    paths: Sequence[Path],
    *,
    data: Path | None = None,
    top: int = 75,
    period: int | None = None,
    method: Method = "weights",
    draws: int = 1000,
    seed: int = 0,
) -> Ranking:
    """Rank the entrants of answer files."""
    return rank(
        scores(name, paths, data=data),
        top=top,
        period=period,
        method=method,
        draws=draws,
        seed=seed,
    )


@dataclass
class FeedbackDone:
    org: str
    html: Path
    pdf: Path | None = None


def write_feedback(
    name: str,
    paths: Sequence[Path],
    out: Path,
    *,
    data: Path | None = None,
    org: str | None = None,
    pdf: bool = False,
    top: int = 75,
    seed: int = 0,
    draws: int = 1000,
    threshold: int = 10,
) -> list[FeedbackDone]:
    """Write each entrant's feedback report (or ``org``'s only) to ``out``."""
    from ladder.reports.feedback import render_feedback, write_feedback_pdf

    checked = read_answers(name, paths)
    if not checked.ok:
        raise FileProblems(checked.problems)
    chosen = checked.framework
    found = measured_results(chosen, checked.submissions, data, threshold=threshold) if data else []
    all_scores = score_all(chosen, checked.submissions, found)
    latest = max(s.period for s in all_scores)
    current = [s for s in all_scores if s.period == latest]
    entries = {}
    if chosen.scored:
        ranked = rank(all_scores, top=top, period=latest, seed=seed, draws=draws)
        entries = {e.org: e for e in ranked.entries}
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for s in current:
        if org is not None and s.org != org:
            continue
        fb = feedback(chosen, s, current, entries.get(s.org))
        fair = [
            r
            for r in found
            if r.org == s.org
            and r.period == s.period
            and r.id.startswith(FAIRPAY_PREFIX)
            and not r.breakdown
        ]
        html = render_feedback(fb.to_dict(), fair, threshold=threshold)
        path = out / f"feedback-{chosen.id}-{s.org}-{s.period}.html"
        path.write_text(html, encoding="utf-8")
        pdf_path = None
        if pdf:
            pdf_path = path.with_suffix(".pdf")
            write_feedback_pdf(html, pdf_path)
        done.append(FeedbackDone(s.org, path, pdf_path))
    return done


def publish(
    name: str,
    paths: Sequence[Path],
    out: Path,
    *,
    data: Path | None = None,
    top: int = 75,
    seed: int = 0,
    draws: int = 1000,
) -> list[Path]:
    """Write the public ranking: ``ranking.json`` and ``ranking.html`` (entrants outside the
    top ``top`` appear in neither by name)."""
    import json

    from ladder.reports.feedback import render_ranking

    ranked = ranking(name, paths, data=data, top=top, seed=seed, draws=draws)
    doc = public_ranking(ranked)
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "ranking.json", out / "ranking.html"
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path.write_text(render_ranking(doc), encoding="utf-8")
    return [json_path, html_path]


def public_ranking(ranked: Ranking) -> dict[str, Any]:
    """The publication form of a ranking (anonymous outside the top N)."""
    return ranked.to_dict(public=True)


def ranking_page_body(doc: dict[str, Any]) -> str:
    """The ranking table as an HTML fragment (for the web service's public page)."""
    import jinja2

    from ladder.reports.html import period_label

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ladder.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("ranking_body.html.j2").render(
        doc=doc, period_label=period_label(int(doc["period"]))
    )
