"""Turn small tables of counts into :class:`Result` rows (rates, shares, likelihoods).

Indicators aggregate in their engine to a Polars table of counts with the columns
``org_code``, ``period``, ``group``, ``events``, ``total`` (plus any breakdown columns),
then call these builders, so every indicator reports the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from ladder.metrics import stats
from ladder.metrics.paygap_method import small_query
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.table import RESULT_SCHEMA

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


def interval_flags(interval: stats.Interval) -> tuple[str, ...]:
    """A relative likelihood's flags: ``no_evidence_of_difference`` when its 95% interval
    includes 1 (or cannot be computed), then ``outside_four_fifths`` or
    ``within_four_fifths`` (the 0.80-1.25 band); none when there is no value."""
    if interval.value is None:
        return ()
    band = OUTSIDE_FOUR_FIFTHS if stats.outside_four_fifths(interval.value) else WITHIN_FOUR_FIFTHS
    return (NO_EVIDENCE, band) if interval.contains_one else (band,)


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
        flags = interval_flags(interval)
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
                flags=flags,
                note=note,
            )
        )
    return out


# --- The same as frames (:data:`ladder.metrics.table.RESULT_SCHEMA`), column by column ------

Keyed = dict[tuple[str, int], str] | dict[tuple[str, int], tuple[str, ...]]


SMALL = 64
"""Up to this many rows, :func:`with_keyed` looks values up rather than joining."""


def keyed_frame(values: Keyed, name: str, dtype: pl.DataType) -> pl.DataFrame:
    """``values`` ((org, period) → value) as a frame: ``org_code``, ``period``, ``name``."""
    return pl.DataFrame(
        {
            "org_code": [k[0] for k in values],
            "period": [int(k[1]) for k in values],
            name: list(values.values()),
        },
        schema={"org_code": pl.String, "period": pl.Int64, name: dtype},
    )


def with_keyed(
    frame: pl.DataFrame,
    values: Keyed,
    name: str,
    dtype: pl.DataType,
    on: tuple[str, str] = ("org_code", "period"),
) -> pl.DataFrame:
    """``frame`` with a column ``name``: ``values[(org, period)]`` of each row (null where
    there is none), rows in their order. ``on`` names the frame's org and period columns."""
    if not values:
        return _with_column(
            frame, pl.Series(name, [None], dtype=dtype).new_from_index(0, frame.height)
        )
    periods = frame[on[1]]
    if periods.dtype != pl.Int64:
        frame = frame.with_columns(periods.cast(pl.Int64))
    if frame.height <= SMALL:  # a lookup costs less than a join here
        keys = zip(frame[on[0]].to_list(), frame[on[1]].to_list(), strict=True)
        return _with_column(frame, pl.Series(name, [values.get(k) for k in keys], dtype=dtype))
    keyed = keyed_frame(values, name, dtype).rename({"org_code": on[0], "period": on[1]})
    return frame.join(keyed, on=list(on), how="left", maintain_order="left")


def _sorted_by(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame.sort(*keys, maintain_order=True)``; a small frame whose keys are text or
    integers without nulls is ordered in Python (the same order: text by code point, as
    Polars by UTF-8 bytes) and gathered, without a query."""
    if frame.height > SMALL or any(
        not (frame[k].dtype == pl.String or frame[k].dtype.is_integer()) or frame[k].null_count()
        for k in keys
    ):
        return frame.sort(*keys, maintain_order=True)
    rows = list(zip(*(frame[k].to_list() for k in keys), strict=True))
    order = sorted(range(frame.height), key=rows.__getitem__)
    if order == list(range(frame.height)):
        return frame
    return frame[pl.Series(order, dtype=pl.UInt32)]


def _with_column(frame: pl.DataFrame, column: pl.Series) -> pl.DataFrame:
    """``frame.with_columns(column)``, without a query when the column is a new one."""
    if column.name in frame.columns:
        return frame.with_columns(column)
    return frame.hstack([column])


def _by_org_period(
    frame: pl.DataFrame, values: Keyed, name: str, dtype: pl.DataType, default: object = None
) -> pl.Series:
    """``values[(org, period)]`` for each row of ``frame`` (``default`` where there is none)."""
    if not values:
        return pl.Series(name, [default], dtype=dtype).new_from_index(0, frame.height)
    keyed = with_keyed(frame[["org_code", "period"]], values, name, dtype)
    if default is None:
        return keyed[name]
    fill = list(default) if isinstance(default, tuple) else default
    return keyed.select(pl.col(name).fill_null(pl.lit(fill, dtype=dtype)))[name]


def _breakdown_series(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """Each row's breakdown as a list of ``{name, value}`` (values as :func:`_breakdown`):
    the items of every row side by side, as structs, cut into rows of ``len(columns)``
    (lists of structs built in a query cost far more on large frames)."""
    texts = []
    for c in columns:
        column = frame[c]
        texts.append(
            column
            if column.dtype == pl.String and column.null_count() == 0
            else pl.Series(c, [str(v) for v in column.to_list()], dtype=pl.String)
        )
    return breakdown_items(texts, columns)


def breakdown_items(texts: Sequence[pl.Series], columns: Sequence[str]) -> pl.Series:
    """Each row's breakdown from ``texts`` (one text column per name of ``columns``, no
    nulls): every row's items side by side as structs, cut into rows of ``len(columns)``."""
    height, width = texts[0].len(), len(columns)
    names = pl.Series("name", list(columns), dtype=pl.String)
    if width == 1:
        values, names = texts[0], names.new_from_index(0, height)
    else:  # row by row: the first row's items, then the second's, ...
        cells = np.arange(height, dtype=np.uint32)[:, None]
        values = pl.concat([t.alias("value") for t in texts])[
            pl.Series((np.arange(width, dtype=np.uint32) * height + cells).ravel())
        ]
        names = names[pl.Series(np.tile(np.arange(width, dtype=np.uint32), height))]
    items = pl.DataFrame([names.alias("name"), values.alias("value")]).to_struct("breakdown")
    return items.reshape((height, width)).cast(RESULT_SCHEMA["breakdown"])


_FIXED = {
    name: pl.Series(
        name,
        [[] if name in ("breakdown", "flags") else False if name == "suppressed" else None],
        dtype=dtype,
    )
    for name, dtype in RESULT_SCHEMA.items()
}
"""One value of each field :func:`frame_of` fills the same way in every row (null, an empty
breakdown or flags list, not suppressed), built once: a nested literal costs more to build
than to repeat."""


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
    columns) with the given figure ``columns`` (any field of the schema; the rest null).

    Built column by column: the given expressions are evaluated on ``rows`` in one
    ``select`` (literals broadcast to every row); series and fixed values are repeated or
    used as they are."""
    given = columns or {}
    height = rows.height
    exprs = {name: value for name, value in given.items() if isinstance(value, pl.Expr)}
    series = {name: value for name, value in given.items() if isinstance(value, pl.Series)}
    if breakdown and "breakdown" not in given:
        series["breakdown"] = _breakdown_series(rows, breakdown)
    evaluated = rows.select(pl.first().alias("_rows"), **exprs) if exprs else rows
    text = pl.Series([id, title, str(measure), str(unit), method], dtype=pl.String)
    out = []
    for name, dtype in RESULT_SCHEMA.items():
        if name in exprs:
            column = evaluated[name]
        elif name in series:
            column = series[name]
            if column.len() == 1 and height != 1:  # as a literal in a select: broadcast
                column = column.new_from_index(0, height)
        elif name == "org":
            column = rows["org_code"]
        elif name in ("period", "group"):
            column = rows[name]
        elif name in _TEXT:  # typed: only named
            out.append(text.new_from_index(_TEXT[name], height).alias(name))
            continue
        else:
            out.append(_FIXED[name].new_from_index(0, height))
            continue
        if column.dtype != dtype:
            column = column.cast(dtype)
        out.append(column if column.name == name else column.alias(name))
    # stacked as they are: pl.DataFrame(out) would check each column again
    return out[0].to_frame().hstack(out[1:])


_TEXT = {"id": 0, "title": 1, "measure": 2, "unit": 3, "method": 4}
"""Where :func:`frame_of` finds each field given as text, one value for every row."""


def float_series(name: str, values: np.ndarray) -> pl.Series:
    """A Float64 column of ``values``, NaN as null."""
    return pl.Series(name, values, dtype=pl.Float64, nan_to_null=True)


def wilson_columns(events: pl.Series, totals: pl.Series) -> dict[str, pl.Series]:
    """value, ci_lower, ci_upper in percent: :func:`stats.wilson_arrays` × 100 (null where
    :func:`stats.wilson` gives None)."""
    value, lower, upper = stats.wilson_arrays(events.to_numpy(), totals.to_numpy())
    return {
        "value": float_series("value", value * 100.0),
        "ci_lower": float_series("ci_lower", lower * 100.0),
        "ci_upper": float_series("ci_upper", upper * 100.0),
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
    rows = _sorted_by(counts, ["org_code", "period", *breakdown, "group"])
    columns: dict[str, pl.Series | pl.Expr] = {
        **wilson_columns(rows["events"], rows["total"]),
        "numerator": rows["events"],
        "denominator": rows["total"],
        "note": _by_org_period(rows, notes or {}, "note", pl.String()),
    }
    if flags:
        columns["flags"] = _by_org_period(rows, flags, "flags", pl.List(pl.String), default=())
    return frame_of(  # the group as text: frame_of casts every field to its type
        rows,
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
    """:func:`likelihood_results` as a frame (the same figures, flags and order). Each
    pair's counts (0 where a group has no row) by one query, not a pivot (three steps)."""
    keys = ["org_code", "period", *breakdown]
    group = pl.col("group")

    def summed(name: str, label: str) -> pl.Expr:
        return pl.col(name).filter(group == label).sum().cast(pl.Int64)

    wide = small_query(
        counts.lazy()
        .filter(group.is_in([first, second]))
        .group_by(keys)
        .agg(
            summed("events", first).alias("_a"),
            summed("total", first).alias("_n1"),
            summed("events", second).alias("_c"),
            summed("total", second).alias("_n2"),
        )
        .sort(keys)
    )
    if wide.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    a, n1, c, n2 = wide["_a"], wide["_n1"], wide["_c"], wide["_n2"]
    value, lower, upper = stats.relative_likelihood_arrays(
        a.to_numpy(), n1.to_numpy(), c.to_numpy(), n2.to_numpy()
    )
    return frame_of(
        wide,
        id=id,
        title=title,
        method=method,
        measure=Measure.RELATIVE_LIKELIHOOD,
        unit=Unit.RATIO,
        breakdown=breakdown,
        columns={
            "group": pl.Series("group", [f"{first}:{second}"]),
            "value": float_series("value", value),
            "numerator": a,
            "denominator": n1,
            "reference_numerator": c,
            "reference_denominator": n2,
            "ci_lower": float_series("ci_lower", lower),
            "ci_upper": float_series("ci_upper", upper),
            "flags": likelihood_flags(value, lower, upper),
            "note": pl.Series("note", [note], dtype=pl.String),
        },
    )


FLAG_LISTS = pl.Series(
    "flags",
    [
        [],
        [NO_EVIDENCE, OUTSIDE_FOUR_FIFTHS],
        [NO_EVIDENCE, WITHIN_FOUR_FIFTHS],
        [OUTSIDE_FOUR_FIFTHS],
        [WITHIN_FOUR_FIFTHS],
    ],
    dtype=pl.List(pl.String),
)


def likelihood_flags(value: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> pl.Series:
    """The flags :func:`likelihood_results` gives each ratio (NaN: none), as a list column:
    no evidence of difference (the interval includes 1 or is undefined), then outside or
    within the four-fifths band; none when there is no ratio."""
    with np.errstate(invalid="ignore"):
        contains_one = np.isnan(lower) | np.isnan(upper) | ((lower <= 1.0) & (upper >= 1.0))
        outside = (value < stats.FOUR_FIFTHS[0]) | (value > stats.FOUR_FIFTHS[1])
    code = np.where(
        np.isnan(value), 0, np.where(contains_one, 1, 3) + np.where(outside, 0, 1)
    ).astype(np.uint32)
    return FLAG_LISTS[pl.Series(code, dtype=pl.UInt32)].alias("flags")
