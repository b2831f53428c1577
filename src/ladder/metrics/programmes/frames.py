"""Programme figures as results frames (:data:`ladder.metrics.table.RESULT_SCHEMA`), built
column-wise from tables of counts of every organisation and programme at once.

The numbers are those of :func:`ladder.metrics.builders.rate_results` and
:func:`~ladder.metrics.builders.likelihood_results`, from the same vectorised pieces
(:func:`~ladder.metrics.builders.wilson_columns`,
:func:`~ladder.metrics.stats.relative_likelihood_arrays`,
:func:`~ladder.metrics.builders.likelihood_flags`); titles and notes may differ row by row.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ladder.metrics import stats
from ladder.metrics.builders import (
    breakdown_items,
    float_series,
    likelihood_flags,
    wilson_columns,
)
from ladder.metrics.results import Measure, Unit
from ladder.metrics.table import RESULT_SCHEMA

Value = pl.Expr | str | float | int | None


def results(
    rows: pl.DataFrame,
    *,
    breakdown: Sequence[str],
    keep: Sequence[str] = (),
    **fields: Value | pl.Series,
) -> pl.DataFrame:
    """One result per row of ``rows`` (``org_code``, ``period``, ``group`` and the
    ``breakdown`` columns, in that order in the breakdown); ``fields`` gives any other field
    (an expression over ``rows``, a column or a constant; the rest null, not suppressed, no
    flags). ``keep``: columns of ``rows`` kept after the results' (to sort by)."""
    exprs = []
    for name, dtype in RESULT_SCHEMA.items():
        expr: pl.Expr
        if name in fields:
            value = fields[name]
            expr = value if isinstance(value, pl.Expr) else pl.lit(value)
        elif name == "breakdown":
            expr = pl.lit(breakdowns(rows, breakdown))
        elif name == "org":
            expr = pl.col("org_code")
        elif name in ("period", "group"):
            expr = pl.col(name)
        elif name == "suppressed":
            expr = pl.lit(False)
        elif name == "flags":
            expr = pl.lit([], dtype=dtype)
        else:
            expr = pl.lit(None)
        exprs.append(expr.cast(dtype).alias(name))
    return rows.select(*exprs, *keep)


def breakdowns(rows: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """Each row's breakdown (``{name, value}`` of each of ``columns``, values as text).

    Built from the columns as they are, without a query: every row's items side by side as
    structs, cut into rows of ``len(columns)`` (lists of structs built row by row in a query
    cost far more); with a null value, each distinct breakdown is built once and gathered."""
    dtype = RESULT_SCHEMA["breakdown"]
    height = rows.height
    if not columns:
        return pl.Series("breakdown", [[]] * height, dtype=dtype)
    texts = [rows[c].cast(pl.String) for c in columns]
    if height == 0 or any(t.null_count() for t in texts):
        return _distinct_breakdowns(rows, columns)
    return breakdown_items(texts, columns).alias("breakdown")


def _distinct_breakdowns(rows: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """:func:`breakdowns`, each distinct breakdown built once and gathered."""
    dtype = RESULT_SCHEMA["breakdown"]
    keys = rows.select(pl.col(c).cast(pl.String) for c in columns)
    distinct = keys.unique(maintain_order=True).with_row_index("_b")
    index = keys.join(
        distinct, on=list(columns), how="left", maintain_order="left", nulls_equal=True
    )["_b"]
    built = distinct.select(
        pl.concat_list(
            pl.struct(pl.lit(c).alias("name"), pl.col(c).alias("value")) for c in columns
        ).cast(dtype)
    ).to_series()
    return built.gather(index).alias("breakdown")


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=RESULT_SCHEMA)


def rates(
    counts: pl.DataFrame,
    *,
    breakdown: Sequence[str],
    keep: Sequence[str] = (),
    measure: Measure = Measure.RATE,
    **given: Value,
) -> pl.DataFrame:
    """``events`` / ``total`` × 100 of each row of ``counts`` with its Wilson 95% interval
    (as :func:`~ladder.metrics.builders.rate_results`); ``id``, ``title``, ``method`` and
    ``note`` are columns of ``counts`` unless ``given``."""
    return results(
        counts,
        breakdown=breakdown,
        keep=keep,
        **{
            "id": pl.col("id"),
            "title": pl.col("title"),
            "method": pl.col("method"),
            "note": pl.col("note"),
            **given,
        },
        measure=str(measure),
        unit=str(Unit.PERCENT),
        numerator=pl.col("events"),
        denominator=pl.col("total"),
        **wilson_columns(counts["events"], counts["total"]),
    )


def likelihoods(
    counts: pl.DataFrame,
    roles: pl.DataFrame,
    keys: Sequence[str],
    *,
    breakdown: Sequence[str],
    keep: Sequence[str] = (),
) -> pl.DataFrame:
    """The relative likelihood (first group's rate ÷ second's) per ``keys`` of ``counts``,
    as :func:`~ladder.metrics.builders.likelihood_results` gives it; ``roles`` names the
    first and second group (columns ``group``, ``role``: ``first``/``second``, and any of
    ``keys`` they depend on), and gives the result's ``id``, ``title``, ``method`` and
    ``group`` (``first:second``) as columns ``id``, ``title``, ``method``, ``pair``."""
    on = [c for c in roles.columns if c not in ("role", "id", "title", "method", "pair")]
    by = [k for k in keys if k in roles.columns]
    labels = roles.lazy().select(*by, "id", "title", "method", "pair").unique(maintain_order=True)
    role = pl.col("role")
    # each role's counts side by side (as a pivot by role, missing counts 0), in one query
    (wide,) = pl.collect_all(
        [
            counts.lazy()
            .join(roles.lazy().select(*on, "role"), on=on, how="inner")
            .group_by(list(keys), maintain_order=True)
            .agg(
                pl.col(v).filter(role == r).sum().cast(pl.Int64).alias(f"{v}_{r}")
                for v in ("events", "total")
                for r in ("first", "second")
            )
            .join(labels, on=by, how="left")
            .with_columns(pl.col("pair").alias("group"))
        ],
        engine="in-memory",
        optimizations=pl.QueryOptFlags.none(),
    )
    if wide.is_empty():
        return empty()

    a, n1 = wide["events_first"], wide["total_first"]
    c, n2 = wide["events_second"], wide["total_second"]
    value, lower, upper = stats.relative_likelihood_arrays(
        a.to_numpy(), n1.to_numpy(), c.to_numpy(), n2.to_numpy()
    )
    return results(
        wide,
        breakdown=breakdown,
        keep=keep,
        id=pl.col("id"),
        title=pl.col("title"),
        method=pl.col("method"),
        measure=str(Measure.RELATIVE_LIKELIHOOD),
        unit=str(Unit.RATIO),
        value=float_series("value", value),
        numerator=a,
        denominator=n1,
        reference_numerator=c,
        reference_denominator=n2,
        ci_lower=float_series("ci_lower", lower),
        ci_upper=float_series("ci_upper", upper),
        flags=likelihood_flags(value, lower, upper),
    )
