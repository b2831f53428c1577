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
from ladder.store import Workspace

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


def gathered(
    name: str, paths: Sequence[Path], stored: Path | None = None
) -> tuple[Framework, list[Submission]]:
    """The submissions of answer files and, with ``stored``, those kept in that workspace
    (FileProblems when a file is not valid; ValueError when there are none)."""
    checked = read_answers(name, paths)
    if not checked.ok:
        raise FileProblems(checked.problems)
    subs = list(checked.submissions)
    if stored is not None:
        from ladder.app.workspace import open_workspace

        with open_workspace(stored) as ws:
            subs.extend(stored_submissions(ws, name))
    if not subs:
        raise ValueError("no submissions: give answer files or --stored WORKSPACE")
    return checked.framework, subs


def scores(
    name: str,
    paths: Sequence[Path],
    *,
    data: Path | None = None,
    stored: Path | None = None,
    threshold: int = 10,
) -> list[Score]:
    """Score answer files and/or a workspace's submissions (``stored``); data-bound questions
    from ``data`` (default: the ``stored`` workspace)."""
    chosen, subs = gathered(name, paths, stored)
    found = _measured(chosen, subs, data, stored, threshold)
    return score_all(chosen, subs, found)


def _measured(
    chosen: Framework,
    subs: Sequence[Submission],
    data: Path | None,
    stored: Path | None,
    threshold: int,
) -> list[Result]:
    """The figures from ``data``; else from the ``stored`` workspace when it holds data."""
    if data is not None:
        return measured_results(chosen, subs, data, threshold=threshold)
    if stored is None:
        return []
    from ladder.metrics import InputError

    try:
        return measured_results(chosen, subs, stored, threshold=threshold)
    except InputError:
        return []  # the workspace keeps submissions but no data: nothing is measured


def ranking(
    name: str,
    paths: Sequence[Path],
    *,
    data: Path | None = None,
    stored: Path | None = None,
    top: int = 75,
    period: int | None = None,
    method: Method = "weights",
    draws: int = 1000,
    seed: int = 0,
) -> Ranking:
    """Rank the entrants of answer files and/or a workspace's submissions."""
    return rank(
        scores(name, paths, data=data, stored=stored),
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
    stored: Path | None = None,
    org: str | None = None,
    pdf: bool = False,
    top: int = 75,
    seed: int = 0,
    draws: int = 1000,
    threshold: int = 10,
) -> list[FeedbackDone]:
    """Write each entrant's feedback report (or ``org``'s only) to ``out``."""
    from ladder.reports.feedback import render_feedback, write_feedback_pdf

    chosen, subs = gathered(name, paths, stored)
    found = _measured(chosen, subs, data, stored, threshold)
    all_scores = score_all(chosen, subs, found)
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
    stored: Path | None = None,
    top: int = 75,
    seed: int = 0,
    draws: int = 1000,
) -> list[Path]:
    """Write the public ranking: ``ranking.json`` and ``ranking.html`` (entrants outside the
    top ``top`` appear in neither by name)."""
    import json

    from ladder.reports.feedback import render_ranking

    ranked = ranking(name, paths, data=data, stored=stored, top=top, seed=seed, draws=draws)
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


# --- Submissions kept in a workspace ----------------------------------------------------


def _document(sub: Submission) -> dict[str, Any]:
    doc = sub.to_dict()
    doc.pop("adjustments", None)
    return doc


def submit(
    ws: Workspace, name: str, paths: Sequence[Path], *, user: str | None = None
) -> list[Submission]:
    """Store answer files as submissions (all or nothing: FileProblems if any is invalid);
    adjustments in the files are stored as the assessors' adjustments. Audited."""
    from ladder.store import submissions as kept
    from ladder.store.audit import current_user

    checked = read_answers(name, paths)
    if not checked.ok:
        raise FileProblems(checked.problems)
    who = current_user(user)
    with ws.session.begin() as session:
        for sub in checked.submissions:
            kept.save(session, framework=checked.framework.id, version=checked.framework.version,
                      org=sub.org, period=sub.period, document=_document(sub),
                      status="submitted", user=who)  # fmt: skip
        session.flush()
        for sub in checked.submissions:
            for a in sub.adjustments:
                kept.adjust(session, framework=checked.framework.id, org=sub.org,
                            period=sub.period, question=a.question, points=a.points,
                            reason=a.reason, assessor=a.assessor)  # fmt: skip
    return checked.submissions


def adjust(
    ws: Workspace,
    name: str,
    *,
    org: str,
    period: int,
    question: str,
    points: float,
    reason: str,
    assessor: str,
) -> None:
    """An assessor's adjustment of one question's points: only with a reason. Audited."""
    from ladder.store import submissions as kept

    chosen = framework(name)
    found = chosen.questions().get(question)
    if found is None:
        raise ValueError(f"{chosen.id} has no question {question!r}")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason: say why the points change")
    if not 0 <= points <= found[1].max_points:
        raise ValueError(f"points must be from 0 to {found[1].max_points:g} for {question}")
    with ws.session.begin() as session:
        kept.adjust(session, framework=chosen.id, org=org.strip().upper(), period=period,
                    question=question, points=points, reason=reason.strip(),
                    assessor=assessor)  # fmt: skip


def stored_submissions(
    ws: Workspace, name: str, *, period: int | None = None, org: str | None = None
) -> list[Submission]:
    """The workspace's submissions to ``name`` (with their adjustments)."""
    from ladder.frameworks.yamlfile import Lines
    from ladder.store import submissions as kept

    chosen = framework(name)
    with ws.session() as session:
        rows = kept.listed(session, chosen.id, period)
    out = []
    for row in rows:
        if org is not None and row.org_code != org:
            continue
        doc = {**row.document, "adjustments": list(row.adjustments)}
        out.append(answer_files.from_document(doc, Lines({}), f"workspace:{row.org_code}",
                                              chosen))  # fmt: skip
    return out


def save_form(
    ws: Workspace,
    name: str,
    *,
    org: str,
    period: int,
    form: dict[str, str],
    user: str,
    status: str = "draft",
) -> list[Problem]:
    """Save a web form's answers (save and return): ``form`` maps question id to its value
    (multiple choice: comma-separated ids) and ``QUESTION.evidence`` to evidence names or
    links (one a line). Returns the problems (nothing is saved when there are any)."""
    from ladder.frameworks.yamlfile import Lines
    from ladder.store import submissions as kept

    chosen = framework(name)
    answers: dict[str, Any] = {}
    for _, q in chosen.questions().values():
        if q.kind == "data":
            continue
        value: Any = form.get(q.id, "").strip()
        evidence = [e.strip() for e in form.get(f"{q.id}.evidence", "").splitlines() if e.strip()]
        if q.kind == "multiple_choice" and value:
            value = [v.strip() for v in value.split(",") if v.strip()]
        if value or evidence:
            answers[q.id] = {"answer": value or None, "evidence": evidence} if evidence else value
    previous = stored_submissions(ws, name, period=period, org=org)
    doc = {
        "framework": chosen.id,
        "org": org,
        "period": period,
        "name": previous[0].name if previous else "",
        "sector": previous[0].sector if previous else "nhs_trust",
        "answers": answers,
    }
    try:
        sub = answer_files.from_document(doc, Lines({}), "form", chosen)
    except FileProblems as exc:
        return exc.problems
    with ws.session.begin() as session:
        kept.save(session, framework=chosen.id, version=chosen.version, org=org, period=period,
                  document=_document(sub), status=status, user=user)  # fmt: skip
    return []


def workspace_scores(ws: Workspace, name: str, *, period: int | None = None) -> list[Score]:
    """Scores of the workspace's submissions, data-bound questions from its stored results
    (organisation-level, suppressed figures only)."""
    from ladder.app.results import stored_results

    chosen = framework(name)
    subs = stored_submissions(ws, name, period=period)
    if not subs:
        return []
    ids = sorted({q.indicator for _, q in chosen.questions().values() if q.kind == "data"})
    found: list[Result] = []
    if ids:
        from ladder.metrics import InputError

        periods = sorted({s.period for s in subs})
        try:
            found = stored_results(ws, periods=periods, ids=ids).results
        except InputError:
            found = []  # no data stored yet: the data-bound questions are not measured
    return score_all(chosen, subs, found)


# --- What the web pages show ------------------------------------------------------------

DEFAULT_FRAMEWORK = "social_mobility_employer"
DEFAULT_TOP = 75
TOP_ENV = "LADDER_INDEX_TOP"


def published_top() -> int:
    """How many entrants the service names: $LADDER_INDEX_TOP, else 75 (the index body's
    choice, never a visitor's)."""
    import os

    value = os.environ.get(TOP_ENV, "").strip()
    return int(value) if value.isdigit() else DEFAULT_TOP


def workspace_ranking(
    ws: Workspace, name: str, *, period: int | None = None, top: int | None = None
) -> dict[str, Any] | None:
    """The public ranking of the workspace's submissions (None when there are none or the
    framework is qualitative): only the top ``top`` (default :func:`published_top`) are
    named."""
    top = published_top() if top is None else top
    chosen = framework(name)
    if not chosen.scored:
        return None
    found = workspace_scores(ws, name)
    if not found:
        return None
    return public_ranking(rank(found, top=top, period=period))


def _form_value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def org_view(ws: Workspace, name: str, *, org: str, period: int) -> dict[str, Any]:
    """An employer's (or its assessor's) view of its submission: the framework, the saved
    answers as form values, and the score with each question's points (organisation-level
    figures only: never staff-level data)."""
    chosen = framework(name)
    subs = stored_submissions(ws, name, period=period, org=org)
    values: dict[str, str] = {}
    evidence: dict[str, str] = {}
    scored = None
    if subs:
        for qid, a in subs[0].answers.items():
            values[qid] = _form_value(a.value)
            evidence[qid] = "\n".join(a.evidence)
        every = workspace_scores(ws, name, period=period)
        mine = next((s for s in every if s.org == org), None)
        scored = None if mine is None else mine.to_dict()
    points = {q["id"]: q for s in (scored or {}).get("sections", []) for q in s["questions"]}
    return {
        "framework": chosen.to_dict(),
        "period": period,
        "submitted": bool(subs),
        "values": values,
        "evidence": evidence,
        "score": scored,
        "points": points,
    }
