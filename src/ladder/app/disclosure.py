"""The disclosure audit of what Ladder would publish (the use case behind ``ladder audit
disclosure``, and the check a publish step runs): see docs/methods/disclosure.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ladder.engines import EngineName

if TYPE_CHECKING:
    from ladder.metrics.context import Context
    from ladder.metrics.disclosure.report import Audit
    from ladder.metrics.results import Result

__all__ = [
    "NothingToPublish",
    "PublicationRefused",
    "audit_disclosure",
    "check_publication",
    "protected_results",
]

SHOWN = 10
"""Findings named in a refusal's message (the rest are counted)."""


class PublicationRefused(Exception):
    """The disclosure audit narrowed a withheld value: nothing is published."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        items = [
            f"{f.org} {f.period}: {f.what} = "
            + (f"{f.low:g}" if f.exact else f"{f.low:g}–{f.high:g}")
            + (f" (withheld in {'; '.join(f.figures[:2])})" if f.figures else "")
            for f in audit.findings[:SHOWN]
        ]
        more = len(audit.findings) - len(items)
        super().__init__(
            f"not published: the disclosure audit can narrow {len(audit.findings)} withheld "
            f"value(s) to fewer than {audit.threshold} possibilities from the published "
            "figures — "
            + "; ".join(items)
            + (f"; and {more} more" if more > 0 else "")
            + ". Run `ladder audit disclosure` for the relations involved, and report this."
        )


def check_publication(
    published: Sequence[Mapping[str, Any]],
    truth: Sequence[Mapping[str, Any]],
    threshold: int,
) -> Audit:
    """The publish step's check: the audit of ``published`` (records, the JSON shape) against
    the same records unprotected. Raises :class:`PublicationRefused` when it finds anything."""
    from ladder.metrics.disclosure.report import audit

    result = audit(published, truth, threshold)
    if result.findings:
        raise PublicationRefused(result)
    return result


def protected_results(
    context: Context, *, periods: Iterable[int] | None = None
) -> tuple[list[Result], Audit]:
    """Every result of ``context``, protected and audited: what a report may publish, and
    the audit that cleared it. Raises :class:`PublicationRefused` when the audit finds
    anything (the protection is built to leave it nothing)."""
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.publication import unprotected

    threshold = context.settings.threshold
    raw = unprotected(context, periods=periods)
    published = protect.apply(raw, threshold)
    cleared = check_publication(
        [r.to_dict() for r in published], [r.to_dict() for r in raw], threshold
    )
    return published, cleared


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
