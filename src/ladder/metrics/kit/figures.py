"""Rates and relative likelihoods with their reasons: the builders every family reports with.

A figure that cannot be computed (a zero rate in the reference group, more events than people)
says why in its note, the same way in every family. Both build their results column-wise, as a
results frame (:data:`ladder.metrics.table.RESULT_SCHEMA`)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ladder.metrics.builders import frame_of, likelihood_frame, rate_frame, with_keyed
from ladder.metrics.results import Measure, Unit

KEYS = ("org_code", "period")
OVER = (
    "more people counted than in the headcount (leavers outnumber the staff in the snapshot): "
    "check the staff snapshot"
)


def _reason(first: str, second: str, what: str) -> pl.Expr:
    """Why each relative likelihood could not be computed (null when it was)."""
    return (
        pl.when(pl.col("denominator") == 0)
        .then(pl.lit(f"no {first} people in the denominator: no ratio"))
        .when(pl.col("reference_denominator") == 0)
        .then(pl.lit(f"no {second} people in the denominator: no ratio"))
        .when(pl.col("value").is_null())
        .then(pl.lit(f"no {second} {what}: the ratio is undefined (division by zero)"))
        .when(pl.col("ci_lower").is_null())
        .then(pl.lit(f"no {first} {what}: the ratio is 0 and its confidence interval is undefined"))
    )


def _joined(*parts: pl.Expr) -> pl.Expr:
    """:func:`join_notes` of the parts, row by row (null when none is given)."""
    text = pl.concat_str(list(parts), separator="; ", ignore_nulls=True)
    return pl.when(text != "").then(text)


def _with_notes(
    frame: pl.DataFrame,
    notes: dict[tuple[str, int], str],
    flags: dict[tuple[str, int], tuple[str, ...]],
    reason: pl.Expr,
) -> pl.DataFrame:
    """``frame`` (results) with each row's note (its org-period note, then ``reason``) and
    its org-period flags after its own."""
    none = pl.lit([], dtype=pl.List(pl.String))
    if not notes and not flags:  # nothing keyed: no column to look up
        return frame.with_columns(
            _joined(pl.lit(None, dtype=pl.String), reason).alias("note"),
            pl.concat_list(pl.col("flags"), none).alias("flags"),
        )
    keyed = with_keyed(frame, notes, "_note", pl.String(), on=("org", "period"))
    keyed = with_keyed(keyed, flags, "_flags", pl.List(pl.String), on=("org", "period"))
    return keyed.with_columns(
        _joined(pl.col("_note"), reason).alias("note"),
        pl.concat_list(pl.col("flags"), pl.col("_flags").fill_null(none)).alias("flags"),
    ).drop("_note", "_flags")


def _none_over(counts: pl.DataFrame) -> bool:
    """True when no row of ``counts`` has more events than people (and none lacks either)."""
    events, total = counts["events"], counts["total"]
    return not (events.null_count() or total.null_count() or (events > total).any())


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
    if _none_over(counts):  # every pair computed (likelihood_frame keeps the two groups)
        ratios = likelihood_frame(
            counts, id=id, title=title, method=method, first=first, second=second
        )
        return _with_notes(ratios, notes, flags, _reason(first, second, what))
    pair = counts.filter(pl.col("group").is_in([first, second]))
    bad = pair.filter(pl.col("events") > pl.col("total")).select(*KEYS).unique().sort(*KEYS)
    good = pair.join(bad, on=list(KEYS), how="anti")
    ratios = likelihood_frame(good, id=id, title=title, method=method, first=first, second=second)
    ratios = _with_notes(ratios, notes, flags, _reason(first, second, what))
    if bad.is_empty():
        return ratios
    withheld = frame_of(
        bad.with_columns(pl.lit(f"{first}:{second}").alias("group")),
        id=id,
        title=title,
        method=method,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
    )
    return pl.concat([ratios, _with_notes(withheld, notes, flags, pl.lit(OVER))])


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
    every_row = _none_over(counts)
    shown = rate_frame(
        counts if every_row else counts.filter(~over),
        id=id,
        title=title,
        method=method,
        measure=measure,
        breakdown=breakdown,
        notes=notes,
        flags=flags,
    )
    if every_row:  # every row shown
        return shown
    rows = counts.filter(over)
    if rows.is_empty():
        return shown
    rows = rows.sort(*KEYS, *breakdown, "group")
    withheld = frame_of(
        rows.with_columns(pl.col("group").cast(pl.String)),
        id=id,
        title=title,
        method=method,
        measure=measure,
        unit=Unit.PERCENT,
        breakdown=breakdown,
    )
    return pl.concat([shown, _with_notes(withheld, notes, flags, pl.lit(OVER))])
