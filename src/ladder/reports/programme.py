"""The evaluation report of a community employment programme (docs/programmes.md).

One self-contained, accessible HTML page in the NHS.UK style — the same building blocks as
the equality report (:mod:`ladder.reports.html` sections and tables, Altair charts rendered
offline with their alt text and table equivalents, WeasyPrint for the PDF): the headline in
words, the funnel, cohorts over time (an XmR chart from three cohorts), outcomes, reach,
sustained employment and retention, the equality breakdowns, and the method. Withheld
figures all read "withheld" (no bound, whatever the reason) and are never plotted.
:func:`programme_section` is the short programme section of the organisation's equality
report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

import altair as alt
import jinja2

from ladder import __version__
from ladder.metrics import Result
from ladder.metrics.formatting import (
    WITHHELD,
    counts_text,
    interval_text,
    method_text,
    value_text,
)
from ladder.metrics.programmes import Programme, definition_for
from ladder.metrics.programmes.funnel import ALL, CHARACTERISTICS, headline_sentence
from ladder.reports import spc
from ladder.reports.charts import (
    NHS_BLACK,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_WARM_YELLOW,
    WIDTH,
    Figure,
    _data,
    _figure,
)
from ladder.reports.html import Section, Table, org_name

STATISTIC_LABELS = {
    "lower_quartile": "lower quartile",
    "median": "median",
    "upper_quartile": "upper quartile",
}
NO_EVIDENCE = "no_evidence_of_difference"


def file_stem(org: str, programme: str) -> str:
    """``RR8-community-works-for-health-evaluation``."""
    slug = re.sub(r"[^a-z0-9]+", "-", programme.lower()).strip("-") or "programme"
    return f"{org}-{slug}-evaluation"


def _of(results: Sequence[Result], rid: str, cohort: str | None = ALL) -> list[Result]:
    return [
        r
        for r in results
        if r.id == rid and (cohort is None or r.breakdown.get("cohort", ALL) == cohort)
    ]


def _by_group(results: Sequence[Result], rid: str, cohort: str = ALL) -> dict[str, Result]:
    return {r.group or "": r for r in _of(results, rid, cohort)}


def _count(r: Result | None, threshold: int) -> str:
    if r is None:
        return "–"
    if r.suppressed:
        return WITHHELD
    return "–" if r.numerator is None else f"{int(r.numerator):,}"


def _pct(r: Result | None, threshold: int) -> str:
    if r is None:
        return "–"
    text = value_text(r, threshold)
    ci = interval_text(r)
    return f"{text} ({ci})" if ci else text


def funnel_chart(results: Sequence[Result], programme: Programme, threshold: int) -> Figure | None:
    """Horizontal bars: people at each stage (all cohorts), labelled with the count and the
    percentage of the first stage."""
    funnel = _by_group(results, "programme.funnel")
    rows: list[list[str]] = []
    data = []
    for s in programme.stages:
        r = funnel.get(s.id)
        rows.append([s.label, _count(r, threshold), _pct(r, threshold)])
        if r is not None and not r.suppressed and r.numerator is not None and r.value is not None:
            data.append(
                {
                    "stage": s.label,
                    "count": r.numerator,
                    "text": f"{int(r.numerator):,} ({r.value:.0f}%)",
                }
            )
    if not data:
        return None
    order = [s.label for s in programme.stages]
    base = alt.Chart(_data(data)).encode(y=alt.Y("stage:N", sort=order, title=None))
    bars = base.mark_bar(color=NHS_BLUE, stroke=NHS_BLACK, strokeWidth=0.5).encode(
        x=alt.X("count:Q", title="People"), tooltip=["stage:N", "text:N"]
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=NHS_BLACK).encode(
        x="count:Q", text="text:N"
    )
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=26 * len(order))
    sentence = headline_sentence(list(results), programme, threshold)
    alt_text = (
        f"Bar chart of the people at each stage of {programme.name}, all cohorts. "
        + (f"{sentence}." if sentence else "")
        + " Withheld stages are not drawn."
    )
    return _figure(
        chart,
        f"{programme.name}: people at each stage",
        alt_text,
        ["Stage", "People", "% of those at the first stage (95% CI)"],
        rows,
    )


def cohort_chart(results: Sequence[Result], programme: Programme, threshold: int) -> Figure | None:
    """The recruited percentage of each cohort, in order; with three or more cohorts an XmR
    chart (mean and natural process limits, Making Data Count)."""
    target = programme.recruited
    cohorts = sorted(
        {r.breakdown.get("cohort", "") for r in _of(results, "programme.funnel", None)} - {ALL, ""}
    )
    points: list[dict[str, Any]] = []
    rows = []
    for c in cohorts:
        r = _by_group(results, "programme.funnel", c).get(target)
        rows.append([c, _count(r, threshold), _pct(r, threshold)])
        if r is not None and not r.suppressed and r.value is not None:
            points.append({"cohort": c, "value": r.value})
    if len(points) < 2:
        return None
    stage = programme.stage(target)
    base = alt.Chart(_data(points)).encode(
        x=alt.X("cohort:N", sort=[p["cohort"] for p in points], title="Cohort")
    )
    layers = [
        base.mark_line(color=NHS_DARK_GREY).encode(y=alt.Y("value:Q", title="%")),
        base.mark_point(filled=True, color=NHS_BLUE, size=60).encode(y="value:Q"),
    ]
    words = ""
    if len(points) >= spc.MIN_POINTS:
        chart = spc.xmr([p["value"] for p in points])
        lines = [
            {"y": chart.mean, "what": "mean"},
            {"y": min(100.0, chart.upper), "what": "upper limit"},
            {"y": max(0.0, chart.lower), "what": "lower limit"},
        ]
        layers.append(
            alt.Chart(_data(lines))
            .mark_rule(color=NHS_WARM_YELLOW, strokeDash=[4, 3])
            .encode(y="y:Q", tooltip=["what:N", "y:Q"])
        )
        outside = [p["cohort"] for p in points if not chart.lower <= p["value"] <= chart.upper]
        words = (
            f" XmR chart: mean {chart.mean:.1f}%, natural process limits "
            f"{max(0.0, chart.lower):.1f}% to {min(100.0, chart.upper):.1f}%; "
            + (
                f"cohorts outside the limits: {', '.join(outside)}."
                if outside
                else "every cohort is within the limits (common-cause variation)."
            )
        )
    figure = alt.layer(*layers).properties(width=WIDTH, height=180)
    return _figure(
        figure,
        f"Participants who {stage.past}, by cohort (%)",
        f"Line chart of the percentage of each cohort's participants who {stage.past}." + words,
        ["Cohort", "People", "% (95% CI)"],
        rows,
    )


def _funnel_table(results: Sequence[Result], programme: Programme, threshold: int) -> Table:
    funnel = _by_group(results, "programme.funnel")
    conversion = _by_group(results, "programme.conversion")
    time = {
        r.group: r
        for r in _of(results, "programme.time")
        if r.breakdown.get("statistic") == "median"
    }
    quartiles = {(r.group, r.breakdown.get("statistic")): r for r in _of(results, "programme.time")}
    rows = []
    for s in programme.stages:
        m = time.get(s.id)
        lo, hi = quartiles.get((s.id, "lower_quartile")), quartiles.get((s.id, "upper_quartile"))
        days = "–"
        if m is not None and m.suppressed:
            days = WITHHELD
        elif m is not None and m.value is not None:
            days = f"{m.value:.0f}"
            if lo is not None and hi is not None and lo.value is not None and hi.value is not None:
                days += f" ({lo.value:.0f}–{hi.value:.0f})"
        rows.append(
            [
                s.label,
                _count(funnel.get(s.id), threshold),
                _pct(funnel.get(s.id), threshold),
                _pct(conversion.get(s.id), threshold) if s.id in conversion else "–",
                days,
            ]
        )
    notes = sorted({r.note for r in _of(results, "programme.funnel") if r.note})
    return Table(
        "The funnel, all cohorts",
        [
            "Stage",
            "People",
            "% of the first stage (95% CI)",
            "% of the stage before (95% CI)",
            "Days from the stage before: median (quartiles)",
        ],
        rows,
        " ".join(n[:1].upper() + n[1:] + "." for n in notes) or None,
    )


def _cohort_table(results: Sequence[Result], programme: Programme, threshold: int) -> Table | None:
    cohorts = sorted(
        {r.breakdown.get("cohort", "") for r in _of(results, "programme.funnel", None)} - {ALL, ""}
    )
    if not cohorts:
        return None
    rows = []
    for c in cohorts:
        funnel = _by_group(results, "programme.funnel", c)
        rows.append([c, *(_count(funnel.get(s.id), threshold) for s in programme.stages)])
    return Table(
        "People at each stage by cohort",
        ["Cohort", *(s.label for s in programme.stages)],
        rows,
        "Later cohorts have had less time to reach the later stages.",
    )


def _outcomes(results: Sequence[Result], programme: Programme, threshold: int) -> Table | None:
    found = _by_group(results, "programme.outcome")
    rows = [
        [o.label, _count(found.get(o.id), threshold), _pct(found.get(o.id), threshold)]
        for o in programme.outcomes
        if o.id in found
    ]
    if not rows:
        return None
    return Table(
        "Outcomes that are not stages, all cohorts",
        ["Outcome", "People", "% of participants (95% CI)"],
        rows,
    )


def _reach(results: Sequence[Result], threshold: int) -> Table | None:
    found = _of(results, "programme.reach", None) + _of(results, "programme.reach.catchment", None)
    if not found:
        return None
    by = {(r.group, r.breakdown.get("population")): r for r in found}
    areas = list(dict.fromkeys(r.group or "" for r in found))
    rows = []
    for area in areas:
        cells = []
        for population in ("participants", "applicants", "catchment", "difference"):
            r = by.get((area, population))
            if r is None:
                cells.append("–")
            elif population in ("participants", "applicants"):
                text = _pct(r, threshold)
                cells.append(f"{text}; {counts_text(r)}" if counts_text(r) else text)
            else:
                cells.append(value_text(r, threshold))
        rows.append([area.capitalize(), *cells])
    notes = sorted(
        {r.note for r in found if r.note and r.breakdown.get("population") == "catchment"}
    )
    return Table(
        "Reach: participants living in the most deprived areas",
        [
            "Home area",
            "Participants (95% CI; n/N)",
            "Trust's applicants",
            "Catchment population",
            "Difference (participants − catchment)",
        ],
        rows,
        "IMD 2019 of the home LSOA; shares among people whose home area is known. "
        + " ".join(notes),
    )


def _retention(results: Sequence[Result], threshold: int) -> Table | None:
    found = _of(results, "programme.retention", None) + _of(results, "programme.progression", None)
    if not found:
        return None
    rows = []
    for r in found:
        what = (
            f"Still employed after {r.breakdown.get('months')} months"
            if r.id == "programme.retention"
            else "In a higher band after 12 months"
        )
        flags = "no evidence of difference" if NO_EVIDENCE in r.flags else ""
        rows.append(
            [what, r.group or "", value_text(r, threshold), interval_text(r), counts_text(r), flags]
        )
    note = next((r.note for r in found if r.note), None)
    return Table(
        "Sustained employment: recruits followed in the staff records, against the trust's "
        "other new starters",
        ["Measure", "Group", "Value", "95% CI", "n/N", "Flags"],
        rows,
        note,
    )


def _equality(results: Sequence[Result], threshold: int) -> list[Table]:
    found = _of(results, "programme.equality", None)
    tables = []
    for key, words, _, _ in CHARACTERISTICS:
        mine = [r for r in found if r.breakdown.get("characteristic") == key]
        if not mine:
            continue
        rows = []
        for r in mine:
            flags = "no evidence of difference" if NO_EVIDENCE in r.flags else ""
            rows.append(
                [r.group or "", value_text(r, threshold), interval_text(r), counts_text(r), flags]
            )
        tables.append(
            Table(
                f"Recruited, by {words}",
                ["Group (ratio: first ÷ second)", "Value", "95% CI", "n/N", "Flags"],
                rows,
            )
        )
    return tables


def _sustained_sentence(
    results: Sequence[Result], programme: Programme, threshold: int
) -> str | None:
    funnel = _by_group(results, "programme.conversion")
    parts = []
    for s in programme.stages:
        if s.after_days is None or s.id not in funnel:
            continue
        r = funnel[s.id]
        if r.suppressed or r.value is None or r.denominator is None:
            parts.append(f"{s.label.lower()}: {WITHHELD}")
        else:
            parts.append(f"{s.label.lower()}: {r.value:.0f}% of {int(r.denominator):,}")
    if not parts:
        return None
    return (
        "Of those at the stage before and who have had the time, the share still in work — "
        + "; ".join(parts)
        + "."
    )


def build_sections(
    results: Sequence[Result], programme: Programme, threshold: int, notes: Sequence[str] = ()
) -> list[Section]:
    """Every section of the evaluation of one programme (``results``: its figures)."""
    sections = []
    summary = Section("summary", "Summary")
    sentence = headline_sentence(list(results), programme, threshold)
    if sentence:
        summary.summary.append(f"{sentence}.")
    sustained = _sustained_sentence(results, programme, threshold)
    if sustained:
        summary.summary.append(sustained)
    if programme.description:
        summary.summary.append(programme.description)
    sections.append(summary)

    funnel = Section("funnel", "Who gets through each step")
    figure = funnel_chart(results, programme, threshold)
    if figure is not None:
        funnel.figures.append(figure)
    funnel.tables.append(_funnel_table(results, programme, threshold))
    sections.append(funnel)

    cohorts = Section("cohorts", "Cohorts over time")
    chart = cohort_chart(results, programme, threshold)
    if chart is not None:
        cohorts.figures.append(chart)
    table = _cohort_table(results, programme, threshold)
    if table is not None:
        cohorts.tables.append(table)
    sections.append(cohorts)

    outcomes = Section("outcomes", "Outcomes")
    table = _outcomes(results, programme, threshold)
    if table is not None:
        outcomes.tables.append(table)
    sections.append(outcomes)

    reach = Section("reach", "Who the programme reaches")
    table = _reach(results, threshold)
    if table is not None:
        reach.tables.append(table)
    sections.append(reach)

    stayed = Section("sustained", "Sustained employment")
    if sustained:
        stayed.summary.append(sustained)
    table = _retention(results, threshold)
    if table is not None:
        stayed.tables.append(table)
    else:
        stayed.summary.append(
            "Retention against the trust's other new starters needs the recruits' staff_id on "
            "the participants file and at least two staff snapshots."
        )
    sections.append(stayed)

    equality = Section("equality", "Equality: who is recruited")
    equality.summary.append(
        "Ratios compare the first group's rate with the second's; when the 95% interval "
        "includes 1 there is no evidence of a difference and the figure is not a finding."
    )
    equality.tables.extend(_equality(results, threshold))
    sections.append(equality)

    method = Section("method", "Method and data")
    method.summary = [
        f"Stages: {', '.join(s.label for s in programme.stages)} (definition: {programme.source}).",
        "Percentages come with Wilson 95% confidence intervals. A sustained-work stage counts "
        "only the participants who have had the time to reach it by the latest date in the "
        "data (as DWP reports job outcomes). Days between stages are over the people with both "
        "dates.",
        f"{method_text(threshold)} Every withheld figure reads “{WITHHELD}”.",
        "Method: docs/programmes.md in the Ladder repository.",
        *notes,
    ]
    sections.append(method)
    return [s for s in sections if not s.empty]


def _asset(name: str) -> str:
    return (resources.files("ladder.reports") / "assets" / name).read_text("utf-8")


def evaluation_html(
    results: Sequence[Result],
    programme: Programme,
    org: str,
    *,
    threshold: int = 10,
    source: str = "",
    notes: Sequence[str] = (),
    synthetic: bool = False,
) -> str:
    """The whole evaluation report as one HTML document (no external files)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ladder.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    name = org_name(org)
    mine = [r for r in results if r.org == org]
    return env.get_template("programme.html.j2").render(
        title=f"{programme.name}: programme evaluation ({name})",
        version=__version__,
        nhsuk_css=_asset("nhsuk-frontend.min.css"),
        report_css=_asset("report.css"),
        org=org,
        org_name=name,
        programme=programme,
        synthetic=synthetic,
        sections=build_sections(mine, programme, threshold, notes),
        threshold=threshold,
        generated=dt.date.today().isoformat(),
        source=source,
    )


def programme_section(mine: Sequence[Result], threshold: int) -> Section:
    """The short programme section of the organisation's equality report: each programme's
    headline sentence (the evaluation report has the funnel table and the rest)."""
    section = Section("programmes", "Community employment programmes")
    names = sorted({r.breakdown["programme"] for r in mine if r.id == "programme.funnel"})
    for name in names:
        own = [r for r in mine if r.breakdown.get("programme") == name]
        definition = definition_for(name)
        used = {r.group for r in own if r.id == "programme.funnel"}
        from dataclasses import replace

        programme = replace(definition, stages=tuple(s for s in definition.stages if s.id in used))
        sentence = headline_sentence(own, programme, threshold)
        section.summary.append(f"{name}: {sentence}." if sentence else f"{name}: figures withheld.")
    if names:
        section.summary.append(
            "Each programme's evaluation report (`ladder programme report`) has its reach, "
            "sustained employment and equality breakdowns."
        )
    return section
