"""The workforce at the snapshot, and representation by band and cluster (WRES 1, WDES 1)."""

from __future__ import annotations

from functools import cache
from typing import Any

import narwhals as nw
import polars as pl

from ladder.codes import MEDICAL_GRADES, STAFF_GROUPS
from ladder.engines import EngineName, materialise
from ladder.metrics.context import Context
from ladder.metrics.enrichment import area_counts, workforce_areas
from ladder.metrics.expressions import (
    count_true,
    period_of,
    to_polars,
    wres_cluster,
)
from ladder.metrics.kit.figures import rates
from ladder.metrics.kit.groupings import DISABILITY, ETHNICITY, Grouping, march, period_keys
from ladder.metrics.paygap_method import small_query
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
    On the Polars engine the workforce and the non-executives are read once per run
    (:func:`_polars_snapshot`) instead.
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


ONE_READ_ROWS = 200_000
"""Up to this many staff rows, the Polars snapshot reads the file once and splits it in
memory (a second filtered scan costs more than the split on one trust's file); above, each
part is read with its filter in the scan (the whole file beside the workforce, nearly all
of it, would double the run's largest frame)."""


def _polars_snapshot(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`snapshot` on the Polars engine, once per run, split in two: the workforce and
    the non-executive board members (each in the file's order), shared by the workforce and
    the board. No query for the snapshot dates: the parts are read (:data:`ONE_READ_ROWS`)
    and checked in memory. When they hold one snapshot date and every row an organisation
    (the usual case), that is the snapshot; otherwise each organisation's latest date in the
    period is kept (a window over the whole snapshot)."""

    def compute() -> tuple[pl.DataFrame, pl.DataFrame]:
        staff: pl.LazyFrame = ctx.frame("staff").to_native()
        kept, others = _split(staff)
        if _one_whole_snapshot(kept, others):
            return kept, others
        date = pl.col("snapshot_date")
        return _split(
            staff.filter(pl.col("org_code").is_not_null() & (date == date.max().over(*KEYS)))
        )

    parts: tuple[pl.DataFrame, pl.DataFrame] = ctx.memo("staff.snapshot", compute)
    return parts


def _split(staff: pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows of ``staff`` outside and inside the non-executive board members, read once
    and split when the file is small, else each with its filter in the scan (one call)."""
    if staff.select(pl.len()).collect().item() <= ONE_READ_ROWS:
        read = staff.collect()
        return read.filter(~_non_executive()), read.filter(_non_executive())
    kept, others = pl.collect_all([staff.filter(~_non_executive()), staff.filter(_non_executive())])
    return kept, others


def _one_whole_snapshot(*parts: pl.DataFrame) -> bool:
    """Whether ``parts`` hold a single snapshot date and every row an organisation and a
    date (then every row is in the latest snapshot of its organisation and period)."""
    dates = {
        d
        for part in parts
        if part.height
        for d in (part["snapshot_date"].min(), part["snapshot_date"].max())
    }
    return len(dates) <= 1 and not any(
        part["snapshot_date"].null_count() or part["org_code"].null_count() for part in parts
    )


def _non_executive() -> pl.Expr:
    """:func:`is_non_executive` in native Polars."""
    return pl.col("is_board_member").fill_null(False) & ~pl.col("is_executive").fill_null(True)


def workforce(ctx: Context) -> nw.LazyFrame[Any]:
    """The workforce (headcount) of each period: the latest snapshot without non-executives.

    Computed once per run and kept: a dozen indicators start from it.
    """

    def compute() -> nw.LazyFrame[Any]:
        if ctx.engine is EngineName.polars:
            return nw.from_native(_polars_snapshot(ctx)[0].lazy())
        return materialise(snapshot(ctx).filter(~is_non_executive()), ctx.engine)

    return ctx.memo("workforce", compute)


def non_executives(ctx: Context) -> nw.LazyFrame[Any]:
    """The non-executive board members of the latest snapshot (not in the workforce)."""
    if ctx.engine is EngineName.polars:
        return nw.from_native(_polars_snapshot(ctx)[1].lazy())
    return snapshot(ctx).filter(is_non_executive())


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


@cache
def _cluster_native() -> pl.Expr:
    """:func:`cluster` in native Polars."""
    group = pl.col("staff_group")
    medical = [g for g, c in STAFF_GROUPS.items() if c == "medical"]
    non_clinical = [g for g, c in STAFF_GROUPS.items() if c == "non-clinical"]
    return (
        pl.when(pl.col("pay_band").is_in(list(MEDICAL_GRADES)))
        .then(pl.lit("medical"))
        .when(group.is_in(medical))
        .then(pl.lit("medical"))
        .when(group.is_in(non_clinical))
        .then(pl.lit("non-clinical"))
        .when(group.is_null())
        .then(pl.lit("unknown"))
        .otherwise(pl.lit("clinical"))
    )


def polars_reported_band() -> pl.Expr:
    """:func:`reported_band` in native Polars (for the Polars engine's fast paths)."""
    return _band_native()


@cache
def _band_native() -> pl.Expr:
    """:func:`reported_band` in native Polars."""
    return (
        pl.when(pl.col("is_executive").fill_null(False))
        .then(pl.lit("VSM"))
        .otherwise(pl.col("pay_band").fill_null("Not known"))
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
        native = [g.native for g in groupings]
        if ctx.engine is EngineName.polars and all(n is not None for n in native):
            return _polars_counts(ctx, groupings)
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


def _polars_counts(ctx: Context, groupings: tuple[Grouping, ...]) -> pl.DataFrame:
    """The table of :func:`workforce_counts` on the Polars engine: one query in native
    expressions (Narwhals' translation costs more than counting one trust), grouped by the
    recorded values first and labelled on that small table."""
    cells = [_cluster_native().alias("cluster"), _band_native().alias("pay_band")]
    for i, grouping in enumerate(groupings):
        assert grouping.native is not None
        cells.append(grouping.native.of(grouping.column).alias(f"_g{i}"))
    recorded = list(
        dict.fromkeys(["staff_group", "pay_band", "is_executive", *(g.column for g in groupings)])
    )
    summed = {c: f"_n_{c}" for c in ("count", *BOARD_FLAGS)}
    flags = [pl.col(c).fill_null(False).cast(pl.Int64).sum().alias(summed[c]) for c in BOARD_FLAGS]
    query = (
        workforce(ctx)
        .to_native()
        .group_by(*KEYS, *recorded)
        .agg(pl.len().cast(pl.Int64).alias(summed["count"]), *flags)
        .group_by(*KEYS, *cells)
        .agg(pl.col(n).sum().alias(c) for c, n in summed.items())
    )
    counted: pl.DataFrame = query.collect()
    return counted


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
        counts.lazy()
        .select(cells_keys)
        .unique()
        .join(pl.LazyFrame({"group": list(grouping.groups)}), how="cross")
        .join(counts.lazy(), on=[*cells_keys, "group"], how="left")
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
    table = small_query(  # one query for the steps (on the small table of counts)
        pl.concat(
            [t.select(*cells_keys, "group", "events") for t in (grid, by_cluster, overall)]
        ).with_columns(pl.col("events").sum().over(cells_keys).alias("total"))
    )
    notes = {
        (org, period): f"% of the cell's {WORKFORCE_NOTE.format(date=march(period))}"
        for org, period in period_keys(counts)
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
