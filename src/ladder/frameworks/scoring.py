"""Transparent scoring: each question's points, each section's points out of its maximum,
section scores (0-100) and the total (the weighted mean of section scores).

- single choice: the chosen option's points; multiple choice: the chosen options' points
  summed, capped at the question's ``max_points``;
- numeric and data-bound: the points of the band holding the value (``min`` inclusive,
  ``max`` exclusive); a data-bound question takes the organisation's measured figure
  (:func:`measured`); a figure that is missing or suppressed earns nothing;
- yes/no: ``points`` for yes (with evidence when ``evidence_required``), else 0;
- free text: 0 unless an assessor awards points;
- an assessor's adjustment replaces a question's points (with its reason kept);
- an unanswered question earns 0 (sections are optional, but count in the total).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ladder.frameworks.answers import Submission
from ladder.frameworks.model import Framework, Question, Section
from ladder.metrics.results import Result


@dataclass(frozen=True)
class Measured:
    """The figure a data-bound question reads (None: not available or suppressed)."""

    value: float | None
    indicator: str
    note: str = ""
    denominator: float | None = None


@dataclass(frozen=True)
class QuestionScore:
    id: str
    kind: str
    points: float
    maximum: float
    answered: bool
    value: Any = None
    evidence: tuple[str, ...] = ()
    note: str = ""
    adjusted_from: float | None = None
    reason: str = ""
    assessor: str = ""

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "points": self.points,
            "maximum": self.maximum,
            "answered": self.answered,
            "value": self.value,
            "evidence": list(self.evidence),
        }
        if self.note:
            doc["note"] = self.note
        if self.adjusted_from is not None:
            doc["adjustment"] = {
                "from": self.adjusted_from,
                "reason": self.reason,
                "assessor": self.assessor,
            }
        return doc


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    weight: float
    points: float
    maximum: float
    questions: tuple[QuestionScore, ...]
    level: str | None = None

    @property
    def score(self) -> float:
        """Points as a percentage of the maximum (0 when nothing can be earned)."""
        return 100.0 * self.points / self.maximum if self.maximum > 0 else 0.0

    @property
    def answered(self) -> bool:
        return any(q.answered for q in self.questions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "points": self.points,
            "maximum": self.maximum,
            "score": round(self.score, 2),
            "level": self.level,
            "answered": self.answered,
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True)
class Score:
    framework: str
    version: str
    org: str
    name: str
    sector: str
    period: int
    sections: tuple[SectionScore, ...]
    scored: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float | None:
        """Weighted mean of the section scores (0-100); None for a qualitative framework."""
        if not self.scored:
            return None
        weights = [s.weight for s in self.sections if s.maximum > 0]
        if not weights:
            return 0.0
        total = sum(s.weight * s.score for s in self.sections if s.maximum > 0)
        return total / sum(weights)

    def to_dict(self) -> dict[str, Any]:
        score = self.score
        return {
            "org": self.org,
            "name": self.name,
            "sector": self.sector,
            "period": self.period,
            "framework": self.framework,
            "version": self.version,
            "score": None if score is None else round(score, 2),
            "points": sum(s.points for s in self.sections),
            "maximum": sum(s.maximum for s in self.sections),
            "sections": [s.to_dict() for s in self.sections],
        }


def _matches(q: Question, r: Result, org: str, period: int) -> bool:
    return (
        r.id == q.indicator
        and r.org == org
        and r.period == period
        and (q.group is None or r.group == q.group)
        and r.breakdown == q.breakdown
    )


def measured(
    framework: Framework, results: Iterable[Result], org: str, period: int
) -> dict[str, Measured]:
    """The figure of every data-bound question for ``org`` and ``period``."""
    pool = [r for r in results if r.org == org and r.period == period]
    out: dict[str, Measured] = {}
    for section in framework.sections:
        for q in section.questions:
            if q.kind != "data":
                continue
            hit = next((r for r in pool if _matches(q, r, org, period)), None)
            if hit is None:
                out[q.id] = Measured(None, q.indicator, "not measured: no data for the period")
            elif hit.suppressed or hit.value is None:
                out[q.id] = Measured(None, q.indicator, "withheld")
            else:
                out[q.id] = Measured(hit.value, q.indicator, "", hit.denominator)
    return out


def _question(q: Question, sub: Submission, data: dict[str, Measured]) -> QuestionScore:
    top = q.max_points
    if q.kind == "data":
        m = data.get(q.id)
        if m is None or m.value is None:
            note = m.note if m is not None else "not measured: no data given (--data)"
            return QuestionScore(q.id, q.kind, 0.0, top, False, None, note=note)
        return QuestionScore(q.id, q.kind, q.band_points(m.value), top, True, m.value)
    answer = sub.answers.get(q.id)
    if answer is None or answer.value is None:
        evidence = answer.evidence if answer is not None else ()
        return QuestionScore(q.id, q.kind, 0.0, top, False, None, evidence)
    value, evidence, note = answer.value, answer.evidence, ""
    if q.kind == "single_choice":
        option = q.option(value)
        points = option.points if option is not None else 0.0
    elif q.kind == "multiple_choice":
        points = min(top, sum(o.points for o in q.options if o.id in value))
    elif q.kind == "numeric":
        points = q.band_points(float(value))
    elif q.kind == "yes_no":
        points = q.points if value else 0.0
        if value and q.evidence_required and not evidence:
            points, note = 0.0, "evidence required: none attached"
    else:
        points = 0.0  # free text: for the assessor
    return QuestionScore(q.id, q.kind, points, top, True, value, evidence, note)


def _level(section: Section, score: float) -> str | None:
    reached = [lv.level for lv in section.levels if score >= lv.min_score]
    return reached[-1] if reached else None


def score(
    framework: Framework, submission: Submission, data: dict[str, Measured] | None = None
) -> Score:
    """Score one submission (``data``: the data-bound questions' figures)."""
    data = data or {}
    adjustments = {a.question: a for a in submission.adjustments}
    sections: list[SectionScore] = []
    for section in framework.sections:
        questions = []
        for q in section.questions:
            qs = _question(q, submission, data)
            adj = adjustments.get(q.id)
            if adj is not None:
                qs = QuestionScore(
                    qs.id,
                    qs.kind,
                    adj.points,
                    qs.maximum,
                    qs.answered,
                    qs.value,
                    qs.evidence,
                    qs.note,
                    qs.points,
                    adj.reason,
                    adj.assessor,
                )
            questions.append(qs)
        points = sum(q.points for q in questions)
        top = section.max_points
        s = SectionScore(section.id, section.title, section.weight, points, top, tuple(questions))
        sections.append(
            SectionScore(
                s.id, s.title, s.weight, points, top, s.questions, _level(section, s.score)
            )
        )
    return Score(
        framework.id,
        framework.version,
        submission.org,
        submission.name,
        submission.sector,
        submission.period,
        tuple(sections),
        scored=framework.scored,
    )
