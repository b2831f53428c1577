"""docs/indicators.md, generated from the registry so it always lists every indicator."""

from __future__ import annotations

from importlib import resources

from ladder.metrics.registry import Indicator, all_indicators
from ladder.metrics.results import RESULT_FIELDS, Measure, Unit


def _intro() -> str:
    """The hand-written part of the page (conventions), shipped beside this module."""
    return (resources.files("ladder.metrics") / "indicators_intro.md").read_text("utf-8")


def _wording(ind: Indicator) -> str:
    """How the reports word its figures: subject, what happened, and as a likelihood."""
    parts = []
    for rid in ind.result_ids:
        w = ind.wording_for(rid)
        if w is None:
            continue
        said = " / ".join(t for t in (w.event, f"(likely to) {w.likely}" if w.likely else "") if t)
        text = f"{w.subject} {said}"
        parts.append(text if rid == ind.id or w is ind.wording else f"`{rid}`: {text}")
    return "; ".join(dict.fromkeys(parts)) or "—"


def indicators_markdown() -> str:
    """The whole page: conventions, then one row per registered indicator."""
    text = (
        _intro()
        .replace("MEASURES", ", ".join(f"`{m}`" for m in Measure))
        .replace("UNITS", ", ".join(f"`{u}`" for u in Unit))
    )
    lines = [
        text,
        "| id | title | needs | method | result ids | wording |",
        "|---|---|---|---|---|---|",
    ]
    for ind in all_indicators():
        ids = ", ".join(f"`{r}`" for r in ind.result_ids)
        lines.append(
            f"| `{ind.id}` | {ind.title} | {', '.join(ind.needs)} | {ind.method} | {ids} | "
            f"{_wording(ind)} |"
        )
    lines += ["", f"Result fields: {', '.join(f'`{f}`' for f in RESULT_FIELDS)}.", ""]
    return "\n".join(lines)
