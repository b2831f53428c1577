"""The open index use cases: frameworks, answer templates, validating, scoring, ranking and
feedback (docs/index.md). Front ends call these and print or render what they return.

Data-bound questions are answered from the organisation's results for the submission's
period: computed from a folder of dataset files, or read from a workspace's stored results
(audited reads), through :func:`ladder.app.results.results`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ladder.app.accounts import User
from ladder.frameworks import (
    Entry,
    FileProblems,
    Framework,
    Problem,
    Question,
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
    from ladder.reports.feedback import write_feedback_pdf

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
        html = _feedback_html(chosen, s, current, entries.get(s.org), found, threshold)
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


def _evidence_files(
    chosen: Framework, subs: Sequence[Submission]
) -> list[tuple[Submission, str, Any]]:
    """The evidence entries of yes/no answers that name a file next to the answer file
    (``evidence: [policy.pdf]``), checked as web uploads are (FileProblems otherwise)."""
    from ladder.app import evidence as evidence_files

    found: list[tuple[Submission, str, Any]] = []
    problems: list[Problem] = []
    questions = chosen.questions()
    for sub in subs:
        folder = Path(sub.source).parent
        for qid, answer in sub.answers.items():
            if questions[qid][1].kind != "yes_no":
                continue
            for entry in answer.evidence:
                path = folder / entry
                if "://" in entry or not path.is_file():
                    continue  # a link, or a name only
                size = path.stat().st_size
                content = b"" if size > evidence_files.MAX_BYTES else path.read_bytes()
                try:
                    if size > evidence_files.MAX_BYTES:
                        raise evidence_files.Refused(
                            f"{path.name}: the file is larger than {evidence_files.MAX_MB} MB"
                        )
                    found.append((sub, qid, evidence_files.check(path.name, content)))
                except evidence_files.Refused as exc:
                    problems.append(Problem(sub.source, None, f"answers.{qid}.evidence",
                                            str(exc)))  # fmt: skip
    if problems:
        raise FileProblems(problems)
    return found


def submit(
    ws: Workspace, name: str, paths: Sequence[Path], *, user: str | None = None
) -> list[Submission]:
    """Store answer files as submissions (all or nothing: FileProblems if any is invalid);
    adjustments in the files are stored as the assessors' adjustments; evidence entries that
    name a file next to the answer file are attached (checked as web uploads; a file already
    attached to the question is not attached twice). Audited."""
    import hashlib

    from ladder.store import evidence as kept_files
    from ladder.store import submissions as kept
    from ladder.store.audit import current_user

    checked = read_answers(name, paths)
    if not checked.ok:
        raise FileProblems(checked.problems)
    attached = _evidence_files(checked.framework, checked.submissions)
    who = current_user(user)
    fw = checked.framework
    with ws.session.begin() as session:
        for sub in checked.submissions:
            kept.save(session, framework=fw.id, version=fw.version,
                      org=sub.org, period=sub.period, document=_document(sub),
                      status="submitted", user=who)  # fmt: skip
        session.flush()
        for sub in checked.submissions:
            for a in sub.adjustments:
                kept.adjust(session, framework=fw.id, org=sub.org,
                            period=sub.period, question=a.question, points=a.points,
                            reason=a.reason, assessor=a.assessor)  # fmt: skip
        for sub, qid, accepted in attached:
            digest = hashlib.sha256(accepted.content).hexdigest()
            there = kept_files.listed(session, fw.id, sub.org, sub.period, qid)
            if any(f.sha256 == digest and f.filename == accepted.filename for f in there):
                continue
            kept_files.add(session, ws.root, framework=fw.id, org=sub.org, period=sub.period,
                           question=qid, filename=accepted.filename,
                           media_type=accepted.media_type, content=accepted.content,
                           user=who)  # fmt: skip
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
    ws: Workspace,
    name: str,
    *,
    period: int | None = None,
    org: str | None = None,
    submitted_only: bool = False,
) -> list[Submission]:
    """The workspace's submissions to ``name`` (with their adjustments); ``submitted_only``:
    without the drafts (what is ranked and published)."""
    from ladder.frameworks.yamlfile import Lines
    from ladder.store import submissions as kept

    chosen = framework(name)
    with ws.session() as session:
        rows = kept.listed(session, chosen.id, period)
    out = []
    for row in rows:
        if org is not None and row.org_code != org:
            continue
        if submitted_only and row.status != "submitted":
            continue
        doc = {**row.document, "adjustments": list(row.adjustments)}
        out.append(answer_files.from_document(doc, Lines({}), f"workspace:{row.org_code}",
                                              chosen))  # fmt: skip
    return out


@dataclass(frozen=True)
class EvidenceUpload:
    """A file attached on the web form to a question (read up to the limit and one byte)."""

    question: str
    filename: str
    content: bytes


FormValue = str | list[str]


def _form_answer(q: Question, raw: FormValue | None) -> Any:
    """A form field as an answer-file value (checkboxes give a list; blank: unanswered)."""
    values = raw if isinstance(raw, list) else [] if raw is None else [raw]
    values = [v.strip() for v in values if v.strip()]
    if q.kind == "multiple_choice":
        return [x.strip() for v in values for x in v.split(",") if x.strip()]
    return values[0] if values else ""


def save_form(
    ws: Workspace,
    name: str,
    *,
    org: str,
    period: int,
    form: Mapping[str, FormValue],
    user: str,
    status: str = "draft",
    uploads: Sequence[EvidenceUpload] = (),
    remove: Sequence[str] = (),
) -> list[Problem]:
    """Save a web form's answers (save and return): ``form`` maps question id to its value
    (multiple choice: the ticked option ids, or one comma-separated string) and
    ``QUESTION.evidence`` to evidence links (one a line); ``uploads`` are files attached to
    yes/no questions, ``remove`` the tokens of attached files to take off (a token that is
    not one of this submission's files: NotFound). Returns the problems, each ``field``
    ``answers.QUESTION`` (nothing is saved when there are any)."""
    from ladder.app import evidence as evidence_files
    from ladder.frameworks.yamlfile import Lines
    from ladder.store import evidence as kept_files
    from ladder.store import submissions as kept

    chosen = framework(name)
    questions = chosen.questions()
    problems: list[Problem] = []
    accepted: list[tuple[str, evidence_files.Accepted]] = []
    for up in uploads:
        found = questions.get(up.question)
        if found is None or found[1].kind != "yes_no":
            problems.append(Problem("form", None, f"answers.{up.question}",
                                    "evidence files go with yes/no questions"))  # fmt: skip
            continue
        try:
            accepted.append((up.question, evidence_files.check(up.filename, up.content)))
        except evidence_files.Refused as exc:
            problems.append(Problem("form", None, f"answers.{up.question}", str(exc)))
    existing = evidence_files.files(ws, chosen.id, org, period)
    tokens = {f.token for fs in existing.values() for f in fs}
    if any(t not in tokens for t in remove):  # e.g. another organisation's file
        from ladder.app.access import NotFound

        raise NotFound("no such evidence file")
    answers: dict[str, Any] = {}
    for _, q in questions.values():
        if q.kind == "data":
            continue
        value = _form_answer(q, form.get(q.id))
        links = form.get(f"{q.id}.evidence", "")
        text = "\n".join(links) if isinstance(links, list) else links
        evidence = [e.strip() for e in text.splitlines() if e.strip()]
        evidence += [f.filename for f in existing.get(q.id, []) if f.token not in remove]
        evidence += [a.filename for qid, a in accepted if qid == q.id]
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
        problems.extend(exc.problems)
    if problems:
        return problems
    with ws.session.begin() as session:
        kept.save(session, framework=chosen.id, version=chosen.version, org=org, period=period,
                  document=_document(sub), status=status, user=user)  # fmt: skip
        for token in remove:
            kept_files.remove(session, ws.root, org, token, user)
        for qid, a in accepted:
            kept_files.add(session, ws.root, framework=chosen.id, org=org, period=period,
                           question=qid, filename=a.filename, media_type=a.media_type,
                           content=a.content, user=user)  # fmt: skip
    return []


def form_errors(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """Each problem of :func:`save_form` as ``{"question", "text"}`` (the question's id, or
    "" for the form as a whole) for the error summary."""
    out = []
    for p in problems:
        field_ = p.field or ""
        qid = field_.split(".", 1)[1].split(".")[0] if field_.startswith("answers.") else ""
        out.append({"question": qid, "text": p.message})
    return out


def workspace_scores(
    ws: Workspace, name: str, *, period: int | None = None, submitted_only: bool = False
) -> list[Score]:
    """Scores of the workspace's submissions, data-bound questions from its stored results
    (organisation-level, suppressed figures only)."""
    chosen = framework(name)
    subs = stored_submissions(ws, name, period=period, submitted_only=submitted_only)
    if not subs:
        return []
    return score_all(chosen, subs, _stored_figures(ws, chosen, subs))


def _stored_figures(
    ws: Workspace, chosen: Framework, subs: Sequence[Submission], *, fair_pay: bool = False
) -> list[Result]:
    """The workspace's stored (organisation-level, protected) results the data-bound
    questions read, and the fair-pay figures with ``fair_pay``."""
    from ladder.app.results import stored_results
    from ladder.metrics import InputError

    ids = {q.indicator for _, q in chosen.questions().values() if q.kind == "data"}
    if fair_pay:
        ids.add("fairpay")
    if not ids:
        return []
    periods = sorted({s.period for s in subs})
    try:
        return stored_results(ws, periods=periods, ids=sorted(ids)).results
    except InputError:
        return []  # no data stored yet: the data-bound questions are not measured


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
    """The public ranking of the workspace's submitted submissions (None when there are none
    or the framework is qualitative): only the top ``top`` (default :func:`published_top`)
    are named; drafts are not ranked."""
    top = published_top() if top is None else top
    chosen = framework(name)
    if not chosen.scored:
        return None
    found = workspace_scores(ws, name, submitted_only=True)
    if not found or (period is not None and not any(s.period == period for s in found)):
        return None
    return public_ranking(rank(found, top=top, period=period))


def _form_value(value: Any) -> str | list[str]:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def review_list(ws: Workspace, user: User, name: str, period: int) -> list[dict[str, Any]]:
    """The submissions to ``name`` for ``period`` that ``user`` reviews (index assessors and
    admins: every organisation's; others: their own): organisation, name, status, score,
    adjustments and evidence files. Organisation-level only."""
    from ladder.app import access
    from ladder.store import evidence as kept_files
    from ladder.store import submissions as kept

    chosen = framework(name)
    allowed = set(access.index_visible(ws, user))
    with ws.session() as session:
        rows = [r for r in kept.listed(session, chosen.id, period) if r.org_code in allowed]
        files = kept_files.counts(session, chosen.id, period)
    scored = {s.org: s for s in workspace_scores(ws, name, period=period)} if rows else {}
    return [
        {
            "org": r.org_code,
            "name": r.document.get("name") or r.org_code,
            "status": r.status,
            "updated_by": r.updated_by,
            "score": None if scored.get(r.org_code) is None else scored[r.org_code].score,
            "adjustments": len(r.adjustments),
            "evidence": files.get(r.org_code, 0),
        }
        for r in rows
    ]


def org_view(ws: Workspace, name: str, *, org: str, period: int) -> dict[str, Any]:
    """An employer's (or its assessor's) view of its submission: the framework, the saved
    answers as form values, the evidence (links and attached files), and the score with each
    question's points, data-bound figures and adjustments (organisation-level figures only:
    never staff-level data)."""
    from ladder.app import evidence as evidence_files

    chosen = framework(name)
    subs = stored_submissions(ws, name, period=period, org=org)
    attached = evidence_files.files(ws, chosen.id, org, period)
    values: dict[str, str | list[str]] = {}
    links: dict[str, str] = {}
    scored = None
    status = None
    if subs:
        for qid, a in subs[0].answers.items():
            values[qid] = _form_value(a.value)
            names = {f.filename for f in attached.get(qid, [])}
            links[qid] = "\n".join(e for e in a.evidence if e not in names)
        (mine,) = score_all(chosen, subs, _stored_figures(ws, chosen, subs))
        scored = mine.to_dict()
        from ladder.store import submissions as kept

        with ws.session() as session:
            row = kept.get(session, chosen.id, org, period)
        status = None if row is None else row.status
    points = {q["id"]: q for s in (scored or {}).get("sections", []) for q in s["questions"]}
    return {
        "framework": chosen.to_dict(),
        "period": period,
        "submitted": bool(subs),
        "status": status,
        "values": values,
        "evidence": links,
        "files": {
            q: [{"token": f.token, "filename": f.filename, "size": f.size} for f in fs]
            for q, fs in attached.items()
        },
        "score": scored,
        "points": points,
        "adjustable": [
            {"id": q.id, "text": q.text, "max_points": q.max_points}
            for _, q in chosen.questions().values()
            if q.max_points > 0
        ],
        "max_mb": evidence_files.MAX_MB,
        "accept": evidence_files.ACCEPT,
    }


# --- Feedback in the web service -------------------------------------------------------


def _feedback_html(
    chosen: Framework,
    mine: Score,
    current: Sequence[Score],
    entry: Entry | None,
    found: Sequence[Result],
    threshold: int,
) -> str:
    from ladder.reports.feedback import render_feedback

    fb = feedback(chosen, mine, current, entry)
    fair = [
        r
        for r in found
        if r.org == mine.org
        and r.period == mine.period
        and r.id.startswith(FAIRPAY_PREFIX)
        and not r.breakdown
    ]
    return render_feedback(fb.to_dict(), fair, threshold=threshold)


def workspace_feedback(
    ws: Workspace, name: str, *, org: str, period: int, threshold: int = 10
) -> str:
    """``org``'s feedback report (HTML) on its submitted submission for ``period``, against
    every submitted entrant of the period and ranked as published (LookupError when it has
    not submitted). Organisation-level figures only."""
    chosen = framework(name)
    subs = stored_submissions(ws, name, submitted_only=True)
    if not any(s.org == org and s.period == period for s in subs):
        raise LookupError(f"{org} has no submitted answers to {chosen.id} for {period}")
    found = _stored_figures(ws, chosen, subs, fair_pay=True)
    all_scores = score_all(chosen, subs, found)
    current = [s for s in all_scores if s.period == period]
    mine = next(s for s in current if s.org == org)
    entry = None
    if chosen.scored:
        ranked = rank(all_scores, top=published_top(), period=period)
        entry = next((e for e in ranked.entries if e.org == org), None)
    return _feedback_html(chosen, mine, current, entry, found, threshold)


def feedback_pdf(html: str) -> bytes:
    """The feedback report as PDF (OSError or ImportError when WeasyPrint cannot run)."""
    import tempfile

    from ladder.reports.feedback import write_feedback_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feedback.pdf"
        write_feedback_pdf(html, path)
        return path.read_bytes()
