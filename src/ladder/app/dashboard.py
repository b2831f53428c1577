"""An organisation's dashboard: its headline figures from the STORED results, as words.

Nothing is computed here: the figures are read from the workspace's stored results
(:mod:`ladder.app.results`), which an import (or ``ladder metrics``) computes. When nothing
is stored yet the dashboard says so, and how to fill it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ladder.metrics import Result, Settings
from ladder.metrics.formatting import counts_text, interval_text, number
from ladder.metrics.headline import HEADLINES
from ladder.metrics.stored import settings_key, stored_version
from ladder.metrics.table import results_from_frame
from ladder.store import Workspace
from ladder.store import results as store


@dataclass(frozen=True)
class Row:
    """One headline figure as shown."""

    label: str
    id: str
    value: str
    interval: str
    counts: str
    reading: str
    withheld: bool


@dataclass
class Dashboard:
    org: str
    period: int | None
    periods: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    stale: bool = False

    @property
    def empty(self) -> bool:
        return not self.periods


def reading(result: Result) -> str:
    """How to read a figure: withheld, no evidence of difference, or who is more likely."""
    if result.suppressed:
        return "withheld (small numbers)"
    if result.ci_lower is None or result.ci_upper is None:
        return ""
    if result.unit.value != "ratio":
        return ""
    first, _, second = (result.group or "").partition(":")
    if result.ci_lower <= 1 <= result.ci_upper:
        return "no evidence of difference"
    return f"{first} staff more likely" if result.ci_lower > 1 else f"{second} staff more likely"


def stored_results(ws: Workspace, org: str) -> tuple[list[Result], bool]:
    """Every stored result of ``org`` (default settings) and whether any set is out of date
    (computed before the latest import, or by an older Ladder). Never computes."""
    sets = store.stored_sets(ws, settings_key(Settings()), [org])
    version = store.data_version(ws, org)
    stale = any(s.data_version != version or s.method_version != stored_version() for s in sets)
    frame = store.read_sets(sets)
    found = [] if frame is None else results_from_frame(frame)
    return found, stale


def results_of(ws: Workspace, org: str, period: int | None = None) -> list[Result]:
    """The stored results of ``org`` (one period when given): the records of
    ``ladder metrics --format json``."""
    found, _ = stored_results(ws, org)
    return [r for r in found if period is None or r.period == period]


def dashboard(ws: Workspace, org: str, period: int | None = None) -> Dashboard:
    """The headline figures of ``org`` in ``period`` (the latest stored when None)."""
    found, stale = stored_results(ws, org)
    periods = sorted({r.period for r in found}, reverse=True)
    if not periods:
        return Dashboard(org, None)
    chosen = period if period in periods else periods[0]
    wanted = {(h.id, h.group, h.measure): h.label for h in HEADLINES}
    rows = []
    for h in HEADLINES:
        for r in found:
            if r.period != chosen or r.breakdown or (r.id, r.group or "", r.measure) not in wanted:
                continue
            if r.id != h.id or (r.group or "") != h.group or r.measure != h.measure:
                continue
            rows.append(
                Row(
                    label=h.label,
                    id=r.id,
                    value="withheld" if r.suppressed else number(r.value, r.unit),
                    interval=interval_text(r),
                    counts=counts_text(r),
                    reading=reading(r),
                    withheld=r.suppressed,
                )
            )
    return Dashboard(org, chosen, periods, rows, stale)
