"""The disclosure audit of what Ladder would publish (the use case behind ``ladder audit
disclosure``, and the check a publish step runs): see docs/methods/disclosure.md."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ladder.engines import EngineName

if TYPE_CHECKING:
    from ladder.metrics.disclosure.report import Audit

__all__ = ["NothingToPublish", "audit_disclosure"]


class NothingToPublish(Exception):
    """No indicator could be computed from the data, so there is nothing to audit."""


def audit_disclosure(
    data: Path,
    *,
    org: str | None = None,
    periods: Iterable[int] | None = None,
    threshold: int,
    engine: EngineName = EngineName.polars,
    exhaustive: bool = False,
) -> Audit:
    """Attack the publication of ``data`` (a workspace or a folder) for ``org`` and
    ``periods``: every withheld value narrowed to fewer than ``threshold`` possibilities.

    Raises :class:`ladder.metrics.InputError`, :class:`ladder.store.StoreError` or
    :class:`ladder.engines.EngineUnavailable` when the data cannot be loaded, and
    :class:`NothingToPublish` when no indicator can be computed from it.
    """
    from ladder.metrics.disclosure.publication import publication
    from ladder.metrics.disclosure.report import audit
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings

    loaded = load(data, engine=engine, org=org, settings=Settings(threshold=threshold))
    try:
        published, truth = publication(
            loaded.context, periods=None if periods is None else list(periods)
        )
    finally:
        loaded.close()
    if not published:
        raise NothingToPublish("no indicator could be computed from this data")
    return audit(published, truth, threshold, exhaustive=exhaustive)
