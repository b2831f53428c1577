"""The shared kit the indicator families are built from: aggregates computed once per run.

Several families read the same people the same way: appointment from shortlisting (WRES 2,
WDES 2, the SEB funnel and SEB appointment) counts the same applications by ethnic group,
disability and socio-economic background. The kit runs one engine query for all of them and
keeps the small table of counts (``Context.memo``); each indicator then only sums the rows it
needs in Polars. Results are identical to a query per indicator: the counts are integers.
"""

from __future__ import annotations

import narwhals as nw
import polars as pl

from ladder.codes import FREE_SCHOOL_MEALS, PARENT_QUALIFICATIONS, SCHOOL_TYPES
from ladder.engines import EngineName
from ladder.metrics.context import Context
from ladder.metrics.expressions import (
    count_true,
    disability_group,
    ethnic_group,
    seb_group,
    to_polars,
)
from ladder.metrics.kit.groupings import disability_label, ethnic_label, seb_label
from ladder.metrics.paygap_method import small_query
from ladder.metrics.registry import Wording

APPOINTED = Wording(
    "applicants", "were appointed from shortlisting", likely="be appointed from shortlisting"
)
"""The wording of appointment from shortlisting (WRES 2, WDES 2, SEB)."""

APPLICATION_LABELS: dict[str, str] = {
    "ethnicity": "WRES ethnic group (White, BME, Unknown)",
    "disability": "Disabled, Non-disabled, Unknown",
    "seb": "socio-economic background from the parental occupation",
}
"""The groupings every application is counted by (column of :func:`application_counts`)."""


RECORDED = ("ethnic_category", "disability", "seb_parent_occupation")
"""The recorded columns the labels of :data:`APPLICATION_LABELS` are read from."""


def substantive(options: tuple[str, ...]) -> tuple[str, ...]:
    """The options of an SMC question that count as an answer (not don't know or prefer
    not to say)."""
    return tuple(o for o in options if o not in ("dont_know", "prefer_not_to_say"))


SEB_ANSWERS: dict[str, tuple[str, ...]] = {
    "seb_school_type": substantive(SCHOOL_TYPES),
    "seb_free_school_meals": substantive(FREE_SCHOOL_MEALS),
    "seb_parent_qualification": substantive(PARENT_QUALIFICATIONS),
}
"""The supporting SEB questions → the answers that count as a response. Each application
answering one is counted in :func:`application_counts` (column ``answered_<question>``)."""


def answered(column: str) -> nw.Expr:
    """True when ``column`` holds one of the answers of :data:`SEB_ANSWERS` (null: false).

    Compared with each answer in turn: the same as ``is_in``, and cheaper on Polars strings.
    """
    answer = nw.lit(False)
    for option in SEB_ANSWERS[column]:
        answer = answer | (nw.col(column) == option)
    return answer.fill_null(False)


FLAGS = ("shortlisted", "appointed", "disability")
"""The recorded yes / no columns of an application (null: not recorded)."""


def _flags_code() -> pl.Expr:
    """The :data:`FLAGS` of an application as one small integer (each 0 false, 1 true or
    2 null, in base 3): the Polars group-by is cheaper on one integer than on three
    nullable booleans."""
    code = pl.col(FLAGS[0]).cast(pl.Int8).fill_null(2)
    for i, flag in enumerate(FLAGS[1:], start=1):
        code = code + pl.col(flag).cast(pl.Int8).fill_null(2) * (3**i)
    return code


def _flags_decoded(code: str) -> list[pl.Expr]:
    """The :data:`FLAGS` read back from the integer of :func:`_flags_code`."""
    digit = [(pl.col(code) // (3**i)) % 3 for i in range(len(FLAGS))]
    return [
        pl.when(d == 2).then(None).otherwise(d == 1).alias(flag)
        for d, flag in zip(digit, FLAGS, strict=True)
    ]


def application_counts(ctx: Context) -> pl.DataFrame:
    """Applications counted by org_code, period, each label of :data:`APPLICATION_LABELS`,
    ``shortlisted`` and ``appointed`` (as recorded, nulls kept): ``count``, and how many of
    them answer each supporting SEB question (``answered_<column>``, :data:`SEB_ANSWERS`).
    One engine query per run, shared by every indicator of the recruitment funnel and the
    applicants' SEB response rates."""

    def compute() -> pl.DataFrame:
        applications = ctx.frame("applications")
        if ctx.engine is EngineName.polars:
            return _polars_counts(applications.to_native())
        # grouped by the recorded values first (the engine's query), then labelled on that
        # small table: the labels are functions of the recorded values
        counted = [
            nw.len().alias("count"),
            *[count_true(answered(c)).alias(f"answered_{c}") for c in SEB_ANSWERS],
        ]
        raw = to_polars(
            applications.group_by("org_code", "period", *RECORDED, "shortlisted", "appointed").agg(
                *counted
            )
        )
        labelled = (
            nw.from_native(raw)
            .with_columns(
                ethnic_group().alias("ethnicity"),
                disability_group().alias("disability"),
                seb_group().alias("seb"),
            )
            .to_native()
        )
        return labelled.group_by(
            "org_code", "period", *APPLICATION_LABELS, "shortlisted", "appointed"
        ).agg(pl.col(*SUMMED).sum())

    return ctx.memo("kit.applications", compute)


SUMMED = ("count", *[f"answered_{c}" for c in SEB_ANSWERS])
"""The counted columns of :func:`application_counts`."""


def _polars_counts(applications: pl.LazyFrame) -> pl.DataFrame:
    """:func:`application_counts` on the Polars engine: one query in native expressions.

    Narwhals' translation of the label expressions costs more than the query's work on
    the small grouped table, and a second query (labelling after collecting) costs a
    collect; the yes / no columns are grouped as one integer (:func:`_flags_code`).
    The labels are the same functions as on the other engines (tests check them equal).
    """
    others = [c for c in RECORDED if c not in FLAGS]
    answers = [_answered_polars(c).cast(pl.Int64).sum().alias(f"answered_{c}") for c in SEB_ANSWERS]
    return (
        applications.group_by("org_code", "period", *others, _flags_code().alias("_flags"))
        .agg(pl.len().cast(pl.Int64).alias("count"), *answers)
        .with_columns(_flags_decoded("_flags"))
        .group_by(
            "org_code",
            "period",
            ethnic_label("ethnic_category").alias("ethnicity"),
            disability_label("disability").alias("disability"),
            seb_label("seb_parent_occupation").alias("seb"),
            "shortlisted",
            "appointed",
        )
        .agg(pl.col(*SUMMED).sum())
        .collect()
    )


def _answered_polars(column: str) -> pl.Expr:
    """:func:`answered` in native Polars."""
    answer = pl.lit(False)
    for option in SEB_ANSWERS[column]:
        answer = answer | (pl.col(column) == option)
    return answer.fill_null(False)


def appointment_from_shortlisting(ctx: Context, label: str) -> pl.DataFrame:
    """Shortlisted applications (``total``) and those appointed (``events``) by org_code,
    period and ``group`` (the ``label`` grouping): the measure of WRES 2 and WDES 2."""
    return small_query(
        application_counts(ctx)
        .lazy()
        .filter(pl.col("shortlisted").fill_null(False))
        .group_by("org_code", "period", pl.col(label).alias("group"))
        .agg(
            pl.col("count").filter(pl.col("appointed").fill_null(False)).sum().alias("events"),
            pl.col("count").sum().alias("total"),
        )
    )


def funnel_stages(ctx: Context, label: str) -> pl.DataFrame:
    """Applications by org_code, period and ``group`` at each stage, wide: ``applied`` (every
    application), ``shortlisted``, ``appointed`` (appointed *and* shortlisted, as WRES 2
    counts it)."""
    shortlisted = pl.col("shortlisted").fill_null(False)
    appointed = shortlisted & pl.col("appointed").fill_null(False)
    return (
        application_counts(ctx)
        .group_by("org_code", "period", pl.col(label).alias("group"))
        .agg(
            pl.col("count").sum().alias("applied"),
            pl.col("count").filter(shortlisted).sum().alias("shortlisted"),
            pl.col("count").filter(appointed).sum().alias("appointed"),
        )
    )
