"""Funnels, conversion, time between stages, outcomes and equality breakdowns of a programme.

All figures are :class:`~ladder.metrics.results.Result` rows (docs/programmes.md):

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
from collections.abc import Iterable
from typing import Any

import polars as pl

from ladder.codes import WRES_GROUP
from ladder.metrics.builders import NO_EVIDENCE as NO_EVIDENCE
from ladder.metrics.builders import likelihood_results, rate_results
from ladder.metrics.expressions import BME, DISABLED, NON_DISABLED, UNKNOWN, WHITE
from ladder.metrics.formatting import WITHHELD, WITHHELD_WHY
from ladder.metrics.programmes.definition import Programme, Stage
from ladder.metrics.programmes.stages import Checked, reached
from ladder.metrics.results import Measure, Result, Unit, evolve
from ladder.place.enrich import LEAST_DEPRIVED, MOST_DEPRIVED, QUINTILE_LABELS

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


def _counts(rows: list[dict[str, object]]) -> pl.DataFrame:
    schema = {
        "org_code": pl.String,
        "period": pl.Int64,
        "group": pl.String,
        "events": pl.Int64,
        "total": pl.Int64,
        "programme": pl.String,
        "cohort": pl.String,
    }
    extra = {k: pl.String for r in rows for k in r if k not in schema}
    return (
        pl.DataFrame(rows, schema={**schema, **extra}, orient="row")
        if rows
        else pl.DataFrame(schema={**schema, **extra})
    )


def cohorts(rows: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    """(label, rows) of each cohort, in order, then ``all``."""
    out: list[tuple[str, pl.DataFrame]] = []
    if "cohort" in rows.columns:
        labelled = rows.filter(pl.col("cohort").is_not_null()).with_columns(
            pl.col("cohort").cast(pl.String).alias("_cohort")
        )
        parts = labelled.partition_by("_cohort", maintain_order=True, as_dict=True)
        out = [(str(key[0]), part.drop("_cohort")) for key, part in parts.items()]
        out.sort(key=lambda item: item[0])
    return [*out, (ALL, rows)]


def cohort_figures(rows: pl.DataFrame, exprs: list[pl.Expr]) -> list[tuple[str, dict[str, Any]]]:
    """(label, ``exprs`` aggregated over the cohort's rows) of each cohort, in the order of
    :func:`cohorts`: one group-by for every cohort, one select for ``all``."""
    out: list[tuple[str, dict[str, Any]]] = []
    if "cohort" in rows.columns:
        grouped = (
            rows.filter(pl.col("cohort").is_not_null())
            .group_by(pl.col("cohort").cast(pl.String).alias("_cohort"))
            .agg(exprs)
        )
        out = sorted(
            ((str(row.pop("_cohort")), row) for row in grouped.iter_rows(named=True)),
            key=lambda item: item[0],
        )
    return [*out, (ALL, rows.select(exprs).row(0, named=True))]


def timed_from(stages: tuple[Stage, ...], k: int) -> Stage | None:
    """The stage a sustained-work stage is timed from (its ``after`` stage if the programme
    has it before it, else the stage before it); None for an untimed stage."""
    stage = stages[k]
    if stage.after_days is None or k == 0:
        return None
    earlier = {s.id: s for s in stages[:k]}
    return earlier.get(stage.after, stages[k - 1])


def _eligible(stages: tuple[Stage, ...], k: int, as_at: dt.date) -> pl.Expr:
    """Participants who count at stage ``k``: all, except at a sustained-work stage those who
    reached the stage it is timed from too recently to have had the time."""
    since = timed_from(stages, k)
    if since is None:
        return pl.lit(True)
    days = stages[k].after_days or 0
    recent = pl.col(since.column) + pl.duration(days=days) > pl.lit(as_at)
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


def funnel_results(
    checked: Checked, org: str, period: int, as_at: dt.date
) -> tuple[list[Result], list[Result]]:
    """(``programme.funnel``, ``programme.conversion``) of one programme."""
    programme = checked.programme
    stages = programme.stages
    funnel_rows: list[dict[str, object]] = []
    conversion_rows: list[dict[str, object]] = []
    notes: dict[str, str] = {}
    for k in range(1, len(stages)):
        note = _time_note(stages, k, as_at)
        if note:
            notes[stages[k].id] = note
    first = pl.col(reached(stages[0].id))
    sums: list[pl.Expr] = []  # every count of every stage, in one pass over a cohort's rows
    for k, stage in enumerate(stages):
        eligible = _eligible(stages, k, as_at)
        here = pl.col(reached(stage.id))
        sums += [(eligible & here).sum().alias(f"e{k}"), (eligible & first).sum().alias(f"t{k}")]
        if k:
            before = pl.col(reached(stages[k - 1].id))
            sums += [
                (eligible & before & here).sum().alias(f"ce{k}"),
                (eligible & before).sum().alias(f"ct{k}"),
            ]
    for cohort, counts in cohort_figures(checked.rows, sums):
        key = {"org_code": org, "period": period, "programme": programme.name, "cohort": cohort}
        for k, stage in enumerate(stages):
            funnel_rows.append(
                {
                    **key,
                    "group": stage.id,
                    "events": int(counts[f"e{k}"]),
                    "total": int(counts[f"t{k}"]),
                }
            )
            if k == 0:
                continue
            conversion_rows.append(
                {
                    **key,
                    "group": stage.id,
                    "events": int(counts[f"ce{k}"]),
                    "total": int(counts[f"ct{k}"]),
                    "from": stages[k - 1].id,
                }
            )
    funnel = rate_results(
        _counts(funnel_rows),
        id="programme.funnel",
        title=f"{programme.name}: participants reaching each stage (% of those who "
        f"{stages[0].past})",
        method=method("Funnel"),
        breakdown=("programme", "cohort"),
    )
    conversion = rate_results(
        _counts(conversion_rows),
        id="programme.conversion",
        title=f"{programme.name}: conversion from the stage before (%)",
        method=method("Funnel"),
        breakdown=("programme", "cohort", "from"),
    )
    return (
        [evolve(r, note=notes.get(r.group or "")) for r in funnel],
        [evolve(r, note=notes.get(r.group or "")) for r in conversion],
    )


QUANTILES = (("lower_quartile", 0.25), ("median", 0.5), ("upper_quartile", 0.75))


def time_results(checked: Checked, org: str, period: int) -> list[Result]:
    """``programme.time``: days from each stage to the next, median and quartiles (linear
    interpolation between the ordered values), over the people with both dates."""
    programme = checked.programme
    out: list[Result] = []
    pairs = list(zip(programme.stages, programme.stages[1:], strict=False))
    stats: list[pl.Expr] = []  # every pair's quartiles and count, in one pass over a cohort
    for i, (before, stage) in enumerate(pairs):
        days = (pl.col(stage.column) - pl.col(before.column)).dt.total_days()
        stats.append(days.count().alias(f"n{i}"))
        stats += [
            days.quantile(q, interpolation="linear").alias(f"{statistic}{i}")
            for statistic, q in QUANTILES
        ]
    for cohort, found in cohort_figures(checked.rows, stats) if pairs else []:
        for i, (before, stage) in enumerate(pairs):
            n = int(found[f"n{i}"])
            for statistic, _ in QUANTILES:
                value = found[f"{statistic}{i}"] if n else None
                out.append(
                    Result(
                        id="programme.time",
                        title=f"{programme.name}: days from {before.label.lower()} to "
                        f"{stage.label.lower()}",
                        org=org,
                        period=period,
                        measure=Measure.MEDIAN,
                        unit=Unit.COUNT,
                        value=None if value is None else float(value),
                        method=method("Time between stages"),
                        group=stage.id,
                        breakdown={
                            "programme": programme.name,
                            "cohort": cohort,
                            "from": before.id,
                            "statistic": statistic,
                        },
                        numerator=n,
                        denominator=n,
                        note="days; people with both dates",
                    )
                )
    return out


def outcome_results(checked: Checked, org: str, period: int) -> list[Result]:
    """``programme.outcome``: each outcome as a percentage of the participants."""
    programme = checked.programme
    rows_out: list[dict[str, object]] = []
    present = [
        o
        for o in programme.outcomes
        if o.column in checked.rows.columns
        and checked.rows[o.column].null_count() < checked.rows.height
    ]
    exprs = [pl.len().alias("_n")]
    exprs += [pl.col(o.column).is_not_null().sum().alias(f"o{i}") for i, o in enumerate(present)]
    for cohort, found in cohort_figures(checked.rows, exprs) if present else []:
        for i, o in enumerate(present):
            rows_out.append(
                {
                    "org_code": org,
                    "period": period,
                    "programme": programme.name,
                    "cohort": cohort,
                    "group": o.id,
                    "events": int(found[f"o{i}"]),
                    "total": int(found["_n"]),
                }
            )
    return rate_results(
        _counts(rows_out),
        id="programme.outcome",
        title=f"{programme.name}: outcomes (% of participants)",
        method=method("Outcomes"),
        breakdown=("programme", "cohort"),
    )


def _labels(column: str, labels: dict[int, str]) -> pl.Expr:
    """``labels[value]`` of ``column`` (Unknown for any other value and for null)."""
    expr: pl.Expr = pl.lit(UNKNOWN)
    for value, label in reversed(list(labels.items())):
        expr = pl.when(pl.col(column) == value).then(pl.lit(label)).otherwise(expr)
    return expr


def characteristic_groups(rows: pl.DataFrame, priority: Iterable[str] | None) -> pl.DataFrame:
    """``rows`` with a ``g:<key>`` column per characteristic (Unknown where not known).

    The groups are those of :func:`~ladder.metrics.expressions.ethnic_group`,
    :func:`~ladder.metrics.expressions.disability_group` and
    :func:`~ladder.place.enrich.deprivation_group`, written in Polars: a programme's rows
    are a small Polars frame, and this runs once per programme of every trust."""
    names = rows.columns
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
    if priority is not None and "lsoa21" in names:
        listed = list(priority)
        exprs.append(
            pl.when(pl.col("lsoa21").is_null())
            .then(unknown)
            .when(pl.col("lsoa21").is_in(listed))
            .then(pl.lit(PRIORITY))
            .otherwise(pl.lit(ELSEWHERE))
            .alias("g:neighbourhood")
        )
    else:
        exprs.append(unknown.alias("g:neighbourhood"))
    return rows.with_columns(*exprs)


def equality_results(
    checked: Checked, org: str, period: int, priority: Iterable[str] | None
) -> list[Result]:
    """``programme.equality``: the recruited stage (% of participants) by each characteristic,
    over all cohorts, and the relative likelihood of the focus group against the reference."""
    return equality_many([(checked, org, period, priority)])


def _equality_counts(
    checked: Checked, org: str, period: int, priority: Iterable[str] | None
) -> list[pl.DataFrame]:
    """Each characteristic's counts of one programme (in :data:`CHARACTERISTICS` order)."""
    programme = checked.programme
    target = reached(programme.recruited)
    lazy = characteristic_groups(checked.rows, priority).lazy()
    return pl.collect_all(  # every characteristic's counts in one call
        lazy.group_by(pl.col(f"g:{key}").alias("group"))
        .agg(pl.col(target).sum().alias("events"), pl.len().alias("total"))
        .with_columns(
            pl.lit(org).alias("org_code"),
            pl.lit(period, dtype=pl.Int64).alias("period"),
            pl.lit(programme.name).alias("programme"),
            pl.lit(key).alias("characteristic"),
            pl.col("events").cast(pl.Int64),
            pl.col("total").cast(pl.Int64),
        )
        for key, _, _, _ in CHARACTERISTICS
    )


def equality_many(
    programmes: Iterable[tuple[Checked, str, int, Iterable[str] | None]],
) -> list[Result]:
    """:func:`equality_results` of many (checked, org, period, priority): the counts of every
    programme of the same name built into results together (one builder call per programme
    name and characteristic, not per trust)."""
    batches: dict[tuple[str, str], list[list[pl.DataFrame]]] = {}
    for checked, org, period, priority in programmes:
        programme = checked.programme
        if programme.recruited not in programme.stage_ids:
            continue
        stage = programme.stage(programme.recruited)
        batches.setdefault((programme.name, stage.past), []).append(
            _equality_counts(checked, org, period, priority)
        )
    out: list[Result] = []
    for (name, past), tables in sorted(batches.items()):
        for i, (_, words, focus, reference) in enumerate(CHARACTERISTICS):
            counts = pl.concat([t[i] for t in tables], how="vertical_relaxed")
            out += rate_results(
                counts,
                id="programme.equality",
                title=f"{name}: participants who {past} (%) by {words}",
                method=method("Equality breakdowns"),
                breakdown=("programme", "characteristic"),
            )
            if focus is not None and reference is not None:
                out += likelihood_results(
                    counts,
                    id="programme.equality",
                    title=f"{name}: relative likelihood of {focus} participants compared "
                    f"to {reference} participants: {past}",
                    method=method("Equality breakdowns"),
                    first=focus,
                    second=reference,
                    breakdown=("programme", "characteristic"),
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
