"""Funnels, conversion, time between stages, outcomes and equality breakdowns of a programme.

All figures are results frames (:data:`ladder.metrics.table.RESULT_SCHEMA`), built column-wise
for every programme of every organisation at once (docs/programmes.md):

- ``programme.funnel``: people reaching each stage as a percentage of those at the first
  stage, with the Wilson 95% interval (the stage count is the numerator);
- ``programme.conversion``: people reaching each stage as a percentage of those who reached
  the stage before it;
- ``programme.time``: days from one stage to the next (median and quartiles);
- ``programme.outcome``: outcomes that are not stages, as a percentage of those engaged;
- ``programme.equality``: the recruited stage by ethnic group, sex, age band, disability,
  deprivation quintile and priority neighbourhood, with relative likelihoods (log method,
  "no evidence of difference" when the interval includes 1).

Each figure is given for every cohort and for all cohorts together (``cohort`` = ``all``).
A sustained-work stage (``after_days``) counts only the participants who have had that long
since the stage before it by the data's latest date (METHODS.md, "Employment programmes").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
import polars as pl

from ladder.codes import WRES_GROUP
from ladder.metrics.builders import NO_EVIDENCE as NO_EVIDENCE
from ladder.metrics.builders import join_notes
from ladder.metrics.expressions import BME, DISABLED, NON_DISABLED, UNKNOWN, WHITE
from ladder.metrics.formatting import WITHHELD, WITHHELD_WHY
from ladder.metrics.programmes import frames
from ladder.metrics.programmes.definition import Programme, Stage
from ladder.metrics.programmes.stages import Batch, Group, reached
from ladder.metrics.results import Measure, Result, Unit
from ladder.place.enrich import LEAST_DEPRIVED, MOST_DEPRIVED, QUINTILE_LABELS

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
DOC = "Ladder docs/programmes.md"
ALL = "all"
PRIORITY = "Priority neighbourhood"
ELSEWHERE = "Elsewhere"

CHARACTERISTICS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("ethnicity", "ethnic group", BME, WHITE),
    ("sex", "sex", "female", "male"),
    ("age_band", "age band", None, None),
    ("disability", "disability", DISABLED, NON_DISABLED),
    ("deprivation", "deprivation quintile of the home area", MOST_DEPRIVED, LEAST_DEPRIVED),
    ("neighbourhood", "priority neighbourhood", PRIORITY, ELSEWHERE),
)
"""(key, words, focus group, reference group) of each equality breakdown; the relative
likelihood is focus ÷ reference (None: rates only)."""


def method(section: str) -> str:
    return f"{DOC}, '{section}'"


def timed_from(stages: tuple[Stage, ...], k: int) -> Stage | None:
    """The stage a sustained-work stage is timed from (its ``after`` stage if the programme
    has it before it, else the stage before it); None for an untimed stage."""
    stage = stages[k]
    if stage.after_days is None or k == 0:
        return None
    earlier = {s.id: s for s in stages[:k]}
    return earlier.get(stage.after, stages[k - 1])


def _eligible(stages: tuple[Stage, ...], k: int) -> pl.Expr:
    """Participants who count at stage ``k``: all, except at a sustained-work stage those who
    reached the stage it is timed from too recently (before their organisation's latest date,
    ``_as_at``) to have had the time."""
    since = timed_from(stages, k)
    if since is None:
        return pl.lit(True)
    days = stages[k].after_days or 0
    recent = pl.col(since.column) + pl.duration(days=days) > pl.col("_as_at")
    return ~(pl.col(reached(since.id)) & recent.fill_null(False))


def _time_note(stages: tuple[Stage, ...], k: int, as_at: dt.date) -> str | None:
    since = timed_from(stages, k)
    if since is None:
        return None
    return (
        f"only participants who {since.past} at least {stages[k].after_days} days before "
        f"{as_at:%d %B %Y} (the latest date in the data) count: the others have not had the "
        "time"
    )


def input_note(group: Group) -> str | None:
    """What the stage checks left out or implied at the group (None: nothing)."""
    parts = []
    if group.excluded:
        parts.append(
            f"{group.excluded} participant row(s) left out for stage errors (`ladder "
            "programme validate` lists them)"
        )
    if group.implied:
        parts.append(f"{group.implied} row(s) with an earlier stage implied by a later one")
    if group.left_out:
        parts.append(f"stages without data, left out: {', '.join(group.left_out)}")
    return "; ".join(parts) or None


def by_cohort(
    rows: pl.DataFrame,
    orgs: pl.DataFrame,
    flat: list[pl.Expr],
    exprs: list[pl.Expr],
    *,
    fill: bool = True,
) -> pl.LazyFrame:
    """``exprs`` (aggregations of the ``flat`` columns, computed first row by row) over each
    organisation's rows of each cohort (``cohort`` as text) and over all of them (``cohort``
    = ``all``; a row for every organisation of ``orgs``, its sums 0 when it has no rows, or
    null unless ``fill``), with ``period`` (``_period`` of the rows, or of ``orgs``).

    A lazy query, run with the rest of its figure (:func:`collect`): a run has few
    programmes, and on one trust's rows planning or running a step costs more than the
    data, so each figure is one query."""
    cohort = "cohort" in rows.columns
    flat_rows = rows.lazy().select(
        "org_code",
        pl.col("_period").cast(pl.Int64).alias("period"),
        (pl.col("cohort").cast(pl.String) if cohort else pl.lit(None, dtype=pl.String)).alias(
            "cohort"
        ),
        *flat,
        pl.lit(False).alias("_all"),
    )
    every = flat_rows.with_columns(
        pl.lit(None, dtype=pl.String).alias("cohort"), pl.lit(True).alias("_all")
    )
    parts = [every]
    if cohort:
        parts.append(flat_rows.filter(pl.col("cohort").is_not_null()))
    found = pl.concat(parts).group_by("org_code", "period", "cohort", "_all").agg(exprs)
    if rows["org_code"].n_unique() < orgs.height:  # a trust whose rows all had errors
        missing = orgs.lazy().join(
            rows.lazy().select("org_code").unique(), on="org_code", how="anti"
        )
        blank = missing.with_columns(
            pl.lit(None, dtype=pl.String).alias("cohort"), pl.lit(True).alias("_all")
        )
        found = pl.concat([found, blank], how="diagonal_relaxed")
        if fill:
            found = found.fill_null(0)
    return found.with_columns(
        pl.when(pl.col("_all")).then(pl.lit(ALL)).otherwise(pl.col("cohort")).alias("cohort")
    )


def collect(*queries: pl.LazyFrame) -> list[pl.DataFrame]:
    """The queries of a figure, run together in memory and unoptimised
    (:func:`ladder.metrics.paygap_method.small_query`: their plans are short and their
    tables small, so set-up costs more than the data)."""
    return pl.collect_all(queries, engine="in-memory", optimizations=pl.QueryOptFlags.none())


def unstack(
    frame: Frame,
    keys: Sequence[str],
    values: dict[str, list[str]],
    labels: dict[str, list[object]],
    **constants: str | int | None,
) -> Frame:
    """Wide to long: a row per row of ``frame`` and position ``k`` of the lists of
    ``values`` (the column ``values[name][k]`` as ``name``) and ``labels`` (``labels[name][k]``
    as ``name``), in that order, with ``constants``: one explode, not a select per position."""
    size = len(next(iter(values.values())))
    k = pl.col("_k")
    return (
        frame.select(
            *keys,
            *(pl.concat_list(columns).alias(name) for name, columns in values.items()),
            pl.lit(list(range(size)), dtype=pl.List(pl.Int64)).alias("_k"),
        )
        .explode(*values, "_k")
        .select(
            *keys,
            *values,
            *(
                pl.lit(pl.Series(name, given)).gather(k).alias(name)
                for name, given in labels.items()
            ),
            *(
                pl.lit(v, dtype=pl.Int64 if isinstance(v, int) else pl.String).alias(name)
                for name, v in constants.items()
            ),
        )
    )


def _funnel_flags(stages: tuple[Stage, ...]) -> list[pl.Expr]:
    """Every count of every stage, row by row: ``e<k>``/``t<k>`` (reached stage ``k``;
    reached the first stage) and ``ce<k>``/``ct<k>`` (reached stage ``k`` and the one before;
    the one before), among those who count at stage ``k`` (:func:`_eligible`)."""
    first = pl.col(reached(stages[0].id))
    flags: list[pl.Expr] = []
    for k, stage in enumerate(stages):
        eligible = _eligible(stages, k)
        here = pl.col(reached(stage.id))
        flags += [(eligible & here).alias(f"e{k}"), (eligible & first).alias(f"t{k}")]
        if k:
            before = pl.col(reached(stages[k - 1].id))
            flags += [
                (eligible & before & here).alias(f"ce{k}"),
                (eligible & before).alias(f"ct{k}"),
            ]
    return flags


SMALL_ROWS = 5_000
"""Up to this many participant rows (a programme at one large trust has a few hundred), the
funnel's counts are worked out in Python and on arrays (:func:`small_funnel_counts`)."""


def funnel_counts(
    rows: pl.DataFrame, orgs: pl.DataFrame, stages: tuple[Stage, ...]
) -> pl.DataFrame | pl.LazyFrame:
    """:func:`by_cohort` of the sums of :func:`_funnel_flags` (every count of every stage):
    a query, or on a small table the counts themselves (:func:`small_funnel_counts`)."""
    if rows.height <= SMALL_ROWS:
        return small_funnel_counts(rows, orgs, stages)
    flags = _funnel_flags(stages)
    sums = [pl.col(f.meta.output_name()).sum().cast(pl.Int64) for f in flags]
    return by_cohort(rows, orgs, flags, sums)


def small_funnel_counts(
    rows: pl.DataFrame, orgs: pl.DataFrame, stages: tuple[Stage, ...]
) -> pl.DataFrame:
    """:func:`funnel_counts` worked out on arrays: the flags are booleans of the rows and the
    counts their sums by cell (organisation, period and cohort, and all cohorts). On one
    trust's participants, building and running a query of a few dozen expressions costs
    more than the rows (the test suite checks the two give the same counts)."""
    height = rows.height

    def flag(column: str) -> np.ndarray:
        values = rows[column]
        if values.null_count():  # null: not reached
            return np.array([bool(v) for v in values.to_list()], dtype=bool)
        return values.to_numpy().astype(bool)

    def days(column: str) -> np.ndarray:
        return rows[column].cast(pl.Int64).to_numpy().astype(np.float64)  # null: NaN

    marks = {s.id: flag(reached(s.id)) for s in stages}
    as_at = days("_as_at")
    first = marks[stages[0].id]
    names: list[str] = []
    flags: list[np.ndarray] = []
    for k, stage in enumerate(stages):
        eligible = np.ones(height, dtype=bool)
        since = timed_from(stages, k)
        if since is not None:
            with np.errstate(invalid="ignore"):
                recent = days(since.column) + (stage.after_days or 0) > as_at  # NaN: False
            eligible = ~(marks[since.id] & recent)
        here = marks[stage.id]
        names += [f"e{k}", f"t{k}"]
        flags += [eligible & here, eligible & first]
        if k:
            before = marks[stages[k - 1].id]
            names += [f"ce{k}", f"ct{k}"]
            flags += [eligible & before & here, eligible & before]
    orgs_of = rows["org_code"].to_list()
    periods = rows["_period"].cast(pl.Int64).to_list()
    cohorts = (
        rows["cohort"].cast(pl.String).to_list() if "cohort" in rows.columns else [None] * height
    )
    cells: dict[tuple[str, int, str | None, bool], int] = {}
    member: list[int] = []  # the cells each row counts in: all cohorts, and its cohort
    at: list[int] = []
    for i, (org, period, cohort) in enumerate(zip(orgs_of, periods, cohorts, strict=True)):
        member.append(cells.setdefault((org, period, None, True), len(cells)))
        at.append(i)
        if cohort is not None:
            member.append(cells.setdefault((org, period, cohort, False), len(cells)))
            at.append(i)
    seen = set(orgs_of)
    for org, period in orgs.select("org_code", "period").iter_rows():
        if org not in seen:  # a trust whose rows all had errors: zero counts
            cells.setdefault((org, int(period), None, True), len(cells))
    keys = list(cells)
    sums = np.zeros((len(keys), len(names)), dtype=np.int64)
    if member:
        index = np.asarray(member, dtype=np.int64)
        order = np.argsort(index, kind="stable")
        ordered = index[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        values = np.stack(flags, axis=1)[np.asarray(at, dtype=np.int64)[order]]
        sums[ordered[starts]] = np.add.reduceat(values.astype(np.int64), starts, axis=0)
    cell = pl.DataFrame(
        {
            "org_code": [k[0] for k in keys],
            "period": [k[1] for k in keys],
            "cohort": [ALL if k[3] else k[2] for k in keys],
            "_all": [k[3] for k in keys],
        },
        schema={"org_code": pl.String, "period": pl.Int64, "cohort": pl.String, "_all": pl.Boolean},
    )
    return cell.hstack(pl.DataFrame(sums, schema=dict.fromkeys(names, pl.Int64), orient="row"))


def funnel_frames(batches: Iterable[Batch]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``programme.funnel``, ``programme.conversion``) of every programme of every
    organisation, as results frames: one aggregation per programme and set of stages."""
    queries: list[tuple[Programme, pl.DataFrame | pl.LazyFrame]] = []
    notes: list[tuple[str, str, str, str | None]] = []
    for batch in batches:
        for programme, groups, rows in batch.configs():
            queries.append((programme, funnel_counts(rows, batch.orgs(groups), programme.stages)))
            stages = programme.stages
            for g in groups:
                extra = input_note(g)
                for k, stage in enumerate(stages):
                    note = join_notes(_time_note(stages, k, g.as_at), extra)
                    notes.append((g.org, programme.name, stage.id, note))
    # the counts of large tables in one query (each is read twice), then both tables in one
    lazy = [q for _, q in queries if isinstance(q, pl.LazyFrame)]
    ran = iter(collect(*lazy))
    funnels: list[pl.LazyFrame] = []
    conversions: list[pl.LazyFrame] = []
    for programme, query in queries:
        found = next(ran) if isinstance(query, pl.LazyFrame) else query
        stages = programme.stages
        counts = found.lazy()
        keys = ("org_code", "period", "cohort")
        title = (
            f"{programme.name}: participants reaching each stage (% of those who {stages[0].past})"
        )
        funnels.append(
            unstack(
                counts,
                keys,
                {
                    "events": [f"e{k}" for k in range(len(stages))],
                    "total": [f"t{k}" for k in range(len(stages))],
                },
                {"group": [s.id for s in stages]},
                programme=programme.name,
                title=title,
            )
        )
        if len(stages) > 1:
            conversions.append(
                unstack(
                    counts,
                    keys,
                    {
                        "events": [f"ce{k}" for k in range(1, len(stages))],
                        "total": [f"ct{k}" for k in range(1, len(stages))],
                    },
                    {
                        "group": [s.id for s in stages[1:]],
                        "from": [s.id for s in stages[:-1]],
                    },
                    programme=programme.name,
                    title=f"{programme.name}: conversion from the stage before (%)",
                )
            )
    if not funnels:
        return frames.empty(), frames.empty()
    noted = pl.DataFrame(
        notes,
        schema={
            "org_code": pl.String,
            "programme": pl.String,
            "group": pl.String,
            "note": pl.String,
        },
        orient="row",
    )

    def table(parts: list[pl.LazyFrame], breakdown: tuple[str, ...]) -> pl.LazyFrame:
        return (
            pl.concat(parts, how="diagonal_relaxed")
            .join(noted.lazy(), on=["org_code", "programme", "group"], how="left")
            .sort("org_code", "period", *breakdown, "group", maintain_order=True)
        )

    steps = ("programme", "cohort")
    froms = ("programme", "cohort", "from")
    if not conversions:
        (reached_,) = collect(table(funnels, steps))
        return _funnel_rates(reached_, steps, "programme.funnel"), frames.empty()
    reached_, converted = collect(table(funnels, steps), table(conversions, froms))
    return (
        _funnel_rates(reached_, steps, "programme.funnel"),
        _funnel_rates(converted, froms, "programme.conversion"),
    )


def _funnel_rates(counts: pl.DataFrame, breakdown: tuple[str, ...], id: str) -> pl.DataFrame:
    return frames.rates(counts, breakdown=breakdown, id=id, method=method("Funnel"))


QUANTILES = (("lower_quartile", 0.25), ("median", 0.5), ("upper_quartile", 0.75))


def time_frame(batches: Iterable[Batch]) -> pl.DataFrame:
    """``programme.time``: days from each stage to the next, median and quartiles (linear
    interpolation between the ordered values), over the people with both dates."""
    parts: list[pl.LazyFrame] = []
    for batch in batches:
        for programme, groups, rows in batch.configs():
            pairs = list(zip(programme.stages, programme.stages[1:], strict=False))
            if not pairs:
                continue
            stats_: list[pl.Expr] = []
            spans: list[pl.Expr] = []
            for i, (before, stage) in enumerate(pairs):
                spans.append(
                    (pl.col(stage.column) - pl.col(before.column)).dt.total_days().alias(f"d{i}")
                )
                days = pl.col(f"d{i}")
                stats_.append(days.count().cast(pl.Int64).alias(f"n{i}"))
                stats_ += [
                    days.quantile(q, interpolation="linear").alias(f"{statistic}{i}")
                    for statistic, q in QUANTILES
                ]
            found = by_cohort(rows, batch.orgs(groups), spans, stats_, fill=False)
            at = [(i, j) for i in range(len(pairs)) for j in range(len(QUANTILES))]
            long = unstack(
                found,
                ("org_code", "period", "cohort"),
                {
                    "n": [f"n{i}" for i, _ in at],
                    "value": [f"{QUANTILES[j][0]}{i}" for i, j in at],
                },
                {
                    "group": [pairs[i][1].id for i, _ in at],
                    "from": [pairs[i][0].id for i, _ in at],
                    "statistic": [QUANTILES[j][0] for _, j in at],
                    "title": [
                        f"{programme.name}: days from {pairs[i][0].label.lower()} to "
                        f"{pairs[i][1].label.lower()}"
                        for i, _ in at
                    ],
                    "_pair": [i for i, _ in at],
                    "_statistic": [j for _, j in at],
                },
                programme=programme.name,
            )
            parts.append(long)
    if not parts:
        return frames.empty()
    n = pl.col("n").fill_null(0)
    (rows,) = collect(
        pl.concat(parts, how="diagonal_relaxed")
        .with_columns(n.alias("n"), pl.when(n > 0).then(pl.col("value").cast(pl.Float64)))
        .sort(
            "org_code",
            "programme",
            pl.col("cohort") == ALL,
            "cohort",
            "_pair",
            "_statistic",
            maintain_order=True,
        )
    )
    return frames.results(
        rows,
        breakdown=("programme", "cohort", "from", "statistic"),
        id="programme.time",
        title=pl.col("title"),
        measure=str(Measure.MEDIAN),
        unit=str(Unit.COUNT),
        value=pl.col("value"),
        method=method("Time between stages"),
        numerator=pl.col("n"),
        denominator=pl.col("n"),
        note="days; people with both dates",
    )


def outcome_frame(batches: Iterable[Batch]) -> pl.DataFrame:
    """``programme.outcome``: each outcome as a percentage of the participants (at each
    organisation, the outcomes it has any date of)."""
    parts: list[pl.LazyFrame] = []
    for batch in batches:
        rows = batch.rows
        outcomes = [o for o in batch.definition.outcomes if o.column in rows.columns]
        if not outcomes:
            continue
        dated = [pl.col(o.column).is_not_null().alias(f"o{i}") for i, o in enumerate(outcomes)]
        exprs = [pl.len().cast(pl.Int64).alias("_n")]
        exprs += [pl.col(f"o{i}").sum().cast(pl.Int64) for i in range(len(outcomes))]
        found = by_cohort(rows, batch.orgs(), dated, exprs).with_columns(
            # an outcome counts at a trust with any date of it (its all-cohorts count)
            pl.col(f"o{i}").max().over("org_code").alias(f"p{i}")
            for i in range(len(outcomes))
        )
        parts.append(
            unstack(
                found,
                ("org_code", "period", "cohort", "_n"),
                {
                    "events": [f"o{i}" for i in range(len(outcomes))],
                    "_present": [f"p{i}" for i in range(len(outcomes))],
                },
                {"group": [o.id for o in outcomes]},
                programme=batch.name,
                title=f"{batch.name}: outcomes (% of participants)",
            )
        )
    if not parts:
        return frames.empty()
    (counts,) = collect(
        pl.concat(parts, how="diagonal_relaxed")
        .filter(pl.col("_present") > 0)
        .rename({"_n": "total"})
        .sort("org_code", "period", "programme", "cohort", "group", maintain_order=True)
    )
    return frames.rates(
        counts,
        breakdown=("programme", "cohort"),
        id="programme.outcome",
        method=method("Outcomes"),
        note=None,
    )


def _labels(column: str, labels: dict[int, str]) -> pl.Expr:
    """``labels[value]`` of ``column`` (Unknown for any other value and for null)."""
    expr: pl.Expr = pl.lit(UNKNOWN)
    for value, label in reversed(list(labels.items())):
        expr = pl.when(pl.col(column) == value).then(pl.lit(label)).otherwise(expr)
    return expr


def characteristic_groups(rows: Frame) -> Frame:
    """``rows`` with a ``g:<key>`` column per characteristic (Unknown where not known).

    The groups are those of :func:`~ladder.metrics.expressions.ethnic_group`,
    :func:`~ladder.metrics.expressions.disability_group` and
    :func:`~ladder.place.enrich.deprivation_group`, written in Polars. The neighbourhood is
    read from ``_listed`` (the organisation has priority neighbourhoods) and ``_priority``
    (the home area is one of them)."""
    names = rows.collect_schema().names()
    code = pl.col("ethnic_category")
    white = [c for c, g in WRES_GROUP.items() if g == WHITE]
    bme = [c for c, g in WRES_GROUP.items() if g == BME]
    flag = pl.col("disability")
    unknown = pl.lit(UNKNOWN)
    exprs = [
        (
            pl.when(code.is_in(white))
            .then(pl.lit(WHITE))
            .when(code.is_in(bme))
            .then(pl.lit(BME))
            .otherwise(unknown)
            if "ethnic_category" in names
            else unknown
        ).alias("g:ethnicity"),
        (pl.col("sex").fill_null(UNKNOWN) if "sex" in names else unknown).alias("g:sex"),
        (pl.col("age_band").fill_null(UNKNOWN) if "age_band" in names else unknown).alias(
            "g:age_band"
        ),
        (
            pl.when(flag.is_null())
            .then(unknown)
            .when(flag)
            .then(pl.lit(DISABLED))
            .otherwise(pl.lit(NON_DISABLED))
            if "disability" in names
            else unknown
        ).alias("g:disability"),
        (_labels("imd_quintile", QUINTILE_LABELS) if "imd_quintile" in names else unknown).alias(
            "g:deprivation"
        ),
    ]
    if "lsoa21" in names:
        exprs.append(
            pl.when(~pl.col("_listed") | pl.col("lsoa21").is_null())
            .then(unknown)
            .when(pl.col("_priority"))
            .then(pl.lit(PRIORITY))
            .otherwise(pl.lit(ELSEWHERE))
            .alias("g:neighbourhood")
        )
    else:
        exprs.append(unknown.alias("g:neighbourhood"))
    return rows.with_columns(*exprs)


def with_priority(rows: pl.LazyFrame, priority: pl.DataFrame) -> pl.LazyFrame:
    """``rows`` with ``_listed`` (the organisation has priority neighbourhoods, perhaps none:
    it is in ``priority``, columns ``org_code`` and ``lsoa21``, null for none) and
    ``_priority`` (the home area is one of its priority neighbourhoods), as a step of a
    query."""
    if "lsoa21" not in rows.collect_schema().names():
        return rows.with_columns(pl.lit(False).alias("_listed"), pl.lit(False).alias("_priority"))
    listed = priority["org_code"].unique()
    pairs = priority.lazy().drop_nulls().unique().with_columns(pl.lit(True).alias("_priority"))
    return rows.join(pairs, on=["org_code", "lsoa21"], how="left").with_columns(
        pl.col("_priority").fill_null(False),
        pl.col("org_code").is_in(listed.implode()).alias("_listed"),
    )


SOURCES = ("ethnic_category", "sex", "age_band", "disability", "imd_quintile", "lsoa21")
"""The participants' columns the equality breakdowns read."""


def equality_frame(batches: Iterable[Batch], priority: pl.DataFrame) -> pl.DataFrame:
    """``programme.equality``: the recruited stage (% of participants) by each
    characteristic, over all cohorts, and the relative likelihood of the focus group against
    the reference (``priority``: as :func:`with_priority` reads it)."""
    parts: list[pl.LazyFrame] = []
    labels: list[dict[str, object]] = []
    roles: list[dict[str, object]] = []
    for batch in batches:
        groups = tuple(
            g for g in batch.groups if batch.definition.recruited in g.programme.stage_ids
        )
        if not groups:
            continue
        stage = groups[0].programme.stage(batch.definition.recruited)
        rows = batch.rows.lazy()
        if len(groups) < len(batch.groups):
            rows = rows.filter(pl.col("org_code").is_in([g.org for g in groups]))
        parts.append(
            rows.select(
                "org_code",
                pl.col("_period").cast(pl.Int64).alias("period"),
                *(c for c in SOURCES if c in batch.rows.columns),
                pl.col(reached(stage.id)).alias("_target"),
                pl.lit(batch.name, dtype=pl.String).alias("programme"),
            )
        )
        for i, (key, words, focus, reference) in enumerate(CHARACTERISTICS):
            labels.append(
                {
                    "programme": batch.name,
                    "characteristic": key,
                    "_char": i,
                    "title": f"{batch.name}: participants who {stage.past} (%) by {words}",
                }
            )
            if focus is not None and reference is not None:
                title = (
                    f"{batch.name}: relative likelihood of {focus} participants compared "
                    f"to {reference} participants: {stage.past}"
                )
                for group, role in ((focus, "first"), (reference, "second")):
                    roles.append(
                        {
                            "programme": batch.name,
                            "characteristic": key,
                            "group": group,
                            "role": role,
                            "id": "programme.equality",
                            "title": title,
                            "method": method("Equality breakdowns"),
                            "pair": f"{focus}:{reference}",
                        }
                    )
    if not parts:
        return frames.empty()
    keys = ["org_code", "period", "programme"]
    grouped = characteristic_groups(with_priority(pl.concat(parts), priority)).select(
        *keys, "_target", *(pl.col(f"g:{key}").alias(key) for key, _, _, _ in CHARACTERISTICS)
    )
    (table,) = collect(  # every characteristic of every programme in one group-by
        grouped.unpivot(
            [key for key, _, _, _ in CHARACTERISTICS],
            index=[*keys, "_target"],
            variable_name="characteristic",
            value_name="group",
        )
        .group_by(*keys, "characteristic", "group")
        .agg(
            pl.col("_target").sum().cast(pl.Int64).alias("events"),
            pl.len().cast(pl.Int64).alias("total"),
        )
        .join(pl.LazyFrame(labels), on=["programme", "characteristic"], how="left")
        .with_columns(
            pl.lit("programme.equality").alias("id"),
            pl.lit(method("Equality breakdowns")).alias("method"),
            pl.lit(None, dtype=pl.String).alias("note"),
            pl.lit(0, dtype=pl.Int64).alias("_kind"),
        )
    )
    keep = ("programme", "_char", "_kind")
    breakdown = ("programme", "characteristic")
    rates = frames.rates(table, breakdown=breakdown, keep=keep)
    tables = [rates.lazy()]
    if roles:
        likely = frames.likelihoods(
            table,
            pl.DataFrame(roles),
            ("org_code", "period", "programme", "characteristic", "_char"),
            breakdown=breakdown,
            keep=("programme", "_char"),
        )
        if likely.height:
            tables.append(likely.lazy().with_columns(pl.lit(1, dtype=pl.Int64).alias("_kind")))
    (out,) = collect(
        pl.concat(tables, how="vertical_relaxed")
        .sort("org", "period", "programme", "_char", "_kind", "group", maintain_order=True)
        .drop(keep)
    )
    return out


def headline_sentence(results: list[Result], programme: Programme, threshold: int) -> str | None:
    """'Of 127 people who engaged, 60 (47%) completed pre-employment training and 49 (39%)
    were recruited' from the ``programme.funnel`` figures of all cohorts (None if the first
    stage's count is withheld or missing)."""
    mine = {
        r.group: r
        for r in results
        if r.id == "programme.funnel"
        and r.breakdown.get("programme") == programme.name
        and r.breakdown.get("cohort") == ALL
    }
    first = programme.stages[0]
    start = mine.get(first.id)
    if start is None or start.suppressed or start.denominator is None:
        return None
    parts = []
    for stage_id in programme.headline:
        if stage_id not in programme.stage_ids:
            continue
        r = mine.get(stage_id)
        if r is None:
            continue
        stage = programme.stage(stage_id)
        if r.suppressed or r.numerator is None or r.value is None:
            parts.append(f"the figure for those who {stage.past} is {WITHHELD} ({WITHHELD_WHY})")
        else:
            parts.append(f"{int(r.numerator):,} ({r.value:.0f}%) {stage.past}")
    if not parts:
        return None
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    who = "person" if start.denominator == 1 else "people"
    return f"Of {int(start.denominator):,} {who} who {first.past}, {joined}"
