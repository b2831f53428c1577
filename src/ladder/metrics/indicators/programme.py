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

from dataclasses import replace

import narwhals as nw
import polars as pl

from ladder.engines import EngineName
from ladder.metrics.context import Context
from ladder.metrics.enrichment import application_home_areas, application_places, enriched
from ladder.metrics.expressions import to_polars
from ladder.metrics.programmes import frames
from ladder.metrics.programmes.definition import definition_for
from ladder.metrics.programmes.funnel import (
    collect,
    equality_frame,
    funnel_frames,
    method,
    outcome_frame,
    time_frame,
    with_priority,
)
from ladder.metrics.programmes.reach import (
    AREAS,
    DECILE,
    PRIORITY,
    QUINTILE,
    area_counts,
    catchment_population_shares,
    catchments_population_shares,
    reach_rows,
)
from ladder.metrics.programmes.retention import retention_results
from ladder.metrics.programmes.stages import Batch, Group, check_many
from ladder.metrics.registry import Wording, indicator
from ladder.metrics.results import Result
from ladder.metrics.table import rows_frame
from ladder.place.catchment import Catchment, default_catchment
from ladder.place.neighbourhoods import catchment_lsoas, priority_lsoas

FAMILY = "programme"
NEEDS = ("participants",)


def participants_frame(ctx: Context) -> pl.DataFrame:
    """The participants with their home area (lsoa21, imd_decile, imd_quintile)."""
    return ctx.memo("programme.participants", lambda: to_polars(enriched(ctx, "participants")))


def _date_columns(rows: pl.DataFrame) -> list[str]:
    dates = [c for c, t in rows.schema.items() if t == pl.Date and c.endswith("_date")]
    return [c for c in dates if c != "date_of_birth"]


def prepared(ctx: Context) -> list[Batch]:
    """Every programme of the run (by name) at every organisation, checked once per run:
    one :func:`~ladder.metrics.programmes.stages.check_many` per programme name."""

    def build() -> list[Batch]:
        frame = participants_frame(ctx)
        dates = _date_columns(frame)
        if not dates or frame.is_empty():
            return []
        per_org = (  # each trust's latest date and period, in one pass (latest_date of its rows)
            frame.lazy()
            .group_by("org_code")
            .agg(
                pl.max_horizontal(*dates).max().alias("_as_at"),
                pl.col("period").max().alias("_period"),
            )
            .filter(pl.col("_as_at").is_not_null())
        )
        latest, frame = collect(per_org, frame.lazy().join(per_org, on="org_code", how="inner"))
        dated = {org: (as_at, int(period)) for org, as_at, period in latest.iter_rows()}
        out: list[Batch] = []
        parts = frame.partition_by("programme", as_dict=True, include_key=True)
        for (name,), rows in parts.items():
            definition = definition_for(str(name), ctx.settings.programmes)
            many = check_many(rows, definition, gaps=ctx.settings.programme_gaps)
            groups = []
            for org, in_use, implied, excluded in many.orgs:
                as_at, period = dated[org]
                used = tuple(s for s, u in zip(definition.stages, in_use, strict=True) if u)
                groups.append(
                    Group(
                        org=str(org),
                        period=period,
                        as_at=as_at,
                        programme=replace(definition, stages=used),
                        left_out=tuple(s.id for s in definition.stages if s not in used),
                        implied=int(implied),
                        excluded=int(excluded),
                    )
                )
            out.append(Batch(definition, many.rows, tuple(groups)))
        return sorted(out, key=lambda b: b.name)

    return ctx.memo("programme.prepared", build)


def _groups(ctx: Context) -> list[tuple[Batch, Group]]:
    """Every (programme, organisation) in order of organisation, then programme."""
    pairs = [(b, g) for b in prepared(ctx) for g in b.groups]
    return sorted(pairs, key=lambda p: (p[1].org, p[0].name))


def catchment_of(ctx: Context, org: str) -> Catchment | None:
    return ctx.settings.catchment or default_catchment(org)


def priority_codes(ctx: Context, org: str) -> list[str] | None:
    """The trust's priority neighbourhoods (LSOA codes; None without a catchment), once per
    run for each trust."""
    known: dict[str, list[str] | None] = ctx.memo("programme.priority_codes", dict)
    if org not in known:
        area = catchment_of(ctx, org)
        if area is None:
            known[org] = None
        else:
            listed = priority_lsoas(area, ctx.settings.neighbourhood_percent)
            known[org] = [str(c) for c in listed["lsoa21"].to_list()]
    return known[org]


def _priority(ctx: Context) -> pl.DataFrame:
    """(org_code, lsoa21) of every trust's priority neighbourhoods (a null lsoa21 for a trust
    with a catchment but none listed; no row for a trust without a catchment)."""

    def build() -> pl.DataFrame:
        orgs: list[str] = []
        codes: list[str | None] = []
        for org in sorted({g.org for b in prepared(ctx) for g in b.groups}):
            listed = priority_codes(ctx, org)
            if listed is None:
                continue
            orgs += [org] * max(1, len(listed))
            codes += listed or [None]
        return pl.DataFrame(
            {"org_code": orgs, "lsoa21": codes},
            schema={"org_code": pl.String, "lsoa21": pl.String},
        )

    return ctx.memo("programme.priority", build)


def catchment_shares(ctx: Context, org: str) -> dict[str, float | None]:
    """Percent of the catchment population (Census 2021) in the most deprived decile and
    quintile nationally and in the priority neighbourhoods: the run's catchment, else the
    trust's local authorities (the catchment of the priority-neighbourhood view)."""
    known: dict[str, dict[str, float | None]] = ctx.memo(
        "programme.catchment_shares", lambda: _every_catchment_share(ctx)
    )
    if org not in known:
        area = catchment_of(ctx, org)
        known[org] = (
            {}
            if area is None
            else catchment_population_shares(catchment_lsoas(area), priority_codes(ctx, org))
        )
    return known[org]


def _every_catchment_share(ctx: Context) -> dict[str, dict[str, float | None]]:
    """:func:`catchment_shares` of every organisation with programmes, in one group-by."""
    out: dict[str, dict[str, float | None]] = {}
    parts: list[pl.DataFrame] = []
    owners: list[str] = []
    for org in sorted({g.org for b in prepared(ctx) for g in b.groups}):
        out[org] = {}
        area = catchment_of(ctx, org)
        if area is not None:
            part = catchment_lsoas(area).select("lsoa21", "population", "imd_decile")
            parts.append(part)
            owners += [org] * part.height
    if parts:
        lsoas = pl.concat(parts).with_columns(pl.Series("org_code", owners, dtype=pl.String))
        out.update(catchments_population_shares(lsoas, _priority(ctx).drop_nulls(), "org_code"))
    return out


@indicator(
    "programme.funnel",
    "Programme participants reaching each stage, as a percentage of those at the first stage",
    family=FAMILY,
    needs=NEEDS,
    method=method("Funnel"),
    wording=Wording("participants", "reached the stage"),
)
def funnel(ctx: Context) -> pl.DataFrame:
    return _funnels(ctx)[0]


@indicator(
    "programme.conversion",
    "Programme conversion from each stage to the next",
    family=FAMILY,
    needs=NEEDS,
    method=method("Funnel"),
    wording=Wording("participants", "went on from the stage before"),
)
def conversion(ctx: Context) -> pl.DataFrame:
    return _funnels(ctx)[1]


def _funnels(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(funnel, conversion) of every programme: one pass a run serves both indicators."""
    return ctx.memo("programme.funnels", lambda: funnel_frames(prepared(ctx)))


@indicator(
    "programme.time",
    "Days between programme stages (median and quartiles)",
    family=FAMILY,
    needs=NEEDS,
    method=method("Time between stages"),
)
def time_between(ctx: Context) -> pl.DataFrame:
    return time_frame(prepared(ctx))


@indicator(
    "programme.outcome",
    "Programme outcomes that are not stages (qualification, conditional offer, placement, "
    "apprenticeship)",
    family=FAMILY,
    needs=NEEDS,
    method=method("Outcomes"),
    wording=Wording("participants", "achieved the outcome"),
)
def outcomes(ctx: Context) -> pl.DataFrame:
    return outcome_frame(prepared(ctx))


@indicator(
    "programme.equality",
    "Programme participants recruited by ethnicity, sex, age band, disability, deprivation "
    "and priority neighbourhood",
    family=FAMILY,
    needs=NEEDS,
    method=method("Equality breakdowns"),
    wording=Wording("participants", "were recruited", likely="be recruited"),
)
def equality(ctx: Context) -> pl.DataFrame:
    return equality_frame(prepared(ctx), _priority(ctx))


def _applicants(ctx: Context) -> pl.LazyFrame | None:
    """The trusts' applications per period (from the place family's counts, one query over
    the enriched applications a run): ``_rows`` (rows of those counts: none, no applicants
    that year), ``_total`` (people with a known home area) and the people in each of
    :data:`~ladder.metrics.programmes.reach.AREAS` (the trust's priority neighbourhoods);
    None without applications. A query, run with the participants' counts."""
    if not ctx.has("applications"):
        return None
    count = pl.col("count")
    decile = pl.col("imd_decile")
    known = pl.col("lsoa21").is_not_null()
    keys = ["org_code", pl.col("period").cast(pl.Int64)]
    if ctx.engine is EngineName.polars:  # the same counts, by org, period and home area only
        places = application_home_areas(ctx).lazy()
    else:
        places = application_places(ctx).lazy()
    areas = places.group_by(keys).agg(
        pl.len().alias("_rows"),
        count.filter(known).sum().cast(pl.Int64).alias("_total"),
        count.filter(known & (decile == 1)).sum().cast(pl.Int64).alias(DECILE),
        count.filter(known & (decile <= 2)).sum().cast(pl.Int64).alias(QUINTILE),
    )
    listed = _priority(ctx)
    pairs = listed.lazy().drop_nulls().unique()
    priority = (  # the few applications from priority neighbourhoods, then each trust's own
        places.filter(pl.col("lsoa21").is_in(listed["lsoa21"].drop_nulls().unique().implode()))
        .join(pairs, on=["org_code", "lsoa21"], how="semi")
        .group_by(keys)
        .agg(count.sum().cast(pl.Int64).alias(PRIORITY))
    )
    return areas.join(priority, on=["org_code", "period"], how="left").with_columns(
        pl.col(PRIORITY).fill_null(0)
    )


@indicator(
    "programme.reach",
    "Programme participants from the most deprived areas, against the catchment population "
    "and the trust's applicants",
    family=FAMILY,
    needs=NEEDS,
    method=method("Reach"),
    ids=("programme.reach", "programme.reach.catchment"),
)
def reach(ctx: Context) -> pl.DataFrame:
    batches = prepared(ctx)
    if not batches:
        return frames.empty()
    keys = ["org_code", "programme"]
    columns = ("org_code", "period", "lsoa21", "imd_decile")
    mine: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    theirs: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    placed = all(c in b.rows.columns for b in batches for c in columns)
    if placed:  # the participants' and their trusts' applicants' counts in one query
        rows = with_priority(
            pl.concat(
                b.rows.lazy()
                .select(*columns)
                .with_columns(
                    pl.lit(b.name).alias("programme"), pl.lit(1, dtype=pl.Int64).alias("_n")
                )
                for b in batches
            ),
            _priority(ctx),
        )
        queries = [area_counts(rows, keys, pl.col("_n"))]
        applicants = _applicants(ctx)
        if applicants is not None:
            years = rows.select(*keys, pl.col("period").cast(pl.Int64)).drop_nulls("period")
            queries.append(
                years.unique()
                .join(applicants, on=["org_code", "period"], how="inner")
                .group_by(keys)
                .agg(pl.col(c).fill_null(0).sum() for c in ("_total", *AREAS))
            )
        found = collect(*queries)
        mine = _area_table(found[0])
        if len(found) > 1:
            theirs = _area_table(found[1])
    out: list[dict[str, object]] = []
    for batch, g in _groups(ctx) if placed else []:
        listed = priority_codes(ctx, g.org)
        areas = AREAS if listed is not None else AREAS[:2]
        area = catchment_of(ctx, g.org)
        counts = mine.get((g.org, batch.name), {})
        out += reach_rows(
            {a: counts.get(a, (0, 0)) for a in areas},
            {a: v for a, v in theirs.get((g.org, batch.name), {}).items() if a in areas},
            programme=batch.name,
            org=g.org,
            period=g.period,
            catchment=catchment_shares(ctx, g.org),
            catchment_name="the catchment" if area is None else area.describe(),
        )
    return rows_frame(out) if out else frames.empty()


def _area_table(counts: pl.DataFrame) -> dict[tuple[str, str], dict[str, tuple[int, int]]]:
    """{(org, programme): {area: (people in it, people with a known home area)}}."""
    out: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for row in counts.iter_rows(named=True):
        total = int(row["_total"] or 0)
        out[(row["org_code"], row["programme"])] = {a: (int(row[a] or 0), total) for a in AREAS}
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
    linked: dict[str, set[str]] = {}  # programme → the trusts with recruits linked to staff
    for b in prepared(ctx):
        if "staff_id" in b.rows.columns:
            found = b.rows.filter(pl.col("staff_id").is_not_null())["org_code"].unique()
            linked[b.name] = {str(org) for org in found.to_list()}
    orgs = sorted(set().union(*linked.values()))
    if not orgs:
        return out
    staff = ctx.frame("staff").filter(nw.col("org_code").is_in(orgs))
    snapshots = to_polars(  # following people needs two staff snapshots at least
        staff.filter(~nw.col("snapshot_date").is_null())
        .select("org_code", "snapshot_date")
        .unique()
    )
    followed = snapshots.group_by("org_code").len().filter(pl.col("len") >= 2)
    orgs = sorted(str(org) for org in followed["org_code"].to_list())
    if not orgs:
        return out  # every trust has one snapshot: no recruit can be followed
    staff_columns = ["org_code", "staff_id", "snapshot_date", "pay_band", "start_date"]
    every = to_polars(  # one scan of the staff records of every trust that can follow recruits
        staff.filter(nw.col("org_code").is_in(orgs)).select(*staff_columns)
    )
    by_org = every.partition_by("org_code", as_dict=True, maintain_order=True)
    for batch, g in _groups(ctx):
        if g.org not in orgs or g.org not in linked.get(batch.name, set()):
            continue
        rows = batch.rows.filter(pl.col("org_code") == g.org)
        out += retention_results(
            rows, by_org[(g.org,)], programme=batch.name, org=g.org, period=g.period
        )
    return out
