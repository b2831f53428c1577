"""What a publication would contain, as records: published (suppressed) and true."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ladder.metrics.context import Context
from ladder.metrics.disclosure import protect
from ladder.metrics.results import Result
from ladder.metrics.runner import select
from ladder.metrics.table import results_of


def unprotected(context: Context, *, periods: Iterable[int] | None = None) -> list[Result]:
    """Every indicator's results before any disclosure control, sorted by (org, period)."""
    raw: list[Result] = []
    for ind in select(None):
        if all(context.has(k) for k in ind.needs):
            raw.extend(results_of(ind.compute(context)))
    if periods is not None:
        keep = set(periods)
        raw = [r for r in raw if r.period in keep]
    raw.sort(key=lambda r: (r.org, r.period))
    return raw


def publication(
    context: Context, *, periods: Iterable[int] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(published records, the same records before suppression), in the same order.

    Every indicator whose datasets are present, for every organisation and period (or only
    ``periods``), protected with the context's threshold exactly as ``ladder metrics``
    (:mod:`ladder.metrics.disclosure.protect`).
    """
    raw = unprotected(context, periods=periods)
    published = protect.apply(raw, context.settings.threshold)
    return [r.to_dict() for r in published], [r.to_dict() for r in raw]
