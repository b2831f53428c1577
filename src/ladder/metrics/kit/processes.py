"""Entering a formal process over a window of years (WRES 3, WDES 3) and access to
non-mandatory training (WRES 4), for any grouping."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.engines import EngineName, from_polars, materialise
from ladder.metrics.context import Context
from ladder.metrics.expressions import (
    count_true,
    to_polars,
)
from ladder.metrics.kit.figures import likelihoods, rates
from ladder.metrics.kit.groupings import Grouping, march, period_keys, with_group
from ladder.metrics.kit.workforce import WORKFORCE_NOTE, workforce, workforce_counts
from ladder.metrics.paygap_method import small_query
from ladder.metrics.registry import Produced, Wording
from ladder.metrics.table import combine

KEYS = ("org_code", "period")
INCOMPLETE_WINDOW = "incomplete_window"

DISCIPLINARY = Wording(
    "staff",
    "entered the formal disciplinary process",
    likely="enter the formal disciplinary process",
)
TRAINING = Wording(
    "staff",
    "accessed non-mandatory training and CPD",
    likely="access non-mandatory training and CPD",
)
"""The wordings of entering the disciplinary process (WRES 3) and of training (WRES 4)."""


def window_note(what: str, period: int, years: int) -> str:
    """'cases in the 12 months to 31 March 2024' (or 24 months, 1 April 2022 – …)."""
    if years == 1:
        return f"{what} in the 12 months to {march(period)}"
    return (
        f"{what} in the {12 * years} months to {march(period)} (1 April {period - years} – "
        f"{march(period)}, a {years}-year window; the ratio equals that of the annual "
        "averages)"
    )


def entering_process(
    ctx: Context,
    grouping: Grouping,
    *,
    cases: nw.Expr,
    years: int,
    first: str,
    second: str,
    id: str,
    title: str,
    rate_title: str,
    method: str,
    what: str,
    staff: nw.LazyFrame[Any] | None = None,
) -> Produced:
    """Relative likelihood of entering a formal process (rows of ``cases`` that match).

    Numerator: distinct staff with a matching case starting in the ``years`` reporting
    years up to the period (leavers included). Their group comes from the staff record of
    the period's snapshot when the person is in it with a known value, else from the case
    row. Denominator: the workforce headcount at the snapshot. A period is reported only
    when the cases dataset holds rows for the organisation in its window; a window with a
    year without any case rows is flagged ``incomplete_window``. ``staff``: the workforce
    frame to use (default :func:`workforce`; the place family adds the home area to it).
    """
    if years < 1:
        raise ValueError(f"the case window must be at least one year, not {years}")
    col = grouping.column
    people = workforce(ctx) if staff is None else staff
    if ctx.engine is EngineName.polars:
        entered = _polars_entered(_case_rows(ctx), people.to_native(), cases, grouping, years)
    else:
        source = ctx.frame("cases")
        if col not in source.collect_schema().names():  # e.g. the home area: staff records
            source = source.with_columns(nw.lit(None, dtype=nw.Int64).alias(col))
        entered = _entered(source, people, cases, grouping, years)
    if staff is None:
        headcount = workforce_counts(ctx, grouping).rename({"count": "total"})
    elif ctx.engine is EngineName.polars:
        headcount = (
            _with_group(people.to_native(), grouping)
            .group_by(*KEYS, "group")
            .agg(pl.len().cast(pl.Int64).alias("total"))
            .collect()
        )
    else:
        headcount = to_polars(
            people.with_columns(grouping.expr().alias("group"))
            .group_by(*KEYS, "group")
            .agg(nw.len().alias("total"))
        )
    rows: dict[tuple[str, int], int] = {}
    for org, p, n in zip(*(entered[c].to_list() for c in (*KEYS, "_rows")), strict=True):
        rows[(org, p)] = rows.get((org, p), 0) + n
    covered = {(org, int(p)) for (org, p), n in rows.items() if n > 0}
    notes: dict[tuple[str, int], str] = {}
    flags: dict[tuple[str, int], tuple[str, ...]] = {}
    for org, period in period_keys(headcount):
        in_window = [period - k for k in range(years)]
        present = [y for y in in_window if (org, y) in covered]
        if not present:
            continue
        note = window_note(what, period, years)
        note += f"; {WORKFORCE_NOTE.format(date=march(period))}"
        note += "; staff who left before the snapshot are grouped by their case record"
        missing = [y for y in in_window if y not in present]
        if missing:
            years_text = ", ".join(f"{y - 1}/{str(y)[2:]}" for y in sorted(missing))
            note += f"; no cases recorded in {years_text}: the window may be incomplete"
            flags[(org, period)] = (INCOMPLETE_WINDOW,)
        notes[(org, period)] = note
    if not notes:
        return []
    reported = pl.DataFrame(
        list(notes), schema={"org_code": pl.String, "period": pl.Int64}, orient="row"
    )
    counts = small_query(
        headcount.lazy()
        .join(entered.lazy().drop("_rows"), on=[*KEYS, "group"], how="full", coalesce=True)
        .join(reported.lazy(), on=list(KEYS), how="semi")
        .with_columns(pl.col("events").fill_null(0), pl.col("total").fill_null(0))
    )
    return combine(
        rates(counts, id=id, title=rate_title, method=method, notes=notes, flags=flags),
        likelihoods(
            counts,
            id=id,
            title=title,
            method=method,
            first=first,
            second=second,
            what=what,
            notes=notes,
            flags=flags,
        ),
    )


def _entered(
    source: nw.LazyFrame[Any],
    people: nw.LazyFrame[Any],
    cases: nw.Expr,
    grouping: Grouping,
    years: int,
) -> pl.DataFrame:
    """Staff entering the process (``events``) and the case rows of each period's own year
    (``_rows``) by org_code, period and ``group`` (:func:`entering_process`)."""
    col = grouping.column
    parts = [
        source.with_columns(
            (nw.col("period") + k).cast(nw.Int64).alias("_target"),
            nw.lit(k == 0).alias("_own"),
        )
        for k in range(years)
    ]
    window = parts[0] if years == 1 else nw.concat(parts, how="vertical")
    per_staff = to_polars(
        window.group_by("org_code", "_target", "staff_id")
        .agg(
            count_true(cases).alias("_events"),
            count_true("_own").alias("_own_rows"),
            nw.col(col).max().alias("_case_value"),
        )
        .rename({"_target": "period"})
    )
    # only the staff with a case are looked up: a small table to join to
    ids = per_staff["staff_id"].drop_nulls().unique().sort().to_list()
    known = to_polars(
        people.filter(nw.col("staff_id").is_in(ids)).select(
            *KEYS, "staff_id", nw.col(col).alias("_staff_value")
        )
    )
    return to_polars(
        nw.from_native(per_staff.join(known, on=[*KEYS, "staff_id"], how="left"))
        .with_columns(nw.coalesce(nw.col("_staff_value"), nw.col("_case_value")).alias(col))
        .with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(
            count_true(nw.col("_events") > 0).alias("events"),
            nw.col("_own_rows").sum().alias("_rows"),
        )
    )


def _with_group(frame: pl.LazyFrame, grouping: Grouping) -> pl.LazyFrame:
    """A Polars ``frame`` with the ``group`` of ``grouping`` (:func:`with_group`)."""
    labelled: pl.LazyFrame = with_group(nw.from_native(frame), grouping).to_native()
    return labelled


def _case_rows(ctx: Context) -> pl.DataFrame:
    """Polars: the case records, read once per run and shared by every formal process (a
    case is rare: a national run holds a few tens of thousands of rows)."""
    rows: pl.DataFrame = ctx.memo("cases.rows", lambda: ctx.frame("cases").to_native().collect())
    return rows


def _polars_entered(
    source: pl.DataFrame,
    people: pl.LazyFrame,
    cases: nw.Expr,
    grouping: Grouping,
    years: int,
) -> pl.DataFrame:
    """:func:`_entered` on the Polars engine in native expressions (only the ``cases``
    condition goes through Narwhals), the lookup of the staff with a case and the count as
    one query. The same rows (the join on the three keys matches the same staff records)
    and types (integers as Int64). Both queries run in memory: ``source`` (the case
    records, :func:`_case_rows`) and ``people`` (the kept workforce) are in memory, and
    what they give is small (the streaming engine's set-up costs more)."""
    col = grouping.column
    lazy = source.lazy()
    if col not in source.columns:  # e.g. the home area: staff records only
        lazy = lazy.with_columns(pl.lit(None, dtype=pl.Int64).alias(col))
    lazy = nw.from_native(lazy).with_columns(cases.alias("_case")).to_native()
    parts = [
        lazy.with_columns(
            (pl.col("period") + k).cast(pl.Int64).alias("_target"), pl.lit(k == 0).alias("_own")
        )
        for k in range(years)
    ]
    window = parts[0] if years == 1 else pl.concat(parts, how="vertical")
    per_staff = (
        window.group_by("org_code", "_target", "staff_id")
        .agg(
            pl.col("_case").fill_null(False).cast(pl.Int64).sum().alias("_events"),
            pl.col("_own").fill_null(False).cast(pl.Int64).sum().alias("_own_rows"),
            pl.col(col).max().alias("_case_value"),
        )
        .rename({"_target": "period"})
        .collect(engine="in-memory")
    )
    # only the staff with a case are looked up: one column looked up in the staff records
    # (a null or repeated id changes no match), then a small table to join to
    ids = per_staff["staff_id"].implode()
    known = people.filter(pl.col("staff_id").is_in(ids)).select(
        *KEYS, "staff_id", pl.col(col).alias("_staff_value")
    )
    joined = (
        per_staff.lazy()
        .join(known, on=[*KEYS, "staff_id"], how="left")
        .with_columns(pl.coalesce("_staff_value", "_case_value").alias(col))
    )
    return (
        _with_group(joined, grouping)
        .group_by(*KEYS, "group")
        .agg(
            (pl.col("_events") > 0).fill_null(False).cast(pl.Int64).sum().alias("events"),
            pl.col("_own_rows").sum().alias("_rows"),
        )
        .collect(engine="in-memory")
    )


def _trained_keys(training: pl.LazyFrame) -> pl.Series:
    """Polars: the (org_code, period, staff_id) of every non-mandatory training row without
    a null key, as one imploded struct to look up (duplicates left in: a lookup does not
    need them gone, and making them unique costs more than it saves)."""
    keys = [*KEYS, "staff_id"]
    return (
        training.filter(~pl.col("mandatory") & pl.all_horizontal(pl.col(keys).is_not_null()))
        .select(pl.struct(keys).implode().alias("_keys"))
        .collect()
        .to_series()
    )


def _trained_counts(people: pl.LazyFrame, trained: pl.Series) -> pl.DataFrame:
    """Polars: ``events`` (``people`` whose org_code, period and staff_id are among those
    of ``trained``, :func:`_trained_keys`) and ``total`` by org_code, period and group. A
    lookup of the struct of the three keys: cheaper than a join on them (a null key matches
    nothing, as in a join: ``trained`` holds none)."""
    hit = pl.struct([*KEYS, "staff_id"]).is_in(pl.lit(trained))
    return (  # the lookup before the grouping: in the aggregation it is far slower
        people.with_columns(hit.alias("_trained"))
        .group_by(*KEYS, "group")
        .agg(
            pl.col("_trained").cast(pl.Int64).sum().alias("events"),
            pl.len().cast(pl.Int64).alias("total"),
        )
        .collect()
    )


def training_access(
    ctx: Context, staff: nw.LazyFrame[Any]
) -> tuple[pl.DataFrame, dict[tuple[str, int], str]]:
    """events (staff with a non-mandatory training or CPD event in the period) and total
    (headcount) by org, period and ``group`` of ``staff`` (the workforce with a ``group``
    column), with the note of each org and period. Periods whose training data hold no rows
    for the snapshot's staff are left out."""
    training = ctx.frame("training")
    people = staff.select(*KEYS, "staff_id", "group")
    if ctx.engine is EngineName.polars:
        known = ctx.memo("training.cpd_keys", lambda: _trained_keys(training.to_native()))
        counts = _trained_counts(people.to_native(), known)
    else:
        trained = ctx.memo(
            "training.cpd_staff",
            lambda: materialise(
                training.filter(~nw.col("mandatory"))
                .group_by(*KEYS, "staff_id")
                .agg(nw.len().alias("_cpd")),
                ctx.engine,
            ),
        )
        counts = to_polars(
            people.join(trained, on=[*KEYS, "staff_id"], how="left")
            .group_by(*KEYS, "group")
            .agg(count_true(~nw.col("_cpd").is_null()).alias("events"), nw.len().alias("total"))
        )
    # A period is covered when the training data hold rows for staff of its snapshot: any
    # with a non-mandatory event shows it; only the others are looked up in every row.
    events: dict[tuple[str, int], int] = {}
    for org, period, value in counts.select(*KEYS, "events").iter_rows():
        events[(org, period)] = events.get((org, period), 0) + value
    pending = [key for key, value in events.items() if value == 0]
    covered = list(events)
    if pending:
        missing = pl.DataFrame(
            pending, schema={"org_code": pl.String, "period": pl.Int64}, orient="row"
        )
        recorded = to_polars(
            training.join(from_polars(missing, ctx.engine), on=list(KEYS), how="semi")
            .select(*KEYS, "staff_id")
            .join(people.select(*KEYS, "staff_id"), on=[*KEYS, "staff_id"], how="semi")
            .select(*KEYS)
            .unique()
        )
        found = set(recorded.select(*KEYS).iter_rows())
        covered = [k for k, value in events.items() if value > 0 or k in found]
        counts = counts.join(
            pl.DataFrame(covered, schema={"org_code": pl.String, "period": pl.Int64}, orient="row"),
            on=list(KEYS),
            how="semi",
        )
    notes = {
        (org, int(p)): (
            f"staff with at least one non-mandatory training or CPD event in the 12 months "
            f"to {march(int(p))}; {WORKFORCE_NOTE.format(date=march(int(p)))}"
        )
        for org, p in covered
    }
    return counts, notes
