"""Programmes and their stages as data: one YAML file per programme (docs/programmes.md).

A programme has an ordered list of *stages* (engaged → enrolled → completed pre-employment →
interviewed → offered → started work → in work at 13 weeks → 26 weeks → 12 months) and
*outcomes* that are not stages (accredited qualification, conditional offer, work placement,
apprenticeship started). Each stage and outcome reads one date column of the participants
dataset. A stage named by a standard id (:data:`STANDARD_STAGES`) needs nothing more; any
field can be given to override it. Ladder ships the definitions of three kinds of programme
(``defaults/*.yaml``); a participants row whose programme matches none is read with the
standard stages (:data:`STANDARD`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class ProgrammeError(ValueError):
    """A programme definition that cannot be read (the message names the file, the field and
    what to do)."""


@dataclass(frozen=True)
class Stage:
    """One funnel stage: ``column`` holds the date it was reached. ``past`` words the people
    who reached it ("completed pre-employment training"). ``after_days``: a sustained-work
    point, so many days after the stage ``after`` (default: started work; the stage before
    it when the programme has no such stage); only participants who have had that time since
    then count in its figures (METHODS.md, DWP outcomes)."""

    id: str
    label: str
    column: str
    past: str
    after_days: int | None = None
    after: str = "started"


@dataclass(frozen=True)
class Outcome:
    """An outcome that is not a stage (a qualification, a placement); ``column`` its date."""

    id: str
    label: str
    column: str
    past: str


STANDARD_STAGES: dict[str, Stage] = {
    s.id: s
    for s in (
        Stage("engaged", "Engaged", "engaged_date", "engaged"),
        Stage("enrolled", "Enrolled", "enrolled_date", "enrolled"),
        Stage(
            "completed",
            "Completed pre-employment",
            "trained_date",
            "completed pre-employment training",
        ),
        Stage("interviewed", "Interviewed", "interviewed_date", "were interviewed"),
        Stage("offered", "Offered a job", "offered_date", "were offered a job"),
        Stage("started", "Started work", "employed_date", "were recruited"),
        Stage(
            "in_work_13w", "In work at 13 weeks", "in_work_13w_date", "were in work at 13 weeks", 91
        ),
        Stage(
            "in_work_26w",
            "In work at 26 weeks",
            "in_work_26w_date",
            "were in work at 26 weeks",
            182,
        ),
        Stage(
            "in_work_12m",
            "In work at 12 months",
            "in_work_12m_date",
            "were in work at 12 months",
            365,
        ),
    )
}
"""The standard stages, in order, with their columns (the participants dataset)."""

STANDARD_OUTCOMES: dict[str, Outcome] = {
    o.id: o
    for o in (
        Outcome(
            "qualification",
            "Accredited qualification",
            "qualification_date",
            "achieved an accredited qualification",
        ),
        Outcome(
            "conditional_offer",
            "Conditional offer",
            "conditional_offer_date",
            "had a conditional offer",
        ),
        Outcome("placement", "Work placement", "placement_date", "had a work placement"),
        Outcome(
            "apprenticeship",
            "Apprenticeship started",
            "apprenticeship_date",
            "started an apprenticeship",
        ),
    )
}


@dataclass(frozen=True)
class Programme:
    """A programme: its stages in order, its outcomes, and how its report speaks of it.

    ``headline``: the stages of the sentence "Of 127 people who engaged, 60 (47%) completed
    pre-employment training and 49 (39%) were recruited". ``recruited``: the stage whose
    rate the equality breakdowns compare (default: started work). ``aliases``: other names
    the participants file may give it (matched without regard to case).
    """

    name: str
    stages: tuple[Stage, ...]
    outcomes: tuple[Outcome, ...] = ()
    kind: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()
    headline: tuple[str, ...] = ()
    recruited: str = "started"
    source: str = "shipped with Ladder"

    def matches(self, name: str) -> bool:
        wanted = name.strip().casefold()
        return any(wanted == n.strip().casefold() for n in (self.name, *self.aliases))

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def named(self, name: str) -> Programme:
        """The same definition under the name the data gives it."""
        return replace(self, name=name)


STANDARD = Programme(
    name="Standard",
    stages=tuple(STANDARD_STAGES.values()),
    outcomes=tuple(STANDARD_OUTCOMES.values()),
    kind="employment programme",
    description="The standard stages of a community employment programme.",
    headline=("completed", "started"),
)
"""The definition of a programme that no file defines."""


def _fail(source: str, where: str, message: str) -> ProgrammeError:
    return ProgrammeError(
        f"{source}: {where}: {message} (see docs/programmes.md for the stages file format)"
    )


def _text(doc: Mapping[str, Any], key: str, source: str, where: str, default: str = "") -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise _fail(source, f"{where}{key}", f"expected text, found {value!r}")
    return value.strip()


def _stage(item: Any, source: str, index: int) -> Stage:
    where = f"stages[{index}]"
    if isinstance(item, str):
        item = {"id": item}
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise _fail(source, where, "give a stage id, or a mapping with an id")
    base = STANDARD_STAGES.get(item["id"])
    column = _text(item, "column", source, f"{where}.", base.column if base else "")
    if not column:
        raise _fail(
            source,
            where,
            f"stage {item['id']!r} is not a standard stage ({', '.join(STANDARD_STAGES)}): "
            "give its date column",
        )
    days = item.get("after_days", base.after_days if base else None)
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 1):
        raise _fail(source, f"{where}.after_days", f"expected a whole number of days, not {days!r}")
    label = _text(item, "label", source, f"{where}.", base.label if base else item["id"])
    past = _text(item, "past", source, f"{where}.", base.past if base else f"reached {label}")
    after = _text(item, "after", source, f"{where}.", base.after if base else "started")
    return Stage(item["id"], label, column, past, days, after)


def _outcome(item: Any, source: str, index: int) -> Outcome:
    where = f"outcomes[{index}]"
    if isinstance(item, str):
        item = {"id": item}
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise _fail(source, where, "give an outcome id, or a mapping with an id")
    base = STANDARD_OUTCOMES.get(item["id"])
    column = _text(item, "column", source, f"{where}.", base.column if base else "")
    if not column:
        raise _fail(source, where, f"outcome {item['id']!r} is not standard: give its column")
    label = _text(item, "label", source, f"{where}.", base.label if base else item["id"])
    past = _text(item, "past", source, f"{where}.", base.past if base else f"achieved {label}")
    return Outcome(item["id"], label, column, past)


def _names(doc: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(source, key, "expected a list of names")
    return tuple(v.strip() for v in value)


def parse(doc: Any, source: str) -> Programme:
    """A programme from a parsed YAML document (``source`` names it in errors)."""
    if not isinstance(doc, Mapping):
        raise _fail(source, "top level", "expected a mapping with name and stages")
    name = _text(doc, "name", source, "")
    if not name:
        raise _fail(source, "name", "give the programme's name")
    raw_stages = doc.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise _fail(source, "stages", "give the stages in order (at least one)")
    stages = tuple(_stage(item, source, i) for i, item in enumerate(raw_stages))
    ids = [s.id for s in stages]
    if len(set(ids)) != len(ids):
        raise _fail(source, "stages", "a stage is listed twice")
    raw_outcomes = doc.get("outcomes", [])
    if not isinstance(raw_outcomes, list):
        raise _fail(source, "outcomes", "expected a list")
    outcomes = tuple(_outcome(item, source, i) for i, item in enumerate(raw_outcomes))
    headline = _names(doc, "headline", source)
    recruited = _text(doc, "recruited", source, "", "started" if "started" in ids else ids[-1])
    for stage_id in (*headline, recruited):
        if stage_id not in ids:
            raise _fail(source, "headline/recruited", f"{stage_id!r} is not one of its stages")
    return Programme(
        name=name,
        stages=stages,
        outcomes=outcomes,
        kind=_text(doc, "kind", source, ""),
        description=_text(doc, "description", source, ""),
        aliases=_names(doc, "aliases", source),
        headline=headline or tuple(i for i in ids[1:] if i in ("completed", recruited)),
        recruited=recruited,
        source=source,
    )


def load_file(path: Path) -> Programme:
    """The programme defined in the YAML file ``path``."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgrammeError(f"cannot read the programme file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ProgrammeError(f"{path}: not valid YAML: {exc}") from None
    return parse(doc, str(path))


def load_paths(paths: Iterable[Path]) -> tuple[Programme, ...]:
    """The programmes of YAML files and folders of them (``*.yaml``, ``*.yml``)."""
    found: list[Programme] = []
    for path in paths:
        if path.is_dir():
            files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            found.extend(load_file(f) for f in files)
        elif path.is_file():
            found.append(load_file(path))
        else:
            raise ProgrammeError(f"no programme file or folder at {path}")
    return tuple(found)


@cache
def shipped() -> tuple[Programme, ...]:
    """The definitions shipped with Ladder (``defaults/*.yaml``)."""
    folder = resources.files("ladder.metrics.programmes") / "defaults"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out.append(parse(yaml.safe_load(entry.read_text("utf-8")), f"shipped {entry.name}"))
    return tuple(out)


def definition_for(name: str, extra: Iterable[Programme] = ()) -> Programme:
    """The definition of the programme called ``name``: the user's files first, then the
    shipped ones, else :data:`STANDARD` (under ``name``)."""
    for programme in (*extra, *shipped()):
        if programme.matches(name):
            return programme.named(name)
    return STANDARD.named(name)
