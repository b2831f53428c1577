"""Compute or fetch results: the one way every front end gets figures.

A workspace keeps its results (docs/architecture.md, "Stored results"): each organisation's
results are computed once — every indicator, all its periods, in a run of its own data — and
stored per period; later calls read them back while they are current (same settings, same
method version, same data). An import that changes an organisation's data, other settings
or a new method version make that organisation's results be computed again. A folder of
dataset files is computed every time (nothing is stored there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ladder.engines import EngineName
from ladder.metrics import (
    Indicator,
    InputError,
    Result,
    Run,
    Settings,
    Skipped,
    load,
    run,
    select,
)
from ladder.metrics import warm as warm_engine
from ladder.metrics.inputs import Loaded, load_files
from ladder.metrics.runner import compute, method_note
from ladder.metrics.stored import settings_key, stored_version
from ladder.metrics.table import results_from_frame
from ladder.store import Workspace
from ladder.store import results as store

Progress = Callable[[str, int, int], None]
"""``progress(label, done, total)``: an organisation (or indicator) computed."""


@dataclass
class Outcome:
    """The results asked for, what could not be computed, notes on the inputs, and which
    organisations were computed now (the others were read from the stored results)."""

    results: list[Result]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    stored: bool = False


def warm() -> None:
    """Make this process ready to compute: the indicator families imported and the reference
    data they read built (:func:`ladder.metrics.warm`). The web service calls it once at
    start, in the background, so no first dashboard waits for them."""
    warm_engine()


def is_workspace(data: Path) -> bool:
    return Workspace.is_workspace(data)


def wanted(ids: Iterable[str] | None) -> Callable[[str], bool]:
    """Whether a result id belongs to the indicators ``ids`` selects (every id when None)."""
    if ids is None:
        return lambda _id: True
    chosen: list[Indicator] = select(ids)
    exact = {r for i in chosen for r in i.result_ids} | {i.id for i in chosen}
    prefixes = tuple(f"{i.id}." for i in chosen)
    return lambda rid: rid in exact or rid.startswith(prefixes)


def results(
    data: Path,
    *,
    org: str | None = None,
    periods: Iterable[int] | None = None,
    ids: Iterable[str] | None = None,
    settings: Settings | None = None,
    engine: EngineName = EngineName.polars,
    user: str | None = None,
    recompute: bool = False,
    progress: Progress | None = None,
    strict: bool = False,
) -> Outcome:
    """The results of ``data`` (a workspace or a folder), of ``org`` or every organisation,
    limited to ``periods`` and the indicators ``ids`` (ids or families) when given.
    ``strict`` leaves out rows with warnings when a folder's files are validated."""
    chosen = settings or Settings()
    ids = list(ids) if ids is not None else None
    org = org.strip().upper() if org else None
    if not is_workspace(data):
        outcome = _computed(data, org, periods, ids, chosen, engine, progress, strict)
    else:
        outcome = _stored(data, org, periods, ids, chosen, engine, user, recompute, progress)
    if chosen.disclosure == "cellkey":
        outcome.notes.append(method_note(chosen))
    return outcome


def _computed(
    data: Path,
    org: str | None,
    periods: Iterable[int] | None,
    ids: list[str] | None,
    settings: Settings,
    engine: EngineName,
    progress: Progress | None,
    strict: bool = False,
) -> Outcome:
    loaded = load(data, engine=engine, org=org, settings=settings, strict=strict)
    try:
        total = len(select(ids))
        steps = iter(range(1, total + 1))
        outcome: Run = run(
            loaded.context,
            ids=ids,
            periods=periods,
            progress=None if progress is None else lambda i: progress(i.id, next(steps), total),
        )
    finally:
        loaded.close()
    return Outcome(outcome.results, outcome.skipped, list(loaded.notes), computed=[])


def _stored(
    data: Path,
    org: str | None,
    periods: Iterable[int] | None,
    ids: list[str] | None,
    settings: Settings,
    engine: EngineName,
    user: str | None,
    recompute: bool,
    progress: Progress | None,
) -> Outcome:
    with Workspace.open(data) as ws:
        return stored_results(
            ws,
            org=org,
            periods=periods,
            ids=ids,
            settings=settings,
            engine=engine,
            user=user,
            recompute=recompute,
            progress=progress,
        )


def stored_results(
    ws: Workspace,
    *,
    org: str | None = None,
    periods: Iterable[int] | None = None,
    ids: Iterable[str] | None = None,
    settings: Settings | None = None,
    engine: EngineName = EngineName.polars,
    user: str | None = None,
    recompute: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """:func:`results` of an open workspace (a service keeps it open between requests):
    compute the organisations whose stored results are not current, then read them."""
    chosen = settings or Settings()
    ids = list(ids) if ids is not None else None
    org = org.strip().upper() if org else None
    key = settings_key(chosen)
    versions = store.data_versions(ws, None if org is None else [org])
    if not versions:
        where = f" of {org}" if org else ""
        raise InputError(f"the workspace {ws.root} holds no data{where} yet: use `ladder import`")
    before = store.stored_sets(ws, key, versions)
    current = _current(before, versions)
    stale = sorted(versions) if recompute else sorted(set(versions) - current)
    for done, code in enumerate(stale, start=1):
        _compute_org(ws, code, chosen, key, versions[code], engine, user)
        if progress is not None:
            progress(code, done, len(stale))
    sets = store.stored_sets(ws, key, versions) if stale else before
    keep_period = None if periods is None else set(periods)
    sets = [s for s in sets if keep_period is None or s.period in keep_period]
    frame = store.read_sets(sets)
    if frame is not None and ids is not None:
        keep = wanted(ids)
        picked = [rid for rid in frame["id"].unique().to_list() if keep(rid)]
        frame = frame.filter(pl.col("id").is_in(picked))
    found = [] if frame is None else results_from_frame(frame)
    notes = _against_publications(ws, found, chosen)
    found.sort(key=lambda r: (r.org, r.period))
    return Outcome(found, _skipped(sets, ids), notes, computed=stale, stored=True)


def _against_publications(ws: Workspace, found: list[Result], settings: Settings) -> list[str]:
    """The notes on stored results of organisations with a recorded publication (they were
    protected against it when computed: :func:`_compute_org`; recording a publication makes
    them stale, see :func:`ladder.store.results.data_versions`)."""
    from ladder.app.disclosure import against_note, published_against

    notes: list[str] = []
    for org in sorted({r.org for r in found}):
        against = published_against(ws, org)
        if against is None:
            continue
        for period in sorted({r.period for r in found if r.org == org}):
            notes.append(against_note(org, period, against, settings.threshold))
    return notes


def _current(sets: list[store.StoredSet], versions: dict[str, str]) -> set[str]:
    """The organisations whose stored sets are all current."""
    version = stored_version()
    by_org: dict[str, bool] = {}
    for s in sets:
        ok = s.method_version == version and s.data_version == versions.get(s.org)
        by_org[s.org] = by_org.get(s.org, True) and ok
    return {code for code, ok in by_org.items() if ok}


def _compute_org(
    ws: Workspace,
    code: str,
    settings: Settings,
    key: str,
    version: str,
    engine: EngineName,
    user: str | None,
) -> None:
    """Compute every indicator of ``code`` from its own data and store it per period."""
    from ladder.contract.kinds import KINDS

    files = {kind: [r.path for r in ws.files(kind, code, user=user)] for kind in KINDS}
    loaded = load_files(
        {k: v for k, v in files.items() if v}, engine=engine, org=code, settings=settings
    )
    try:
        frame, skipped = compute(loaded.context)
        by_period = _protected(ws, code, frame, loaded, settings)
    finally:
        loaded.close()
    store.write_sets(
        ws,
        code,
        by_period,
        settings_key=key,
        method_version=stored_version(),
        data_version=version,
        skipped=[(s.id, s.title, s.reason) for s in skipped],
    )


def _protected(
    ws: Workspace, code: str, frame: pl.DataFrame, loaded: Loaded, settings: Settings
) -> dict[int, pl.DataFrame]:
    """Each period's figures of ``code`` (``frame``: computed, not yet protected) protected
    as the runner does, or, for an organisation with a recorded publication, against it as
    ``ladder publish`` does (:func:`ladder.app.disclosure.protect_period`: one code path),
    so what the stored results show is what would be published."""
    from ladder.app.disclosure import earlier_publication, protect_period
    from ladder.metrics.runner import publish
    from ladder.metrics.table import results_frame

    found = earlier_publication(ws, code) if settings.disclosure == "suppression" else None
    if found is None:
        shown = publish(frame, loaded.context)
        return {
            int(k[0]): part
            for k, part in shown.partition_by("period", as_dict=True, maintain_order=True).items()
        }
    earlier, against = found
    out: dict[int, pl.DataFrame] = {}
    for k, part in frame.partition_by("period", as_dict=True, maintain_order=True).items():
        done = protect_period(
            results_from_frame(part), settings.threshold, earlier=earlier, against=against
        )
        out[int(k[0])] = results_frame(done.results)
    return out


def _skipped(sets: list[store.StoredSet], ids: list[str] | None) -> list[Skipped]:
    """The indicators skipped for every organisation read (with the first one's reason),
    in registry order (each set keeps its run's order)."""
    chosen = None if ids is None else {i.id for i in select(ids)}
    orgs = {s.org for s in sets}
    first: dict[str, Skipped] = {}
    skipped_by: dict[str, set[str]] = {}
    for s in sets:
        for sid, title, reason in s.skipped:
            first.setdefault(sid, Skipped(sid, title, reason))
            skipped_by.setdefault(sid, set()).add(s.org)
    return [
        skip
        for sid, skip in first.items()
        if skipped_by[sid] >= orgs and (chosen is None or sid in chosen)
    ]
