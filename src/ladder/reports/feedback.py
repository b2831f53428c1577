"""An entrant's feedback report on an open-index framework, as one self-contained HTML page
(and PDF), with the equality report's styles: score by section against the median and top
quartile of entrants, strongest and weakest areas, recommendations drawn from the next
maturity level and the questions that lost points, and the measured figures used.

It renders the documented feedback document (``ladder.frameworks.Feedback.to_dict``) plus
the organisation's fair-pay results; it computes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2

from ladder import __version__
from ladder.metrics import Result
from ladder.metrics.formatting import WITHHELD, method_text
from ladder.reports.html import _asset, period_label, results_table
from ladder.reports.pdf import write_pdf


def _number(value: Any) -> str:
    if value is None:
        return "not available"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def render_feedback(doc: dict[str, Any], fair_pay: list[Result], *, threshold: int = 10) -> str:
    """The feedback page of one entrant."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ladder.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["number"] = _number
    table = results_table(fair_pay, "Fair pay: the Real Living Wage", threshold)
    return env.get_template("feedback.html.j2").render(
        doc=doc,
        fair_pay=table,
        period_label=period_label(int(doc["period"])),
        version=__version__,
        nhsuk_css=_asset("nhsuk-frontend.min.css"),
        report_css=_asset("report.css"),
        generated=dt.date.today().isoformat(),
        disclosure=f"{method_text(threshold)} Every withheld figure reads “{WITHHELD}”.",
    )


def write_feedback_pdf(html: str, path: Path) -> None:
    write_pdf(html, path)


def render_ranking(doc: dict[str, Any]) -> str:
    """The public ranking page of a publication document (``Ranking.to_dict(public=True)``):
    the published entrants by name, the others as a count, each rank with its stability."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ladder.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("ranking.html.j2").render(
        doc=doc,
        period_label=period_label(int(doc["period"])),
        version=__version__,
        nhsuk_css=_asset("nhsuk-frontend.min.css"),
        report_css=_asset("report.css"),
    )
