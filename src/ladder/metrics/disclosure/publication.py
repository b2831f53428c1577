"""What a publication would contain, as records: published (suppressed) and true."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ladder.metrics.context import Context
from ladder.metrics.disclosure import protect
from ladder.metrics.results import Result
from ladder.metrics.runner import compute
from ladder.metrics.table import results_from_frame


def unprotected(context: Context, *, periods: Iterable[int] | None = None) -> list[Result]:
    """Every indicator's results before any disclosure control, sorted by (org, period)
    (:func:`ladder.metrics.runner.compute` as typed results)."""
    frame, _skipped = compute(context, periods=periods)
    return results_from_frame(frame)


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
