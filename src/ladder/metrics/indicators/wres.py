"""WRES: the Workforce Race Equality Standard indicators (NHS England technical guidance).

Groups: White (ethnic codes A-C) and BME (D-S); Unknown (Z, not known) is excluded from
every ratio and reported as its own count. Ratios: WRES 2 White ÷ BME; WRES 3 BME ÷ White;
WRES 4 White ÷ BME (METHODS.md).

The building blocks below (the workforce at the snapshot, representation by band and
cluster, entry to formal processes over a window of years, staff-survey percentages and the
board difference) are written once for a :class:`Grouping` and shared with the WDES family
(:mod:`ladder.metrics.indicators.wdes`). docs/methods/wres-wdes.md records every choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import polars as pl

from ladder.contract.codes import MEDICAL_GRADES
from ladder.metrics import stats
from ladder.metrics.builders import join_notes, likelihood_results, rate_results
from ladder.metrics.context import Context
from ladder.metrics.engines import materialise
from ladder.metrics.expressions import (
    BME,
    DISABLED,
    NON_DISABLED,
    UNKNOWN,
    WHITE,
    count_true,
    disability_group,
    ethnic_group,
    to_polars,
    wres_cluster,
)
from ladder.metrics.kit import appointment_from_shortlisting
from ladder.metrics.registry import indicator
from ladder.metrics.results import Measure, Result, Unit, evolve

GUIDANCE = "NHS England, Workforce Race Equality Standard technical guidance"
KEYS = ("org_code", "period")
INCOMPLETE_WINDOW = "incomplete_window"

# --- Groupings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouping:
    """How people are grouped: by ethnicity (WRES) or disability (WDES).

    ``column`` is the person-level column (staff, applications, cases, survey respondents);
    ``of`` turns it into the group label. Survey respondents are grouped by ``respondent``
    over ``respondent_columns``; survey aggregate rows carry their group in ``aggregate``
    (used where ``aggregate_filter`` holds). ``focus`` − ``reference`` is the direction of
    every percentage-point difference.
    """

    name: str
    column: str
    groups: tuple[str, ...]
    of: Callable[[str], nw.Expr]
    aggregate_filter: Callable[[], nw.Expr]
    aggregate: Callable[[], nw.Expr]
    focus: str
    reference: str
    respondent: Callable[[], nw.Expr]
    respondent_columns: tuple[str, ...]

    def expr(self) -> nw.Expr:
        return self.of(self.column)


ETHNICITY = Grouping(
    name="ethnic group",
    column="ethnic_category",
    groups=(WHITE, BME, UNKNOWN),
    of=ethnic_group,
    aggregate_filter=lambda: ~nw.col("ethnic_group").is_null(),
    aggregate=lambda: nw.col("ethnic_group"),
    focus=BME,
    reference=WHITE,
    # a respondent with no ethnic category may still carry the WRES group itself
    respondent=lambda: (
        nw.when(nw.col("ethnic_category").is_null())
        .then(nw.col("ethnic_group").fill_null(UNKNOWN))
        .otherwise(ethnic_group())
    ),
    respondent_columns=("ethnic_category", "ethnic_group"),
)
DISABILITY = Grouping(
    name="disability",
    column="disability",
    groups=(DISABLED, NON_DISABLED, UNKNOWN),
    of=disability_group,
    aggregate_filter=lambda: ~nw.col("disability").is_null(),
    aggregate=lambda: disability_group("disability"),
    focus=DISABLED,
    reference=NON_DISABLED,
    respondent=lambda: disability_group("disability"),
    respondent_columns=("disability",),
)


def march(period: int) -> str:
    """The snapshot date of a period, in words: 2024 → '31 March 2024'."""
    return f"31 March {period}"


# --- The workforce at the snapshot -----------------------------------------------------------


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

# --- Results with reasons ----------------------------------------------------------------------


def _reason(r: Result, first: str, second: str, what: str) -> str | None:
    if r.denominator == 0:
        return f"no {first} people in the denominator: no ratio"
    if r.reference_denominator == 0:
        return f"no {second} people in the denominator: no ratio"
    if r.value is None:
        return f"no {second} {what}: the ratio is undefined (division by zero)"
    if r.ci_lower is None:
        return f"no {first} {what}: the ratio is 0 and its confidence interval is undefined"
    return None


def likelihoods(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    first: str,
    second: str,
    what: str,
    notes: dict[tuple[str, int], str] | None = None,
    flags: dict[tuple[str, int], tuple[str, ...]] | None = None,
) -> list[Result]:
    """Relative likelihood ``first`` ÷ ``second`` (builders.likelihood_results) with reasons.

    A ratio that cannot be computed (a zero rate in the reference group, an empty group)
    says why in its note; so does a zero ratio without an interval. Counts where a group
    has more events than people (leavers counted against a later headcount) are not
    computed. ``notes`` and ``flags`` are keyed by (org, period).
    """
    notes = notes or {}
    flags = flags or {}
    pair = counts.filter(pl.col("group").is_in([first, second]))
    bad = pair.filter(pl.col("events") > pl.col("total")).select(*KEYS).unique().sort(*KEYS)
    good = pair.join(bad, on=list(KEYS), how="anti")
    out: list[Result] = []
    for r in likelihood_results(
        good, id=id, title=title, method=method, first=first, second=second
    ):
        key = (r.org, r.period)
        out.append(
            evolve(
                r,
                note=join_notes(notes.get(key), _reason(r, first, second, what)),
                flags=(*r.flags, *flags.get(key, ())),
            )
        )
    for org, period in bad.iter_rows():
        out.append(
            Result(
                id=id,
                title=title,
                org=org,
                period=int(period),
                measure=Measure.RELATIVE_LIKELIHOOD,
                unit=Unit.RATIO,
                value=None,
                method=method,
                group=f"{first}:{second}",
                flags=flags.get((org, period), ()),
                note=join_notes(
                    notes.get((org, period)),
                    "more people counted than in the headcount (leavers outnumber the "
                    "staff in the snapshot): check the staff snapshot",
                ),
            )
        )
    return out


def rates(
    counts: pl.DataFrame,
    *,
    id: str,
    title: str,
    method: str,
    measure: Measure = Measure.RATE,
    breakdown: Sequence[str] = (),
    notes: dict[tuple[str, int], str] | None = None,
    flags: dict[tuple[str, int], tuple[str, ...]] | None = None,
) -> list[Result]:
    """builders.rate_results with a note and flags per (org, period).

    A row with more events than people (leavers counted against a later headcount) gets no
    value, with the reason.
    """
    notes = notes or {}
    flags = flags or {}
    out: list[Result] = []
    over = pl.col("events") > pl.col("total")
    for r in rate_results(
        counts.filter(~over),
        id=id,
        title=title,
        method=method,
        measure=measure,
        breakdown=breakdown,
    ):
        key = (r.org, r.period)
        out.append(evolve(r, note=notes.get(key), flags=(*r.flags, *flags.get(key, ()))))
    for row in counts.filter(over).sort(*KEYS, *breakdown, "group").iter_rows(named=True):
        key = (row["org_code"], int(row["period"]))
        out.append(
            Result(
                id=id,
                title=title,
                org=row["org_code"],
                period=int(row["period"]),
                measure=measure,
                unit=Unit.PERCENT,
                value=None,
                method=method,
                group=str(row["group"]),
                breakdown={c: str(row[c]) for c in breakdown},
                flags=flags.get(key, ()),
                note=join_notes(
                    notes.get(key),
                    "more people counted than in the headcount (leavers outnumber the "
                    "staff in the snapshot): check the staff snapshot",
                ),
            )
        )
    return out


# --- Indicator 1: representation by band and cluster ---------------------------------------


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
) -> list[Result]:
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


# --- Indicators 3 (and WDES 3): entering a formal process over a window --------------------


def window_note(what: str, period: int, years: int) -> str:
    """'cases in the 12 months to 31 March 2024' (or 24 months, 1 April 2022 – …)."""
    if years == 1:
        return f"{what} in the 12 months to {march(period)}"
    return (
        f"{what} in the {12 * years} months to {march(period)} (1 April {period - years} – "
        f"{march(period)}, a {years}-year window; the ratio equals that of the annual "
        "averages)"
    )


def entering_process(
    ctx: Context,
    grouping: Grouping,
    *,
    cases: nw.Expr,
    years: int,
    first: str,
    second: str,
    id: str,
    title: str,
    rate_title: str,
    method: str,
    what: str,
    staff: nw.LazyFrame[Any] | None = None,
) -> list[Result]:
    """Relative likelihood of entering a formal process (rows of ``cases`` that match).

    Numerator: distinct staff with a matching case starting in the ``years`` reporting
    years up to the period (leavers included). Their group comes from the staff record of
    the period's snapshot when the person is in it with a known value, else from the case
    row. Denominator: the workforce headcount at the snapshot. A period is reported only
    when the cases dataset holds rows for the organisation in its window; a window with a
    year without any case rows is flagged ``incomplete_window``. ``staff``: the workforce
    frame to use (default :func:`workforce`; the place family adds the home area to it).
    """
    if years < 1:
        raise ValueError(f"the case window must be at least one year, not {years}")
    col = grouping.column
    people = workforce(ctx) if staff is None else staff
    source = ctx.frame("cases")
    if col not in source.collect_schema().names():  # e.g. the home area: staff records only
        source = source.with_columns(nw.lit(None, dtype=nw.Int64).alias(col))
    parts = [
        source.with_columns(
            (nw.col("period") + k).cast(nw.Int64).alias("_target"),
            nw.lit(k == 0).alias("_own"),
        )
        for k in range(years)
    ]
    window = parts[0] if years == 1 else nw.concat(parts, how="vertical")
    per_staff = (
        window.group_by("org_code", "_target", "staff_id")
        .agg(
            count_true(cases).alias("_events"),
            count_true("_own").alias("_own_rows"),
            nw.col(col).max().alias("_case_value"),
        )
        .rename({"_target": "period"})
    )
    known = people.select(*KEYS, "staff_id", nw.col(col).alias("_staff_value"))
    entered = to_polars(
        per_staff.join(known, on=[*KEYS, "staff_id"], how="left")
        .with_columns(nw.coalesce(nw.col("_staff_value"), nw.col("_case_value")).alias(col))
        .with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(
            count_true(nw.col("_events") > 0).alias("events"),
            nw.col("_own_rows").sum().alias("_rows"),
        )
    )
    headcount = to_polars(
        people.with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(nw.len().alias("total"))
    )
    covered = {
        (org, int(p))
        for org, p, rows in entered.group_by(*KEYS).agg(pl.col("_rows").sum()).iter_rows()
        if rows > 0
    }
    notes: dict[tuple[str, int], str] = {}
    flags: dict[tuple[str, int], tuple[str, ...]] = {}
    for org, p in headcount.select(*KEYS).unique().iter_rows():
        period = int(p)
        in_window = [period - k for k in range(years)]
        present = [y for y in in_window if (org, y) in covered]
        if not present:
            continue
        note = window_note(what, period, years)
        note += f"; {WORKFORCE_NOTE.format(date=march(period))}"
        note += "; staff who left before the snapshot are grouped by their case record"
        missing = [y for y in in_window if y not in present]
        if missing:
            years_text = ", ".join(f"{y - 1}/{str(y)[2:]}" for y in sorted(missing))
            note += f"; no cases recorded in {years_text}: the window may be incomplete"
            flags[(org, period)] = (INCOMPLETE_WINDOW,)
        notes[(org, period)] = note
    if not notes:
        return []
    reported = pl.DataFrame(
        list(notes), schema={"org_code": pl.String, "period": pl.Int64}, orient="row"
    )
    counts = (
        headcount.join(entered.drop("_rows"), on=[*KEYS, "group"], how="full", coalesce=True)
        .join(reported, on=list(KEYS), how="semi")
        .with_columns(pl.col("events").fill_null(0), pl.col("total").fill_null(0))
    )
    return [
        *rates(counts, id=id, title=rate_title, method=method, notes=notes, flags=flags),
        *likelihoods(
            counts,
            id=id,
            title=title,
            method=method,
            first=first,
            second=second,
            what=what,
            notes=notes,
            flags=flags,
        ),
    ]


# --- Staff survey indicators -----------------------------------------------------------------


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

    @property
    def combined(self) -> bool:
        return len(self.questions) > 1


WRES_SURVEY: dict[str, tuple[SurveyItem, ...]] = {
    "wres.5": (
        SurveyItem(
            ("q14a",),
            "experienced harassment, bullying or abuse from patients/service users, their "
            "relatives or other members of the public in the last 12 months",
        ),
    ),
    "wres.6": (
        SurveyItem(
            ("q14b", "q14c"),
            "experienced harassment, bullying or abuse from managers or other colleagues "
            "in the last 12 months",
            aggregate_question="q14b_c",
        ),
    ),
    "wres.7": (
        SurveyItem(
            ("q15",),
            "believe the organisation acts fairly with regard to career progression or "
            "promotion (equal opportunities)",
        ),
    ),
    "wres.8": (
        SurveyItem(
            ("q16b",),
            "personally experienced discrimination at work from a manager, team leader or "
            "other colleagues in the last 12 months",
        ),
    ),
}
"""WRES 5-8 → NHS Staff Survey 2023 question ids (as ``ladder synth`` writes them).

Declared as data so that another numbering (another survey year, a local survey) can be
mapped without changing the computation.
"""


def _question_counts(ctx: Context, grouping: Grouping) -> pl.DataFrame:
    """Counts of every survey question by (org, period, question, source, group): one engine
    query per grouping and run, shared by every survey indicator of the grouping."""
    survey = ctx.frame("survey")
    respondent = nw.col("n").is_null()
    rows = survey.filter(
        (respondent & ~nw.col("answer").is_null())
        | (~respondent & ~nw.col("n_positive").is_null() & grouping.aggregate_filter())
    )
    return to_polars(
        rows.with_columns(
            nw.when(respondent)
            .then(nw.lit("respondent"))
            .otherwise(nw.lit("aggregate"))
            .alias("source"),
            nw.when(respondent)
            .then(grouping.respondent())
            .otherwise(grouping.aggregate())
            .alias("group"),
            nw.when(respondent)
            .then(nw.col("answer").cast(nw.Int64))
            .otherwise(nw.col("n_positive"))
            .alias("_events"),
            nw.when(respondent)
            .then(nw.lit(1, dtype=nw.Int64()))
            .otherwise(nw.col("n"))
            .alias("_total"),
        )
        .group_by(*KEYS, "question_id", "source", "group")
        .agg(nw.col("_events").sum().alias("events"), nw.col("_total").sum().alias("total"))
    )


def _survey_counts(
    ctx: Context, grouping: Grouping, items: Sequence[SurveyItem]
) -> tuple[pl.DataFrame, dict[int, pl.DataFrame]]:
    """Counts by (org, period, question, source, group), and for each combined item."""
    survey = ctx.frame("survey")
    respondent = nw.col("n").is_null()
    single = ctx.memo(f"survey.counts.{grouping.name}", lambda: _question_counts(ctx, grouping))
    combined: dict[int, pl.DataFrame] = {}
    for i, item in enumerate(items):
        if not item.combined:
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


def differences(
    counts: pl.DataFrame,
    grouping: Grouping,
    *,
    id: str,
    title: str,
    method: str,
    breakdown: dict[str, str],
    notes: dict[tuple[str, int], str],
) -> list[Result]:
    """``focus`` % − ``reference`` % in percentage points, with Newcombe's 95% interval."""
    out: list[Result] = []
    for (org, period), part in counts.sort(*KEYS).group_by(*KEYS, maintain_order=True):
        by_group = {row["group"]: row for row in part.iter_rows(named=True)}
        if grouping.focus not in by_group or grouping.reference not in by_group:
            continue
        f, r = by_group[grouping.focus], by_group[grouping.reference]
        a, n1, c, n2 = int(f["events"]), int(f["total"]), int(r["events"]), int(r["total"])
        diff = _newcombe(a, n1, c, n2)
        key = (str(org), int(str(period)))
        out.append(
            Result(
                id=id,
                title=title,
                org=key[0],
                period=key[1],
                measure=Measure.DIFFERENCE,
                unit=Unit.PERCENTAGE_POINTS,
                value=None if diff is None else diff[0] * 100.0,
                method=method,
                group=f"{grouping.focus}:{grouping.reference}",
                breakdown=dict(breakdown),
                numerator=a,
                denominator=n1,
                reference_numerator=c,
                reference_denominator=n2,
                ci_lower=None if diff is None else diff[1] * 100.0,
                ci_upper=None if diff is None else diff[2] * 100.0,
                note=join_notes(
                    f"{grouping.focus} % minus {grouping.reference} % "
                    "(Newcombe hybrid score interval)",
                    notes.get(key),
                    None if diff is not None else "a group has no answers",
                ),
            )
        )
    return out


def survey_results(
    ctx: Context,
    grouping: Grouping,
    items: Sequence[SurveyItem],
    *,
    id: str,
    title: str,
    method: str,
) -> list[Result]:
    """Percentage positive per group (Wilson interval) and focus − reference difference.

    For each organisation and period, respondent-level answers are used when there are
    any; otherwise aggregate rows. The note names the survey year, the question(s) and the
    source.
    """
    single, combined = _survey_counts(ctx, grouping, items)
    out: list[Result] = []
    for i, item in enumerate(items):
        breakdown = dict(item.breakdown)
        if item.combined:
            answers = combined[i]
            aggregates = single.filter(
                (pl.col("question_id") == item.aggregate_question)
                & (pl.col("source") == "aggregate")
            )
        else:
            mine = single.filter(pl.col("question_id") == item.questions[0])
            answers = mine.filter(pl.col("source") == "respondent")
            aggregates = mine.filter(pl.col("source") == "aggregate")
        answers = answers.select(*KEYS, "group", "events", "total")
        aggregates = aggregates.select(*KEYS, "group", "events", "total").join(
            answers.select(*KEYS).unique(), on=list(KEYS), how="anti"
        )
        questions = " + ".join(item.questions)
        notes: dict[tuple[str, int], str] = {}
        for frame, source in ((answers, "respondent-level answers"), (aggregates, "aggregates")):
            for org, p in frame.select(*KEYS).unique().iter_rows():
                period = int(p)
                asked = questions
                if source == "aggregates" and item.combined:
                    asked = f"{item.aggregate_question} ({questions} combined)"
                notes[(org, period)] = (
                    f"NHS Staff Survey {period - 1}, {asked}: % who {item.wording}; {source}"
                )
        counts = pl.concat([answers, aggregates])
        if item.only is not None:
            counts = counts.filter(pl.col("group") == item.only)
        for name, value in breakdown.items():
            counts = counts.with_columns(pl.lit(value).alias(name))
        out += rates(
            counts, id=id, title=title, method=method, breakdown=list(breakdown), notes=notes
        )
        if item.only is None:
            out += differences(
                counts,
                grouping,
                id=id,
                title=f"{title}: difference",
                method=method,
                breakdown=breakdown,
                notes=notes,
            )
        if item.combined:
            out += _uncombinable(single, item, counts, id=id, title=title, method=method)
    return out


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
    ).join(used.select(*KEYS).unique(), on=list(KEYS), how="anti")
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


# --- Indicator 9 (and WDES 10): board against the workforce ---------------------------------

MEMBERSHIPS: dict[str, str] = {
    "board": "is_board_member",
    "voting": "is_voting_member",
    "executive": "is_executive",
}
"""Board membership reported by WRES 9 / WDES 10 → the staff column that marks it."""


def board_difference(
    ctx: Context, grouping: Grouping, *, id: str, title: str, method: str
) -> list[Result]:
    """Board % of each group minus workforce % of the group, in percentage points.

    Shares include the Unknown group in their denominators (they add up to 100). Reported
    for all board members, voting members and executive members, wherever the membership
    has at least one person. Board and workforce are complete counts, not samples, and
    overlap (executives are staff), so no confidence interval is given.
    """
    counts = to_polars(
        snapshot(ctx)
        .with_columns(grouping.expr().alias("group"))
        .group_by(*KEYS, "group")
        .agg(
            count_true(~is_non_executive()).alias("workforce"),
            *[count_true(column).alias(name) for name, column in MEMBERSHIPS.items()],
        )
    )
    out: list[Result] = []
    for (org, period), part in counts.sort(*KEYS).group_by(*KEYS, maintain_order=True):
        org_code, year = str(org), int(str(period))
        rows = {row["group"]: row for row in part.iter_rows(named=True)}
        staff_total = int(part["workforce"].sum())
        for membership in MEMBERSHIPS:
            members = int(part[membership].sum())
            if members == 0 or staff_total == 0:
                continue
            for group in grouping.groups:
                row = rows.get(group)
                b = int(row[membership]) if row else 0
                w = int(row["workforce"]) if row else 0
                out.append(
                    Result(
                        id=id,
                        title=title,
                        org=org_code,
                        period=year,
                        measure=Measure.DIFFERENCE,
                        unit=Unit.PERCENTAGE_POINTS,
                        value=100.0 * b / members - 100.0 * w / staff_total,
                        method=method,
                        group=group,
                        breakdown={"membership": membership},
                        numerator=b,
                        denominator=members,
                        reference_numerator=w,
                        reference_denominator=staff_total,
                        note=(
                            f"{membership} members % minus workforce % at {march(year)}; "
                            f"{WORKFORCE_NOTE.format(date=march(year))}"
                        ),
                    )
                )
    return out


# --- The WRES indicators ---------------------------------------------------------------------


def _method(n: int, extra: str = "") -> str:
    return f"{GUIDANCE}, indicator {n}{extra}"


@indicator(
    "wres.1",
    "Percentage of staff in each AfC band, VSM and medical grade, by ethnic group, compared "
    "with the overall workforce",
    family="wres",
    needs=("staff",),
    method=_method(1),
)
def wres_1(ctx: Context) -> list[Result]:
    """Headcount by cluster (non-clinical, clinical, medical) × band × White/BME/Unknown."""
    return representation(
        ctx,
        ETHNICITY,
        id="wres.1",
        title="Staff in each band by ethnic group (% of the band)",
        method=_method(1),
    )


@indicator(
    "wres.2",
    "Relative likelihood of White applicants being appointed from shortlisting compared to "
    "BME applicants",
    family="wres",
    needs=("applications",),
    method=_method(2),
)
def wres_2(ctx: Context) -> list[Result]:
    """Appointed ÷ shortlisted by group, applications in the reporting year."""
    counts = appointment_from_shortlisting(ctx, "ethnicity")
    method = _method(2)
    notes = {
        (org, int(p)): f"applications in the 12 months to {march(int(p))}"
        for org, p in counts.select(*KEYS).unique().iter_rows()
    }
    return [
        *rates(
            counts, id="wres.2", title="Appointment from shortlisting", method=method, notes=notes
        ),
        *likelihoods(
            counts,
            id="wres.2",
            title="Relative likelihood of White applicants being appointed from shortlisting "
            "compared to BME applicants",
            method=method,
            first=WHITE,
            second=BME,
            what="applicants appointed from shortlisting",
            notes=notes,
        ),
    ]


@indicator(
    "wres.3",
    "Relative likelihood of BME staff entering the formal disciplinary process compared to "
    "White staff",
    family="wres",
    needs=("staff", "cases"),
    method=_method(3),
)
def wres_3(ctx: Context) -> list[Result]:
    """Distinct staff entering a formal disciplinary process in the window ÷ headcount."""
    return entering_process(
        ctx,
        ETHNICITY,
        cases=nw.col("case_type") == "disciplinary",
        years=ctx.settings.disciplinary_years,
        first=BME,
        second=WHITE,
        id="wres.3",
        title="Relative likelihood of BME staff entering the formal disciplinary process "
        "compared to White staff",
        rate_title="Staff entering the formal disciplinary process (% of headcount)",
        method=_method(3),
        what="staff entering the formal disciplinary process",
    )


def training_access(
    ctx: Context, staff: nw.LazyFrame[Any]
) -> tuple[pl.DataFrame, dict[tuple[str, int], str]]:
    """events (staff with a non-mandatory training or CPD event in the period) and total
    (headcount) by org, period and ``group`` of ``staff`` (the workforce with a ``group``
    column), with the note of each org and period. Periods whose training data hold no rows
    for the snapshot's staff are left out."""
    trained = ctx.memo(
        "training.per_staff",
        lambda: materialise(
            ctx.frame("training")
            .group_by(*KEYS, "staff_id")
            .agg(count_true(~nw.col("mandatory")).alias("_cpd"), nw.len().alias("_rows")),
            ctx.engine,
        ),
    )
    counts = to_polars(
        staff.select(*KEYS, "staff_id", "group")
        .join(trained, on=[*KEYS, "staff_id"], how="left")
        .group_by(*KEYS, "group")
        .agg(
            count_true(nw.col("_cpd") > 0).alias("events"),
            nw.len().alias("total"),
            count_true(~nw.col("_rows").is_null()).alias("_with_records"),
        )
    )
    covered = (
        counts.group_by(*KEYS)
        .agg(pl.col("_with_records").sum())
        .filter(pl.col("_with_records") > 0)
    )
    counts = counts.join(covered.select(*KEYS), on=list(KEYS), how="semi").drop("_with_records")
    notes = {
        (org, int(p)): (
            f"staff with at least one non-mandatory training or CPD event in the 12 months "
            f"to {march(int(p))}; {WORKFORCE_NOTE.format(date=march(int(p)))}"
        )
        for org, p in counts.select(*KEYS).unique().iter_rows()
    }
    return counts, notes


@indicator(
    "wres.4",
    "Relative likelihood of White staff accessing non-mandatory training and CPD compared to "
    "BME staff",
    family="wres",
    needs=("staff", "training"),
    method=_method(4),
)
def wres_4(ctx: Context) -> list[Result]:
    """Staff in the snapshot with a non-mandatory training event in the year ÷ headcount.

    A period is reported only when the training dataset has rows for staff in the snapshot.
    """
    staff = workforce(ctx).with_columns(ethnic_group().alias("group"))
    counts, notes = training_access(ctx, staff)
    what = "staff accessing non-mandatory training or CPD"
    method = _method(4)
    return [
        *rates(
            counts,
            id="wres.4",
            title="Staff accessing non-mandatory training and CPD (% of headcount)",
            method=method,
            notes=notes,
        ),
        *likelihoods(
            counts,
            id="wres.4",
            title="Relative likelihood of White staff accessing non-mandatory training and "
            "CPD compared to BME staff",
            method=method,
            first=WHITE,
            second=BME,
            what=what,
            notes=notes,
        ),
    ]


def _survey_indicator(n: int, title: str) -> Callable[[Context], list[Result]]:
    id = f"wres.{n}"
    items = WRES_SURVEY[id]
    questions = ", ".join(q for item in items for q in item.questions)
    method = _method(n, f" (NHS Staff Survey, {questions})")

    def compute(ctx: Context) -> list[Result]:
        return survey_results(ctx, ETHNICITY, items, id=id, title=title, method=method)

    compute.__doc__ = f"WRES {n}: % of White and BME respondents who {items[0].wording}."
    indicator(id, title, family="wres", needs=("survey",), method=method)(compute)
    return compute


wres_5 = _survey_indicator(
    5,
    "Percentage of staff experiencing harassment, bullying or abuse from patients, "
    "relatives or the public in the last 12 months",
)
wres_6 = _survey_indicator(
    6,
    "Percentage of staff experiencing harassment, bullying or abuse from staff in the last "
    "12 months",
)
wres_7 = _survey_indicator(
    7,
    "Percentage of staff believing that the trust provides equal opportunities for career "
    "progression or promotion",
)
wres_8 = _survey_indicator(
    8,
    "Percentage of staff personally experiencing discrimination at work from a manager, "
    "team leader or other colleagues in the last 12 months",
)


@indicator(
    "wres.9",
    "Percentage difference between the board's voting membership and its overall workforce, "
    "by ethnic group",
    family="wres",
    needs=("staff",),
    method=_method(9),
)
def wres_9(ctx: Context) -> list[Result]:
    """Board (all, voting, executive) % of each ethnic group minus the workforce %."""
    return board_difference(
        ctx,
        ETHNICITY,
        id="wres.9",
        title="Board membership minus overall workforce, by ethnic group (percentage points)",
        method=_method(9),
    )
