"""A framework definition: sections with weights, questions with points, maturity levels.

Built from a YAML file already checked against ``schema/framework.schema.json``
(:mod:`ladder.frameworks.catalogue`); the dataclasses are frozen, so a framework read once
can be shared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["single_choice", "multiple_choice", "numeric", "yes_no", "free_text", "data"]
KINDS: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "numeric",
    "yes_no",
    "free_text",
    "data",
)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    points: float


@dataclass(frozen=True)
class Band:
    """Values from ``min`` (inclusive) to ``max`` (exclusive) earn ``points``."""

    points: float
    min: float | None = None
    max: float | None = None

    def holds(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: Kind
    help: str = ""
    recommendation: str = ""
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: str = ""
    points: float = 0.0
    max_points_: float | None = None
    evidence_required: bool = False
    indicator: str = ""
    group: str | None = None
    breakdown: dict[str, str] = field(default_factory=dict)
    measured: str = ""

    @property
    def max_points(self) -> float:
        """The most the question can earn."""
        if self.kind == "single_choice":
            return max(o.points for o in self.options)
        if self.kind == "multiple_choice":
            total = sum(o.points for o in self.options if o.points > 0)
            return total if self.max_points_ is None else min(total, self.max_points_)
        if self.kind in ("numeric", "data"):
            return max(b.points for b in self.bands)
        if self.kind == "yes_no":
            return self.points
        return self.max_points_ or 0.0  # free text: only an assessor awards points

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def band_points(self, value: float) -> float:
        if not math.isfinite(value):
            return 0.0
        return next((b.points for b in self.bands if b.holds(value)), 0.0)

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"id": self.id, "kind": self.kind, "text": self.text}
        if self.options:
            doc["options"] = [
                {"id": o.id, "text": o.text, "points": o.points} for o in self.options
            ]
        if self.bands:
            doc["bands"] = [{"min": b.min, "max": b.max, "points": b.points} for b in self.bands]
        if self.kind == "yes_no":
            doc["evidence_required"] = self.evidence_required
        if self.kind == "data":
            doc["indicator"] = self.indicator
            doc["group"] = self.group
            doc["breakdown"] = dict(self.breakdown)
        if self.unit:
            doc["unit"] = self.unit
        doc["max_points"] = self.max_points
        return doc


@dataclass(frozen=True)
class Level:
    """A maturity level of a section: reached at ``min_score``; ``actions`` describe it."""

    level: str
    min_score: float
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    weight: float = 1.0
    description: str = ""
    levels: tuple[Level, ...] = ()

    @property
    def max_points(self) -> float:
        return sum(q.max_points for q in self.questions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "max_points": self.max_points,
            "levels": [
                {"level": lv.level, "min_score": lv.min_score, "actions": list(lv.actions)}
                for lv in self.levels
            ],
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: str
    label: str
    source: str
    scoring: Literal["points", "qualitative"]
    sections: tuple[Section, ...]
    level_names: tuple[tuple[str, str], ...] = ()
    description: str = ""

    @property
    def scored(self) -> bool:
        return self.scoring == "points"

    def questions(self) -> dict[str, tuple[Section, Question]]:
        return {q.id: (s, q) for s in self.sections for q in s.questions}

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def level_title(self, level_id: str) -> str:
        return dict(self.level_names).get(level_id, level_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "label": self.label,
            "source": self.source,
            "scoring": self.scoring,
            "levels": [{"id": i, "title": t} for i, t in self.level_names],
            "sections": [s.to_dict() for s in self.sections],
        }


def _question(doc: dict[str, Any]) -> Question:
    return Question(
        id=doc["id"],
        text=doc["text"],
        kind=doc["kind"],
        help=doc.get("help", ""),
        recommendation=doc.get("recommendation", ""),
        options=tuple(
            Option(o["id"], o["text"], float(o["points"])) for o in doc.get("options", ())
        ),
        bands=tuple(
            Band(float(b["points"]), b.get("min"), b.get("max")) for b in doc.get("bands", ())
        ),
        unit=doc.get("unit", ""),
        points=float(doc.get("points", 0.0)),
        max_points_=doc.get("max_points"),
        evidence_required=bool(doc.get("evidence_required", False)),
        indicator=doc.get("indicator", ""),
        group=doc.get("group"),
        breakdown=dict(doc.get("breakdown", {})),
        measured=doc.get("measured", ""),
    )


def build(doc: dict[str, Any]) -> Framework:
    """The framework described by a schema-valid document."""
    return Framework(
        id=doc["id"],
        version=str(doc["version"]),
        title=doc["title"],
        label=doc["label"],
        source=doc["source"],
        scoring=doc["scoring"],
        description=doc.get("description", ""),
        level_names=tuple((lv["id"], lv["title"]) for lv in doc.get("levels", ())),
        sections=tuple(
            Section(
                id=s["id"],
                title=s["title"],
                weight=float(s.get("weight", 1.0)),
                description=s.get("description", ""),
                levels=tuple(
                    Level(lv["level"], float(lv["min_score"]), tuple(lv["actions"]))
                    for lv in s.get("levels", ())
                ),
                questions=tuple(_question(q) for q in s["questions"]),
            )
            for s in doc["sections"]
        ),
    )
