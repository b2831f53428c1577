"""The annual equality report as one self-contained, accessible HTML page.

Sections follow what trusts publish: a summary with the headline figures and the position
among peers; WRES; WDES; pay gaps (with the organisation's published gender pay gap
returns); socio-economic background; the published staff survey; trends (XmR charts when
three or more periods are loaded); and how the figures were made. Every chart has alt
text and a table equivalent; withheld figures all read "withheld" (no bound, whatever the
reason) and are never shown; the method is explained once, in "About these figures".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from importlib import resources

import jinja2

from ladder import __version__, reference
from ladder.metrics import Result, Unit
from ladder.metrics.formatting import WITHHELD, counts_text, method_text
from ladder.metrics.headline import HEADLINES, headline_table
from ladder.metrics.neighbourhoods import NeighbourhoodView, count_text, default_view
from ladder.place.catchment import DECILE, catchment_share
from ladder.place.neighbourhoods import KIND_LABELS
from ladder.reports import actions as plan
from ladder.reports import charts, findings, labels, peers, place_charts, words
from ladder.reports.charts import Figure

DETAIL_AXES = {"pay_band", "cluster", "quartile", "stage", "staff_group"}
"""Breakdowns too fine for the report's tables (they are in the spreadsheet return)."""

FLAG_TEXT = {
    "no_evidence_of_difference": "no evidence of difference",
    "outside_four_fifths": "outside 0.80–1.25",
    "small_group": "small group",
    "incomplete_window": "incomplete window",
}


@dataclass
class Table:
    """A captioned table of text cells (``wide``: printed on a landscape page)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str | None = None
    wide: bool = False


@dataclass
class Section:
    """One report section: summary sentences, charts (with their tables), tables."""

    anchor: str
    heading: str
    summary: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    parts: list[Section] = field(default_factory=list)  # h3 subsections
    landscape: bool = False

    @property
    def empty(self) -> bool:
        return not (self.summary or self.figures or self.tables or self.bullets or self.parts)


def org_name(org: str) -> str:
    """The trust's name from the ODS list shipped with Ladder, or the code itself."""
    names = dict(reference.trusts().select("org_code", "name").iter_rows())
    return str(names.get(org, org))


def period_label(period: int) -> str:
    """2024 → '2023/24' (the reporting year ending 31 March 2024)."""
    return f"{period - 1}/{str(period)[-2:]}"


def results_table(results: list[Result], caption: str, threshold: int) -> Table | None:
    """The figures of one family without the fine breakdowns, in words people use."""
    rows = []
    previous = ""
    for r in results:
        if DETAIL_AXES & {k for k, v in r.breakdown.items() if v != "all"}:
            continue
        if r.unit is Unit.GBP:
            continue  # pay in pounds by group: in the spreadsheet return
        extra = labels.breakdown(r.breakdown)
        reading = findings.no_evidence(r)
        flags = [
            FLAG_TEXT[f] for f in r.flags if f in FLAG_TEXT and f != "no_evidence_of_difference"
        ]
        if reading:
            flags.insert(0, FLAG_TEXT["no_evidence_of_difference"])
        name = labels.figure(r)
        rows.append(
            [
                name if name != previous else (labels.indicator(r) or "same as above"),
                labels.group(r.group) + (f" ({extra})" if extra else ""),
                findings.shown(r, threshold),
                findings.interval(r),
                counts_text(r),
                ", ".join(flags),
            ]
        )
        previous = name
    if not rows:
        return None
    return Table(caption, ["Figure", "Group", "Value", "95% CI", "Counts", "Flags"], rows)


def _of(results: list[Result], prefix: str) -> list[Result]:
    return [r for r in results if r.id == prefix or r.id.startswith(prefix + ".")]


def _standard(
    family: str,
    heading: str,
    representation: str,
    mine: list[Result],
    org: str,
    period: int,
    threshold: int,
) -> Section:
    """A WRES/WDES section: relative likelihoods and representation by band (charts)."""
    section = Section(family, heading)
    _add(section, charts.likelihood_chart(_of(mine, family), org, period, threshold))
    _add(section, charts.representation_chart(mine, representation, org, period, threshold))
    return section


def _add(section: Section, figure: Figure | None) -> None:
    if figure is not None:
        section.figures.append(figure)


def _published(published: peers.Published, caption: str) -> Table:
    if not published.found:
        return Table(caption, ["Note"], [[published.message]])
    return Table(caption, published.headers, published.rows, published.message or None)


def previous_period(every: list[Result], org: str, period: int) -> int | None:
    """The reporting year before ``period`` when it is loaded (last year), else None."""
    periods = {r.period for r in every if r.org == org and r.id.startswith(("wres.", "wdes."))}
    return period - 1 if period - 1 in periods else None


READING_TEXT = {
    findings.FINDING: "finding",
    findings.NO_DIFFERENCE: "no evidence of difference",
    findings.NO_TEST: "described (no test)",
    findings.WITHHELD: "withheld",
    findings.NOT_AVAILABLE: "not available",
}


def _reading(finding: findings.Finding) -> str:
    text = READING_TEXT[finding.reading]
    if finding.reading == findings.FINDING and finding.side is not None:
        who = findings.PROTECTED.get(finding.spec.columns[1], "the group")
        text += f": {who} fare {finding.side}"
    return text


def _summary(found: list[findings.Finding], org: str, period: int, previous: int | None) -> Section:
    summary = Section("summary", "Summary of findings")
    compared = (
        f"Each indicator is compared with {period_label(previous)} and with the national "
        "figure NHS England published."
        if previous is not None
        else "Only one reporting year is loaded, so no indicator is compared with last year; "
        "each is compared with the national figure NHS England published where there is one."
    )
    summary.summary = [
        f"These are the findings for {org_name(org)} for {period_label(period)}. {compared}",
        "A relative likelihood whose 95% confidence interval includes 1, or a difference "
        "whose interval includes 0, is reported as no evidence of difference, never as a "
        "finding. Pay gaps have no interval and are described as they are.",
    ]
    for standard in findings.STANDARDS:
        part = Section(f"summary-{_slug(standard)}", STANDARD_HEADINGS[standard])
        part.bullets = [f"{f.spec.key}: {f.sentence}" for f in found if f.spec.standard == standard]
        summary.parts.append(part)
    return summary


STANDARD_HEADINGS = {
    "WRES": "Workforce Race Equality Standard (WRES)",
    "WDES": "Workforce Disability Equality Standard (WDES)",
    "Pay gaps": "Pay gaps",
    "SEB": "Socio-economic background",
}


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _glance(
    found: list[findings.Finding], period: int, previous: int | None, threshold: int
) -> Section:
    glance = Section("indicators", "Each indicator beside last year and the nation", landscape=True)
    last = period_label(previous) if previous is not None else "Last year"
    for standard in findings.STANDARDS:
        rows = [f for f in found if f.spec.standard == standard]
        first, second = rows[0].spec.columns
        headers = [
            "Indicator",
            findings.COLUMN_LABELS.get(first, first) or "–",
            findings.COLUMN_LABELS.get(second, second),
            f"{period_label(period)} (95% CI)",
            "Reading",
            last,
            "Change",
            "National",
        ]
        table_rows = []
        for f in rows:
            value = findings.shown(f.result, threshold)
            ci = findings.interval(f.result)
            table_rows.append(
                [
                    f"{f.spec.key}: {f.spec.label}",
                    "not applicable"
                    if not f.spec.columns[0]
                    else findings.shown(f.columns[0], threshold),
                    findings.shown(f.columns[1], threshold),
                    f"{value} ({ci})" if ci else value,
                    _reading(f),
                    "not loaded" if previous is None else findings.shown(f.last, threshold),
                    "–" if previous is None else _change_cell(f),
                    f.national.text() if f.national is not None else "not available",
                ]
            )
        glance.tables.append(Table(STANDARD_HEADINGS[standard], headers, table_rows, wide=True))
    glance.tables[-1].note = (
        "White, BME (and the other group columns): each group's own percentage; for pay gaps "
        "its hourly pay. Ratios are relative likelihoods (1.00 is equality); differences are in "
        "percentage points. Change: 'better' or 'worse' only where the change is larger than "
        "chance would explain at 95%. National: NHS England's published national figure for "
        "that report year (the latest published when this year's is not available); sources "
        "are listed in the appendix."
    )
    return glance


def _change_cell(f: findings.Finding) -> str:
    return {
        "better": "better",
        "worse": "worse",
        "higher": "higher",
        "lower": "lower",
        "no evidence of change": "no evidence of change",
        "no test": "no test (no interval)",
    }.get(f.change, "not available")


def _action_plan(
    found: list[findings.Finding], recorded: list[plan.Action], previous: int | None
) -> Section:
    section = Section("action-plan", "Action plan")
    due = [f for f in found if f.needs_action]
    against = "equality or last year" if previous is not None else "equality"
    section.summary = [
        f"Each indicator below is a finding that is worse than {against}. The evidence is "
        "stated first; the actions are the trust's, from its actions file "
        "(ladder report --actions), so the same actions carry from year to year."
    ]
    if not due:
        section.summary.append("No indicator is a finding worse than equality this year.")
    keys = {f.spec.key for f in due}
    for f in due:
        part = Section(f"action-{_slug(f.spec.key)}", f"{f.spec.key}: {f.spec.label}")
        part.summary = [f"What the evidence shows: {f.sentence}"]
        mine = [a for a in recorded if a.indicator == f.spec.key]
        rows = [[a.action, a.owner, a.date] for a in mine] or [["", "", ""] for _ in range(2)]
        part.tables.append(Table(f"Actions for {f.spec.key}", ["Action", "Owner", "By"], rows))
        if not mine:
            part.tables[-1].note = "No actions recorded yet: space for the trust's actions."
        section.parts.append(part)
    other = [a for a in recorded if a.indicator not in keys]
    if other:
        part = Section("action-other", "Other actions carried forward")
        part.tables.append(
            Table(
                "Actions for indicators that are not findings worse than equality this year",
                ["Indicator", "Action", "Owner", "By"],
                [[a.indicator, a.action, a.owner, a.date] for a in other],
            )
        )
        section.parts.append(part)
    return section


def _appendix(mine: list[Result], found: list[findings.Finding], threshold: int) -> Section:
    appendix = Section("appendix", "Appendix: all figures")
    appendix.summary = [
        "Every figure of the report with its 95% confidence interval and counts. Breakdowns "
        "by pay band, cluster, pay quartile and recruitment stage, and pay in pounds by "
        "group, are in the spreadsheet return (XLSX), as are the official return layout and "
        "every neighbourhood."
    ]
    groups = (
        ("wres", "WRES figures"),
        ("wdes", "WDES figures"),
        ("paygap", "Pay gap figures"),
        ("seb", "Socio-economic background figures"),
        ("fairpay", "Fair pay: staff paid below the Real Living Wage"),
    )
    for prefix, heading in groups:
        table = results_table(_of(mine, prefix), heading, threshold)
        if table is not None:
            part = Section(f"appendix-{prefix}", heading)
            part.tables.append(table)
            appendix.parts.append(part)
    place = [r for r in _of(mine, "place") if not r.id.startswith("place.neighbourhoods")]
    table = results_table(place, "Place figures (IMD 2019)", threshold)
    if table is not None:
        part = Section("appendix-place", "Place figures (IMD 2019)")
        part.tables.append(table)
        appendix.parts.append(part)
    sources = [f for f in found if f.national is not None]
    if sources:
        part = Section("appendix-national", "Sources of the national figures")
        part.summary = [
            "National figures are NHS England's published WRES and WDES results for all NHS "
            "trusts in England, compiled with a source and a quality flag for every figure "
            "(Ladder reference data; docs/reference-data.md). NHS England primary sources are "
            "preferred; where sources disagree the figure says so."
        ]
        part.tables.append(
            Table(
                "National figures used in this report",
                ["Indicator", "National figure", "Source"],
                [
                    [
                        f.spec.key,
                        f.national.text(),
                        f"{f.national.source_type}: {f.national.source_url}",
                    ]
                    for f in sources
                    if f.national is not None
                ],
            )
        )
        appendix.parts.append(part)
    return appendix


def _peers(every: list[Result], mine: list[Result], org: str, period: int) -> Table | None:
    orgs = {r.org for r in every if r.period == period}
    if len(orgs) <= 1:
        return None
    figures = headline_table(mine).get((org, period), {})
    rows = []
    for p in peers.peer_positions(every, org, period):
        own = figures.get(p.label)
        quiet = own is not None and bool(findings.no_evidence(own))
        rows.append(
            [
                p.label,
                _num(p.value),
                "–" if quiet or not p.rank else f"{p.rank} of {p.of}",
                _num(p.median),
                _num(p.lowest),
                _num(p.highest),
                "no evidence of difference: not ranked" if quiet else p.note,
            ]
        )
    return Table(
        f"Position among the {len(orgs)} organisations in this data ({period_label(period)})",
        ["Figure", "This organisation", "Rank", "Median", "Lowest", "Highest", "Note"],
        rows,
        "Rank 1 is the highest value. A figure with no evidence of difference is not ranked.",
    )


def build_sections(
    every: list[Result],
    org: str,
    period: int,
    threshold: int,
    recorded: list[plan.Action] | None = None,
) -> list[Section]:
    """Every section of the report of ``org`` for ``period`` (``every`` holds all orgs and
    periods: last year, peers and trends come from it)."""
    mine = [r for r in every if r.org == org and r.period == period]
    previous = previous_period(every, org, period)
    found = findings.read(every, org, period, threshold, previous=previous)
    sections: list[Section] = [_summary(found, org, period, previous)]
    glance = _glance(found, period, previous, threshold)
    sections.append(glance)
    sections.append(_action_plan(found, recorded or [], previous))
    position = _peers(every, mine, org, period)

    sections.append(
        _standard(
            "wres",
            "WRES in charts",
            "representation.ethnicity",
            mine,
            org,
            period,
            threshold,
        )
    )
    sections.append(
        _standard(
            "wdes",
            "WDES in charts",
            "representation.disability",
            mine,
            org,
            period,
            threshold,
        )
    )

    pay = Section("pay-gaps", "Pay gaps in charts")
    context = peers.national_pay_gap_context(org, period)
    if context:
        pay.summary.append(context)
    _add(pay, charts.quartile_chart(mine, org, period, "sex", threshold))
    pay.tables.append(
        _published(
            peers.published_pay_gap(org), "Published gender pay gap returns (GOV.UK service)"
        )
    )
    sections.append(pay)

    seb = Section("seb", "Socio-economic background in charts")
    _add(seb, charts.seb_band_chart(mine, org, period, threshold))
    sections.append(seb)

    sections.append(_place(mine, org, period, threshold))

    survey = Section("staff-survey", "NHS Staff Survey: published results")
    survey.tables.append(
        _published(
            peers.published_staff_survey(org), "Published NHS Staff Survey organisational results"
        )
    )
    if position is not None:
        survey.tables.append(position)
        survey.heading = "Published results and other organisations"
    sections.append(survey)

    periods = sorted({r.period for r in every if r.org == org})
    if len(periods) >= 3:
        trends = Section("trends", "Trends")
        for h in HEADLINES:
            _add(
                trends,
                charts.xmr_chart(
                    [r for r in every if r.org == org], org, h.id, h.group, h.measure, threshold
                ),
            )
        sections.append(trends)
    if any(r.id.startswith("programme.") for r in mine):
        from ladder.reports.programme import programme_section  # it builds on this module

        sections.append(programme_section(mine, threshold))
    sections.append(_about(threshold, perturbed=any(PERTURBED in r.flags for r in mine)))
    sections.append(_appendix(mine, found, threshold))
    return [s for s in sections if not s.empty]


NEIGHBOURHOOD_ROWS = 40
"""Rows of the neighbourhood table in the report (all of them are in the workbook)."""


def _place(mine: list[Result], org: str, period: int, threshold: int) -> Section:
    """Home-area deprivation, the anchor-institution figures and the priority neighbourhoods."""
    place = Section("place", "Place: home-area deprivation")
    view = default_view(mine, org, period)
    place.summary = words.place_summary(
        mine,
        org,
        period,
        threshold,
        catchment_percent=catchment_share(org, DECILE),
        neighbourhoods=None
        if view is None
        else (len(view.rows), sum(r.priority == "1%" for r in view.rows), view.population),
    )
    if view is not None:
        _add(place, place_charts.neighbourhood_map(view))
        _add(place, place_charts.neighbourhood_counts(view, threshold))
        place.tables.append(_neighbourhood_table(view, threshold))
    return place


def _neighbourhood_table(view: NeighbourhoodView, threshold: int) -> Table:
    shown = view.rows[:NEIGHBOURHOOD_ROWS]
    headers = ["Neighbourhood (LSOA 2021)", "Local authority", "Most deprived", "IMD rank"]
    headers += ["Residents", "Income decile", "Employment decile", "Education decile"]
    headers += [KIND_LABELS[k] for k in view.kinds]
    rows = [
        [
            f"{r.name} ({r.lsoa21})",
            r.local_authority_name,
            r.priority,
            f"{r.imd_rank:,}",
            f"{r.population:,}",
            str(r.domain_deciles["income"]),
            str(r.domain_deciles["employment"]),
            str(r.domain_deciles["education"]),
            *(_count(r.counts.get(k), threshold) for k in view.kinds),
        ]
        for r in shown
    ]
    totals = "; ".join(
        f"{KIND_LABELS[k]} from all {len(view.rows):,}: {_count(view.totals.get(k), threshold)}"
        for k in view.kinds
    )
    more = len(view.rows) - len(shown)
    note = " ".join(
        n
        for n in (
            f"Catchment: {view.catchment}.",
            f"{totals}." if totals else "",
            f"The other {more:,} neighbourhoods are in the XLSX workbook." if more else "",
            "IMD rank 1 = most deprived of 32,844.",
        )
        if n
    )
    caption = f"The most deprived {view.percent}% of neighbourhoods nationally in the catchment"
    return Table(caption, headers, rows, note)


def _count(result: Result | None, threshold: int) -> str:
    text = count_text(result, threshold)
    return WITHHELD if text in ("withheld", f"<{threshold}") else text


def _num(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.2f}"


PERTURBED = "perturbed"
"""The flag of a figure perturbed by the cell key method (ladder.metrics.disclosure.cellkey)."""

PERTURBED_ABOUT = (
    "These figures are protected by cell key perturbation (after the ONS method for Census "
    "2021), not by withholding: every count of people has a little noise added (at most 5 "
    "either way, none on average), the same for the same group of people in every table, "
    "zero kept zero and no count of 1 or 2 shown as such. Percentages, rates and ratios are "
    "worked out from the perturbed counts, so totals may differ slightly from the sum of "
    "their parts; a mean, median or pay gap is shown only for a group of at least {floor} "
    "(perturbed). Read small counts and small differences as approximate."
)


def _about(threshold: int, *, perturbed: bool = False) -> Section:
    about = Section("about", "About these figures")
    about.summary = [
        "Relative likelihoods compare the rate of one group with another's; 1.00 means equal "
        "likelihood. Each comes with a 95% confidence interval (log method); when the interval "
        "includes 1 there is no evidence of a difference and the figure is not a finding. "
        "Differences between two percentages (the staff survey indicators) are in percentage "
        "points with a Newcombe 95% interval; when it includes 0 there is no evidence of a "
        "difference. The 0.80–1.25 band (the four-fifths rule) is shown beside ratios.",
        "Change from last year: two ratios are compared on the log scale and two differences "
        "on their own scale, each year's standard error taken from its 95% interval; two "
        "percentages by the Newcombe interval of their difference. The years are treated as "
        "independent samples, which makes the test cautious. Pay gaps have no interval, so "
        "their change is shown without a test.",
        (
            f"Every withheld figure reads “{WITHHELD}”, whatever the reason."
            if perturbed
            else f"{method_text(threshold)} Every withheld figure reads “{WITHHELD}”."
        )
        + " Staff with unknown ethnicity or disability are excluded from every ratio and "
        "counted separately.",
        "Percentages are rounded to one decimal place, ratios and pounds to two. The reporting "
        "year ends on 31 March (2023/24 is the year to 31 March 2024); the staff survey "
        "indicators come from the survey run in the preceding autumn.",
    ]
    if perturbed:
        about.summary.insert(2, PERTURBED_ABOUT.format(floor=threshold + 5))
    return about


def _asset(name: str) -> str:
    return (resources.files("ladder.reports") / "assets" / name).read_text("utf-8")


def render_html(
    every: list[Result],
    org: str,
    period: int,
    *,
    threshold: int = 10,
    synthetic: bool = False,
    source: str = "",
    actions: list[plan.Action] | None = None,
) -> str:
    """The whole report of ``org`` for ``period`` as one HTML document (no external files)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ladder.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    name = org_name(org)
    return env.get_template("report.html.j2").render(
        title=f"{name}: workforce equality report {period_label(period)}",
        version=__version__,
        nhsuk_css=_asset("nhsuk-frontend.min.css"),
        report_css=_asset("report.css"),
        org=org,
        org_name=name,
        period=period,
        period_label=period_label(period),
        synthetic=synthetic,
        sections=build_sections(every, org, period, threshold, actions),
        threshold=threshold,
        generated=dt.date.today().isoformat(),
        source=source,
    )
