"""Rates and relative likelihoods with their reasons: the builders every family reports with.

A figure that cannot be computed (a zero rate in the reference group, more events than people)
says why in its note, the same way in every family. Both build their results column-wise, as a
results frame (:data:`ladder.metrics.table.RESULT_SCHEMA`)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ladder.metrics.builders import frame_of, join_notes, likelihood_frame, rate_frame
from ladder.metrics.results import Measure, Unit

KEYS = ("org_code", "period")
OVER = (
    "more people counted than in the headcount (leavers outnumber the staff in the snapshot): "
    "check the staff snapshot"
)


def _reasons(frame: pl.DataFrame, first: str, second: str, what: str) -> list[str | None]:
    """Why each relative likelihood of ``frame`` could not be computed (None when it was)."""
    out: list[str | None] = []
    for n1, n2, value, lower in frame.select(
        "denominator", "reference_denominator", "value", "ci_lower"
    ).iter_rows():
        if n1 == 0:
            out.append(f"no {first} people in the denominator: no ratio")
        elif n2 == 0:
            out.append(f"no {second} people in the denominator: no ratio")
        elif value is None:
            out.append(f"no {second} {what}: the ratio is undefined (division by zero)")
        elif lower is None:
            out.append(
                f"no {first} {what}: the ratio is 0 and its confidence interval is undefined"
            )
        else:
            out.append(None)
    return out


def _keyed(frame: pl.DataFrame) -> list[tuple[str, int]]:
    return [(org, int(p)) for org, p in frame.select("org", "period").iter_rows()]


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
) -> pl.DataFrame:
    """Relative likelihood ``first`` ÷ ``second`` (builders.likelihood_frame) with reasons.

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
    ratios = likelihood_frame(good, id=id, title=title, method=method, first=first, second=second)
    keys = _keyed(ratios)
    reasons = _reasons(ratios, first, second, what)
    ratios = ratios.with_columns(
        pl.Series(
            "note",
            [join_notes(notes.get(k), r) for k, r in zip(keys, reasons, strict=True)],
            dtype=pl.String,
        ),
        pl.Series(
            "flags",
            [[*f, *flags.get(k, ())] for k, f in zip(keys, ratios["flags"].to_list(), strict=True)],
            dtype=pl.List(pl.String),
        ),
    )
    if bad.is_empty():
        return ratios
    bad_keys = [(org, int(p)) for org, p in bad.iter_rows()]
    withheld = frame_of(
        bad.with_columns(pl.lit(f"{first}:{second}").alias("group")),
        id=id,
        title=title,
        method=method,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        columns={
            "flags": pl.Series(
                "flags", [list(flags.get(k, ())) for k in bad_keys], dtype=pl.List(pl.String)
            ),
            "note": pl.Series(
                "note", [join_notes(notes.get(k), OVER) for k in bad_keys], dtype=pl.String
            ),
        },
    )
    return pl.concat([ratios, withheld])


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
) -> pl.DataFrame:
    """builders.rate_frame with a note and flags per (org, period).

    A row with more events than people (leavers counted against a later headcount) gets no
    value, with the reason.
    """
    notes = notes or {}
    flags = flags or {}
    over = pl.col("events") > pl.col("total")
    shown = rate_frame(
        counts.filter(~over),
        id=id,
        title=title,
        method=method,
        measure=measure,
        breakdown=breakdown,
        notes=notes,
        flags=flags,
    )
    rows = counts.filter(over)
    if rows.is_empty():
        return shown
    rows = rows.sort(*KEYS, *breakdown, "group")
    keys = [(org, int(p)) for org, p in rows.select(*KEYS).iter_rows()]
    withheld = frame_of(
        rows.with_columns(pl.col("group").cast(pl.String)),
        id=id,
        title=title,
        method=method,
        measure=measure,
        unit=Unit.PERCENT,
        breakdown=breakdown,
        columns={
            "flags": pl.Series(
                "flags", [list(flags.get(k, ())) for k in keys], dtype=pl.List(pl.String)
            ),
            "note": pl.Series(
                "note", [join_notes(notes.get(k), OVER) for k in keys], dtype=pl.String
            ),
        },
    )
    return pl.concat([shown, withheld])
