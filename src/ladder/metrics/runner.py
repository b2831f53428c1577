"""Run the registered indicators over loaded data: results, what was skipped and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from ladder.metrics.context import Context
from ladder.metrics.disclosure import protect
from ladder.metrics.registry import Indicator, all_indicators
from ladder.metrics.results import Result
from ladder.metrics.table import results_frame


@dataclass(frozen=True)
class Skipped:
    """An indicator that could not be computed, and why."""

    id: str
    title: str
    reason: str


@dataclass
class Run:
    """Every result of a run (suppression applied), the skipped indicators and notes."""

    results: list[Result]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pl.DataFrame:
        """The results as one frame, one row per result (:mod:`ladder.metrics.table`)."""
        return results_frame(self.results)


def select(ids: Iterable[str] | None) -> list[Indicator]:
    """The indicators whose id (or family, e.g. ``wres``) is in ``ids``; all when None."""
    every = all_indicators()
    if ids is None:
        return every
    wanted = set(ids)
    return [
        i
        for i in every
        if i.id in wanted or i.family in wanted or any(r in wanted for r in i.result_ids)
    ]


def run(
    context: Context,
    *,
    ids: Iterable[str] | None = None,
    periods: Iterable[int] | None = None,
    progress: Callable[[Indicator], None] | None = None,
) -> Run:
    """Compute every selected indicator whose datasets are present."""
    results: list[Result] = []
    skipped: list[Skipped] = []
    for ind in select(ids):
        missing = [k for k in ind.needs if not context.has(k)]
        if missing:
            skipped.append(Skipped(ind.id, ind.title, f"needs {', '.join(missing)} (not provided)"))
        else:
            produced = ind.compute(context)
            if not produced:
                skipped.append(Skipped(ind.id, ind.title, "no rows to compute it from"))
            results.extend(produced)
        if progress is not None:
            progress(ind)
    if periods is not None:
        keep = set(periods)
        results = [r for r in results if r.period in keep]
    results.sort(key=lambda r: (r.org, r.period))
    threshold = context.settings.threshold
    return Run(protect.apply(results, threshold), skipped, [protect.method_note(threshold)])
