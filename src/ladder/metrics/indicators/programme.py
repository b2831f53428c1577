"""Community employment programmes (method: docs/programmes.md).

Each programme in the participants data is read with its definition (the user's stages files
in ``Settings.programmes``, else the shipped ones, else the standard stages) and checked
(:mod:`ladder.metrics.programmes.stages`; ``Settings.programme_gaps``). Rows with errors are
left out, with a note. Every figure has ``breakdown["programme"]``; the period of all of an
organisation's programme figures is the reporting year of its latest engagement (the figures
are the programme's to date; cohorts are a breakdown).

- ``programme.funnel``, ``programme.conversion``, ``programme.time``, ``programme.outcome``,
  ``programme.equality``: :mod:`ladder.metrics.programmes.funnel`;
- ``programme.reach``: :mod:`ladder.metrics.programmes.reach`;
- ``programme.retention``, ``programme.progression``: :mod:`ladder.metrics.programmes.retention`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import narwhals as nw
import polars as pl

from ladder.metrics.builders import join_notes
from ladder.metrics.context import Context
from ladder.metrics.enrichment import application_places, enriched
from ladder.metrics.expressions import to_polars
from ladder.metrics.programmes.definition import definition_for
from ladder.metrics.programmes.funnel import (
    equality_many,
    funnel_results,
    method,
    outcome_results,
    time_results,
)
from ladder.metrics.programmes.reach import catchment_population_shares, reach_results
from ladder.metrics.programmes.retention import retention_results
from ladder.metrics.programmes.stages import Checked, check
from ladder.metrics.registry import Wording, indicator
from ladder.metrics.results import Result, evolve
from ladder.place.catchment import Catchment, default_catchment
from ladder.place.neighbourhoods import catchment_lsoas, priority_lsoas

FAMILY = "programme"
NEEDS = ("participants",)


@dataclass(frozen=True)
class Prepared:
    """One organisation's programme: checked rows, the period and the data's latest date."""

    org: str
    period: int
    as_at: dt.date
    checked: Checked


def participants_frame(ctx: Context) -> pl.DataFrame:
    """The participants with their home area (lsoa21, imd_decile, imd_quintile)."""
    return ctx.memo("programme.participants", lambda: to_polars(enriched(ctx, "participants")))


def _date_columns(rows: pl.DataFrame) -> list[str]:
    dates = [c for c, t in rows.schema.items() if t == pl.Date and c.endswith("_date")]
    return [c for c in dates if c != "date_of_birth"]


def prepared(ctx: Context) -> list[Prepared]:
    """Every (organisation, programme) of the run, checked once per run."""

    def build() -> list[Prepared]:
        frame = participants_frame(ctx)
        out: list[Prepared] = []
        dates = _date_columns(frame)
        if not dates or frame.is_empty():
            return out
        per_org = {  # each trust's latest date and period, in one pass (latest_date of its rows)
            org: (as_at, period)
            for org, as_at, period in frame.group_by("org_code")
            .agg(pl.max_horizontal(*dates).max(), pl.col("period").max())
            .iter_rows()
        }
        for (org, name), rows in frame.group_by("org_code", "programme", maintain_order=True):
            as_at, period = per_org[org]
            if not isinstance(as_at, dt.date):
                continue
            programme = definition_for(str(name), ctx.settings.programmes)
            checked = check(
                rows.sort("participant_id"), programme, gaps=ctx.settings.programme_gaps
            )
            out.append(Prepared(str(org), int(period), as_at, checked))
        return sorted(out, key=lambda p: (p.org, p.checked.programme.name))

    return ctx.memo("programme.prepared", build)


def _input_note(p: Prepared) -> str | None:
    parts = []
    if p.checked.excluded:
        parts.append(
            f"{p.checked.excluded} participant row(s) left out for stage errors (`ladder "
            "programme validate` lists them)"
        )
    if p.checked.implied:
        parts.append(f"{p.checked.implied} row(s) with an earlier stage implied by a later one")
    if p.checked.left_out:
        parts.append(f"stages without data, left out: {', '.join(p.checked.left_out)}")
    return "; ".join(parts) or None


def _noted(results: list[Result], p: Prepared) -> list[Result]:
    extra = _input_note(p)
    if extra is None:
        return results
    return [evolve(r, note=join_notes(r.note, extra)) for r in results]


def catchment_of(ctx: Context, org: str) -> Catchment | None:
    return ctx.settings.catchment or default_catchment(org)


def priority_codes(ctx: Context, org: str) -> list[str] | None:
    area = catchment_of(ctx, org)
    if area is None:
        return None
    listed = priority_lsoas(area, ctx.settings.neighbourhood_percent)
    return [str(c) for c in listed["lsoa21"].to_list()]


def catchment_shares(ctx: Context, org: str) -> dict[str, float | None]:
    """Percent of the catchment population (Census 2021) in the most deprived decile and
    quintile nationally and in the priority neighbourhoods: the run's catchment, else the
    trust's local authorities (the catchment of the priority-neighbourhood view)."""
    area = catchment_of(ctx, org)
    if area is None:
        return {}
    return catchment_population_shares(catchment_lsoas(area), priority_codes(ctx, org))


@indicator(
    "programme.funnel",
    "Programme participants reaching each stage, as a percentage of those at the first stage",
    family=FAMILY,
    needs=NEEDS,
    method=method("Funnel"),
    wording=Wording("participants", "reached the stage"),
)
def funnel(ctx: Context) -> list[Result]:
    return _funnels(ctx)[0]


@indicator(
    "programme.conversion",
    "Programme conversion from each stage to the next",
    family=FAMILY,
    needs=NEEDS,
    method=method("Funnel"),
    wording=Wording("participants", "went on from the stage before"),
)
def conversion(ctx: Context) -> list[Result]:
    return _funnels(ctx)[1]


def _funnels(ctx: Context) -> tuple[list[Result], list[Result]]:
    """(funnel, conversion) of every programme: one pass a run serves both indicators."""

    def build() -> tuple[list[Result], list[Result]]:
        funnels: list[Result] = []
        conversions: list[Result] = []
        for p in prepared(ctx):
            stages, steps = funnel_results(p.checked, p.org, p.period, p.as_at)
            funnels += _noted(stages, p)
            conversions += _noted(steps, p)
        return funnels, conversions

    return ctx.memo("programme.funnels", build)


@indicator(
    "programme.time",
    "Days between programme stages (median and quartiles)",
    family=FAMILY,
    needs=NEEDS,
    method=method("Time between stages"),
)
def time_between(ctx: Context) -> list[Result]:
    out: list[Result] = []
    for p in prepared(ctx):
        out += time_results(p.checked, p.org, p.period)
    return out


@indicator(
    "programme.outcome",
    "Programme outcomes that are not stages (qualification, conditional offer, placement, "
    "apprenticeship)",
    family=FAMILY,
    needs=NEEDS,
    method=method("Outcomes"),
    wording=Wording("participants", "achieved the outcome"),
)
def outcomes(ctx: Context) -> list[Result]:
    out: list[Result] = []
    for p in prepared(ctx):
        out += outcome_results(p.checked, p.org, p.period)
    return out


@indicator(
    "programme.equality",
    "Programme participants recruited by ethnicity, sex, age band, disability, deprivation "
    "and priority neighbourhood",
    family=FAMILY,
    needs=NEEDS,
    method=method("Equality breakdowns"),
    wording=Wording("participants", "were recruited", likely="be recruited"),
)
def equality(ctx: Context) -> list[Result]:
    return equality_many(
        (p.checked, p.org, p.period, priority_codes(ctx, p.org)) for p in prepared(ctx)
    )


def _applicants(ctx: Context, org: str, periods: set[int]) -> pl.DataFrame | None:
    """The trust's applications of ``periods`` counted by home LSOA and IMD decile (``n``);
    counted once per run for every organisation, from the place family's one query over the
    enriched applications (a national run reads them once)."""
    if not ctx.has("applications"):
        return None
    counts = ctx.memo(
        "programme.applicants",
        lambda: (
            application_places(ctx)
            .group_by("org_code", "period", "lsoa21", "imd_decile")
            .agg(pl.col("count").sum().alias("n"))
        ),
    )
    rows = counts.filter((pl.col("org_code") == org) & pl.col("period").is_in(sorted(periods)))
    return rows if rows.height else None


@indicator(
    "programme.reach",
    "Programme participants from the most deprived areas, against the catchment population "
    "and the trust's applicants",
    family=FAMILY,
    needs=NEEDS,
    method=method("Reach"),
    ids=("programme.reach", "programme.reach.catchment"),
)
def reach(ctx: Context) -> list[Result]:
    out: list[Result] = []
    for p in prepared(ctx):
        rows = p.checked.rows
        periods = {int(x) for x in rows["period"].drop_nulls().unique().to_list()}
        area = catchment_of(ctx, p.org)
        out += reach_results(
            rows,
            programme=p.checked.programme.name,
            org=p.org,
            period=p.period,
            catchment=catchment_shares(ctx, p.org),
            priority=priority_codes(ctx, p.org),
            applicants=_applicants(ctx, p.org, periods),
            catchment_name="the catchment" if area is None else area.describe(),
        )
    return out


@indicator(
    "programme.retention",
    "Programme recruits still employed after 6 and 12 months, and band progression, against "
    "the trust's other new starters",
    family=FAMILY,
    needs=("participants", "staff"),
    method=method("Retention"),
    ids=("programme.retention", "programme.progression"),
    columns=(("participants", "staff_id"),),
    wording=Wording("recruits", "were still employed", likely="still be employed"),
)
def retention(ctx: Context) -> list[Result]:
    out: list[Result] = []
    staff_columns = ["org_code", "staff_id", "snapshot_date", "pay_band", "start_date"]
    linked = [
        p
        for p in prepared(ctx)
        if "staff_id" in p.checked.rows.columns
        and p.checked.rows["staff_id"].null_count() < p.checked.rows.height
    ]
    if not linked:
        return out
    orgs = sorted({p.org for p in linked})
    every = to_polars(  # one scan of the staff records of every trust with linked recruits
        ctx.frame("staff").filter(nw.col("org_code").is_in(orgs)).select(*staff_columns)
    )
    by_org = every.partition_by("org_code", as_dict=True, maintain_order=True)
    empty = every.clear()
    for p in linked:
        rows = p.checked.rows
        staff = by_org.get((p.org,), empty)
        out += retention_results(
            rows, staff, programme=p.checked.programme.name, org=p.org, period=p.period
        )
    return out
