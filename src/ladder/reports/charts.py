"""Accessible charts of indicator results, rendered offline to SVG.

Every chart is a :class:`Figure`: a title, alt text (a sentence saying what the chart shows),
the SVG (Altair → Vega-Lite, rendered by vl-convert, no network) and the same figures as a
table. Withheld figures read "withheld" in the table (the same whatever the reason, no
bound) and are never plotted. Colours
come from the NHS identity palette; groups are labelled in text, never by colour alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import altair as alt
import vl_convert

from ladder.codes import PAY_BANDS
from ladder.metrics import Measure, Result, Unit
from ladder.metrics.formatting import WITHHELD, interval_text, number
from ladder.reports import labels, spc

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_WARM_YELLOW = "#FFB81C"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
NHS_BLACK = "#212B32"
NHS_PURPLE = "#330072"
NHS_AQUA_GREEN = "#00A499"
NHS_DARK_PINK = "#7C2855"
NHS_WHITE = "#FFFFFF"

GROUP_COLOURS: tuple[str, ...] = (
    NHS_BLUE,
    NHS_WARM_YELLOW,
    NHS_DARK_GREY,
    NHS_PURPLE,
    NHS_AQUA_GREEN,
    NHS_DARK_PINK,
)
"""Fills for groups in order; each bar is outlined in NHS black so it stands out from white."""

_DARK_FILLS = {NHS_BLUE, NHS_DARK_GREY, NHS_PURPLE, NHS_DARK_PINK, NHS_DARK_BLUE}

QUARTILES: tuple[str, ...] = ("lower", "lower_middle", "upper_middle", "upper")
QUARTILE_LABELS: dict[str, str] = {
    "lower": "Lower",
    "lower_middle": "Lower middle",
    "upper_middle": "Upper middle",
    "upper": "Upper",
}
ALL = "all"
ALL_LABEL = "All staff"
EQUIVALENCE = (0.8, 1.25)
"""The shaded band around equality on the likelihood chart (the four-fifths rule)."""

FONT = "Arial, Liberation Sans, Helvetica, sans-serif"
WIDTH = 420


@dataclass(frozen=True)
class Figure:
    """A chart and its accessible equivalents."""

    title: str
    alt: str
    svg: str
    headers: list[str]
    rows: list[list[str]]


# --------------------------------------------------------------------------- helpers


def _render(spec: dict[str, Any]) -> str:
    """Vega-Lite spec → SVG text, offline."""
    svg: str = vl_convert.vegalite_to_svg(json.dumps(spec))
    return svg


def _figure(
    chart: Any, title: str, alt_text: str, headers: list[str], rows: list[list[str]]
) -> Figure:
    chart = chart.properties(title=title, description=alt_text).configure(font=FONT)
    # the chart is one image with a name and a table view: its marks carry no ARIA roles of
    # their own (an empty layer's mark group would be an image without a name)
    chart = chart.configure_view(stroke=None).configure_mark(aria=False)
    spec: dict[str, Any] = chart.to_dict()
    svg = _accessible(_render(spec), title, alt_text)
    headers = [h if h == "Unknown" else labels.GROUPS.get(h, h) for h in headers]
    return Figure(title=title, alt=alt_text, svg=svg, headers=headers, rows=rows)


def _accessible(svg: str, title: str, alt_text: str) -> str:
    """The SVG as an image with a name: role="img", aria-label, <title> and <desc>."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        return svg
    head = svg[start:end]
    extra = f' role="img" aria-label={quoteattr(alt_text)}' if "role=" not in head else ""
    return (
        f"{svg[:end]}{extra}><title>{escape(title)}</title><desc>{escape(alt_text)}</desc>"
        f"{svg[end + 1 :]}"
    )


def _data(values: list[dict[str, Any]]) -> Any:
    """Inline data for a chart."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _band_key(band: str) -> tuple[int, str]:
    if band == ALL:
        return (len(PAY_BANDS) + 1, band)
    if band in PAY_BANDS:
        return (PAY_BANDS.index(band), band)
    return (len(PAY_BANDS), band)


def _band_label(band: str) -> str:
    return ALL_LABEL if band == ALL else band


def _ordered(items: Sequence[str]) -> list[str]:
    """Distinct items in first-seen order."""
    return list(dict.fromkeys(items))


def _list_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _plottable(result: Result) -> bool:
    return not result.suppressed and result.value is not None


def _shown(result: Result, threshold: int) -> str:
    """A figure in a chart's table: one rounding; withheld ones in words."""
    if result.suppressed:
        return WITHHELD
    return number(result.value, result.unit)


def _year(period: int) -> str:
    return f"{period - 1}/{str(period)[-2:]}"


def _colour_scale(groups: Sequence[str]) -> Any:
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(len(groups))]
    return alt.Scale(domain=list(groups), range=colours)


def _text_colour(groups: Sequence[str]) -> Any:
    colours = [
        NHS_WHITE if GROUP_COLOURS[i % len(GROUP_COLOURS)] in _DARK_FILLS else NHS_BLACK
        for i in range(len(groups))
    ]
    return alt.Scale(domain=list(groups), range=colours)


# --------------------------------------------------------------------------- representation


def representation_chart(
    results: list[Result],
    id: str,
    org: str,
    period: int,
    threshold: int = 10,
    cluster: str | None = None,
) -> Figure | None:
    """Each group's share of each pay band, with its whole-workforce share as a reference.

    Works for ``representation.*`` (breakdown ``pay_band``) and for ``wres.1``/``wdes.1``
    (breakdown ``cluster`` + ``pay_band``): for those, ``cluster`` picks the cluster
    (default ``all`` when it has pay bands, otherwise the first cluster that does: for
    ``wres.1`` each cluster's own ``all`` band is its reference line). One panel per group,
    bars by pay band, a dashed line at the group's share of the whole workforce (or cluster),
    pay band ``all``.
    """
    candidates = [
        r
        for r in results
        if r.id == id
        and r.org == org
        and r.period == period
        and r.measure is Measure.SHARE
        and "pay_band" in r.breakdown
        and r.group is not None
    ]
    chosen = cluster or _default_cluster(candidates)
    cells = [r for r in candidates if r.breakdown.get("cluster", chosen) == chosen]
    if not cells:
        return None
    groups = _ordered([r.group for r in cells if r.group is not None])
    bands = sorted(_ordered([r.breakdown["pay_band"] for r in cells]), key=_band_key)
    by_key = {(r.group, r.breakdown["pay_band"]): r for r in cells}
    unit = cells[0].unit

    rows = [
        [_band_label(band)]
        + [_shown(by_key[(g, band)], threshold) if (g, band) in by_key else "–" for g in groups]
        for band in bands
    ]
    data = [
        {
            "group": r.group,
            "band": _band_label(r.breakdown["pay_band"]),
            "value": r.value,
            "label": number(r.value, r.unit),
            "reference": r.breakdown["pay_band"] == ALL,
        }
        for r in cells
        if _plottable(r)
    ]
    band_order = [_band_label(b) for b in bands if b != ALL]

    base = alt.Chart().encode(
        y=alt.Y("band:N", sort=band_order, title="Pay band"),
    )
    bars = (
        base.mark_bar(color=NHS_BLUE, stroke=NHS_BLACK, strokeWidth=0.5)
        .encode(
            x=alt.X("value:Q", title="% of the pay band", scale=alt.Scale(domain=[0, 100])),
            tooltip=["group:N", "band:N", "label:N"],
        )
        .transform_filter("!datum.reference")
    )
    labels = (
        base.mark_text(align="left", dx=3, color=NHS_BLACK, fontSize=10)
        .encode(x="value:Q", text="label:N")
        .transform_filter("!datum.reference")
    )
    rule = (
        alt.Chart()
        .mark_rule(color=NHS_BLACK, strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x="value:Q")
        .transform_filter("datum.reference")
    )
    chart = (
        alt.layer(bars, labels, rule, data=_data(data))
        .properties(width=160, height=18 * len(band_order))
        .facet(facet=alt.Facet("group:N", sort=groups, title=None), columns=3)
    )

    title = f"{cells[0].title}: {org}, {_year(period)}"
    if "cluster" in cells[0].breakdown:
        title += f" ({chosen} staff)" if chosen != ALL else " (all staff)"
    alt_text = _representation_alt(cells, groups, org, period, unit)
    headers = ["Pay band", *groups]
    return _figure(chart, title, alt_text, headers, rows)


def _default_cluster(cells: list[Result]) -> str:
    """'all' if it has pay bands, else the first cluster that does (wres.1: clinical etc.)."""
    banded = _ordered(
        [
            r.breakdown["cluster"]
            for r in cells
            if "cluster" in r.breakdown and r.breakdown["pay_band"] != ALL
        ]
    )
    return ALL if not banded or ALL in banded else banded[0]


def _representation_alt(
    cells: list[Result], groups: list[str], org: str, period: int, unit: Unit
) -> str:
    text = (
        f"Bar charts of the percentage of each pay band who are {_list_words(groups)}, "
        f"for {org} in {_year(period)}, with each group's share of the whole workforce as a "
        "dashed line."
    )
    overall = {r.group: r.value for r in cells if r.breakdown["pay_band"] == ALL and _plottable(r)}
    best: tuple[float, Result, float] | None = None
    for r in cells:
        if r.breakdown["pay_band"] == ALL or not _plottable(r) or r.group not in overall:
            continue
        assert r.value is not None
        ref = overall[r.group]
        assert ref is not None
        gap = abs(r.value - ref)
        if best is None or gap > best[0]:
            best = (gap, r, ref)
    if best is not None:
        _, r, ref = best
        text += (
            f" The largest difference from the whole workforce is {r.group} staff in "
            f"{r.breakdown['pay_band']}: {number(r.value, unit)} of the band against "
            f"{number(ref, unit)} of all staff."
        )
    return text


# --------------------------------------------------------------------------- likelihoods


def _reading(result: Result) -> str:
    if not _plottable(result) or result.ci_lower is None or result.ci_upper is None:
        return ""
    first, _, second = (result.group or "").partition(":")
    if result.ci_lower <= 1 <= result.ci_upper:
        return "no evidence of difference"
    if result.ci_lower > 1:
        return f"{first} more likely" if first else "more likely"
    return f"{second or 'reference group'} more likely" if second else "less likely"


def _pin(x: float, low: float, high: float) -> float:
    if not math.isfinite(x):
        return high if x > 0 else low
    return min(max(x, low), high)


def likelihood_chart(
    results: list[Result], org: str, period: int, threshold: int = 10
) -> Figure | None:
    """Forest plot of every relative likelihood (no breakdown): point, 95% CI, line at 1.

    Log-scale x; the 0.8–1.25 band is shaded; rows whose interval includes 1 are labelled
    "no evidence of difference". Suppressed rows are in the table only.
    """
    cells = [
        r
        for r in results
        if r.org == org
        and r.period == period
        and r.measure is Measure.RELATIVE_LIKELIHOOD
        and not r.breakdown
    ]
    if not cells:
        return None
    cells.sort(key=lambda r: (r.id, r.group or ""))

    def label(r: Result) -> str:
        return f"{labels.indicator(r) or r.title}: {labels.group(r.group)}"

    rows = [
        [
            labels.indicator(r) or r.title,
            labels.group(r.group),
            _shown(r, threshold),
            interval_text(r),
            _reading(r),
        ]
        for r in cells
    ]
    plotted = [r for r in cells if _plottable(r)]
    positive = [
        x
        for r in plotted
        for x in (r.value, r.ci_lower, r.ci_upper)
        if x is not None and math.isfinite(x) and x > 0
    ]
    lo_dom = min([EQUIVALENCE[0], *positive]) * 0.8
    hi_dom = max([EQUIVALENCE[1], *positive]) * 1.25
    data = []
    for r in plotted:
        assert r.value is not None
        # a log scale has no zero or infinity: pin those to the edge of the axis
        lo = _pin(r.ci_lower if r.ci_lower is not None else r.value, lo_dom, hi_dom)
        hi = _pin(r.ci_upper if r.ci_upper is not None else r.value, lo_dom, hi_dom)
        interval = interval_text(r)
        text = number(r.value, Unit.RATIO) + (f" ({interval})" if interval else "")
        reading = _reading(r)
        data.append(
            {
                "row": label(r),
                "value": _pin(r.value, lo_dom, hi_dom),
                "lower": lo,
                "upper": hi,
                "label": f"{text}, {reading}" if reading else text,
            }
        )
    x_scale = alt.Scale(type="log", domain=[lo_dom, hi_dom], clamp=True)
    withheld = [r for r in cells if r.suppressed]
    order = [label(r) for r in cells if _plottable(r) or r.suppressed]
    height = max(60, 28 * len(order))

    band = (
        alt.Chart(_data([{"lo": EQUIVALENCE[0], "hi": EQUIVALENCE[1]}]))
        .mark_rect(color=NHS_PALE_GREY)
        .encode(x=alt.X("lo:Q", scale=x_scale), x2="hi:Q")
    )
    equality = (
        alt.Chart(_data([{"x": 1.0}]))
        .mark_rule(color=NHS_BLACK, strokeWidth=1.5)
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    base = alt.Chart(_data(data)).encode(
        y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    )
    bars = base.mark_rule(color=NHS_DARK_BLUE, strokeWidth=2).encode(
        x=alt.X(
            "lower:Q",
            scale=x_scale,
            title="Relative likelihood (log scale; 1 = equal)",
        ),
        x2="upper:Q",
    )
    points = base.mark_point(filled=True, size=70, color=NHS_BLUE, shape="diamond").encode(
        x=alt.X("value:Q", scale=x_scale), tooltip=["row:N", "label:N"]
    )
    texts = base.mark_text(align="left", dx=6, dy=-9, fontSize=10, color=NHS_BLACK).encode(
        x=alt.X("value:Q", scale=x_scale), text="label:N"
    )
    layers = [band, equality, bars, points, texts]
    if withheld:  # marked where the point would be, never with a value
        layers.append(
            alt.Chart(_data([{"row": label(r), "x": 1.0, "label": WITHHELD} for r in withheld]))
            .mark_text(align="left", dx=6, fontSize=10, color=NHS_BLACK, fontStyle="italic")
            .encode(
                x=alt.X("x:Q", scale=x_scale),
                y=alt.Y("row:N", sort=order, title=None),
                text="label:N",
            )
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=height)

    title = f"Relative likelihoods: {org}, {_year(period)}"
    alt_text = _likelihood_alt(cells, plotted, org, period, threshold)
    headers = ["Indicator", "Groups", "Relative likelihood", "95% CI", "Reading"]
    return _figure(chart, title, alt_text, headers, rows)


def _likelihood_alt(
    cells: list[Result], plotted: list[Result], org: str, period: int, threshold: int
) -> str:
    text = (
        f"Forest plot of {len(plotted)} relative likelihoods for {org} in {_year(period)}, "
        "each with its 95% confidence interval, against a line of equality at 1."
    )
    if plotted:
        far = max(plotted, key=lambda r: abs(math.log(r.value)) if r.value and r.value > 0 else 0)
        text += (
            f" The furthest from equality is {labels.indicator(far) or far.title} "
            f"({labels.group(far.group)}) at "
            f"{number(far.value, Unit.RATIO)}."
        )
        none = sum(1 for r in plotted if _reading(r) == "no evidence of difference")
        text += f" {none} of {len(plotted)} show no evidence of difference."
    hidden = len(cells) - len(plotted)
    if hidden:
        what = "is" if hidden == 1 else "are"
        text += (
            f" {hidden} more {what} withheld (disclosure control: see the notes), marked "
            "'withheld' without a value."
        )
    return text


# --------------------------------------------------------------------------- stacked shares


def _stacked(
    cells: list[Result],
    categories: list[str],
    category_of: Mapping[str, str],
    category_title: str,
    title: str,
    threshold: int,
    intro: str,
) -> Figure:
    """100% stacked horizontal bars: one bar per category, one segment per group."""
    groups = _ordered([r.group for r in cells if r.group is not None])
    by_key = {(r.group, r.breakdown[category_title]): r for r in cells}
    labels = [category_of[c] for c in categories]
    rows = [
        [category_of[c]]
        + [_shown(by_key[(g, c)], threshold) if (g, c) in by_key else "–" for g in groups]
        for c in categories
    ]
    data = []
    for c in categories:
        start = 0.0
        for g in groups:
            r = by_key.get((g, c))
            if r is None or not _plottable(r):
                continue
            assert r.value is not None
            value_label = number(r.value, r.unit)
            data.append(
                {
                    "category": category_of[c],
                    "group": g,
                    "start": start,
                    "end": start + r.value,
                    "middle": start + r.value / 2,
                    "label": value_label,
                    # label the segment where it fits (the table has every value)
                    "text": (
                        f"{g} {value_label}"
                        if r.value >= 18
                        else value_label
                        if r.value >= 7
                        else ""
                    ),
                }
            )
            start += r.value
    base = alt.Chart(_data(data)).encode(y=alt.Y("category:N", sort=labels, title=None))
    bars = base.mark_bar(stroke=NHS_BLACK, strokeWidth=0.5).encode(
        x=alt.X("start:Q", title="% of staff", scale=alt.Scale(domain=[0, 100])),
        x2="end:Q",
        color=alt.Color(
            "group:N",
            scale=_colour_scale(groups),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=["category:N", "group:N", "label:N"],
    )
    texts = base.mark_text(fontSize=10).encode(
        x="middle:Q",
        text="text:N",
        color=alt.Color("group:N", scale=_text_colour(groups), legend=None),
    )
    chart = (
        alt.layer(bars, texts)
        .resolve_scale(color="independent")
        .properties(width=WIDTH, height=22 * len(categories))
    )
    alt_text = intro + _spread_sentence(cells, groups, categories, category_of, category_title)
    return _figure(chart, title, alt_text, [category_title_header(category_title), *groups], rows)


def category_title_header(key: str) -> str:
    """Table header for a breakdown key ('pay_band' → 'Pay band')."""
    return key.replace("_", " ").capitalize()


def _spread_sentence(
    cells: list[Result],
    groups: list[str],
    categories: list[str],
    category_of: Mapping[str, str],
    key: str,
) -> str:
    """'The largest spread is GROUP: from a in X to b in Y.'"""
    best: tuple[float, str, Result, Result] | None = None
    for g in groups:
        mine = [
            r
            for r in cells
            if r.group == g
            and _plottable(r)
            and r.breakdown[key] in categories
            and r.breakdown[key] != ALL
        ]
        if len(mine) < 2:
            continue
        low = min(mine, key=lambda r: r.value or 0.0)
        high = max(mine, key=lambda r: r.value or 0.0)
        spread = (high.value or 0.0) - (low.value or 0.0)
        if best is None or spread > best[0]:
            best = (spread, g, low, high)
    if best is None:
        return ""
    _, g, low, high = best
    return (
        f" The largest spread is for {g}: from {number(low.value, low.unit)} in "
        f"{category_of[low.breakdown[key]]} to {number(high.value, high.unit)} in "
        f"{category_of[high.breakdown[key]]}."
    )


def quartile_chart(
    results: list[Result],
    org: str,
    period: int,
    characteristic: str = "sex",
    threshold: int = 10,
) -> Figure | None:
    """Each pay quartile's make-up by group (``paygap.<characteristic>.quartiles``)."""
    id = f"paygap.{characteristic}.quartiles"
    cells = [
        r
        for r in results
        if r.id == id
        and r.org == org
        and r.period == period
        and r.measure is Measure.SHARE
        and r.breakdown.get("quartile") in QUARTILE_LABELS
        and r.group is not None
    ]
    if not cells:
        return None
    present = {r.breakdown["quartile"] for r in cells}
    categories = [q for q in QUARTILES if q in present]
    groups = _ordered([r.group for r in cells if r.group is not None])
    title = f"Pay quartiles by {characteristic}: {org}, {_year(period)}"
    intro = (
        f"Stacked bars of the share of {_list_words(groups)} staff in each pay quartile, "
        f"lowest paid to highest paid, for {org} in {_year(period)}."
    )
    return _stacked(cells, categories, QUARTILE_LABELS, "quartile", title, threshold, intro)


def seb_band_chart(
    results: list[Result], org: str, period: int, threshold: int = 10
) -> Figure | None:
    """Socio-economic background by pay band (``seb.profile_by_band``): the class ceiling."""
    cells = [
        r
        for r in results
        if r.id == "seb.profile_by_band"
        and r.org == org
        and r.period == period
        and r.measure is Measure.SHARE
        and "pay_band" in r.breakdown
        and r.group is not None
    ]
    if not cells:
        return None
    categories = sorted(_ordered([r.breakdown["pay_band"] for r in cells]), key=_band_key)
    names = {c: _band_label(c) for c in categories}
    groups = _ordered([r.group for r in cells if r.group is not None])
    title = f"Socio-economic background by pay band: {org}, {_year(period)}"
    intro = (
        f"Stacked bars of the share of staff from {_list_words(groups)} socio-economic "
        f"backgrounds in each pay band, for {org} in {_year(period)}."
    )
    return _stacked(cells, categories, names, "pay_band", title, threshold, intro)


# --------------------------------------------------------------------------- XmR


def xmr_chart(
    results: list[Result],
    org: str,
    id: str,
    group: str | None,
    measure: Measure,
    threshold: int = 10,
    breakdown: Mapping[str, str] | None = None,
) -> Figure | None:
    """XmR chart over periods ('Making Data Count' style), or None under 3 periods.

    Mean line, natural process limits (dashed), common-cause points as grey circles and
    special-cause points as purple diamonds labelled with the rule they break (see
    :mod:`ladder.reports.spc`). Suppressed periods are in the table, not the chart or the
    limits.
    """
    wanted = dict(breakdown or {})
    cells = sorted(
        (
            r
            for r in results
            if r.org == org
            and r.id == id
            and r.group == group
            and r.measure is measure
            and r.breakdown == wanted
        ),
        key=lambda r: r.period,
    )
    plotted = [r for r in cells if _plottable(r)]
    if len(plotted) < spc.MIN_POINTS:
        return None
    values = [float(r.value) for r in plotted if r.value is not None]
    chart_numbers = spc.xmr(values)
    point_signals = spc.signals(chart_numbers)
    unit = plotted[0].unit
    signal_of = {r.period: s for r, s in zip(plotted, point_signals, strict=True)}

    def describe(signals: frozenset[spc.Signal]) -> str:
        if not signals:
            return "common cause"
        return "special cause: " + "; ".join(
            spc.SIGNAL_LABELS[s] for s in spc.Signal if s in signals
        )

    rows = [
        [
            str(r.period),
            _shown(r, threshold),
            describe(signal_of[r.period]) if r.period in signal_of else "",
        ]
        for r in cells
    ]
    data = [
        {
            "period": str(r.period),
            "value": r.value,
            "label": number(r.value, unit),
            "kind": "special cause" if signal_of[r.period] else "common cause",
            "signal": describe(signal_of[r.period]),
        }
        for r in plotted
    ]
    lines = [
        {
            "line": "mean",
            "y": chart_numbers.mean,
            "text": f"mean {number(chart_numbers.mean, unit)}",
        },
        {
            "line": "upper process limit",
            "y": chart_numbers.upper,
            "text": f"upper limit {number(chart_numbers.upper, unit)}",
        },
        {
            "line": "lower process limit",
            "y": chart_numbers.lower,
            "text": f"lower limit {number(chart_numbers.lower, unit)}",
        },
    ]
    order = [str(r.period) for r in plotted]
    y_title = f"{measure} ({unit})".replace("_", " ")
    base = alt.Chart(_data(data)).encode(
        x=alt.X("period:O", sort=order, title="Period", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
    )
    line = base.mark_line(color=NHS_MID_GREY, strokeWidth=1.5)
    points = base.mark_point(filled=True, size=80).encode(
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(
                domain=["common cause", "special cause"], range=[NHS_DARK_GREY, NHS_PURPLE]
            ),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        shape=alt.Shape(
            "kind:N",
            scale=alt.Scale(domain=["common cause", "special cause"], range=["circle", "diamond"]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=["period:N", "label:N", "signal:N"],
    )
    values_text = base.mark_text(dy=-12, fontSize=10, color=NHS_BLACK).encode(text="label:N")
    rules_base = alt.Chart(_data(lines))
    rules = rules_base.mark_rule(color=NHS_DARK_GREY).encode(
        y="y:Q",
        strokeDash=alt.StrokeDash(
            "line:N",
            scale=alt.Scale(
                domain=["mean", "upper process limit", "lower process limit"],
                range=[[1, 0], [6, 4], [6, 4]],
            ),
            legend=None,
        ),
    )
    rule_text = rules_base.mark_text(
        align="left", baseline="middle", dx=4, fontSize=10, color=NHS_DARK_GREY
    ).encode(y="y:Q", x=alt.value(WIDTH), text="text:N")
    chart = alt.layer(rules, rule_text, line, points, values_text).properties(
        width=WIDTH, height=240
    )

    name = plotted[0].title + (f" ({group})" if group else "")
    title = f"{name}: {org}, {plotted[0].period}–{plotted[-1].period}"
    special = [r for r in plotted if signal_of[r.period]]
    alt_text = (
        f"XmR chart of {name} for {org} over {len(plotted)} periods, "
        f"{plotted[0].period} to {plotted[-1].period}: mean {number(chart_numbers.mean, unit)}, "
        f"process limits {number(chart_numbers.lower, unit)} to "
        f"{number(chart_numbers.upper, unit)}."
    )
    if special:
        periods = _list_words([str(r.period) for r in special])
        kinds = sorted({spc.SIGNAL_LABELS[s] for r in special for s in signal_of[r.period]})
        alt_text += f" Special cause variation in {periods} ({'; '.join(kinds)})."
    else:
        alt_text += " All points show common cause variation only."
    return _figure(chart, title, alt_text, ["Period", "Value", "Signal"], rows)
