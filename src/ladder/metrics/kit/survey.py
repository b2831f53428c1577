"""Staff-survey percentages by group with the focus − reference difference (WRES 5-8, WDES 4-8)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import narwhals as nw
import numpy as np
import polars as pl

from ladder.engines import EngineName
from ladder.metrics import stats
from ladder.metrics.builders import SMALL, float_series, frame_of, with_keyed
from ladder.metrics.context import Context
from ladder.metrics.expressions import (
    count_true,
    to_polars,
)
from ladder.metrics.kit.figures import rates
from ladder.metrics.kit.groupings import DISABILITY, ETHNICITY, Grouping, Native, period_keys
from ladder.metrics.results import Measure, Result, Unit
from ladder.metrics.table import combine

KEYS = ("org_code", "period")


@dataclass(frozen=True)
class SurveyItem:
    """One staff-survey measure: the question(s) behind it and how they combine.

    A respondent counts as positive when positive on any of ``questions`` (out of those
    answering at least one). Aggregate rows (``n``, ``n_positive``) for a single question
    carry its id; for a combined measure they must carry ``aggregate_question`` (separate
    aggregates cannot be combined: someone positive on both would be counted twice).
    ``only`` restricts the measure to one group (WDES 8: disabled staff).
    """

    questions: tuple[str, ...]
    wording: str
    aggregate_question: str | None = None
    breakdown: tuple[tuple[str, str], ...] = ()
    only: str | None = None

    def __post_init__(self) -> None:
        if self.combined:  # counted in the shared survey query (Polars engine)
            COMBINED.setdefault(self.questions)

    @property
    def combined(self) -> bool:
        return len(self.questions) > 1


COMBINED: dict[tuple[str, ...], None] = {}
"""The question sets of every combined :class:`SurveyItem` declared (in order): the Polars
engine counts their respondents in the same query as the single questions."""


def _labelled_counts(ctx: Context, groupings: Sequence[Grouping]) -> pl.DataFrame:
    """Counts of every survey question by (org, period, question, source) and the group of
    each grouping (column ``_g<i>``; null on an aggregate row that does not give it).

    The engine's query counts by the recorded values (each grouping's
    ``respondent_columns``, which its respondent and aggregate groups are read from); the
    groups are then labelled on that small table and counted again."""
    survey = ctx.frame("survey")
    respondent = nw.col("n").is_null()
    recorded = list(dict.fromkeys(c for g in groupings for c in g.respondent_columns))
    rows = survey.filter(
        (respondent & ~nw.col("answer").is_null()) | (~respondent & ~nw.col("n_positive").is_null())
    )
    raw = to_polars(
        rows.with_columns(
            respondent.alias("_respondent"),
            nw.when(respondent)
            .then(nw.col("answer").cast(nw.Int64))
            .otherwise(nw.col("n_positive"))
            .alias("_events"),
            nw.when(respondent)
            .then(nw.lit(1, dtype=nw.Int64()))
            .otherwise(nw.col("n"))
            .alias("_total"),
        )
        .group_by(*KEYS, "question_id", "_respondent", *recorded)
        .agg(nw.col("_events").sum().alias("events"), nw.col("_total").sum().alias("total"))
    )
    answered = nw.col("_respondent")
    labels = [f"_g{i}" for i in range(len(groupings))]
    labelled = (
        nw.from_native(raw)
        .with_columns(
            nw.when(answered)
            .then(nw.lit("respondent"))
            .otherwise(nw.lit("aggregate"))
            .alias("source"),
            *[
                nw.when(answered)
                .then(g.respondent())
                .when(g.aggregate_filter())
                .then(g.aggregate())
                .alias(label)
                for g, label in zip(groupings, labels, strict=True)
            ],
        )
        .to_native()
    )
    return labelled.group_by(*KEYS, "question_id", "source", *labels).agg(
        pl.col("events").sum(), pl.col("total").sum()
    )


SHARED: tuple[Grouping, ...] = (ETHNICITY, DISABILITY)
"""The groupings whose survey counts come from one shared engine query."""

COMBINED_SOURCE = "combined"
"""The ``source`` of the rows of a combined item in :func:`_polars_labelled` (question id:
the item's questions joined by ``+``)."""


def _native(groupings: Sequence[Grouping]) -> list[Native] | None:
    """The groupings' native Polars forms, when every one has them."""
    native = [g.native for g in groupings]
    return None if any(n is None for n in native) else [n for n in native if n is not None]


def _polars_labelled(
    survey: pl.LazyFrame,
    groupings: Sequence[Grouping],
    native: Sequence[Native],
    combined: Sequence[tuple[str, ...]],
) -> pl.DataFrame:
    """:func:`_labelled_counts` on the Polars engine, with the respondents of each
    ``combined`` item (source ``combined``), as one query in native
    expressions: Narwhals' translation and a query per product cost more than the work on
    one trust's survey. The same counts as :func:`_labelled_counts` and the per-respondent
    query of :func:`_survey_counts` (the tests check them equal)."""
    respondent = pl.col("n").is_null()
    recorded = list(dict.fromkeys(c for g in groupings for c in g.respondent_columns))
    single = (
        survey.filter(
            (respondent & pl.col("answer").is_not_null())
            | (~respondent & pl.col("n_positive").is_not_null())
        )
        .group_by(*KEYS, "question_id", respondent.alias("_respondent"), *recorded)
        .agg(
            pl.when(respondent)
            .then(pl.col("answer").cast(pl.Int64))
            .otherwise(pl.col("n_positive"))
            .sum()
            .alias("events"),
            pl.when(respondent)
            .then(pl.lit(1, dtype=pl.Int64))
            .otherwise(pl.col("n"))
            .sum()
            .alias("total"),
        )
        .with_columns(
            pl.when(pl.col("_respondent"))
            .then(pl.lit("respondent"))
            .otherwise(pl.lit("aggregate"))
            .alias("source")
        )
    )
    parts = [single]
    for questions in combined:
        per_respondent = (
            survey.filter(
                pl.col("question_id").is_in(list(questions))
                & respondent
                & pl.col("answer").is_not_null()
                & pl.col("respondent_id").is_not_null()
            )
            .group_by(*KEYS, "respondent_id")
            .agg(pl.col("answer").any().alias("_positive"), pl.col(*recorded).max())
        )
        parts.append(
            per_respondent.group_by(*KEYS, *recorded)
            .agg(
                pl.col("_positive").cast(pl.Int64).sum().alias("events"),
                pl.len().cast(pl.Int64).alias("total"),
            )
            .with_columns(
                pl.lit("+".join(questions)).alias("question_id"),
                pl.lit(True).alias("_respondent"),
                pl.lit(COMBINED_SOURCE).alias("source"),
            )
        )
    columns = [*KEYS, "question_id", "_respondent", "source", *recorded, "events", "total"]
    answered = pl.col("_respondent")
    labels = [f"_g{i}" for i in range(len(groupings))]
    return (
        pl.concat([p.select(columns) for p in parts])
        .group_by(
            *KEYS,
            "question_id",
            "source",
            *[
                pl.when(answered)
                .then(n.respondent())
                .when(n.aggregate_filter())
                .then(n.aggregate())
                .alias(label)
                for n, label in zip(native, labels, strict=True)
            ],
        )
        .agg(pl.col("events").sum(), pl.col("total").sum())
        .collect()
    )


def _shared_counts(ctx: Context) -> tuple[pl.DataFrame, tuple[tuple[str, ...], ...]]:
    """The labelled counts of :data:`SHARED`, once per run, and the combined items whose
    respondents they count (Polars: every one declared, source ``combined``)."""

    def compute() -> tuple[pl.DataFrame, tuple[tuple[str, ...], ...]]:
        native = _native(SHARED)
        if ctx.engine is EngineName.polars and native is not None:
            combined = tuple(COMBINED)
            survey = ctx.frame("survey").to_native()
            return _polars_labelled(survey, SHARED, native, combined), combined
        return _labelled_counts(ctx, SHARED), ()

    return ctx.memo("survey.counts", compute)


def _question_counts(
    ctx: Context, grouping: Grouping
) -> tuple[pl.DataFrame, tuple[tuple[str, ...], ...]]:
    """Counts of every survey question by (org, period, question, source, group): one engine
    query per run for the groupings of :data:`SHARED` (one per run for any other), shared
    by every survey indicator; and the combined items counted with them (rows of source
    ``combined``, question id: the questions joined by ``+``; :func:`_polars_labelled`)."""
    if grouping in SHARED:
        labelled, combined = _shared_counts(ctx)
        label = f"_g{SHARED.index(grouping)}"
    else:
        labelled, combined = _labelled_counts(ctx, (grouping,)), ()
        label = "_g0"
    counts = (
        labelled.filter(pl.col(label).is_not_null())
        .group_by(*KEYS, "question_id", "source", pl.col(label).alias("group"))
        .agg(pl.col("events").sum(), pl.col("total").sum())
    )
    return counts, combined


def _survey_counts(
    ctx: Context, grouping: Grouping, items: Sequence[SurveyItem]
) -> tuple[pl.DataFrame, dict[int, pl.DataFrame]]:
    """Counts by (org, period, question, source, group), and for each combined item (on
    the Polars engine read from the rows of source ``combined`` of the shared counts)."""
    survey = ctx.frame("survey")
    respondent = nw.col("n").is_null()
    single, counted = ctx.memo(
        f"survey.counts.{grouping.name}", lambda: _question_counts(ctx, grouping)
    )
    combined: dict[int, pl.DataFrame] = {}
    for i, item in enumerate(items):
        if not item.combined:
            continue
        if item.questions in counted:  # counted in the shared query
            combined[i] = single.filter(
                (pl.col("source") == COMBINED_SOURCE)
                & (pl.col("question_id") == "+".join(item.questions))
            ).select(*KEYS, "group", "events", "total")
            continue
        per_respondent = (
            survey.filter(
                nw.col("question_id").is_in(list(item.questions))
                & respondent
                & ~nw.col("answer").is_null()
                & ~nw.col("respondent_id").is_null()
            )
            .group_by(*KEYS, "respondent_id")
            .agg(
                count_true("answer").alias("_positive"),
                *[nw.col(c).max().alias(c) for c in grouping.respondent_columns],
            )
            .with_columns(grouping.respondent().alias("group"))
        )
        combined[i] = to_polars(
            per_respondent.group_by(*KEYS, "group").agg(
                count_true(nw.col("_positive") > 0).alias("events"), nw.len().alias("total")
            )
        )
    return single, combined


def _newcombe(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float] | None:
    """Difference of two proportions a/n₁ − c/n₂ with Newcombe's hybrid score interval."""
    first, second = stats.wilson(a, n1), stats.wilson(c, n2)
    if (
        first.value is None
        or second.value is None
        or first.lower is None
        or first.upper is None
        or second.lower is None
        or second.upper is None
    ):
        return None
    d = first.value - second.value
    lower = d - math.sqrt((first.value - first.lower) ** 2 + (second.upper - second.value) ** 2)
    upper = d + math.sqrt((first.upper - first.value) ** 2 + (second.value - second.lower) ** 2)
    return d, lower, upper


def _pairs(counts: pl.DataFrame, grouping: Grouping, names: list[str]) -> pl.DataFrame:
    """The focus and reference counts of each (org, period) having both, side by side
    (``org_code``, ``period``, the ``names`` columns, ``_a``, ``_n1`` of the focus group,
    ``_c``, ``_n2`` of the reference group), sorted by org and period.

    A small table whose org and period are never null and whose groups are each given
    once per (org, period) is paired in Python and gathered, without a query (the same
    rows and order: text sorts by code point, as Polars sorts by UTF-8 bytes)."""
    if counts.height <= SMALL and not any(counts[k].null_count() for k in KEYS):
        orgs, periods = counts["org_code"].to_list(), counts["period"].to_list()
        found: dict[str, dict[tuple[str, int], int]] = {grouping.focus: {}, grouping.reference: {}}
        unique = True
        for i, group in enumerate(counts["group"].to_list()):
            if group in found:
                key = (orgs[i], periods[i])
                unique = unique and key not in found[group]
                found[group][key] = i
        if unique:
            focus, reference = found[grouping.focus], found[grouping.reference]
            keys = sorted(k for k in focus if k in reference)
            first = counts[pl.Series([focus[k] for k in keys], dtype=pl.UInt32)]
            second = counts[pl.Series([reference[k] for k in keys], dtype=pl.UInt32)]
            return pl.DataFrame(
                [
                    *(first[c] for c in (*KEYS, *names)),
                    first["events"].alias("_a"),
                    first["total"].alias("_n1"),
                    second["events"].alias("_c"),
                    second["total"].alias("_n2"),
                ]
            )
    focus_rows = counts.filter(pl.col("group") == grouping.focus).select(
        *KEYS, *names, pl.col("events").alias("_a"), pl.col("total").alias("_n1")
    )
    reference_rows = counts.filter(pl.col("group") == grouping.reference).select(
        *KEYS, pl.col("events").alias("_c"), pl.col("total").alias("_n2")
    )
    return focus_rows.join(reference_rows, on=list(KEYS), how="inner").sort(*KEYS)


def differences(
    counts: pl.DataFrame,
    grouping: Grouping,
    *,
    id: str,
    title: str,
    method: str,
    breakdown: dict[str, str],
    notes: dict[tuple[str, int], str],
) -> pl.DataFrame:
    """``focus`` % − ``reference`` % in percentage points, with Newcombe's 95% interval
    (:func:`_newcombe`, column-wise)."""
    names = list(breakdown)
    rows = _pairs(counts, grouping, names)
    rows = rows.hstack(  # new columns: without a query
        [
            pl.Series(
                "group", [f"{grouping.focus}:{grouping.reference}"], dtype=pl.String
            ).new_from_index(0, rows.height)
        ]
    )
    p1, lower1, upper1 = stats.wilson_arrays(rows["_a"].to_numpy(), rows["_n1"].to_numpy())
    p2, lower2, upper2 = stats.wilson_arrays(rows["_c"].to_numpy(), rows["_n2"].to_numpy())
    d = p1 - p2
    rows = with_keyed(
        rows.hstack(  # new columns: without a query
            [
                float_series("_d", d),
                float_series("_lower", d - np.sqrt((p1 - lower1) ** 2 + (upper2 - p2) ** 2)),
                float_series("_upper", d + np.sqrt((upper1 - p1) ** 2 + (p2 - lower2) ** 2)),
            ]
        ),
        notes,
        "_note",
        pl.String(),
    )
    return frame_of(
        rows,
        id=id,
        title=title,
        method=method,
        measure=Measure.DIFFERENCE,
        unit=Unit.PERCENTAGE_POINTS,
        breakdown=names,
        columns={
            "value": pl.col("_d") * 100.0,
            "numerator": pl.col("_a"),
            "denominator": pl.col("_n1"),
            "reference_numerator": pl.col("_c"),
            "reference_denominator": pl.col("_n2"),
            "ci_lower": pl.col("_lower") * 100.0,
            "ci_upper": pl.col("_upper") * 100.0,
            "note": pl.concat_str(
                pl.lit(
                    f"{grouping.focus} % minus {grouping.reference} % "
                    "(Newcombe hybrid score interval)"
                ),
                pl.col("_note"),
                pl.when(pl.col("_d").is_null()).then(pl.lit("a group has no answers")),
                separator="; ",
                ignore_nulls=True,
            ),
        },
    )


@dataclass(frozen=True)
class _Chosen:
    """Each single question's counts from the source used for each (org, period):
    respondent-level answers when there are any, otherwise aggregates."""

    counts: dict[str, pl.DataFrame]
    """(org_code, period, group, events, total) by question id."""
    sources: dict[str, list[tuple[str, int, str]]]
    """The (org, period, source) of each question's counts."""


def _chosen(single: pl.DataFrame) -> _Chosen:
    """:class:`_Chosen` of the counts of every single question (a few queries, once per
    run and grouping, instead of a few per survey item)."""
    answered = pl.col("source") == "respondent"
    rows = single.filter(answered | ~answered.any().over(*KEYS, "question_id"))
    counts = {
        str(key[0]): frame
        for key, frame in rows.select("question_id", *KEYS, "group", "events", "total")
        .partition_by("question_id", as_dict=True, include_key=False)
        .items()
    }
    sources: dict[str, list[tuple[str, int, str]]] = {}
    for question, org, period, source in (
        rows.select("question_id", *KEYS, "source").unique(maintain_order=True).iter_rows()
    ):
        sources.setdefault(question, []).append((org, int(period), source))
    return _Chosen(counts, sources)


def survey_results(
    ctx: Context,
    grouping: Grouping,
    items: Sequence[SurveyItem],
    *,
    id: str,
    title: str,
    method: str,
) -> pl.DataFrame:
    """Percentage positive per group (Wilson interval) and focus − reference difference.

    For each organisation and period, respondent-level answers are used when there are
    any; otherwise aggregates. The note names the survey year, the question(s) and the
    source.
    """
    single, combined = _survey_counts(ctx, grouping, items)
    out: list[list[Result] | pl.DataFrame] = []
    for i, item in enumerate(items):
        breakdown = dict(item.breakdown)
        questions = " + ".join(item.questions)
        sources: list[tuple[str, int, str]] = []
        if item.combined:
            answers = combined[i].select(*KEYS, "group", "events", "total")
            aggregates = (
                single.filter(
                    (pl.col("question_id") == item.aggregate_question)
                    & (pl.col("source") == "aggregate")
                )
                .select(*KEYS, "group", "events", "total")
                .join(answers.select(*KEYS).unique(), on=list(KEYS), how="anti")
            )
            for frame, source in ((answers, "respondent"), (aggregates, "aggregate")):
                for org, p in period_keys(frame):
                    sources.append((org, p, source))
            counts = pl.concat([answers, aggregates])
        else:
            chosen = ctx.memo(f"survey.chosen.{grouping.name}", lambda: _chosen(single))
            question = item.questions[0]
            if question in chosen.counts:
                counts = chosen.counts[question]
            else:
                counts = single.select(*KEYS, "group", "events", "total").clear()
            sources = chosen.sources.get(question, [])
        notes: dict[tuple[str, int], str] = {}
        for org, period, source in sources:
            asked = questions
            if source == "aggregate" and item.combined:
                asked = f"{item.aggregate_question} ({questions} combined)"
            text = "respondent-level answers" if source == "respondent" else "aggregates"
            notes[(org, period)] = (
                f"NHS Staff Survey {period - 1}, {asked}: % who {item.wording}; {text}"
            )
        if item.only is not None:
            counts = counts.filter(pl.col("group") == item.only)
        if breakdown:  # the same value on every row, without a query
            counts = counts.hstack(
                [
                    pl.Series(name, [value], dtype=pl.String).new_from_index(0, counts.height)
                    for name, value in breakdown.items()
                ]
            )
        out.append(
            rates(counts, id=id, title=title, method=method, breakdown=list(breakdown), notes=notes)
        )
        if item.only is None:
            out.append(
                differences(
                    counts,
                    grouping,
                    id=id,
                    title=f"{title}: difference",
                    method=method,
                    breakdown=breakdown,
                    notes=notes,
                )
            )
        if item.combined:
            out.append(_uncombinable(single, item, counts, id=id, title=title, method=method))
    return combine(*out)


def _uncombinable(
    single: pl.DataFrame,
    item: SurveyItem,
    used: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
) -> list[Result]:
    """A combined item given only as separate aggregates: no value, with the reason."""
    parts = single.filter(
        pl.col("question_id").is_in(list(item.questions)) & (pl.col("source") == "aggregate")
    )
    if parts.is_empty():  # respondent-level answers only: nothing to withhold
        return []
    parts = parts.join(used.select(*KEYS).unique(), on=list(KEYS), how="anti")
    out: list[Result] = []
    for org, period, group in parts.select(*KEYS, "group").unique().sort(pl.all()).iter_rows():
        out.append(
            Result(
                id=id,
                title=title,
                org=org,
                period=int(period),
                measure=Measure.RATE,
                unit=Unit.PERCENT,
                value=None,
                method=method,
                group=str(group),
                breakdown=dict(item.breakdown),
                note=(
                    f"only separate aggregates for {' and '.join(item.questions)}: they cannot "
                    "be combined (a respondent positive on both would count twice); give "
                    f"respondent-level answers or aggregates under {item.aggregate_question}"
                ),
            )
        )
    return out
