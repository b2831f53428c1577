"""The disclosure audit of what Ladder would publish (the use case behind ``ladder audit
disclosure``, and the check a publish step runs): see docs/methods/disclosure.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from ladder.engines import EngineName

if TYPE_CHECKING:
    from ladder.metrics.context import Context
    from ladder.metrics.disclosure.relations import Earlier
    from ladder.metrics.disclosure.report import Audit
    from ladder.metrics.inputs import Loaded
    from ladder.metrics.results import Result
    from ladder.metrics.settings import Settings
    from ladder.store import Workspace

__all__ = [
    "CHANGES",
    "NothingToPublish",
    "Protected",
    "PublicationRefused",
    "against_note",
    "audit_disclosure",
    "audit_overlap",
    "check_publication",
    "earlier_publication",
    "protect_period",
    "protected_results",
    "publish",
    "published_against",
]

SHOWN = 10
"""Findings named in a refusal's message (the rest are counted)."""


class PublicationRefused(Exception):
    """The disclosure audit narrowed a withheld value: nothing is published."""

    def __init__(self, audit: Audit, *, beside: str | None = None) -> None:
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
            + ("figures — " if beside is None else f"figures beside {beside}'s publication — ")
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


def audit_overlap(
    data: Path,
    orgs: Sequence[str],
    *,
    periods: Iterable[int] | None = None,
    threshold: int,
    engine: EngineName = EngineName.polars,
    exhaustive: bool = False,
) -> Audit:
    """Attack two organisations' publications together (as ``ladder metrics`` would publish
    each), through the people they share (:mod:`ladder.metrics.disclosure.overlap`): every
    withheld value, and every count of the people in one and not the other, narrowed to
    fewer than ``threshold`` possibilities. Raises :class:`NothingToPublish` when either has
    no figures, and ``ValueError`` unless two organisations are given."""
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.overlap import audit_beside, restrict
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings

    if len(orgs) != 2 or orgs[0] == orgs[1]:
        raise ValueError("give two different organisations (--org A --org B)")
    a, b = orgs
    chosen = None if periods is None else list(periods)
    loaded = load(data, engine=engine, settings=Settings(threshold=threshold))
    try:
        context = restrict(loaded.context, [a, b])
        raw = unprotected(context, periods=chosen)
        mine = {o: [r for r in raw if r.org == o] for o in (a, b)}
        for o, found in mine.items():
            if not found:
                raise NothingToPublish(f"no figures of {o} in this data")
        shown = [r for o in (a, b) for r in protect.apply(mine[o], threshold)]
        truth = [r for o in (a, b) for r in mine[o]]
        return audit_beside(
            context,
            a,
            b,
            [r.to_dict() for r in shown],
            [r.to_dict() for r in truth],
            threshold,
            exhaustive=exhaustive,
            periods=chosen,
        )
    finally:
        loaded.close()


CHANGES = ("withhold", "round")
"""What happens to a figure whose change since the previous publication is 1..threshold−1
people: withheld (default), or published rounded where the audit allows
(:mod:`ladder.metrics.disclosure.rounding`)."""


@dataclass(frozen=True)
class Protected:
    """One organisation's figures for one period, protected, audited, and what was used."""

    results: list[Result]
    audit: Audit
    notes: list[str]
    rounded: int = 0
    rounded_at: frozenset[int] = frozenset()
    """Positions of the rounded figures (kept in the store's record, not shown)."""
    against: tuple[str, tuple[int, ...], str] | None = None
    """(org, periods, when the latest was recorded) of the publications it was protected
    against."""


def protect_period(
    raw: list[Result],
    threshold: int,
    *,
    earlier: Earlier | None = None,
    against: tuple[str, tuple[int, ...], str] | None = None,
    changes: str = "withhold",
) -> Protected:
    """THE protection of one publication (one organisation and period), every front end's:
    protected against everything published together and against ``earlier`` (what the
    organisation's previous publication published: a population that changed by
    1..threshold−1 people since is withheld, with any mean over it, or published rounded
    when ``changes`` is "round"), then audited. Raises :class:`PublicationRefused` when the
    audit finds anything."""
    from ladder.metrics.disclosure import protect
    from ladder.metrics.disclosure.report import audit
    from ladder.metrics.disclosure.rounding import round_changes, rounding_note

    if changes not in CHANGES:
        raise ValueError(f"changes must be one of {', '.join(CHANGES)}, not {changes!r}")
    shown = protect.apply(raw, threshold, previous=earlier)
    notes = [protect.method_note(threshold)]
    rounded = 0
    rounded_at: frozenset[int] = frozenset()
    if changes == "round" and earlier:
        done = round_changes(raw, shown, threshold, earlier)
        shown, cleared, rounded_at = done.results, done.audit, done.rounded
        rounded = len(rounded_at)
        if rounded:
            notes.append(rounding_note(threshold, done.base))
    else:
        cleared = audit(
            [r.to_dict() for r in shown], [r.to_dict() for r in raw], threshold, previous=earlier
        )
    if cleared.findings:
        raise PublicationRefused(cleared)
    if against is not None and raw:
        notes.append(against_note(raw[0].org, raw[0].period, against, threshold, changes))
    return Protected(shown, cleared, notes, rounded, rounded_at, against)


def against_note(
    shown: str,
    period: int,
    against: tuple[str, tuple[int, ...], str],
    threshold: int,
    changes: str = "withhold",
) -> str:
    """The note on figures of ``shown`` for ``period`` protected against publications."""
    org, periods, when = against
    years = " and ".join(str(p) for p in periods)
    return (
        f"{shown} {period}: protected against {org}'s "
        f"publication{'s' if len(periods) > 1 else ''} of {years} (latest recorded {when}): "
        "a figure "
        f"whose change since then would isolate 1 to {threshold - 1} people is "
        + ("rounded or withheld." if changes == "round" else "withheld.")
    )


def published_against(ws: Workspace, org: str) -> tuple[str, tuple[int, ...], str] | None:
    """(org, periods, when the latest was recorded) of ``org``'s recorded publications, from
    the store's index alone (no figures read), or None."""
    from ladder.store.publications import publications

    found = publications(ws, org)
    if not found:
        return None
    periods = tuple(sorted({p.period for p in found}))
    return org, periods, f"{found[-1].published_at:%Y-%m-%d %H:%M} UTC"


def earlier_publication(
    ws: Workspace, org: str
) -> tuple[Earlier, tuple[str, tuple[int, ...], str]] | None:
    """What ``org``'s recorded publications (every one: an earlier period, or the same one
    published before — once published, always known) published, by population and by
    figure, and (org, their periods, when the latest was recorded)."""
    from ladder.metrics.disclosure.relations import combined, published_values
    from ladder.store.publications import publications

    found = publications(ws, org)
    if not found:
        return None
    values = combined([published_values(_exact_records(p.read())) for p in found])
    periods = tuple(sorted({p.period for p in found}))
    return values, (org, periods, f"{found[-1].published_at:%Y-%m-%d %H:%M} UTC")


ROUNDED = "rounded"
"""The stored publication's column that marks rounded figures (the store's record only:
readers are not told which figures are rounded)."""


def _exact_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """A stored publication's figures as records, rounded ones as if withheld (their counts
    are not the populations' sizes, so they are not earlier values to compare with)."""
    from ladder.metrics.table import results_from_frame

    rounded = frame[ROUNDED].to_list() if ROUNDED in frame.columns else [False] * frame.height
    records = [r.to_dict() for r in results_from_frame(frame.drop(ROUNDED, strict=False))]
    return [
        {**r, "suppressed": True, "value": None, **dict.fromkeys(COUNT_ROLES)} if hit else r
        for r, hit in zip(records, rounded, strict=True)
    ]


COUNT_ROLES = ("numerator", "denominator", "reference_numerator", "reference_denominator")


def org_context_files(ws: Workspace, org: str, user: str | None = None) -> dict[str, list[Path]]:
    """The current dataset files of ``org`` in the workspace, by kind."""
    from ladder.contract.kinds import KINDS

    files = {kind: [r.path for r in ws.files(kind, org, user=user)] for kind in KINDS}
    return {k: v for k, v in files.items() if v}


def _beside(
    ws: Workspace, org: str, period: int, settings: Settings, engine: EngineName
) -> list[tuple[str, list[dict[str, Any]], Loaded]]:
    """The organisations with a recorded publication for ``period`` whose staff share people
    with ``org``: (code, their latest publication's figures, both organisations' data)."""
    from ladder.metrics.disclosure.overlap import shared_people
    from ladder.metrics.inputs import load_files
    from ladder.store.publications import publications
    from ladder.store.results import data_versions

    out = []
    mine = org_context_files(ws, org)
    for other in sorted(set(data_versions(ws)) - {org}):
        found = [p for p in publications(ws, other) if p.period == period]
        if not found:
            continue
        files = {k: v + org_context_files(ws, other).get(k, []) for k, v in mine.items()}
        loaded = load_files(files, engine=engine, settings=settings)
        if shared_people(loaded.context, org, other) == 0:
            loaded.close()
            continue
        out.append((other, _exact_records(found[-1].read()), loaded))
    return out


def publish(
    data: Path,
    *,
    org: str,
    period: int,
    threshold: int,
    engine: EngineName = EngineName.polars,
    changes: str = "withhold",
    disclosure: str = "suppression",
    seed: int = 0,
) -> Protected:
    """Publish ``org``'s figures for ``period`` from a workspace: protected against everything
    published together AND against the organisation's earlier publications (a population
    that changed by 1..threshold−1 people since is withheld, with any mean over it, or —
    ``changes="round"`` — published rounded where the audit allows) AND beside every
    organisation already published for the period whose staff overlap (its published
    values read as a previous publication, its withheld figures withheld here too), audited
    alone and beside each of them (:func:`ladder.metrics.disclosure.overlap.audit_beside`),
    and recorded as published (the store's ``publications``). Raises
    :class:`PublicationRefused` when an audit finds anything (nothing is recorded) and
    :class:`NothingToPublish` when there is nothing to publish. The web's publish step and
    any other front end call this.

    ``disclosure="cellkey"``: the figures are perturbed by the cell key method with ``seed``
    instead (:mod:`ladder.metrics.disclosure.cellkey`); nothing is withheld but means,
    medians and pay gaps over small populations, so the recovery audit (built for withheld
    counts) is not run: the returned audit is empty, with the publication's figures."""
    from ladder.metrics.disclosure.overlap import (
        as_previous,
        audit_beside,
        figure,
        withheld_figures,
    )
    from ladder.metrics.disclosure.publication import unprotected
    from ladder.metrics.disclosure.relations import combined, published_values
    from ladder.metrics.inputs import load
    from ladder.metrics.settings import Settings
    from ladder.metrics.table import results_frame
    from ladder.store import Workspace

    settings = Settings(threshold=threshold, disclosure=disclosure, seed=seed)
    if disclosure == "cellkey":
        return _publish_perturbed(data, org, period, settings, engine)
    with Workspace.open(data) as ws:
        found = earlier_publication(ws, org)
        beside = _beside(ws, org, period, settings, engine)
    try:
        earlier, against = (None, None) if found is None else found
        loaded = load(data, engine=engine, org=org, settings=settings)
        try:
            raw = unprotected(loaded.context, periods=[period])
        finally:
            loaded.close()
        raw = [r for r in raw if r.org == org]
        if not raw:
            raise NothingToPublish(f"no figures of {org} for {period} in this data")
        if beside:
            earlier = combined(
                ([] if earlier is None else [earlier])
                + [as_previous(published_values(recs), org) for _o, recs, _l in beside]
            )
        mirrored = set().union(*(withheld_figures(recs) for _o, recs, _l in beside))
        given = [
            r.suppress("withheld beside an overlapping publication")
            if figure(r.to_dict()) in mirrored
            else r
            for r in raw
        ]
        done = protect_period(given, threshold, earlier=earlier, against=against, changes=changes)
        for other, recs, both in beside:
            theirs = {figure(r): r for r in recs}
            truth_o = [
                r.to_dict()
                for r in unprotected(both.context, periods=[period])
                if r.org == other and figure(r.to_dict()) in theirs
            ]
            shown_o = [theirs[figure(t)] for t in truth_o]
            checked = audit_beside(
                both.context,
                org,
                other,
                [*(r.to_dict() for r in done.results), *shown_o],
                [*(r.to_dict() for r in raw), *truth_o],
                threshold,
                periods=[period],
            )
            if checked.findings:
                raise PublicationRefused(checked, beside=other)
            done.notes.append(
                f"{org} {period}: protected beside {other}'s publication of {period}, whose "
                "staff overlap (audited together: nothing narrowed)."
            )
    finally:
        for _o, _r, both in beside:
            both.close()
    frame = results_frame(done.results).with_columns(
        pl.Series(ROUNDED, [pos in done.rounded_at for pos in range(len(done.results))])
    )
    _record(data, org, period, frame, settings)
    _refresh_stored(data, org, settings, engine)
    return done


def _record(data: Path, org: str, period: int, frame: pl.DataFrame, settings: Settings) -> None:
    """Record ``frame`` as ``org``'s publication for ``period`` (the store's ``publications``)."""
    from ladder.metrics.stored import settings_key
    from ladder.store import Workspace
    from ladder.store.publications import record_publication

    with Workspace.open(data) as ws:
        record_publication(
            ws,
            org,
            period,
            frame,
            settings_key=settings_key(settings),
            threshold=settings.threshold,
        )


def _refresh_stored(data: Path, org: str, settings: Settings, engine: EngineName) -> None:
    """Recompute ``org``'s stored results once after a publication is recorded (they are
    protected against it, and recording it made them stale), so dashboards read current
    results and never compute on request."""
    from ladder.app.results import stored_results
    from ladder.store import Workspace

    with Workspace.open(data) as ws:
        stored_results(ws, org=org, settings=settings, engine=engine)


def _publish_perturbed(
    data: Path, org: str, period: int, settings: Any, engine: EngineName
) -> Protected:
    """:func:`publish` with cell key perturbation: perturbed, recorded, not audited."""
    from ladder.metrics.disclosure.report import Audit
    from ladder.metrics.inputs import load
    from ladder.metrics.runner import run

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
    _record(data, org, period, frame, settings)
    audit = Audit([], withheld, 0, settings.threshold, [(org, period, withheld, len(shown))])
    return Protected(shown, audit, [])
