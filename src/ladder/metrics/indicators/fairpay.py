"""Fair pay: who is paid below the Real Living Wage, directly employed and contracted.

The Real Living Wage (Living Wage Foundation) is a voluntary rate, announced each autumn
and paid within about six months; the London Living Wage applies at London sites. The rate
of a snapshot is the latest rate whose ``pay_by`` date is on or before the snapshot date
(``ladder.reference.living_wage``), so a period is judged against the rate employers were
expected to be paying.

- ``fairpay.below_living_wage.staff``: share of directly employed staff (the workforce at the
  period's latest snapshot, with an hourly pay) paid below the rate; overall (group ``all``)
  and by pay band and staff group (breakdowns). A trust whose postcode is in a London borough
  uses the London rate.
- ``fairpay.below_living_wage.contracted``: the same for contracted staff
  (``contracted_staff``), overall and by contractor and service; the London rate where
  ``site_london`` is yes (or, when blank, where the trust is in London).
- ``fairpay.gap_cost``: yearly cost of bringing everyone below up to the rate:
  Σ (rate − hourly pay) × weekly hours × 52.143 (365/7 weeks); weekly hours are fte × 37.5
  for staff (Agenda for Change full time; a blank fte counts as full time) and ``hours`` for
  contracted staff (a blank is left out of the cost and said so). Groups ``staff`` and
  ``contracted`` (and each contractor as a breakdown).
- ``fairpay.rise``: what a flat rise of 30p an hour for contracted porters and cleaners would
  cost a year (group ``rise_cost``) against the yearly cost of bringing them to the living
  wage (group ``gap_cost``), and how many would still be below it after the rise (group
  ``below_after_rise``, a rate).

Counts: numerator = people below the rate, denominator = people with a known pay (cost
figures carry them too, so small-number suppression withholds a cost of fewer than the
threshold people).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import narwhals as nw
import polars as pl

from ladder.metrics.builders import rate_frame, rate_results
from ladder.metrics.context import Context
from ladder.metrics.expressions import to_polars
from ladder.metrics.kit.workforce import workforce
from ladder.metrics.registry import Produced, indicator
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.table import RESULT_SCHEMA
from ladder.reference import living_wage, trusts

METHOD = (
    "Living Wage Foundation, the Real Living Wage (UK and London rates; rate employers were "
    "to pay by the snapshot date); docs/index.md, 'Fair pay'"
)
FULL_TIME_HOURS = 37.5
WEEKS_A_YEAR = 365 / 7
RISE = 0.30
RISE_SERVICES: tuple[str, ...] = ("portering", "cleaning")
SMALL = pl.QueryOptFlags.none()
"""The optimisations of the family's short queries, run in memory (none: on one trust's
tables the streaming engine's set-up and the optimiser cost more than the query)."""


def rate_on(snapshot: dt.date) -> dict[str, object] | None:
    """The Real Living Wage row in force at ``snapshot`` (None before the first)."""
    rows = living_wage().filter(pl.col("pay_by") <= snapshot).sort("pay_by")
    return rows.row(-1, named=True) if rows.height else None


@cache
def _london_orgs() -> frozenset[str]:
    """The trusts in London boroughs (from the reference data, read once)."""
    frame = trusts().filter(pl.col("ltla22").str.starts_with("E09"))
    return frozenset(frame.get_column("org_code").to_list())


def _with_rates(frame: pl.DataFrame, london: pl.Expr, *extra: pl.Expr) -> pl.DataFrame:
    """Add ``rate`` (the UK or London rate of the snapshot), ``rate_year`` and ``extra``;
    rows before the first known rate are dropped. The rate is looked up once per snapshot
    date (a single date's rate is a constant), in one query."""
    table = living_wage().lazy().select("pay_by", "rate_year", "uk", "london").sort("pay_by")
    snapshot = frame.get_column("snapshot_date")
    dates = snapshot.unique().drop_nulls().sort().to_frame()
    rates = (
        dates.lazy()
        .join_asof(table, left_on="snapshot_date", right_on="pay_by", strategy="backward")
        .filter(pl.col("uk").is_not_null())
        .collect(engine="in-memory", optimizations=SMALL)
    )
    when = rates.get_column("snapshot_date")
    query = frame.lazy()
    if rates.height < dates.height or snapshot.null_count():
        query = query.filter(pl.col("snapshot_date").is_in(when.implode()))
    names = ("pay_by", "rate_year", "uk", "london")
    if rates.height == 1:
        found = [pl.lit(rates.item(0, c), dtype=rates.schema[c]).alias(c) for c in names]
    else:
        found = [
            pl.col("snapshot_date")
            .replace_strict(when, rates.get_column(c), return_dtype=rates.schema[c])
            .alias(c)
            for c in names
        ]
    return (
        query.with_columns(found)
        .with_columns(pl.when(london).then(pl.col("london")).otherwise(pl.col("uk")).alias("rate"))
        .with_columns(*extra)
        .collect(engine="in-memory", optimizations=SMALL)
    )


def _note(frame: pl.DataFrame) -> str:
    return _rates_note(tuple(frame.get_column("rate_year").unique().sort().to_list()))


@cache
def _rates_note(years: tuple[object, ...]) -> str:
    """The rates of ``years`` as a note (from the reference data: once per set of years)."""
    rows = living_wage().filter(pl.col("rate_year").is_in(list(years)))
    parts = [
        f"Real Living Wage {r['rate_year']}: £{r['uk']:.2f} (London £{r['london']:.2f}), "
        f"to be paid by {r['pay_by']:%d %B %Y}"
        for r in rows.iter_rows(named=True)
    ]
    return "; ".join(parts)


def direct(ctx: Context) -> pl.DataFrame:
    """Directly employed staff with an hourly pay, with the rate and weekly hours."""

    def compute() -> pl.DataFrame:
        frame = to_polars(
            workforce(ctx)
            .filter(~nw.col("hourly_pay").is_null())
            .select(
                "org_code",
                "period",
                "snapshot_date",
                "pay_band",
                "staff_group",
                "fte",
                "hourly_pay",
            )
        )
        london = pl.col("org_code").is_in(sorted(_london_orgs()))
        hours = (pl.col("fte").fill_null(1.0) * FULL_TIME_HOURS).alias("hours")
        return _with_rates(frame, london, hours)

    return ctx.memo("fairpay.direct", compute)


def contracted(ctx: Context) -> pl.DataFrame:
    """Contracted staff at the latest snapshot of each period, with the rate."""

    def compute() -> pl.DataFrame:
        frame = to_polars(
            ctx.frame("contracted_staff").select(
                "org_code",
                "period",
                "snapshot_date",
                "contractor",
                "service",
                "site_london",
                "hourly_pay",
                "hours",
            )
        )
        frame = frame.filter(
            pl.col("snapshot_date") == pl.col("snapshot_date").max().over("org_code", "period")
        )
        trust_london = pl.col("org_code").is_in(sorted(_london_orgs()))
        return _with_rates(frame, pl.col("site_london").fill_null(trust_london))

    return ctx.memo("fairpay.contracted", compute)


def _shares(frame: pl.DataFrame, id: str, who: str, cuts: tuple[str, ...]) -> pl.DataFrame:
    """The share below the rate overall and by each of ``cuts``, as a results frame (the
    people counted once, by every cut together, then added up: the sums of every cut in one
    more query, as a query a step costs more than these small tables)."""
    if frame.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    note = _note(frame)
    title = f"{who} paid below the Real Living Wage"
    fine = (
        frame.lazy()
        .group_by("org_code", "period", *cuts)
        .agg((pl.col("hourly_pay") < pl.col("rate")).sum().alias("events"), pl.len().alias("total"))
        .collect(engine="in-memory", optimizations=SMALL)
        .lazy()
    )
    ways: list[tuple[str, ...]] = [(), *((cut,) for cut in cuts)]
    summed = pl.collect_all(
        [
            (fine.filter(pl.col(by[0]).is_not_null()) if by else fine)
            .group_by("org_code", "period", *by)
            .agg(pl.col("events").sum(), pl.col("total").sum())
            .with_columns(pl.lit("all").alias("group"))
            for by in ways
        ],
        engine="in-memory",
        optimizations=SMALL,
    )
    notes = pl.Series("note", [note], dtype=pl.String)
    parts = []
    for by, counts in zip(ways, summed, strict=True):
        shares = rate_frame(counts, id=id, title=title, method=METHOD, breakdown=by)
        parts.append(shares.replace_column(_NOTE, notes.new_from_index(0, shares.height)))
    return pl.concat(parts)


_NOTE = list(RESULT_SCHEMA).index("note")
"""Where the note is in a results frame."""


@indicator(
    "fairpay.below_living_wage.staff",
    "Directly employed staff paid below the Real Living Wage",
    family="fairpay",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "hourly_pay"),),
)
def below_staff(ctx: Context) -> Produced:
    return _shares(
        direct(ctx),
        "fairpay.below_living_wage.staff",
        "Directly employed staff",
        ("pay_band", "staff_group"),
    )


@indicator(
    "fairpay.below_living_wage.contracted",
    "Contracted staff paid below the Real Living Wage",
    family="fairpay",
    needs=("contracted_staff",),
    method=METHOD,
)
def below_contracted(ctx: Context) -> Produced:
    return _shares(
        contracted(ctx),
        "fairpay.below_living_wage.contracted",
        "Contracted staff",
        ("contractor", "service"),
    )


def _cost_rows(
    frame: pl.DataFrame, by: tuple[str, ...], price: pl.Expr, who: pl.Expr
) -> pl.LazyFrame:
    """Yearly cost (Σ price × hours × weeks over ``who``) and the people counted, in order
    of organisation, period and ``by`` (a query: :func:`_run` runs a figure's together)."""
    return (
        frame.lazy()
        .group_by("org_code", "period", *by)
        .agg(
            (price * pl.col("hours") * WEEKS_A_YEAR)
            .filter(who & pl.col("hours").is_not_null())
            .sum()
            .alias("cost"),
            who.sum().alias("events"),
            pl.len().alias("total"),
            (who & pl.col("hours").is_null()).sum().alias("no_hours"),
        )
        .sort("org_code", "period", *by, maintain_order=True)
    )


def _run(*queries: pl.LazyFrame) -> list[pl.DataFrame]:
    """A figure's short queries, run together in memory (one call, not one per query)."""
    return pl.collect_all(queries, engine="in-memory", optimizations=SMALL)


def _gbp(
    rows: pl.DataFrame, id: str, title: str, group: str, note: str, by: tuple[str, ...] = ()
) -> list[Result]:
    out = []
    for r in rows.iter_rows(named=True):
        extra = f"; {r['no_hours']} without hours left out" if r["no_hours"] else ""
        out.append(
            Result(
                id=id,
                title=title,
                org=r["org_code"],
                period=int(r["period"]),
                measure=Measure.COUNT,
                unit=Unit.GBP,
                value=round(float(r["cost"]), 2),
                method=METHOD,
                group=group,
                breakdown={c: str(r[c]) for c in by},
                numerator=int(r["events"]),
                denominator=int(r["total"]),
                note=note + extra,
            )
        )
    return out


BELOW = pl.col("hourly_pay") < pl.col("rate")
GAP = pl.col("rate") - pl.col("hourly_pay")


@indicator(
    "fairpay.gap_cost",
    "Yearly cost of paying everyone below the Real Living Wage the living wage",
    family="fairpay",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "hourly_pay"),),
)
def gap_cost(ctx: Context) -> list[Result]:
    title = "Yearly cost of bringing pay up to the Real Living Wage"
    staff = direct(ctx)
    work = contracted(ctx) if ctx.has("contracted_staff") else None
    figures: list[tuple[pl.LazyFrame, str, str, tuple[str, ...]]] = []
    if not staff.is_empty():
        note = f"{_note(staff)}; hours a week = fte × {FULL_TIME_HOURS:g}; × 365/7 weeks"
        figures.append((_cost_rows(staff, (), GAP, BELOW), "staff", note, ()))
    if work is not None and not work.is_empty():
        note = f"{_note(work)}; contracted weekly hours × 365/7 weeks"
        ways: tuple[tuple[str, ...], ...] = ((), ("contractor",))
        for by in ways:
            figures.append((_cost_rows(work, by, GAP, BELOW), "contracted", note, by))
    out: list[Result] = []
    found = _run(*(query for query, _, _, _ in figures))
    for rows, (_, group, note, by) in zip(found, figures, strict=True):
        out.extend(_gbp(rows, "fairpay.gap_cost", title, group, note, by))
    return out


@indicator(
    "fairpay.rise",
    "A 30p an hour rise for contracted porters and cleaners, against the living-wage gap",
    family="fairpay",
    needs=("contracted_staff",),
    method=METHOD,
)
def rise(ctx: Context) -> list[Result]:
    work = contracted(ctx).filter(pl.col("service").is_in(list(RISE_SERVICES)))
    if work.is_empty():
        return []
    note = (
        f"{_note(work)}; porters and cleaners employed by contractors; a rise of "
        f"£{RISE:.2f} an hour × contracted weekly hours × 365/7 weeks"
    )
    everyone = pl.col("hourly_pay").is_not_null()
    raised, gap, after = _run(
        _cost_rows(work, (), pl.lit(RISE), everyone),
        _cost_rows(work, (), GAP, BELOW),
        work.lazy()
        .group_by("org_code", "period")
        .agg(
            (pl.col("hourly_pay") + RISE < pl.col("rate")).sum().alias("events"),
            pl.len().alias("total"),
            pl.lit("below_after_rise").alias("group"),
        ),
    )
    out = _gbp(
        raised,
        "fairpay.rise",
        "Yearly cost of a 30p an hour rise for contracted porters and cleaners",
        "rise_cost",
        note,
    )
    out.extend(
        _gbp(
            gap,
            "fairpay.rise",
            "Yearly cost of bringing contracted porters and cleaners to the Real Living Wage",
            "gap_cost",
            note,
        )
    )
    out.extend(
        rate_results(
            after,
            id="fairpay.rise",
            title="Contracted porters and cleaners still below the Real Living Wage after a "
            "30p rise",
            method=METHOD,
            note=note,
        )
    )
    return out
