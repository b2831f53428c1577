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


# --- The same as frames (:data:`ladder.metrics.table.RESULT_SCHEMA`), column by column ------

Keyed = dict[tuple[str, int], str] | dict[tuple[str, int], tuple[str, ...]]


def _by_org_period(
    frame: pl.DataFrame, values: Keyed, name: str, dtype: pl.DataType, default: object = None
) -> pl.Series:
    """``values[(org, period)]`` for each row of ``frame`` (``default`` where there is none)."""
    if not values:
        return pl.Series(name, [default] * frame.height, dtype=dtype)
    keys = frame.select("org_code", pl.col("period").cast(pl.Int64)).rows()
    return pl.Series(name, [values.get((org, int(p)), default) for org, p in keys], dtype=dtype)


def _breakdown_column(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Expr:
    """Each row's breakdown as a list of ``{name, value}`` (values as :func:`_breakdown`)."""
    if not columns:
        return pl.lit([], dtype=pl.List(pl.Struct({"name": pl.String, "value": pl.String})))
    items = []
    for c in columns:
        column = frame[c]
        text = (
            column
            if column.dtype == pl.String and column.null_count() == 0
            else pl.Series(c, [str(v) for v in column.to_list()], dtype=pl.String)
        )
        items.append(pl.struct(pl.lit(c).alias("name"), pl.lit(text).alias("value")))
    return pl.concat_list(items)


def frame_of(
    rows: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    measure: Measure,
    unit: Unit,
    breakdown: Sequence[str] = (),
    columns: dict[str, pl.Series | pl.Expr] | None = None,
) -> pl.DataFrame:
    """Results (one per row of ``rows``: ``org_code``, ``period``, ``group``, ``breakdown``
    columns) with the given figure ``columns`` (any field of the schema; the rest null)."""
    from ladder.metrics.table import RESULT_SCHEMA

    given = dict(columns or {})
    fixed: dict[str, pl.Expr] = {
        "id": pl.lit(id),
        "title": pl.lit(title),
        "org": pl.col("org_code"),
        "period": pl.col("period"),
        "measure": pl.lit(str(measure)),
        "unit": pl.lit(str(unit)),
        "method": pl.lit(method),
        "group": pl.col("group"),
        "breakdown": _breakdown_column(rows, breakdown),
        "suppressed": pl.lit(False),
        "flags": pl.lit([], dtype=pl.List(pl.String)),
    }
    exprs = []
    for name, dtype in RESULT_SCHEMA.items():
        if name in given:
            value = given[name]
            expr = pl.lit(value) if isinstance(value, pl.Series) else value
        else:
            expr = fixed.get(name, pl.lit(None))
        exprs.append(expr.cast(dtype).alias(name))
    return rows.select(exprs)


def _wilson_columns(events: pl.Series, totals: pl.Series) -> dict[str, pl.Series]:
    """value, ci_lower, ci_upper in percent: :func:`stats.wilson_many` × 100 (None → null)."""
    values, lowers, uppers = stats.wilson_many(events.to_list(), totals.to_list())

    def pct(xs: list[float | None], name: str) -> pl.Series:
        return pl.Series(name, [None if x is None else x * 100.0 for x in xs], dtype=pl.Float64)

    return {
        "value": pct(values, "value"),
        "ci_lower": pct(lowers, "ci_lower"),
        "ci_upper": pct(uppers, "ci_upper"),
    }


def rate_frame(
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
    """:func:`rate_results` as a frame, with a note and flags per (org, period)."""
    rows = counts.sort("org_code", "period", *breakdown, "group", maintain_order=True)
    columns: dict[str, pl.Series | pl.Expr] = {
        **_wilson_columns(rows["events"], rows["total"]),
        "numerator": pl.col("events"),
        "denominator": pl.col("total"),
        "note": _by_org_period(rows, notes or {}, "note", pl.String()),
    }
    if flags:
        columns["flags"] = _by_org_period(rows, flags, "flags", pl.List(pl.String), default=())
    return frame_of(
        rows.with_columns(pl.col("group").cast(pl.String)),
        id=id,
        title=title,
        method=method,
        measure=measure,
        unit=Unit.PERCENT,
        breakdown=breakdown,
        columns=columns,
    )


def likelihood_frame(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    first: str,
    second: str,
    breakdown: Sequence[str] = (),
    note: str | None = None,
) -> pl.DataFrame:
    """:func:`likelihood_results` as a frame (the same figures, flags and order)."""
    keys = ["org_code", "period", *breakdown]
    wide = (
        counts.filter(pl.col("group").is_in([first, second]))
        .pivot(on="group", index=keys, values=["events", "total"])
        .sort(keys)
    )
    if wide.is_empty():
        from ladder.metrics.table import RESULT_SCHEMA

        return pl.DataFrame(schema=RESULT_SCHEMA)

    def column(name: str) -> list[int]:
        if name not in wide.columns:
            return [0] * wide.height
        return [int(v or 0) for v in wide[name].to_list()]

    a_, n1_ = column(f"events_{first}"), column(f"total_{first}")
    c_, n2_ = column(f"events_{second}"), column(f"total_{second}")
    values: list[float | None] = []
    lowers: list[float | None] = []
    uppers: list[float | None] = []
    flag_lists: list[list[str]] = []
    for a, n1, c, n2 in zip(a_, n1_, c_, n2_, strict=True):
        interval = stats.relative_likelihood(a, n1, c, n2)
        flags: list[str] = []
        if interval.value is not None:
            if interval.contains_one:
                flags.append(NO_EVIDENCE)
            outside = stats.outside_four_fifths(interval.value)
            flags.append(OUTSIDE_FOUR_FIFTHS if outside else WITHIN_FOUR_FIFTHS)
        values.append(interval.value)
        lowers.append(interval.lower)
        uppers.append(interval.upper)
        flag_lists.append(flags)
    return frame_of(
        wide.with_columns(pl.lit(f"{first}:{second}").alias("group")),
        id=id,
        title=title,
        method=method,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        breakdown=breakdown,
        columns={
            "value": pl.Series("value", values, dtype=pl.Float64),
            "numerator": pl.Series("numerator", a_, dtype=pl.Int64),
            "denominator": pl.Series("denominator", n1_, dtype=pl.Int64),
            "reference_numerator": pl.Series("reference_numerator", c_, dtype=pl.Int64),
            "reference_denominator": pl.Series("reference_denominator", n2_, dtype=pl.Int64),
            "ci_lower": pl.Series("ci_lower", lowers, dtype=pl.Float64),
            "ci_upper": pl.Series("ci_upper", uppers, dtype=pl.Float64),
            "flags": pl.Series("flags", flag_lists, dtype=pl.List(pl.String)),
            "note": pl.lit(note, dtype=pl.String),
        },
    )
