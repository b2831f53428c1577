"""The board against the workforce (WRES 9, WDES 10): percentage-point differences by group."""

from __future__ import annotations

import polars as pl

from ladder.engines import EngineName
from ladder.metrics.builders import frame_of
from ladder.metrics.context import Context
from ladder.metrics.expressions import count_true, to_polars
from ladder.metrics.kit.groupings import Grouping
from ladder.metrics.kit.workforce import (
    WORKFORCE_NOTE,
    non_executives,
    workforce_counts,
)
from ladder.metrics.paygap_method import small_query
from ladder.metrics.results import Measure, Unit

KEYS = ("org_code", "period")


MEMBERSHIPS: dict[str, str] = {
    "board": "is_board_member",
    "voting": "is_voting_member",
    "executive": "is_executive",
}
"""Board membership reported by WRES 9 / WDES 10 → the staff column that marks it."""


def _group_counts(ctx: Context, grouping: Grouping) -> pl.LazyFrame:
    """Workforce and board members by org, period and ``group``: the workforce's from the
    shared workforce counts, plus the non-executive members (not in the workforce). Lazy:
    :func:`board_difference` runs its steps as one small query."""
    staff = workforce_counts(ctx, grouping, flags=True).rename(
        {"count": "workforce", **{c: m for m, c in MEMBERSHIPS.items()}}
    )
    others = _non_executive_counts(ctx, grouping).with_columns(
        pl.lit(0, dtype=pl.Int64).alias("workforce")
    )
    return (
        pl.concat([staff.lazy().select(others.columns), others.lazy()])
        .group_by(*KEYS, "group")
        .agg(pl.col("workforce", *MEMBERSHIPS).sum())
    )


def _non_executive_counts(ctx: Context, grouping: Grouping) -> pl.DataFrame:
    """The non-executive board members by org, period and ``group``, counted in each
    membership (Polars: a small in-memory query in native expressions)."""
    members = non_executives(ctx)
    if ctx.engine is EngineName.polars and grouping.native is not None:
        return small_query(
            members.to_native()
            .group_by(*KEYS, grouping.native.of(grouping.column).alias("group"))
            .agg(
                pl.col(column).fill_null(False).cast(pl.Int64).sum().alias(name)
                for name, column in MEMBERSHIPS.items()
            )
        )
    return to_polars(
        members.with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(*[count_true(column).alias(name) for name, column in MEMBERSHIPS.items()])
    )


def board_difference(
    ctx: Context, grouping: Grouping, *, id: str, title: str, method: str
) -> pl.DataFrame:
    """Board % of each group minus workforce % of the group, in percentage points.

    Shares include the Unknown group in their denominators (they add up to 100). Reported
    for all board members, voting members and executive members, wherever the membership
    has at least one person. Board and workforce are complete counts, not samples, and
    overlap (executives are staff), so no confidence interval is given.
    """
    counts = _group_counts(ctx, grouping)
    totals = counts.group_by(*KEYS).agg(pl.col("workforce", *MEMBERSHIPS).sum().name.prefix("_"))
    members = totals.unpivot(
        on=[f"_{m}" for m in MEMBERSHIPS],
        index=[*KEYS, "_workforce"],
        variable_name="membership",
        value_name="_members",
    ).with_columns(pl.col("membership").str.strip_prefix("_"))
    cells = (
        members.filter((pl.col("_members") > 0) & (pl.col("_workforce") > 0))
        .join(pl.LazyFrame({"group": list(grouping.groups)}), how="cross")
        .join(counts, on=[*KEYS, "group"], how="left")
    )
    order = {m: i for i, m in enumerate(MEMBERSHIPS)}
    rank = {g: i for i, g in enumerate(grouping.groups)}
    board = pl.coalesce(
        *[pl.when(pl.col("membership") == m).then(pl.col(m)) for m in MEMBERSHIPS]
    ).fill_null(0)
    rows = small_query(
        cells.with_columns(
            board.alias("_b"),
            pl.col("workforce").fill_null(0).alias("_w"),
            pl.col("membership").replace_strict(order, return_dtype=pl.Int64).alias("_m"),
            pl.col("group").replace_strict(rank, return_dtype=pl.Int64).alias("_r"),
        ).sort(*KEYS, "_m", "_r")
    )
    date = pl.concat_str(pl.lit("31 March "), pl.col("period").cast(pl.String))
    before, after = WORKFORCE_NOTE.split("{date}")
    return frame_of(
        rows,
        id=id,
        title=title,
        method=method,
        measure=Measure.DIFFERENCE,
        unit=Unit.PERCENTAGE_POINTS,
        breakdown=("membership",),
        columns={
            "value": (100.0 * pl.col("_b")) / pl.col("_members")
            - (100.0 * pl.col("_w")) / pl.col("_workforce"),
            "numerator": pl.col("_b"),
            "denominator": pl.col("_members"),
            "reference_numerator": pl.col("_w"),
            "reference_denominator": pl.col("_workforce"),
            "note": pl.concat_str(
                pl.col("membership"),
                pl.lit(" members % minus workforce % at "),
                date,
                pl.lit(f"; {before}"),
                date,
                pl.lit(after),
            ),
        },
    )
