"""Rates and relative likelihoods with their reasons: the builders every family reports with.

A figure that cannot be computed (a zero rate in the reference group, more events than people)
says why in its note, the same way in every family."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ladder.metrics.builders import join_notes, likelihood_results, rate_results
from ladder.metrics.results import Measure, Result, Unit, evolve

KEYS = ("org_code", "period")


def _reason(r: Result, first: str, second: str, what: str) -> str | None:
    if r.denominator == 0:
        return f"no {first} people in the denominator: no ratio"
    if r.reference_denominator == 0:
        return f"no {second} people in the denominator: no ratio"
    if r.value is None:
        return f"no {second} {what}: the ratio is undefined (division by zero)"
    if r.ci_lower is None:
        return f"no {first} {what}: the ratio is 0 and its confidence interval is undefined"
    return None


def likelihoods(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    first: str,
    second: str,
    what: str,
    notes: dict[tuple[str, int], str] | None = None,
    flags: dict[tuple[str, int], tuple[str, ...]] | None = None,
) -> list[Result]:
    """Relative likelihood ``first`` ÷ ``second`` (builders.likelihood_results) with reasons.

    A ratio that cannot be computed (a zero rate in the reference group, an empty group)
    says why in its note; so does a zero ratio without an interval. Counts where a group
    has more events than people (leavers counted against a later headcount) are not
    computed. ``notes`` and ``flags`` are keyed by (org, period).
    """
    notes = notes or {}
    flags = flags or {}
    pair = counts.filter(pl.col("group").is_in([first, second]))
    bad = pair.filter(pl.col("events") > pl.col("total")).select(*KEYS).unique().sort(*KEYS)
    good = pair.join(bad, on=list(KEYS), how="anti")
    out: list[Result] = []
    for r in likelihood_results(
        good, id=id, title=title, method=method, first=first, second=second
    ):
        key = (r.org, r.period)
        out.append(
            evolve(
                r,
                note=join_notes(notes.get(key), _reason(r, first, second, what)),
                flags=(*r.flags, *flags.get(key, ())),
            )
        )
    for org, period in bad.iter_rows():
        out.append(
            Result(
                id=id,
                title=title,
                org=org,
                period=int(period),
                measure=Measure.RELATIVE_LIKELIHOOD,
                unit=Unit.RATIO,
                value=None,
                method=method,
                group=f"{first}:{second}",
                flags=flags.get((org, period), ()),
                note=join_notes(
                    notes.get((org, period)),
                    "more people counted than in the headcount (leavers outnumber the "
                    "staff in the snapshot): check the staff snapshot",
                ),
            )
        )
    return out


def rates(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    measure: Measure = Measure.RATE,
    breakdown: Sequence[str] = (),
    notes: dict[tuple[str, int], str] | None = None,
    flags: dict[tuple[str, int], tuple[str, ...]] | None = None,
) -> list[Result]:
    """builders.rate_results with a note and flags per (org, period).

    A row with more events than people (leavers counted against a later headcount) gets no
    value, with the reason.
    """
    notes = notes or {}
    flags = flags or {}
    out: list[Result] = []
    over = pl.col("events") > pl.col("total")
    for r in rate_results(
        counts.filter(~over),
        id=id,
        title=title,
        method=method,
        measure=measure,
        breakdown=breakdown,
    ):
        key = (r.org, r.period)
        out.append(evolve(r, note=notes.get(key), flags=(*r.flags, *flags.get(key, ()))))
    for row in counts.filter(over).sort(*KEYS, *breakdown, "group").iter_rows(named=True):
        key = (row["org_code"], int(row["period"]))
        out.append(
            Result(
                id=id,
                title=title,
                org=row["org_code"],
                period=int(row["period"]),
                measure=measure,
                unit=Unit.PERCENT,
                value=None,
                method=method,
                group=str(row["group"]),
                breakdown={c: str(row[c]) for c in breakdown},
                flags=flags.get(key, ()),
                note=join_notes(
                    notes.get(key),
                    "more people counted than in the headcount (leavers outnumber the "
                    "staff in the snapshot): check the staff snapshot",
                ),
            )
        )
    return out
