"""The workforce at the snapshot, and representation by band and cluster (WRES 1, WDES 1)."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import MEDICAL_GRADES
from ladder.engines import materialise
from ladder.metrics.context import Context
from ladder.metrics.expressions import (
    to_polars,
    wres_cluster,
)
from ladder.metrics.kit.figures import rates
from ladder.metrics.kit.groupings import Grouping, march
from ladder.metrics.registry import Produced
from ladder.metrics.results import Measure

KEYS = ("org_code", "period")


def is_non_executive() -> nw.Expr:
    """Non-executive board members (chair, NEDs): office holders, not the workforce."""
    return nw.col("is_board_member").fill_null(False) & ~nw.col("is_executive").fill_null(True)


def snapshot(ctx: Context) -> nw.LazyFrame[Any]:
    """Staff rows of the latest snapshot date of each organisation and period."""
    staff = ctx.frame("staff")
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
    counts = to_polars(
        workforce(ctx)
        .with_columns(
            cluster().alias("cluster"),
            reported_band().alias("pay_band"),
            grouping.expr().alias("group"),
        )
        .group_by(*cells_keys, "group")
        .agg(nw.len().alias("events"))
    )
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
