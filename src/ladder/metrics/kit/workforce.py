"""The workforce at the snapshot, and representation by band and cluster (WRES 1, WDES 1)."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import MEDICAL_GRADES
from ladder.engines import materialise
from ladder.metrics.context import Context
from ladder.metrics.enrichment import area_counts, workforce_areas
from ladder.metrics.expressions import (
    count_true,
    period_of,
    to_polars,
    wres_cluster,
)
from ladder.metrics.kit.figures import rates
from ladder.metrics.kit.groupings import DISABILITY, ETHNICITY, Grouping, march
from ladder.metrics.registry import Produced
from ladder.metrics.results import Measure

KEYS = ("org_code", "period")


def is_non_executive() -> nw.Expr:
    """Non-executive board members (chair, NEDs): office holders, not the workforce."""
    return nw.col("is_board_member").fill_null(False) & ~nw.col("is_executive").fill_null(True)


def snapshot(ctx: Context) -> nw.LazyFrame[Any]:
    """Staff rows of the latest snapshot date of each organisation and period.

    When every organisation and period has a single snapshot date (the usual case: found
    with a small query, once per run), that is every row with an organisation and a date.
    """
    staff = ctx.frame("staff")
    dates = ctx.memo(
        "staff.snapshot_dates",
        lambda: to_polars(
            staff.group_by(*KEYS).agg(
                nw.col("snapshot_date").min().alias("_first"),
                nw.col("snapshot_date").max().alias("_latest"),
            )
        ),
    )
    if dates.select((pl.col("_first") == pl.col("_latest")).fill_null(True).all()).item():
        return staff.filter(~nw.col("org_code").is_null() & ~nw.col("snapshot_date").is_null())
    latest = staff.group_by(*KEYS).agg(nw.col("snapshot_date").max().alias("_latest"))
    return (
        staff.join(latest, on=list(KEYS), how="inner")
        .filter(nw.col("snapshot_date") == nw.col("_latest"))
        .drop("_latest")
    )


def workforce(ctx: Context) -> nw.LazyFrame[Any]:
    """The workforce (headcount) of each period: the latest snapshot without non-executives.

    Computed once per run and kept: a dozen indicators start from it.
    """
    return ctx.memo(
        "workforce",
        lambda: materialise(snapshot(ctx).filter(~is_non_executive()), ctx.engine),
    )


WORKFORCE_NOTE = (
    "headcount at {date} (latest snapshot of the period; non-executive board members excluded)"
)


def cluster() -> nw.Expr:
    """WRES 1 cluster: a medical grade is medical; otherwise the staff group's cluster.

    Staff with no staff group and a non-medical band form the cluster ``unknown`` (reported,
    not guessed).
    """
    return (
        nw.when(nw.col("pay_band").is_in(list(MEDICAL_GRADES)))
        .then(nw.lit("medical"))
        .otherwise(wres_cluster())
    )


def reported_band() -> nw.Expr:
    """The band WRES 1 reports: VSM for executive board members, else the pay band."""
    return (
        nw.when(nw.col("is_executive").fill_null(False))
        .then(nw.lit("VSM"))
        .otherwise(nw.col("pay_band").fill_null("Not known"))
    )


STAFF_AREA_KEYS = ("org_code", "period", "pay_band", "starter")
"""The keys :func:`staff_areas` counts the workforce by (with its home area's index)."""


def staff_frame(staff: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """``staff`` with the reported band and ``starter`` (start date in the period's 12 months)."""
    starter = (period_of("start_date") == nw.col("period")).fill_null(False)
    return staff.with_columns(reported_band().alias("pay_band"), starter.alias("starter"))


def staff_areas(ctx: Context) -> pl.DataFrame:
    """The workforce counted by :data:`STAFF_AREA_KEYS` and its home area's index (Polars
    engine: :func:`ladder.metrics.enrichment.area_counts`), once per run: the staff place
    figures and representation by deprivation read it."""

    def compute() -> pl.DataFrame:
        kept = workforce(ctx)
        index = workforce_areas(ctx, kept)
        return area_counts(ctx, staff_frame(kept), STAFF_AREA_KEYS, index)

    return ctx.memo("place.staff_areas", compute)


SHARED: tuple[Grouping, ...] = (ETHNICITY, DISABILITY)
"""The groupings whose workforce counts come from one shared engine query."""


def _cells(groupings: tuple[Grouping, ...]) -> dict[str, nw.Expr]:
    return {
        "cluster": cluster(),
        "pay_band": reported_band(),
        **{f"_g{i}": g.expr() for i, g in enumerate(groupings)},
    }


BOARD_FLAGS = ("is_board_member", "is_voting_member", "is_executive")
"""The staff columns marking board membership, counted in :func:`workforce_counts`."""


def workforce_counts(
    ctx: Context, grouping: Grouping, *by: str, flags: bool = False
) -> pl.DataFrame:
    """The workforce headcount (``count``) by org_code, period, ``group`` (of ``grouping``)
    and ``by`` (``cluster``, ``pay_band``: :func:`cluster`, :func:`reported_band`), and
    with ``flags`` how many of them are marked in each of :data:`BOARD_FLAGS`. One engine
    query per run for the groupings of :data:`SHARED`."""
    if grouping in SHARED:
        groupings, label = SHARED, f"_g{SHARED.index(grouping)}"
    else:
        groupings, label = (grouping,), "_g0"

    def compute() -> pl.DataFrame:
        columns = _cells(groupings)
        return to_polars(
            workforce(ctx)
            .with_columns(expr.alias(name) for name, expr in columns.items())
            .group_by(*KEYS, *columns)
            .agg(nw.len().alias("count"), *[count_true(c).alias(c) for c in BOARD_FLAGS])
        )

    name = "workforce.counts" if grouping in SHARED else f"workforce.counts.{grouping.name}"
    counts = ctx.memo(name, compute)
    summed = ["count", *BOARD_FLAGS] if flags else ["count"]
    return counts.group_by(*KEYS, *by, pl.col(label).alias("group")).agg(pl.col(summed).sum())


def representation(
    ctx: Context, grouping: Grouping, *, id: str, title: str, method: str
) -> Produced:
    """Share of each group in each (cluster, band), in each cluster and in the workforce.

    Value = % of the cell's headcount in the group (numerator: the group's headcount,
    denominator: the cell's); every group is listed in every cell (zero included) so the
    table is complete for secondary suppression. Totals: ``pay_band`` ``all`` per cluster,
    and cluster ``all`` / pay_band ``all`` for the overall workforce.
    """
    cells_keys = [*KEYS, "cluster", "pay_band"]
    counts = workforce_counts(ctx, grouping, "cluster", "pay_band").rename({"count": "events"})
    if counts.is_empty():
        return []
    grid = (
        counts.select(cells_keys)
        .unique()
        .join(pl.DataFrame({"group": list(grouping.groups)}), how="cross")
        .join(counts, on=[*cells_keys, "group"], how="left")
        .with_columns(pl.col("events").fill_null(0))
    )
    by_cluster = (
        grid.group_by(*KEYS, "cluster", "group")
        .agg(pl.col("events").sum())
        .with_columns(pl.lit("all").alias("pay_band"))
    )
    overall = (
        grid.group_by(*KEYS, "group")
        .agg(pl.col("events").sum())
        .with_columns(pl.lit("all").alias("cluster"), pl.lit("all").alias("pay_band"))
    )
    table = pl.concat(
        [t.select(*cells_keys, "group", "events") for t in (grid, by_cluster, overall)]
    ).with_columns(pl.col("events").sum().over(cells_keys).alias("total"))
    notes = {
        (org, int(period)): f"% of the cell's {WORKFORCE_NOTE.format(date=march(int(period)))}"
        for org, period in table.select(*KEYS).unique().iter_rows()
    }
    return rates(
        table,
        id=id,
        title=title,
        method=method,
        measure=Measure.SHARE,
        breakdown=("cluster", "pay_band"),
        notes=notes,
    )
