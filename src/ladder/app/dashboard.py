"""An organisation's dashboard: its headline figures from the STORED results, as words.

Nothing is computed here: the figures are read from the workspace's stored results
(:mod:`ladder.app.results`), which an import (or ``ladder metrics``) computes. When nothing
is stored yet the dashboard says so, and how to fill it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ladder.metrics import Result, Settings
from ladder.metrics.formatting import counts_text, interval_text, number
from ladder.metrics.headline import HEADLINES
from ladder.metrics.stored import settings_key, stored_version
from ladder.metrics.table import results_from_frame
from ladder.store import Workspace
from ladder.store import results as store


@dataclass(frozen=True)
class Row:
    """One headline figure as shown."""

    label: str
    id: str
    value: str
    interval: str
    counts: str
    reading: str
    withheld: bool


@dataclass(frozen=True)
class Trend:
    """A headline figure over the stored periods (oldest first)."""

    label: str
    values: list[tuple[int, str, str]]  # (period, value, interval)


@dataclass
class Dashboard:
    org: str
    period: int | None
    periods: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    stale: bool = False
    trends: list[Trend] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.periods


def reading(result: Result) -> str:
    """How to read a figure: withheld, no evidence of difference, or who is more likely."""
    if result.suppressed:
        return "withheld"
    if result.ci_lower is None or result.ci_upper is None:
        return ""
    if result.unit.value != "ratio":
        return ""
    first, _, second = (result.group or "").partition(":")
    if result.ci_lower <= 1 <= result.ci_upper:
        return "no evidence of difference"
    return f"{first} staff more likely" if result.ci_lower > 1 else f"{second} staff more likely"


def stored_results(ws: Workspace, org: str) -> tuple[list[Result], bool]:
    """Every stored result of ``org`` (default settings) and whether any set is out of date
    (computed before the latest import, or by an older Ladder). Never computes."""
    sets = store.stored_sets(ws, settings_key(Settings()), [org])
    version = store.data_version(ws, org)
    stale = any(s.data_version != version or s.method_version != stored_version() for s in sets)
    key = (str(ws.root), org, tuple((s.period, s.data_version, str(s.path)) for s in sets))
    found = _PARSED.get(key)
    if found is None:  # read each stored set once per process (the files never change)
        frame = store.read_sets(sets)
        found = [] if frame is None else results_from_frame(frame)
        if len(_PARSED) >= _CACHE_SIZE:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = found
    _PARSED_LAST[(str(ws.root), org)] = found
    return list(found), stale


_PARSED: dict[tuple[object, ...], list[Result]] = {}
_PARSED_LAST: dict[tuple[str, str], list[Result]] = {}
"""The parsed list :func:`stored_results` last returned for each (workspace, organisation)."""


_CACHE_SIZE = 64


def results_of(ws: Workspace, org: str, period: int | None = None) -> list[Result]:
    """The stored results of ``org`` (one period when given): the records of
    ``ladder metrics --format json``."""
    found, _ = stored_results(ws, org)
    return [r for r in found if period is None or r.period == period]


def dashboard(ws: Workspace, org: str, period: int | None = None) -> Dashboard:
    """The headline figures of ``org`` in ``period`` (the latest stored when None), kept in
    memory while the stored results it reads stay the same (a page view then only checks
    that they did)."""
    found, stale = stored_results(ws, org)
    parsed = _PARSED_LAST.get((str(ws.root), org))
    kept = _BOARDS.get((str(ws.root), org))
    if kept is not None and kept[0] is parsed and kept[1] == (period, stale):
        return kept[2]
    board = _dashboard(ws, org, found, stale, period)
    _BOARDS[(str(ws.root), org)] = (parsed, (period, stale), board)
    return board


_BOARDS: dict[tuple[str, str], tuple[object, tuple[int | None, bool], Dashboard]] = {}
"""The latest dashboard built for each (workspace, organisation): the parsed results it was
built from (compared by identity: new stored results are a new list), its arguments, it."""


def _dashboard(
    ws: Workspace, org: str, found: list[Result], stale: bool, period: int | None
) -> Dashboard:
    periods = sorted({r.period for r in found}, reverse=True)
    if not periods:
        return Dashboard(org, None)
    chosen = period if period in periods else periods[0]
    wanted = {(h.id, h.group, h.measure): h.label for h in HEADLINES}
    rows = []
    for h in HEADLINES:
        for r in found:
            if r.period != chosen or r.breakdown or (r.id, r.group or "", r.measure) not in wanted:
                continue
            if r.id != h.id or (r.group or "") != h.group or r.measure != h.measure:
                continue
            rows.append(
                Row(
                    label=h.label,
                    id=r.id,
                    value="withheld" if r.suppressed else number(r.value, r.unit),
                    interval=interval_text(r),
                    counts=counts_text(r),
                    reading=reading(r),
                    withheld=r.suppressed,
                )
            )
    return Dashboard(org, chosen, periods, rows, stale, trends(ws, org, found))


# --------------------------------------------------------------------------- charts

PEER_MINIMUM = 4
"""Peer positions (rank, median, range) are shown only when at least this many organisations
have results for the period, so a range never is one other organisation's figure."""


@dataclass(frozen=True)
class Chart:
    """A chart (its SVG, served as an image at ``src``) with its alt text and table view."""

    title: str
    alt: str
    src: str
    svg: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str | None


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    summary: list[str]
    charts: list[Chart]
    tables: list[Table]


_SECTIONS: dict[tuple[object, ...], list[Section]] = {}


def _fingerprint(ws: Workspace) -> tuple[object, ...]:
    sets = store.stored_sets(ws, settings_key(Settings()))
    return tuple((s.org, s.period, s.data_version, s.method_version, str(s.path)) for s in sets)


def sections(ws: Workspace, org: str, period: int, threshold: int = 10) -> list[Section]:
    """The report's sections of ``org`` for ``period`` (charts with table views, peers,
    national figures, trends) from the stored results, kept in memory until the stored
    results change: a page view renders no chart twice and computes no indicator."""
    import hashlib

    from ladder.reports.html import build_sections

    fingerprint = (str(ws.root), org, period, threshold, _fingerprint(ws))
    cached = _SECTIONS.get(fingerprint)
    if cached is not None:
        return cached
    every: list[Result] = []
    orgs = []
    for code in sorted(store.data_versions(ws)):
        found, _ = stored_results(ws, code)
        if code == org:
            every.extend(found)
        elif any(r.period == period for r in found):
            orgs.append(found)
    if len(orgs) + 1 >= PEER_MINIMUM:
        for found in orgs:
            every.extend(found)
    if not any(r.org == org and r.period == period for r in every):
        return []
    version = hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:16]
    built = []
    n = 0
    for s in build_sections(every, org, period, threshold):
        if s.anchor == "about":
            continue
        charts = []
        for f in s.figures:
            src = f"/orgs/{org}/charts/{period}/{n}?v={version}"
            charts.append(
                Chart(f.title, f.alt, src, f.svg, list(f.headers), [list(r) for r in f.rows])
            )
            n += 1
        tables = [Table(t.caption, t.headers, t.rows, t.note) for t in s.tables]
        built.append(Section(s.anchor, s.heading, list(s.summary), charts, tables))
    if len(_SECTIONS) >= _CACHE_SIZE:
        _SECTIONS.pop(next(iter(_SECTIONS)))
    _SECTIONS[fingerprint] = built
    return built


def chart_svg(ws: Workspace, org: str, period: int, number: int) -> str | None:
    """The SVG of chart ``number`` of ``org``'s dashboard for ``period`` (None: no such)."""
    charts = [c for s in sections(ws, org, period) for c in s.charts]
    return charts[number].svg if 0 <= number < len(charts) else None


def trends(ws: Workspace, org: str, found: list[Result] | None = None) -> list[Trend]:
    """Every headline figure of ``org`` in each stored period (a table: a trend); from
    ``found`` (``org``'s stored results) when the caller has read them already."""
    if found is None:
        found, _ = stored_results(ws, org)
    periods = sorted({r.period for r in found})
    out = []
    for h in HEADLINES:
        values = []
        for p in periods:
            match = [
                r
                for r in found
                if r.period == p
                and not r.breakdown
                and r.id == h.id
                and (r.group or "") == h.group
                and r.measure == h.measure
            ]
            if match:
                r = match[0]
                values.append(
                    (p, "withheld" if r.suppressed else number(r.value, r.unit), interval_text(r))
                )
        if values:
            out.append(Trend(h.label, values))
    return out


def warm(ws: Workspace) -> None:
    """Build every organisation's dashboard sections for its latest stored year (a server
    does this once at start, so no first visitor waits for the charts)."""
    for org in sorted(store.data_versions(ws)):
        board = dashboard(ws, org)
        if board.period is not None:
            sections(ws, org, board.period)
