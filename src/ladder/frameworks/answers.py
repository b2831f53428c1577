"""Submissions: an employer's answers to a framework for a period, with evidence and any
assessor's adjustments, read from an answer file (YAML, or the XLSX template) and checked
against the framework. Every problem names the file, line (or sheet row) and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ladder.frameworks.catalogue import schema_problems
from ladder.frameworks.model import Framework, Question
from ladder.frameworks.yamlfile import FileProblems, Lines, Problem, field_name, load

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})


@dataclass(frozen=True)
class Answer:
    """One answer: option id(s), number, yes/no or text, and its evidence (names or links)."""

    value: Any
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Adjustment:
    """An assessor's change to a question's points; never without a reason."""

    question: str
    points: float
    reason: str
    assessor: str


@dataclass(frozen=True)
class Submission:
    framework: str
    org: str
    period: int
    answers: dict[str, Answer]
    name: str = ""
    sector: str = ""
    framework_version: str = ""
    adjustments: tuple[Adjustment, ...] = ()
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The answer-file form (YAML or JSON)."""
        doc: dict[str, Any] = {
            "framework": self.framework,
            "framework_version": self.framework_version,
            "org": self.org,
            "name": self.name,
            "sector": self.sector,
            "period": self.period,
            "answers": {
                qid: ({"answer": a.value, "evidence": list(a.evidence)} if a.evidence else a.value)
                for qid, a in self.answers.items()
            },
        }
        if self.adjustments:
            doc["adjustments"] = [
                {
                    "question": a.question,
                    "points": a.points,
                    "reason": a.reason,
                    "assessor": a.assessor,
                }
                for a in self.adjustments
            ]
        return doc


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in YES else False if text in NO else None


def _check_answer(q: Question, value: Any) -> tuple[Any, str | None]:
    """The answer in canonical form, or a message saying what is wrong."""
    if q.kind == "data":
        return None, (
            "this question is answered from the organisation's measured data "
            f"({q.indicator}): remove it from the answer file"
        )
    if value is None or value == "" or value == []:
        return None, None
    ids = [o.id for o in q.options]
    if q.kind == "single_choice":
        if str(value) not in ids:
            return None, f"{value!r} is not an option: use one of {', '.join(ids)}"
        return str(value), None
    if q.kind == "multiple_choice":
        chosen = [
            str(v).strip() for v in (value if isinstance(value, list) else str(value).split(","))
        ]
        bad = [v for v in chosen if v not in ids]
        if bad:
            return None, f"{', '.join(map(repr, bad))} not an option: use any of {', '.join(ids)}"
        return sorted(set(chosen), key=ids.index), None
    if q.kind == "numeric":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f"{value!r} is not a number"
        if not math.isfinite(number) or isinstance(value, bool):
            return None, f"{value!r} is not a number"
        return number, None
    if q.kind == "yes_no":
        answer = _yes_no(value)
        if answer is None:
            return None, f"{value!r} is not yes or no"
        return answer, None
    return str(value), None


def _problem(file: str, lines: Lines, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(file, lines.of(path), field_name(path), message)


def from_document(data: Any, lines: Lines, file: str, framework: Framework) -> Submission:
    """The submission in a parsed answer document (FileProblems lists every mistake)."""
    problems = schema_problems(data, lines, file, "answers")
    if problems:
        raise FileProblems(problems)
    if data["framework"] != framework.id:
        raise FileProblems(
            [
                _problem(
                    file,
                    lines,
                    ("framework",),
                    f"answers are for {data['framework']!r}, not {framework.id!r}",
                )
            ]
        )
    questions = framework.questions()
    answers: dict[str, Answer] = {}
    for qid, raw in (data.get("answers") or {}).items():
        path: tuple[str | int, ...] = ("answers", qid)
        if qid not in questions:
            problems.append(
                _problem(
                    file,
                    lines,
                    path,
                    "no such question in the framework (ladder index show lists them)",
                )
            )
            continue
        q = questions[qid][1]
        value, evidence = raw, ()
        if isinstance(raw, dict):
            value, evidence = raw.get("answer"), tuple(raw.get("evidence", ()))
        canonical, message = _check_answer(q, value)
        if message is not None:
            problems.append(_problem(file, lines, path, message))
            continue
        if canonical is None and not evidence:
            continue  # unanswered: sections and questions are optional
        answers[qid] = Answer(canonical, evidence)
    adjustments: list[Adjustment] = []
    for i, adj in enumerate(data.get("adjustments") or ()):
        path = ("adjustments", i)
        if adj["question"] not in questions:
            problems.append(_problem(file, lines, (*path, "question"), "no such question"))
            continue
        top = questions[adj["question"]][1].max_points
        if adj["points"] > top:
            problems.append(
                _problem(
                    file, lines, (*path, "points"), f"more than the question's maximum ({top:g})"
                )
            )
            continue
        adjustments.append(
            Adjustment(
                adj["question"], float(adj["points"]), adj["reason"].strip(), adj["assessor"]
            )
        )
    if problems:
        raise FileProblems(problems)
    return Submission(
        framework=framework.id,
        framework_version=str(data.get("framework_version", framework.version)),
        org=str(data["org"]),
        name=str(data.get("name") or ""),
        sector=str(data.get("sector") or ""),
        period=int(data["period"]),
        answers=answers,
        adjustments=tuple(adjustments),
        source=file,
    )


def read(path: Path, framework: Framework) -> Submission:
    """The submission in an answer file: YAML, or the XLSX template filled in."""
    if path.suffix.lower() == ".xlsx":
        from ladder.frameworks.workbook import read_workbook

        data, lines = read_workbook(path)
    else:
        data, lines = load(path)
    return from_document(data, lines, str(path), framework)


def template(framework: Framework, org: str = "ODS", period: int = 2025) -> str:
    """A YAML answer file to fill in: every question with its options as comments."""
    out = [
        f"# Answers to {framework.title} ({framework.id} {framework.version})",
        f"# {framework.label}",
        "# Sections and questions are optional: leave an answer blank to skip it.",
        "# Evidence: write  QUESTION: {answer: ..., evidence: [file name or link, ...]}",
        f"framework: {framework.id}",
        f'framework_version: "{framework.version}"',
        f"org: {org}",
        "name: ",
        "sector: nhs_trust",
        f"period: {period}",
        "answers:",
    ]
    for section in framework.sections:
        out.append(f"  # --- {section.title} ---")
        for q in section.questions:
            out.append(f"  # {q.text}")
            if q.kind == "data":
                out.append(f"  #   measured from your data ({q.indicator}): nothing to answer")
                continue
            if q.options:
                for o in q.options:
                    out.append(f"  #   {o.id}: {o.text} ({o.points:g} points)")
                if q.kind == "multiple_choice":
                    out.append("  #   (a list: [a, b])")
            elif q.kind == "numeric":
                out.append(f"  #   a number{f' ({q.unit})' if q.unit else ''}")
            elif q.kind == "yes_no":
                note = "; evidence required" if q.evidence_required else ""
                out.append(f"  #   yes or no{note}")
            if q.kind == "yes_no" and q.evidence_required:
                out.append(f"  {q.id}: {{answer: , evidence: []}}")
            else:
                out.append(f"  {q.id}: ")
    return "\n".join(out) + "\n"
