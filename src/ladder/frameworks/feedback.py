"""Feedback for one entrant: each section against the median and the top quartile of all
entrants, the strongest and weakest areas, recommendations from the framework's higher
maturity levels and the questions that lost points, and the measured figures used.
For a qualitative framework: strengths (what was mapped to each goal) and gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ladder.frameworks.model import Framework
from ladder.frameworks.ranking import Entry
from ladder.frameworks.scoring import Score


@dataclass(frozen=True)
class SectionFeedback:
    id: str
    title: str
    score: float | None
    median: float | None
    top_quartile: float | None
    level: str | None
    next_level: str | None
    actions: tuple[str, ...]
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    framework: Framework
    score: Score
    entrants: int
    entry: Entry | None
    sections: tuple[SectionFeedback, ...]
    strongest: tuple[str, ...]
    weakest: tuple[str, ...]
    measured: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework.id,
            "version": self.framework.version,
            "label": self.framework.label,
            "org": self.score.org,
            "name": self.score.name,
            "period": self.score.period,
            "score": None if self.score.score is None else round(self.score.score, 2),
            "rank": None if self.entry is None else self.entry.rank,
            "rank_low": None if self.entry is None else self.entry.rank_low,
            "rank_high": None if self.entry is None else self.entry.rank_high,
            "entrants": self.entrants,
            "strongest": list(self.strongest),
            "weakest": list(self.weakest),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "score": s.score,
                    "median": s.median,
                    "top_quartile": s.top_quartile,
                    "level": s.level,
                    "next_level": s.next_level,
                    "actions": list(s.actions),
                    "strengths": list(s.strengths),
                    "gaps": list(s.gaps),
                }
                for s in self.sections
            ],
            "measured": list(self.measured),
            "adjustments": self.adjustments(),
        }

    def adjustments(self) -> list[dict[str, Any]]:
        """Every question whose points an assessor changed, with the reason given."""
        questions = self.framework.questions()
        return [
            {
                "question": q.id,
                "text": questions[q.id][1].text,
                "section": s.title,
                "points": q.points,
                "from": q.adjusted_from,
                "maximum": q.maximum,
                "reason": q.reason,
                "assessor": q.assessor,
            }
            for s in self.score.sections
            for q in s.questions
            if q.adjusted_from is not None
        ]


def _gap(text: str, recommendation: str, note: str) -> str:
    """What to do about a question that lost points."""
    if note.startswith("evidence required"):
        return f"Attach the evidence for: {text}"
    return recommendation or f"Improve your answer to: {text}"


def _r(x: float) -> float:
    return round(float(x), 1)


def feedback(
    framework: Framework,
    score: Score,
    entrants: Sequence[Score],
    entry: Entry | None = None,
) -> Feedback:
    """The feedback of ``score`` against every entrant of the same period (``entrants``)."""
    peers = [s for s in entrants if s.period == score.period] or [score]
    sections = []
    for i, (defn, mine) in enumerate(zip(framework.sections, score.sections, strict=True)):
        questions = {q.id: q for q in defn.questions}
        strengths = tuple(
            questions[q.id].text + (f": {q.value}" if q.kind == "free_text" else "")
            for q in mine.questions
            if q.answered and (q.points > 0 or (not framework.scored and q.value))
        )
        gaps = tuple(
            _gap(questions[q.id].text, questions[q.id].recommendation, q.note)
            for q in mine.questions
            if (q.points < q.maximum) or (not framework.scored and not q.value)
        )
        median: float | None = None
        top: float | None = None
        own: float | None = None
        if framework.scored and mine.maximum > 0:
            values = np.array([p.sections[i].score for p in peers])
            median, top = _r(np.median(values)), _r(np.quantile(values, 0.75))
            own = _r(mine.score)
        reached = [lv.level for lv in defn.levels if own is not None and own >= lv.min_score]
        above = [lv for lv in defn.levels if lv.level not in reached]
        nxt = above[0] if above else None
        sections.append(
            SectionFeedback(
                defn.id,
                defn.title,
                own,
                median,
                top,
                framework.level_title(reached[-1]) if reached else None,
                framework.level_title(nxt.level) if nxt else None,
                nxt.actions if nxt else (),
                strengths,
                gaps,
            )
        )
    ranked = sorted((s for s in sections if s.score is not None), key=lambda s: s.score or 0.0)
    weakest = tuple(s.title for s in ranked[:2])
    strongest = tuple(s.title for s in reversed(ranked[-2:])) if len(ranked) > 2 else ()
    measured = tuple(
        {
            "question": q.id,
            "text": framework.questions()[q.id][1].measured or framework.questions()[q.id][1].text,
            "indicator": framework.questions()[q.id][1].indicator,
            "value": q.value,
            "note": q.note,
        }
        for s in score.sections
        for q in s.questions
        if q.kind == "data"
    )
    return Feedback(
        framework, score, len(peers), entry, tuple(sections), strongest, weakest, measured
    )
