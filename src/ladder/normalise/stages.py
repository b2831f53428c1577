"""Recruitment stages (TRAC, NHS Jobs, Oleeo) → the ``shortlisted`` and ``appointed`` flags.

Recruitment systems export one status or stage column ("Rejected at shortlisting",
"Interview", "Offer accepted", "Appointed", "Withdrawn") rather than the two flags WRES 2 and
WDES 2 count. The mapping is data: the shipped table ``reference/data/recruitment_stages.csv``
(columns ``stage``, ``shortlisted``, ``appointed``, ``note``), which a user file in the same
shape extends or overrides stage by stage (``--stage-map FILE``). Stages are matched as
labels are everywhere in Ladder: case, spacing and punctuation do not matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from ladder.normalise.booleans import normalise_bool
from ladder.normalise.errors import InvalidValue
from ladder.normalise.text import key
from ladder.reference import data_file

SHIPPED = "recruitment_stages.csv"
COLUMNS = ("stage", "shortlisted", "appointed")


class StageMapError(ValueError):
    """A stage map file that cannot be used; the message says where and what to do."""


@dataclass(frozen=True)
class Stage:
    """One stage as the map defines it: its label and the two flags it implies."""

    label: str
    shortlisted: bool
    appointed: bool
    note: str = ""


@dataclass(frozen=True)
class StageMap:
    """Stage label → flags, matched by :func:`ladder.normalise.text.key`."""

    stages: Mapping[str, Stage]
    source: str = SHIPPED

    def lookup(self, raw: str) -> Stage | None:
        return self.stages.get(key(raw))

    @property
    def labels(self) -> list[str]:
        """The known stages as the map spells them, in the map's order."""
        return [s.label for s in self.stages.values()]

    def overridden(self, other: StageMap) -> StageMap:
        """This map with ``other``'s stages added, replacing any of the same name."""
        return StageMap({**self.stages, **other.stages}, f"{self.source} + {other.source}")


def _read(frame: pl.DataFrame, source: str) -> StageMap:
    headers = {key(c): c for c in frame.columns}
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise StageMapError(
            f"{source}: no column {', '.join(missing)} "
            f"(a stage map has the columns {', '.join(COLUMNS)} and optionally note)"
        )
    stages: dict[str, Stage] = {}
    note_col = headers.get("note")
    for row_number, row in enumerate(frame.iter_rows(named=True), start=2):
        label = (row[headers["stage"]] or "").strip()
        if not label:
            raise StageMapError(f"{source}:{row_number}: the stage is blank (name every stage)")
        flags: list[bool] = []
        for name in ("shortlisted", "appointed"):
            raw = (row[headers[name]] or "").strip()
            try:
                flags.append(normalise_bool(raw))
            except InvalidValue:
                raise StageMapError(
                    f"{source}:{row_number}:{name}: {raw or '(blank)'} is not yes or no "
                    "(write yes or no)"
                ) from None
        if flags[1] and not flags[0]:
            raise StageMapError(
                f"{source}:{row_number}: stage {label!r} is appointed but not shortlisted "
                "(WRES counts appointments from shortlisting: set shortlisted to yes)"
            )
        note = (row[note_col] or "").strip() if note_col else ""
        stages[key(label)] = Stage(label, flags[0], flags[1], note)
    return StageMap(stages, source)


@cache
def shipped() -> StageMap:
    """The stage map shipped with Ladder."""
    with data_file(SHIPPED).open("rb") as handle:
        frame = pl.read_csv(handle, infer_schema=False)
    return _read(frame, SHIPPED)


def load(path: Path | None) -> StageMap:
    """The shipped map, overridden stage by stage by the CSV file ``path`` when given.

    :class:`StageMapError` (with file, row and what to do) for a file that cannot be used.
    """
    if path is None:
        return shipped()
    if not path.is_file():
        raise StageMapError(
            f"{path}: no such file (give a CSV with columns stage, shortlisted, appointed)"
        )
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise StageMapError(f"{path}: cannot be read as CSV ({exc.__class__.__name__})") from None
    return shipped().overridden(_read(frame, str(path)))
