"""WDES: the Workforce Disability Equality Standard metrics (NHS England technical guidance).

Groups: Disabled / Non-disabled (the ESR disability flag, or the staff survey's long-term
condition question) and Unknown (not declared), which is excluded from every ratio and
reported as its own count. Ratios: WDES 2 non-disabled ÷ disabled; WDES 3 disabled ÷
non-disabled (METHODS.md). Each metric is a declaration over a block of the shared kit
(:mod:`ladder.metrics.kit`), the same blocks WRES applies to ethnicity.

Not computable from Ladder's datasets (docs/methods/wres-wdes.md): metric 4b (reporting
harassment, a question not in the survey dataset), 9a (the staff engagement score, built
from nine questions not collected) and 9b (narrative).
"""

from __future__ import annotations

from collections.abc import Callable

import narwhals as nw
import polars as pl

from ladder.metrics.context import Context
from ladder.metrics.expressions import DISABLED, NON_DISABLED, UNKNOWN
from ladder.metrics.kit import (
    DISABILITY,
    WORKFORCE_NOTE,
    SurveyItem,
    appointment_from_shortlisting,
    board_difference,
    entering_process,
    likelihoods,
    march,
    period_keys,
    rates,
    representation,
    survey_results,
    workforce_counts,
)
from ladder.metrics.kit.recruitment import APPOINTED
from ladder.metrics.registry import Produced, Wording, indicator
from ladder.metrics.table import combine

KEYS = ("org_code", "period")
GUIDANCE = "NHS England, Workforce Disability Equality Standard technical guidance"
CAPABILITY = Wording(
    "staff",
    "entered the formal capability process on grounds of performance",
    likely="enter the formal capability process on grounds of performance",
)


def _method(metric: str, extra: str = "") -> str:
    return f"{GUIDANCE}, metric {metric}{extra}"


WDES_SURVEY: dict[str, tuple[SurveyItem, ...]] = {
    "wdes.4": (
        SurveyItem(
            ("q14a",),
            "experienced harassment, bullying or abuse from patients/service users, their "
            "relatives or other members of the public in the last 12 months",
            breakdown=(("from", "patients_public"),),
        ),
        SurveyItem(
            ("q14b",),
            "experienced harassment, bullying or abuse from managers in the last 12 months",
            breakdown=(("from", "managers"),),
        ),
        SurveyItem(
            ("q14c",),
            "experienced harassment, bullying or abuse from other colleagues in the last 12 months",
            breakdown=(("from", "colleagues"),),
        ),
    ),
    "wdes.5": (
        SurveyItem(
            ("q15",),
            "believe the organisation provides equal opportunities for career progression or "
            "promotion",
        ),
    ),
    "wdes.6": (
        SurveyItem(
            ("q11e",),
            "felt pressure from their manager to come to work when not feeling well enough to "
            "perform their duties",
        ),
    ),
    "wdes.7": (
        SurveyItem(
            ("q4b",),
            "are satisfied with the extent to which the organisation values their work",
        ),
    ),
    "wdes.8": (
        SurveyItem(
            ("q30b",),
            "say their employer has made adequate adjustment(s) to enable them to carry out "
            "their work",
            only=DISABLED,
        ),
    ),
}
"""WDES 4-8 → Ladder's staff-survey question ids (the 2022 questionnaire's numbers, as
``ladder synth`` writes them); each year's own numbering is mapped to them on validation
(:mod:`ladder.normalise.survey_questions`)."""


@indicator(
    "wdes.1",
    "Percentage of staff in each AfC band, VSM and medical grade, by disability, compared "
    "with the overall workforce",
    family="wdes",
    needs=("staff",),
    method=_method("1"),
)
def wdes_1(ctx: Context) -> Produced:
    """Headcount by cluster × band × Disabled/Non-disabled/Unknown (as WRES 1)."""
    return representation(
        ctx,
        DISABILITY,
        id="wdes.1",
        title="Staff in each band by disability (% of the band)",
        method=_method("1"),
    )


@indicator(
    "wdes.2",
    "Relative likelihood of non-disabled applicants being appointed from shortlisting "
    "compared to disabled applicants",
    family="wdes",
    needs=("applications",),
    method=_method("2"),
    wording=APPOINTED,
)
def wdes_2(ctx: Context) -> Produced:
    """Appointed ÷ shortlisted by disability, applications in the reporting year."""
    counts = appointment_from_shortlisting(ctx, "disability")
    method = _method("2")
    notes = {
        (org, p): f"applications in the 12 months to {march(p)}" for org, p in period_keys(counts)
    }
    return combine(
        rates(
            counts,
            id="wdes.2",
            title="Appointment from shortlisting",
            method=method,
            notes=notes,
        ),
        likelihoods(
            counts,
            id="wdes.2",
            title="Relative likelihood of non-disabled applicants being appointed from "
            "shortlisting compared to disabled applicants",
            method=method,
            first=NON_DISABLED,
            second=DISABLED,
            what="applicants appointed from shortlisting",
            notes=notes,
        ),
    )


@indicator(
    "wdes.3",
    "Relative likelihood of disabled staff entering the formal capability process on the "
    "grounds of performance compared to non-disabled staff",
    family="wdes",
    needs=("staff", "cases"),
    method=_method("3"),
    wording=CAPABILITY,
)
def wdes_3(ctx: Context) -> Produced:
    """Distinct staff entering formal capability (performance) in the window ÷ headcount."""
    return entering_process(
        ctx,
        DISABILITY,
        cases=(nw.col("case_type") == "capability")
        & (nw.col("capability_reason") == "performance"),
        years=ctx.settings.capability_years,
        first=DISABLED,
        second=NON_DISABLED,
        id="wdes.3",
        title="Relative likelihood of disabled staff entering the formal capability process "
        "(performance) compared to non-disabled staff",
        rate_title="Staff entering the formal capability process on the grounds of "
        "performance (% of headcount)",
        method=_method("3"),
        what="staff entering the formal capability process (performance)",
    )


def _survey_indicator(metric: str, title: str, event: str) -> Callable[[Context], Produced]:
    id = f"wdes.{metric}"
    items = WDES_SURVEY[id]
    questions = ", ".join(q for item in items for q in item.questions)
    method = _method(metric, f" (NHS Staff Survey, {questions})")

    def compute(ctx: Context) -> Produced:
        return survey_results(ctx, DISABILITY, items, id=id, title=title, method=method)

    compute.__doc__ = f"WDES {metric}: % of disabled and non-disabled respondents ({questions})."
    wording = Wording("staff", event)
    indicator(id, title, family="wdes", needs=("survey",), method=method, wording=wording)(compute)
    return compute


wdes_4 = _survey_indicator(
    "4",
    "Percentage of staff experiencing harassment, bullying or abuse from patients/the public, "
    "managers or other colleagues in the last 12 months",
    "experienced harassment, bullying or abuse from {from} in the last 12 months",
)
wdes_5 = _survey_indicator(
    "5",
    "Percentage of staff believing that the trust provides equal opportunities for career "
    "progression or promotion",
    "believed that the trust provides equal opportunities for career progression or promotion",
)
wdes_6 = _survey_indicator(
    "6",
    "Percentage of staff saying they have felt pressure from their manager to come to work "
    "despite not feeling well enough to perform their duties",
    "felt pressure from their manager to come to work despite not feeling well enough to "
    "perform their duties",
)
wdes_7 = _survey_indicator(
    "7",
    "Percentage of staff satisfied with the extent to which their organisation values their work",
    "were satisfied with the extent to which their organisation values their work",
)
wdes_8 = _survey_indicator(
    "8",
    "Percentage of disabled staff saying their employer has made adequate adjustment(s) to "
    "enable them to carry out their work",
    "said their employer has made adequate adjustment(s) to enable them to carry out their work",
)


@indicator(
    "wdes.10",
    "Percentage difference between the board's voting membership and its overall workforce, "
    "by disability",
    family="wdes",
    needs=("staff",),
    method=_method("10"),
)
def wdes_10(ctx: Context) -> Produced:
    """Board (all, voting, executive) % of each disability group minus the workforce %."""
    return board_difference(
        ctx,
        DISABILITY,
        id="wdes.10",
        title="Board membership minus overall workforce, by disability (percentage points)",
        method=_method("10"),
    )


@indicator(
    "wdes.declaration",
    "Disability declaration rate: percentage of staff whose disability status is recorded",
    family="wdes",
    needs=("staff",),
    method=f"{GUIDANCE}, data (ESR declaration rate)",
)
def wdes_declaration(ctx: Context) -> Produced:
    """Staff with a recorded disability status (yes or no) ÷ headcount."""
    counts = (
        workforce_counts(ctx, DISABILITY)
        .group_by(*KEYS)
        .agg(
            pl.col("count").filter(pl.col("group") != UNKNOWN).sum().alias("events"),
            pl.col("count").sum().alias("total"),
        )
        .with_columns(pl.lit("Declared").alias("group"))
    )
    return rates(
        counts,
        id="wdes.declaration",
        title="Staff who have declared whether they are disabled (% of headcount)",
        method=f"{GUIDANCE}, data (ESR declaration rate)",
        notes={(org, p): WORKFORCE_NOTE.format(date=march(p)) for org, p in period_keys(counts)},
    )
