"""Build the reports: fetch (or compute) the results of every organisation, then write each
organisation's report with the others as its peers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ladder.app import results as app_results
from ladder.app.disclosure import protected_results
from ladder.engines import EngineName
from ladder.metrics import Settings, load
from ladder.metrics.disclosure.protect import method_note
from ladder.metrics.results import Result
from ladder.metrics.runner import method_note as run_method_note
from ladder.metrics.runner import run
from ladder.reports import actions as plan
from ladder.reports.actions import ActionsError
from ladder.reports.build import ReportRun, is_synthetic, write_reports
from ladder.reports.findings import KEYS

__all__ = ["ActionsError", "build_reports"]


def build_reports(
    data: Path,
    out: Path,
    *,
    org: str | None = None,
    period: int | None = None,
    pdf: bool = False,
    spreadsheet: bool = False,
    engine: EngineName = EngineName.polars,
    threshold: int = 10,
    progress: Callable[[str], None] | None = None,
    actions: Path | None = None,
    disclosure: str = "suppression",
    seed: int = 0,
) -> ReportRun:
    """Write the reports of ``data`` (a workspace: from its stored results) to ``out``.

    ``actions``: the trust's actions file (YAML or XLSX) for the action plan; a bad file
    raises :class:`ActionsError` before anything is computed.

    Computed results are protected and audited first (:func:`protected_results`): when the
    disclosure audit can narrow any withheld value, nothing is written
    (:class:`ladder.app.disclosure.PublicationRefused`, naming the figures).
    ``disclosure="cellkey"``: the figures are perturbed by the cell key method with ``seed``
    instead of suppressed (:mod:`ladder.metrics.disclosure.cellkey`); the recovery audit,
    built for withheld counts, is not run, and the reports say the figures are perturbed."""
    recorded = plan.load(actions, KEYS) if actions is not None else None
    settings = Settings(threshold=threshold, disclosure=disclosure, seed=seed)
    stored = app_results.is_workspace(data)
    loaded = load(data, engine=engine, settings=settings)  # a folder's files are read once
    extra: list[str] = []
    try:
        synthetic = is_synthetic(loaded.context)  # a lazy scan of the IDs
        found: list[Result] = []
        if not stored and disclosure == "cellkey":
            found = run(loaded.context).results
            extra.append(run_method_note(settings))
        elif not stored:
            found, cleared = protected_results(loaded.context)
            extra.append(method_note(threshold))
            extra += [
                f"{o} {p}: {w:,} of {n:,} figures withheld (disclosure control; the audit "
                "recovers none of them)"
                for o, p, w, n in cleared.publications
                if (org is None or o == org) and w
            ]
    finally:
        loaded.close()
    if stored:  # protected against any recorded publication (the notes say so)
        fetched = app_results.results(data, settings=settings, engine=engine)
        found = fetched.results
        cellkey = disclosure == "cellkey"
        extra.append(run_method_note(settings) if cellkey else method_note(threshold))
        extra += [
            n
            for n in fetched.notes
            if n != extra[0] and (org is None or n.startswith(f"{org} ") or ": " not in n[:20])
        ]
    return write_reports(
        found,
        out,
        org=org,
        period=period,
        pdf=pdf,
        spreadsheet=spreadsheet,
        threshold=threshold,
        synthetic=synthetic,
        source=str(data),
        notes=[*loaded.notes, *extra],
        progress=progress,
        actions=recorded,
    )
