"""The headline figures: one row per organisation and period, the figures boards ask for first."""

from __future__ import annotations

from dataclasses import dataclass

from ladder.metrics.results import Measure, Result


@dataclass(frozen=True)
class Headline:
    """Which result a headline column shows."""

    label: str
    id: str
    group: str
    measure: Measure


HEADLINES: tuple[Headline, ...] = (
    Headline("WRES 2 appointed (W:BME)", "wres.2", "White:BME", Measure.RELATIVE_LIKELIHOOD),
    Headline("WRES 3 disciplinary (BME:W)", "wres.3", "BME:White", Measure.RELATIVE_LIKELIHOOD),
    Headline("WRES 4 training (W:BME)", "wres.4", "White:BME", Measure.RELATIVE_LIKELIHOOD),
    Headline(
        "WDES 2 appointed (ND:D)", "wdes.2", "Non-disabled:Disabled", Measure.RELATIVE_LIKELIHOOD
    ),
    Headline(
        "WDES 3 capability (D:ND)", "wdes.3", "Disabled:Non-disabled", Measure.RELATIVE_LIKELIHOOD
    ),
    Headline("Gender pay gap, mean", "paygap.sex.mean_hourly", "female", Measure.GAP),
    Headline("Gender pay gap, median", "paygap.sex.median_hourly", "female", Measure.GAP),
    Headline("Lower SEB share", "seb.profile", "lower", Measure.SHARE),
)


def headline_table(results: list[Result]) -> dict[tuple[str, int], dict[str, Result]]:
    """(org, period) → headline label → the result shown (missing when not computed)."""
    wanted = {(h.id, h.group, h.measure): h.label for h in HEADLINES}
    table: dict[tuple[str, int], dict[str, Result]] = {}
    for r in results:
        label = wanted.get((r.id, r.group or "", r.measure))
        if label is not None and not r.breakdown:
            table.setdefault((r.org, r.period), {})[label] = r
    return table
