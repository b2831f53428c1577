"""SEB: socio-economic background of staff and applicants (Social Mobility Commission).

The key question is the parental occupation at about age 14 (options 1-9), grouped
professional (1, 2), intermediate (3, 7) and lower (4, 5, 6); options 8 (other, retired,
does not apply, don't know) and 9 (prefer not to say) and blanks are non-response, left out
of every denominator and reported through the response rate. Supporting questions: type of
school at 11-16, free school meals, highest parental qualification by 18.

Indicators: ``seb.response_rate`` (and ``seb.applicant_response_rate``), ``seb.profile``,
``seb.profile_by_band`` (the "class ceiling"), ``seb.funnel`` (applied → shortlisted →
appointed), ``seb.appointment`` (relative likelihood of appointment from shortlisting,
professional ÷ lower, as WRES 2 puts the advantaged group first) and the profiles of the
supporting questions ``seb.school_type``, ``seb.free_school_meals`` and
``seb.parent_qualification``. Method and choices: docs/methods/seb-representation.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import narwhals as nw
import polars as pl

from ladder.codes import FREE_SCHOOL_MEALS, PARENT_QUALIFICATIONS, SCHOOL_TYPES
from ladder.engines import EngineName
from ladder.metrics.builders import likelihood_results, rate_frame, rate_results
from ladder.metrics.context import Context
from ladder.metrics.expressions import seb_group, to_polars
from ladder.metrics.indicators.representation import (
    ALL,
    BY_NAME,
    DOC,
    NON_RESPONSE,
    SEB_GROUPS,
    SEB_NOTE,
    SMC_TOOLKIT,
    published_frame,
    published_table,
    share_frame,
    withhold_with,
)
from ladder.metrics.kit import application_counts, funnel_stages, workforce
from ladder.metrics.kit.groupings import seb_label
from ladder.metrics.kit.recruitment import APPOINTED, SEB_ANSWERS, substantive
from ladder.metrics.registry import Produced, indicator
from ladder.metrics.results import Result
from ladder.metrics.table import BREAKDOWN, RESULT_SCHEMA

METHOD = f"{SMC_TOOLKIT}; {DOC}, 'Socio-economic background'"
PROFESSIONAL, LOWER = SEB_GROUPS[0], SEB_GROUPS[-1]
STAGES: tuple[str, ...] = ("applied", "shortlisted", "appointed")
SEB = BY_NAME["seb"]


def _answer(column: str, answers: tuple[str, ...]) -> Callable[[], nw.Expr]:
    """The answer when it is one of ``answers``; otherwise (don't know, prefer not to say,
    blank, anything else) non-response."""

    def expression() -> nw.Expr:
        value = nw.col(column)
        return nw.when(value.is_in(list(answers))).then(value).otherwise(nw.lit(NON_RESPONSE))

    return expression


@dataclass(frozen=True)
class Question:
    """One SMC question: its column, the answers that count as a response (in reporting
    order, as groups) and the expression giving each person's group or non-response."""

    name: str
    column: str
    title: str
    groups: tuple[str, ...]
    expression: Callable[[], nw.Expr]
    non_response: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "parent_occupation",
        "seb_parent_occupation",
        "occupation of the main household earner at about age 14",
        SEB_GROUPS,
        seb_group,
        "options 8 (other, retired, does not apply, don't know), 9 (prefer not to say), blank",
    ),
    Question(
        "school_type",
        "seb_school_type",
        "type of school attended aged 11-16",
        substantive(SCHOOL_TYPES),
        _answer("seb_school_type", substantive(SCHOOL_TYPES)),
        "don't know, prefer not to say, blank",
    ),
    Question(
        "free_school_meals",
        "seb_free_school_meals",
        "eligibility for free school meals",
        substantive(FREE_SCHOOL_MEALS),
        _answer("seb_free_school_meals", substantive(FREE_SCHOOL_MEALS)),
        "don't know, prefer not to say, blank ('not applicable' is an answer)",
    ),
    Question(
        "parent_qualification",
        "seb_parent_qualification",
        "highest parental qualification by age 18",
        substantive(PARENT_QUALIFICATIONS),
        _answer("seb_parent_qualification", substantive(PARENT_QUALIFICATIONS)),
        "don't know, prefer not to say, blank",
    ),
)
"""The four SMC questions Ladder collects, parental occupation first."""
QUESTION: dict[str, Question] = {q.name: q for q in QUESTIONS}
SEB_COLUMNS = tuple(q.column for q in QUESTIONS)


# --- Response rates -------------------------------------------------------------------------


def staff_counts(ctx: Context) -> pl.DataFrame:
    """The workforce counted by org_code, period and each question's group (or
    non-response): ``count``. One query per run, shared by the staff response rates and the
    profiles of the supporting questions."""

    def compute() -> pl.DataFrame:
        if ctx.engine is EngineName.polars:
            return _polars_staff_counts(ctx)
        # counted by the recorded answers first, then labelled on that small table
        raw = to_polars(
            workforce(ctx).group_by("org_code", "period", *SEB_COLUMNS).agg(nw.len().alias("count"))
        )
        labelled = (
            nw.from_native(raw)
            .with_columns(q.expression().alias(q.name) for q in QUESTIONS)
            .to_native()
        )
        return labelled.group_by("org_code", "period", *QUESTION).agg(pl.col("count").sum())

    return ctx.memo("seb.staff_counts", compute)


def _polars_staff_counts(ctx: Context) -> pl.DataFrame:
    """:func:`staff_counts` as one query (Polars engine): its steps after the count are
    small, and a collect per step costs more than the counting. On Polars' default engine:
    it reads the whole workforce, which in memory takes twice the memory on national data."""
    native: pl.LazyFrame = workforce(ctx).to_native()
    query = (
        native.group_by("org_code", "period", *SEB_COLUMNS)
        .agg(pl.len().alias("count"))
        .with_columns(polars_answer(q).alias(q.name) for q in QUESTIONS)
        .group_by("org_code", "period", *QUESTION)
        .agg(pl.col("count").cast(pl.Int64).sum())
        .with_columns(pl.col("period").cast(pl.Int64))
    )
    return query.collect()


def polars_answer(question: Question) -> pl.Expr:
    """``question.expression`` written in Polars (the Polars engine's staff counts: the
    Narwhals translation of these expressions costs more than counting with them; the test
    suite checks both give every answer the same group)."""
    value = pl.col(question.column)
    if question.name == "parent_occupation":
        return seb_label(question.column)
    answers = list(question.groups)
    return pl.when(value.is_in(answers)).then(value).otherwise(pl.lit(NON_RESPONSE))


def _answering(ctx: Context, kind: str) -> pl.DataFrame:
    """People (``total``) and those answering each question (a column per question) by
    org_code and period: the staff (from :func:`staff_counts`) or the applications (from
    the shared application counts, :func:`ladder.metrics.kit.application_counts`)."""
    if kind == "staff":
        return (
            staff_counts(ctx)
            .group_by("org_code", "period")
            .agg(
                pl.col("count").sum().alias("total"),
                *[
                    pl.col("count").filter(pl.col(q.name) != NON_RESPONSE).sum().alias(q.name)
                    for q in QUESTIONS
                ],
            )
        )
    return (
        application_counts(ctx)
        .group_by("org_code", "period")
        .agg(
            pl.col("count").sum().alias("total"),
            *[
                pl.col("count").filter(pl.col("seb") != NON_RESPONSE).sum().alias(q.name)
                if q.column not in SEB_ANSWERS
                else pl.col(f"answered_{q.column}").sum().alias(q.name)
                for q in QUESTIONS
            ],
        )
    )


def response_rates(ctx: Context, kind: str, id: str, who: str) -> pl.DataFrame:
    """% of people (the workforce, or applications) giving an answer to each question: the
    questions' counts side by side, as one table of rates (a table per question costs a few
    steps each), in order of organisation, period and question."""
    counts = _answering(ctx, kind)
    if counts.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    n = len(QUESTIONS)
    long = pl.DataFrame(
        {
            "org_code": pl.concat([counts["org_code"]] * n),
            "period": pl.concat([counts["period"]] * n),
            "total": pl.concat([counts["total"].cast(pl.Int64)] * n),
            "events": pl.concat([counts[q.name].cast(pl.Int64) for q in QUESTIONS]),
            "group": pl.Series([q.name for q in QUESTIONS for _ in range(counts.height)]),
        }
    )
    rates = rate_frame(long, id=id, title="", method=METHOD)
    position = {q.name: i for i, q in enumerate(QUESTIONS)}
    keys = list(
        zip(
            rates["org"].to_list(), rates["period"].to_list(), rates["group"].to_list(), strict=True
        )
    )
    order = sorted(range(rates.height), key=lambda i: (*keys[i][:2], position[keys[i][2]]))
    rates = rates[pl.Series(order, dtype=pl.UInt32)]
    groups = [QUESTION[g] for g in rates["group"].to_list()]
    titles = [f"Response rate of {who} to the SEB question on the {q.title}" for q in groups]
    notes = [f"an answer other than: {q.non_response}" for q in groups]
    rates = rates.replace_column(
        rates.get_column_index("title"), pl.Series("title", titles, dtype=pl.String)
    )
    return rates.replace_column(
        rates.get_column_index("note"), pl.Series("note", notes, dtype=pl.String)
    )


@indicator(
    "seb.response_rate",
    "Response rate of staff to each socio-economic background question",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=tuple(("staff", c) for c in SEB_COLUMNS),
)
def seb_response_rate(ctx: Context) -> Produced:
    """Staff answering each question ÷ staff in the snapshot (group = the question)."""
    return response_rates(ctx, "staff", "seb.response_rate", "staff")


@indicator(
    "seb.applicant_response_rate",
    "Response rate of applicants to each socio-economic background question",
    family="seb",
    needs=("applications",),
    method=METHOD,
    columns=tuple(("applications", c) for c in SEB_COLUMNS),
)
def seb_applicant_response_rate(ctx: Context) -> Produced:
    """Applications answering each question ÷ applications in the year."""
    return response_rates(ctx, "applications", "seb.applicant_response_rate", "applicants")


# --- Workforce profile and the class ceiling ------------------------------------------------


def class_table(ctx: Context) -> pl.DataFrame:
    """The SEB profile by band and over all bands, published (one table, suppressed once).

    ``seb.profile`` (its ``all`` cells), ``seb.profile_by_band`` (its band cells) and
    ``representation.seb`` (the whole table) are the same counts: taking all three from this
    one suppressed table keeps every withheld count withheld in each. (A part may need more
    withheld on its own lines, e.g. a group's bands without its ``all`` cell: it is
    suppressed again, which only ever withholds more.)
    """
    return published_table(ctx, SEB)


def _line(axis: str) -> pl.Expr:
    """The value of the ``axis`` breakdown of each result (null when it has none)."""
    item = pl.element()
    return (
        pl.col("breakdown")
        .list.eval(item.filter(item.struct.field("name") == axis).struct.field("value"))
        .list.first()
    )


@indicator(
    "seb.profile",
    "Socio-economic background of the workforce (% of staff answering)",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "seb_parent_occupation"),),
)
def seb_profile(ctx: Context) -> Produced:
    """Professional / intermediate / lower as % of staff answering the parental occupation."""
    cells = (
        class_table(ctx)
        .filter(_line("pay_band") == ALL)
        .with_columns(
            pl.lit("seb.profile").alias("id"),
            pl.lit("Socio-economic background of the workforce (% of staff answering)").alias(
                "title"
            ),
            pl.lit(METHOD).alias("method"),
            pl.lit([], dtype=BREAKDOWN).alias("breakdown"),
        )
    )
    return published_frame(cells, ctx.settings.table_threshold)


@indicator(
    "seb.profile_by_band",
    "Socio-economic background by pay band (the class ceiling)",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "seb_parent_occupation"),),
)
def seb_profile_by_band(ctx: Context) -> Produced:
    """The profile within each pay band (bands in Agenda for Change order)."""
    band = _line("pay_band")
    cells = (
        class_table(ctx)
        .filter(band.is_null() | (band != ALL))
        .with_columns(
            pl.lit("seb.profile_by_band").alias("id"),
            pl.lit(
                "Socio-economic background by pay band (% of staff answering in the band)"
            ).alias("title"),
            pl.lit(METHOD).alias("method"),
        )
    )
    return published_frame(cells, ctx.settings.table_threshold)


def _question_profile(ctx: Context, name: str) -> Produced:
    q = QUESTION[name]
    counts = (
        staff_counts(ctx)
        .group_by("org_code", "period", pl.col(name).alias("group"))
        .agg(pl.col("count").sum())
    )
    table = share_frame(
        counts,
        id=f"seb.{name}",
        title=f"Staff by {q.title} (% of staff answering)",
        method=METHOD,
        groups=q.groups,
        exclude=(NON_RESPONSE,),
        note=f"non-response ({q.non_response}) left out of the denominator",
    )
    return published_frame(table, ctx.settings.table_threshold)


@indicator(
    "seb.school_type",
    "Type of school attended aged 11-16 (% of staff answering)",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "seb_school_type"),),
)
def seb_school_type(ctx: Context) -> Produced:
    """State / independent / outside the UK, as % of staff answering."""
    return _question_profile(ctx, "school_type")


@indicator(
    "seb.free_school_meals",
    "Eligibility for free school meals (% of staff answering)",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "seb_free_school_meals"),),
)
def seb_free_school_meals(ctx: Context) -> Produced:
    """Yes / no / not applicable, as % of staff answering."""
    return _question_profile(ctx, "free_school_meals")


@indicator(
    "seb.parent_qualification",
    "Highest parental qualification by age 18 (% of staff answering)",
    family="seb",
    needs=("staff",),
    method=METHOD,
    columns=(("staff", "seb_parent_qualification"),),
)
def seb_parent_qualification(ctx: Context) -> Produced:
    """Degree / below degree / no formal qualifications, as % of staff answering."""
    return _question_profile(ctx, "parent_qualification")


# --- Recruitment: the funnel and appointment from shortlisting ------------------------------


def stage_counts(ctx: Context) -> pl.DataFrame:
    """Applications by SEB group at each stage (``stage``, ``group``, ``count``).

    Applied: every application; shortlisted: ``shortlisted``; appointed: appointed *and*
    shortlisted (appointment from shortlisting, as WRES 2 counts it).
    """
    wide = funnel_stages(ctx, "seb")
    return wide.unpivot(
        on=list(STAGES),
        index=["org_code", "period", "group"],
        variable_name="stage",
        value_name="count",
    )


def funnel_table(counts: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """The funnel shares, published (suppressed)."""
    table = share_frame(
        counts,
        id="seb.funnel",
        title="Socio-economic background of applicants at each recruitment stage "
        "(% of applications answering)",
        method=METHOD,
        groups=SEB_GROUPS,
        exclude=(NON_RESPONSE,),
        axis="stage",
        order=STAGES,
        note=SEB_NOTE,
    )
    return published_frame(table, threshold)


def _funnel(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stage counts and the published funnel, once per run (``seb.funnel`` and
    ``seb.appointment`` both use them)."""

    def compute() -> tuple[pl.DataFrame, pl.DataFrame]:
        counts = stage_counts(ctx)
        return counts, funnel_table(counts, ctx.settings.table_threshold)

    return ctx.memo("seb.funnel", compute)


@indicator(
    "seb.funnel",
    "Socio-economic background along the recruitment funnel (applied, shortlisted, appointed)",
    family="seb",
    needs=("applications",),
    method=METHOD,
    columns=(("applications", "seb_parent_occupation"),),
)
def seb_funnel(ctx: Context) -> Produced:
    """Share of each SEB group among applications answering, at each stage."""
    return _funnel(ctx)[1]


APPOINTMENT_TITLE = (
    "Relative likelihood of applicants from a professional background being appointed from "
    "shortlisting compared to applicants from a lower socio-economic background"
)


@indicator(
    "seb.appointment",
    APPOINTMENT_TITLE,
    family="seb",
    needs=("applications",),
    method=METHOD,
    columns=(("applications", "seb_parent_occupation"),),
    wording=APPOINTED,
)
def seb_appointment(ctx: Context) -> list[Result]:
    """Appointed ÷ shortlisted by SEB group, and professional ÷ lower (WRES 2 direction).

    Each figure republishes funnel counts (shortlisted and appointed), so it is withheld
    whenever one of those funnel cells is.
    """
    counts, table = _funnel(ctx)
    hidden = _hidden(table, "stage")
    stage, count = pl.col("stage"), pl.col("count")
    rates = (  # appointed and shortlisted side by side (the stage counts are never null)
        counts.lazy()
        .filter(pl.col("group") != NON_RESPONSE)
        .group_by("org_code", "period", "group", maintain_order=True)
        .agg(
            count.filter(stage == "appointed").sum().alias("events"),
            count.filter(stage == "shortlisted").sum().alias("total"),
        )
        .filter(pl.col("total") > 0)
        .collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())
    )
    if rates.is_empty():
        return []
    method = f"{METHOD}; ratio as NHS England WRES technical guidance, indicator 2"
    order = {g: i for i, g in enumerate(SEB_GROUPS)}
    by_group = sorted(
        rate_results(
            rates, id="seb.appointment", title="Appointment from shortlisting", method=method
        ),
        key=lambda r: (r.org, r.period, order.get(r.group or "", len(order))),
    )
    ratio = likelihood_results(
        rates,
        id="seb.appointment",
        title=APPOINTMENT_TITLE,
        method=method,
        first=PROFESSIONAL,
        second=LOWER,
        note="professional ÷ lower: above 1 means applicants from a professional background "
        "are more likely to be appointed",
    )
    return [
        *(withhold_with(r, _stage_cells(r, [r.group or ""]), hidden) for r in by_group),
        *(withhold_with(r, _stage_cells(r, [PROFESSIONAL, LOWER]), hidden) for r in ratio),
    ]


def _hidden(table: pl.DataFrame, axis: str) -> set[tuple[str, int, str, str]]:
    """The cells of a published table that are withheld (as ``hidden_cells`` gives them)."""
    withheld = table.filter(pl.col("suppressed")).select(
        "org", "period", pl.col("group").fill_null(""), _line(axis).fill_null("")
    )
    return {(org, int(period), group, line) for org, period, group, line in withheld.iter_rows()}


def _stage_cells(result: Result, groups: list[str]) -> list[tuple[str, int, str, str]]:
    """The funnel cells (shortlisted and appointed) of ``groups`` a figure republishes."""
    return [
        (result.org, result.period, g, stage)
        for g in groups
        for stage in ("shortlisted", "appointed")
    ]
