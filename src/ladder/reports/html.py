"""The annual equality report as one self-contained, accessible HTML page.

Sections follow what trusts publish: a summary with the headline figures and the position
among peers; WRES; WDES; pay gaps (with the organisation's published gender pay gap
returns); socio-economic background; the published staff survey; trends (XmR charts when
three or more periods are loaded); and how the figures were made. Every chart has alt
text and a table equivalent; suppressed figures read "fewer than N" and are never shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from importlib import resources

import jinja2

from ladder import __version__, reference
from ladder.metrics import Result
from ladder.metrics.formatting import counts_text, interval_text, value_text
from ladder.metrics.headline import HEADLINES, headline_table
from ladder.metrics.neighbourhoods import NeighbourhoodView, count_text, default_view
from ladder.place.catchment import DECILE, catchment_share
from ladder.place.neighbourhoods import KIND_LABELS
from ladder.reports import charts, peers, place_charts, words
from ladder.reports.charts import Figure

DETAIL_AXES = {"pay_band", "cluster", "quartile", "stage"}
"""Breakdowns too fine for the report's tables (they are in the spreadsheet return)."""

FLAG_TEXT = {
    "no_evidence_of_difference": "no evidence of difference",
    "outside_four_fifths": "outside 0.80–1.25",
    "small_group": "small group",
    "incomplete_window": "incomplete window",
}


@dataclass
class Table:
    """A captioned table of text cells."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str | None = None


@dataclass
class Section:
    """One report section: summary sentences, charts (with their tables), tables."""

    anchor: str
    heading: str
    summary: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.summary or self.figures or self.tables)


def org_name(org: str) -> str:
    """The trust's name from the ODS list shipped with Ladder, or the code itself."""
    names = dict(reference.trusts().select("org_code", "name").iter_rows())
    return str(names.get(org, org))


def period_label(period: int) -> str:
    """2024 → '2023/24' (the reporting year ending 31 March 2024)."""
    return f"{period - 1}/{str(period)[-2:]}"


def results_table(results: list[Result], caption: str, threshold: int) -> Table | None:
    """The figures of one family without the fine breakdowns."""
    rows = []
    for r in results:
        if DETAIL_AXES & set(r.breakdown):
            continue
        extra = ", ".join(f"{k} {v}" for k, v in r.breakdown.items())
        flags = ", ".join(FLAG_TEXT[f] for f in r.flags if f in FLAG_TEXT)
        rows.append(
            [
                r.id,
                r.title,
                (r.group or "") + (f" ({extra})" if extra else ""),
                value_text(r, threshold),
                interval_text(r),
                counts_text(r),
                flags,
            ]
        )
    if not rows:
        return None
    return Table(caption, ["Id", "Figure", "Group", "Value", "95% CI", "n/N", "Flags"], rows)


def _of(results: list[Result], prefix: str) -> list[Result]:
    return [r for r in results if r.id == prefix or r.id.startswith(prefix + ".")]


def _standard(
    family: str,
    heading: str,
    representation: str,
    caption: str,
    mine: list[Result],
    org: str,
    period: int,
    threshold: int,
) -> Section:
    """A WRES/WDES section: summary, relative likelihoods, representation by band, table."""
    section = Section(family, heading)
    section.summary = words.summary(mine, family, org, period, threshold)
    _add(section, charts.likelihood_chart(_of(mine, family), org, period, threshold))
    _add(section, charts.representation_chart(mine, representation, org, period, threshold))
    _table(section, _of(mine, family), caption, threshold)
    return section


def _add(section: Section, figure: Figure | None) -> None:
    if figure is not None:
        section.figures.append(figure)


def _published(published: peers.Published, caption: str) -> Table:
    if not published.found:
        return Table(caption, ["Note"], [[published.message]])
    return Table(caption, published.headers, published.rows, published.message or None)


def build_sections(every: list[Result], org: str, period: int, threshold: int) -> list[Section]:
    """Every section of the report of ``org`` for ``period`` (``every`` holds all orgs and
    periods: peers and trends come from it)."""
    mine = [r for r in every if r.org == org and r.period == period]
    sections: list[Section] = []

    summary = Section("summary", "Summary")
    figures = headline_table(mine).get((org, period), {})
    summary.tables.append(
        Table(
            "Headline figures",
            ["Figure", "Value", "95% CI"],
            [
                [h.label, value_text(figures[h.label], threshold), interval_text(figures[h.label])]
                for h in HEADLINES
                if h.label in figures
            ],
            "Relative likelihoods: 1.00 is equality. Pay gaps: positive means women are paid less.",
        )
    )
    orgs = {r.org for r in every if r.period == period}
    if len(orgs) > 1:
        positions = peers.peer_positions(every, org, period)
        summary.tables.append(
            Table(
                f"Position among the {len(orgs)} organisations in this data "
                f"({period_label(period)})",
                ["Figure", "This organisation", "Rank", "Median", "Lowest", "Highest", "Note"],
                [
                    [
                        p.label,
                        _num(p.value),
                        f"{p.rank} of {p.of}" if p.rank else "–",
                        _num(p.median),
                        _num(p.lowest),
                        _num(p.highest),
                        p.note,
                    ]
                    for p in positions
                ],
                "Rank 1 is the highest value.",
            )
        )
    sections.append(summary)

    sections.append(
        _standard(
            "wres",
            "Workforce Race Equality Standard (WRES)",
            "representation.ethnicity",
            "WRES indicators",
            mine,
            org,
            period,
            threshold,
        )
    )
    sections.append(
        _standard(
            "wdes",
            "Workforce Disability Equality Standard (WDES)",
            "representation.disability",
            "WDES metrics",
            mine,
            org,
            period,
            threshold,
        )
    )

    pay = Section("pay-gaps", "Pay gaps")
    pay.summary = words.summary(mine, "paygap", org, period, threshold)
    context = peers.national_pay_gap_context(org, period)
    if context:
        pay.summary.append(context)
    _add(pay, charts.quartile_chart(mine, org, period, "sex", threshold))
    _table(pay, _of(mine, "paygap"), "Pay gap figures", threshold)
    pay.tables.append(
        _published(
            peers.published_pay_gap(org), "Published gender pay gap returns (GOV.UK service)"
        )
    )
    sections.append(pay)

    seb = Section("seb", "Socio-economic background")
    seb.summary = words.summary(mine, "seb", org, period, threshold)
    _add(seb, charts.seb_band_chart(mine, org, period, threshold))
    _table(seb, _of(mine, "seb"), "Socio-economic background figures", threshold)
    sections.append(seb)

    fair = Section("fair-pay", "Fair pay: the Real Living Wage")
    caption = "Directly employed and contracted staff paid below the Real Living Wage"
    _table(fair, _of(mine, "fairpay"), caption, threshold)
    sections.append(fair)

    sections.append(_place(mine, org, period, threshold))

    survey = Section("staff-survey", "NHS Staff Survey: published results")
    survey.tables.append(
        _published(
            peers.published_staff_survey(org), "Published NHS Staff Survey organisational results"
        )
    )
    sections.append(survey)

    trends = Section("trends", "Trends")
    periods = sorted({r.period for r in every if r.org == org})
    if len(periods) >= 3:
        for h in HEADLINES:
            _add(
                trends,
                charts.xmr_chart(
                    [r for r in every if r.org == org], org, h.id, h.group, h.measure, threshold
                ),
            )
    else:
        trends.summary.append(
            f"Trends appear as statistical process control (XmR) charts once three or more "
            f"reporting years are loaded; this data holds {len(periods)}."
        )
    sections.append(trends)
    if any(r.id.startswith("programme.") for r in mine):
        from ladder.reports.programme import programme_section  # it builds on this module

        sections.append(programme_section(mine, threshold))
    sections.append(_about(threshold))
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
    figures = [r for r in _of(mine, "place") if not r.id.startswith("place.neighbourhoods")]
    _table(place, figures, "Place figures (IMD 2019)", threshold)
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
            *(count_text(r.counts.get(k), threshold) for k in view.kinds),
        ]
        for r in shown
    ]
    totals = "; ".join(
        f"{KIND_LABELS[k]} from all {len(view.rows):,}: {count_text(view.totals.get(k), threshold)}"
        for k in view.kinds
    )
    more = len(view.rows) - len(shown)
    note = " ".join(
        n
        for n in (
            f"Catchment: {view.catchment}.",
            f"{totals}." if totals else "",
            f"The other {more:,} neighbourhoods are in the XLSX workbook." if more else "",
            f"<{threshold}: fewer than {threshold} people; withheld: so that a smaller count "
            "cannot be worked out from the total. IMD rank 1 = most deprived of 32,844.",
        )
        if n
    )
    caption = f"The most deprived {view.percent}% of neighbourhoods nationally in the catchment"
    return Table(caption, headers, rows, note)


def _num(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.2f}"


def _table(section: Section, results: list[Result], caption: str, threshold: int) -> None:
    table = results_table(results, caption, threshold)
    if table is not None:
        table.note = (
            "Breakdowns by pay band and cluster are in the spreadsheet return. "
            "Flags: 'no evidence of difference' — the 95% interval includes 1."
        )
        section.tables.append(table)


def _about(threshold: int) -> Section:
    about = Section("about", "About these figures")
    about.summary = [
        "Relative likelihoods compare the rate of one group with another's; 1.00 means equal "
        "likelihood. Each comes with a 95% confidence interval (log method); when the interval "
        "includes 1 there is no evidence of a difference and the figure should not be read as "
        "a finding. The 0.80–1.25 band (the four-fifths rule) is shown beside it.",
        f"To protect individuals, any figure that would publish a count below {threshold} is "
        "withheld and shown as “fewer than " + str(threshold) + "”; further cells are withheld "
        "where a withheld one could otherwise be worked out from totals.",
        "Staff with unknown ethnicity or disability are excluded from every ratio and counted "
        "separately. The reporting year ends on 31 March; the staff survey is the one run in "
        "the preceding autumn.",
    ]
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
        sections=build_sections(every, org, period, threshold),
        threshold=threshold,
        generated=dt.date.today().isoformat(),
        source=source,
    )
