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
    "publish",
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


def publish(
    data: Path,
    *,
    org: str,
    period: int,
    threshold: int,
    engine: EngineName = EngineName.polars,
    disclosure: str = "suppression",
    seed: int = 0,
) -> tuple[list[Result], Audit]:
    """Publish ``org``'s figures for ``period`` from a workspace: protected against everything
    published together AND against the organisation's latest earlier publication (a
    population that changed by 1..threshold−1 people since is withheld, with any mean over
    it), audited, and recorded as published (the store's ``publications``). Raises
    :class:`PublicationRefused` when the audit finds anything (nothing is recorded) and
    :class:`NothingToPublish` when there is nothing to publish. The web's publish step and
    any other front end call this.

    ``disclosure="cellkey"``: the figures are perturbed by the cell key method with ``seed``
    instead (:mod:`ladder.metrics.disclosure.cellkey`); nothing is withheld but means,
    medians and pay gaps over small populations, so the recovery audit (built for withheld
    counts) is not run: the returned audit is empty, with the publication's figures."""
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.disclosure.relations import published_values
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings
    from ladder.metrics.stored import settings_key
    from ladder.metrics.table import results_frame, results_from_frame
    from ladder.store import Workspace
    from ladder.store.publications import latest_publication, record_publication

    settings = Settings(threshold=threshold, disclosure=disclosure, seed=seed)
    if disclosure == "cellkey":
        return _publish_perturbed(data, org, period, settings, engine)
    with Workspace.open(data) as ws:
        before = latest_publication(ws, org)
        earlier = (
            None
            if before is None
            else published_values([r.to_dict() for r in results_from_frame(before.read())])
        )
    loaded = load(data, engine=engine, org=org, settings=settings)
    try:
        raw = unprotected(loaded.context, periods=[period])
    finally:
        loaded.close()
    raw = [r for r in raw if r.org == org]
    if not raw:
        raise NothingToPublish(f"no figures of {org} for {period} in this data")
    shown = protect.apply(raw, threshold, previous=earlier)
    from ladder.metrics.disclosure.report import audit

    cleared = audit(
        [r.to_dict() for r in shown], [r.to_dict() for r in raw], threshold, previous=earlier
    )
    if cleared.findings:
        raise PublicationRefused(cleared)
    with Workspace.open(data) as ws:
        record_publication(
            ws,
            org,
            period,
            results_frame(shown),
            settings_key=settings_key(settings),
            threshold=threshold,
        )
    return shown, cleared


def _publish_perturbed(
    data: Path, org: str, period: int, settings: Any, engine: EngineName
) -> tuple[list[Result], Audit]:
    """:func:`publish` with cell key perturbation: perturbed, recorded, not audited."""
    from ladder.metrics.disclosure.report import Audit
    from ladder.metrics.inputs import load
    from ladder.metrics.runner import run
    from ladder.metrics.stored import settings_key
    from ladder.store import Workspace
    from ladder.store.publications import record_publication

    loaded = load(data, engine=engine, org=org, settings=settings)
    try:
        frame = run(loaded.context, periods=[period]).frame
    finally:
        loaded.close()
    import polars as pl

    frame = frame.filter(pl.col("org") == org)
    if frame.is_empty():
        raise NothingToPublish(f"no figures of {org} for {period} in this data")
    from ladder.metrics.table import results_from_frame

    shown = results_from_frame(frame)
    withheld = sum(1 for r in shown if r.suppressed)
    with Workspace.open(data) as ws:
        record_publication(
            ws,
            org,
            period,
            frame,
            settings_key=settings_key(settings),
            threshold=settings.threshold,
        )
    return shown, Audit([], withheld, 0, settings.threshold, [(org, period, withheld, len(shown))])
