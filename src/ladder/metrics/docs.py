"""docs/indicators.md, generated from the registry so it always lists every indicator."""

from __future__ import annotations

from importlib import resources

from ladder.metrics.registry import all_indicators
from ladder.metrics.results import RESULT_FIELDS, Measure, Unit


def _intro() -> str:
    """The hand-written part of the page (conventions), shipped beside this module."""
    return (resources.files("ladder.metrics") / "indicators_intro.md").read_text("utf-8")


def indicators_markdown() -> str:
    """The whole page: conventions, then one row per registered indicator."""
    text = (
        _intro()
        .replace("MEASURES", ", ".join(f"`{m}`" for m in Measure))
        .replace("UNITS", ", ".join(f"`{u}`" for u in Unit))
    )
    lines = [text, "| id | title | needs | method | result ids |", "|---|---|---|---|---|"]
    for ind in all_indicators():
        ids = ", ".join(f"`{r}`" for r in ind.result_ids)
        lines.append(
            f"| `{ind.id}` | {ind.title} | {', '.join(ind.needs)} | {ind.method} | {ids} |"
        )
    lines += ["", f"Result fields: {', '.join(f'`{f}`' for f in RESULT_FIELDS)}.", ""]
    return "\n".join(lines)
