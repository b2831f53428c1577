"""Write the reports of every organisation in a set of results: HTML, and optionally PDF
and XLSX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import narwhals as nw

from ladder.metrics import Context, Result
from ladder.metrics.expressions import to_polars
from ladder.reports import xlsx
from ladder.reports.actions import Action
from ladder.reports.html import render_html
from ladder.reports.pdf import write_pdf

ID_COLUMNS = {"staff": "staff_id", "applications": "application_id"}


@dataclass
class ReportFiles:
    """What was written for one organisation and period."""

    org: str
    period: int
    html: Path
    pdf: Path | None = None
    xlsx: Path | None = None


@dataclass
class ReportRun:
    files: list[ReportFiles] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_synthetic(ctx: Context) -> bool:
    """True when the data came from ``ladder synth`` (its pseudonymous IDs start 'SYN-')."""
    for kind, column in ID_COLUMNS.items():
        if ctx.has(kind):
            flag = to_polars(
                ctx.frame(kind).select(nw.col(column).str.starts_with("SYN-").any().alias("s"))
            )
            return bool(flag.item())
    return False


def write_reports(
    results: list[Result],
    out: Path,
    *,
    org: str | None = None,
    period: int | None = None,
    pdf: bool = False,
    spreadsheet: bool = False,
    threshold: int = 10,
    synthetic: bool = False,
    source: str = "",
    notes: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    actions: list[Action] | None = None,
) -> ReportRun:
    """Write one report per organisation from a run's (suppressed) ``results``.

    Peers are the other organisations in ``results``, so ``org`` only limits which reports
    are written. ``period`` defaults to each organisation's latest. The use case that
    fetches the results first is :func:`ladder.app.reports.build_reports`.
    """
    outcome = ReportRun(notes=list(notes or ()))
    out.mkdir(parents=True, exist_ok=True)
    orgs = sorted({r.org for r in results}) if org is None else [org]
    for code in orgs:
        periods = sorted({r.period for r in results if r.org == code})
        if not periods:
            outcome.notes.append(f"{code}: no results in this data; no report written")
            continue
        chosen = period if period is not None else periods[-1]
        if chosen not in periods:
            outcome.notes.append(f"{code}: no results for period {chosen}; no report written")
            continue
        if progress is not None:
            progress(f"{code} {chosen}")
        stem = out / f"{code}-{chosen}-equality-report"
        html = render_html(
            results,
            code,
            chosen,
            threshold=threshold,
            synthetic=synthetic,
            source=source,
            actions=actions,
        )
        files = ReportFiles(code, chosen, stem.with_suffix(".html"))
        files.html.write_text(html, encoding="utf-8")
        if pdf:
            files.pdf = stem.with_suffix(".pdf")
            write_pdf(html, files.pdf)
        if spreadsheet:
            files.xlsx = stem.with_suffix(".xlsx")
            xlsx.write_workbook(
                [r for r in results if r.org == code and r.period == chosen],
                code,
                chosen,
                files.xlsx,
                threshold,
            )
        outcome.files.append(files)
    return outcome
