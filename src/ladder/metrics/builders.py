"""Turn small tables of counts into :class:`Result` rows (rates, shares, likelihoods).

Indicators aggregate in their engine to a Polars table of counts with the columns
``org_code``, ``period``, ``group``, ``events``, ``total`` (plus any breakdown columns),
then call these builders, so every indicator reports the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ladder.metrics import stats
from ladder.metrics.results import Measure, Result, Unit

NO_EVIDENCE = "no_evidence_of_difference"


def join_notes(*notes: str | None) -> str | None:
    """The notes that are given, joined with "; " (None when there are none)."""
    text = "; ".join(n for n in notes if n)
    return text or None


OUTSIDE_FOUR_FIFTHS = "outside_four_fifths"
WITHIN_FOUR_FIFTHS = "within_four_fifths"


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100.0


def _breakdown(row: dict[str, object], columns: Sequence[str]) -> dict[str, str]:
    return {c: str(row[c]) for c in columns}


def _breakdowns(frame: pl.DataFrame, columns: Sequence[str]) -> list[dict[str, str]]:
    """Each row's breakdown (column → value as text), as :func:`_breakdown` gives it."""
    if not columns:
        return [{} for _ in range(frame.height)]
    values = [[str(v) for v in frame[c].to_list()] for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def rate_results(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    measure: Measure = Measure.RATE,
    breakdown: Sequence[str] = (),
    note: str | None = None,
) -> list[Result]:
    """One percentage per row: events / total × 100, with its Wilson 95% interval."""
    rows = counts.sort("org_code", "period", *breakdown, "group")
    events = [int(v) for v in rows["events"].to_list()]
    totals = [int(v) for v in rows["total"].to_list()]
    values, lowers, uppers = stats.wilson_many(events, totals)
    columns = zip(
        rows["org_code"].to_list(),
        rows["period"].to_list(),
        rows["group"].to_list(),
        _breakdowns(rows, breakdown),
        events,
        totals,
        values,
        lowers,
        uppers,
        strict=True,
    )
    return [
        Result(
            id=id,
            title=title,
            org=org,
            period=int(period),
            measure=measure,
            unit=Unit.PERCENT,
            value=_pct(value),
            method=method,
            group=str(group),
            breakdown=breakdown_,
            numerator=n_events,
            denominator=total,
            ci_lower=_pct(lower),
            ci_upper=_pct(upper),
            note=note,
        )
        for org, period, group, breakdown_, n_events, total, value, lower, upper in columns
    ]


def likelihood_results(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    first: str,
    second: str,
    breakdown: Sequence[str] = (),
    note: str | None = None,
) -> list[Result]:
    """Relative likelihood (first group's rate ÷ second group's) per org, period, breakdown.

    The group is written ``first:second``. Flags: ``no_evidence_of_difference`` when the 95%
    interval includes 1 (or cannot be computed); ``outside_four_fifths`` /
    ``within_four_fifths`` for the 0.80–1.25 band.
    """
    keys = ["org_code", "period", *breakdown]
    wide = (
        counts.filter(pl.col("group").is_in([first, second]))
        .pivot(on="group", index=keys, values=["events", "total"])
        .sort(keys)
    )
    out = []
    for row in wide.iter_rows(named=True):
        a = int(row.get(f"events_{first}") or 0)
        n1 = int(row.get(f"total_{first}") or 0)
        c = int(row.get(f"events_{second}") or 0)
        n2 = int(row.get(f"total_{second}") or 0)
        interval = stats.relative_likelihood(a, n1, c, n2)
        flags: list[str] = []
        if interval.value is not None:
            if interval.contains_one:
                flags.append(NO_EVIDENCE)
            outside = stats.outside_four_fifths(interval.value)
            flags.append(OUTSIDE_FOUR_FIFTHS if outside else WITHIN_FOUR_FIFTHS)
        out.append(
            Result(
                id=id,
                title=title,
                org=row["org_code"],
                period=int(row["period"]),
                measure=Measure.RELATIVE_LIKELIHOOD,
                unit=Unit.RATIO,
                value=interval.value,
                method=method,
                group=f"{first}:{second}",
                breakdown=_breakdown(row, breakdown),
                numerator=a,
                denominator=n1,
                reference_numerator=c,
                reference_denominator=n2,
                ci_lower=interval.lower,
                ci_upper=interval.upper,
                flags=tuple(flags),
                note=note,
            )
        )
    return out
