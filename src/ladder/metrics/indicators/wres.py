"""WRES: the Workforce Race Equality Standard indicators (NHS England technical guidance).

Groups: White (ethnic codes A-C) and BME (D-S); Unknown (Z, not known) is excluded from
every ratio and reported as its own count. Ratios: WRES 2 White ÷ BME; WRES 3 BME ÷ White;
WRES 4 White ÷ BME (METHODS.md).

Each indicator is a declaration: its id, title, method, wording and the block of the shared
kit (:mod:`ladder.metrics.kit`: the workforce at the snapshot, representation by band and
cluster, appointment from shortlisting, entry to formal processes over a window of years,
staff-survey percentages, the board difference) it applies to the ethnic grouping. The
WDES family applies the same blocks to disability. docs/methods/wres-wdes.md records every
choice.
"""

from __future__ import annotations

from collections.abc import Callable

import narwhals as nw

from ladder.metrics.context import Context
from ladder.metrics.expressions import BME, WHITE
from ladder.metrics.kit import (
    ETHNICITY,
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
    training_access,
    with_group,
    workforce,
)
from ladder.metrics.kit.processes import DISCIPLINARY, TRAINING
from ladder.metrics.kit.recruitment import APPOINTED
from ladder.metrics.registry import Produced, Wording, indicator
from ladder.metrics.table import combine

GUIDANCE = "NHS England, Workforce Race Equality Standard technical guidance"
KEYS = ("org_code", "period")
INCOMPLETE_WINDOW = "incomplete_window"


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
"""WRES 5-8 → Ladder's staff-survey question ids (the 2022 questionnaire's numbers, as
``ladder synth`` writes them). Files in another year's numbering are mapped to these ids on
validation (:mod:`ladder.normalise.survey_questions`; docs/validation.md).
"""


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
def wres_1(ctx: Context) -> Produced:
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
    wording=APPOINTED,
)
def wres_2(ctx: Context) -> Produced:
    """Appointed ÷ shortlisted by group, applications in the reporting year."""
    counts = appointment_from_shortlisting(ctx, "ethnicity")
    method = _method(2)
    notes = {
        (org, p): f"applications in the 12 months to {march(p)}" for org, p in period_keys(counts)
    }
    return combine(
        rates(
            counts, id="wres.2", title="Appointment from shortlisting", method=method, notes=notes
        ),
        likelihoods(
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
    )


@indicator(
    "wres.3",
    "Relative likelihood of BME staff entering the formal disciplinary process compared to "
    "White staff",
    family="wres",
    needs=("staff", "cases"),
    method=_method(3),
    wording=DISCIPLINARY,
)
def wres_3(ctx: Context) -> Produced:
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


@indicator(
    "wres.4",
    "Relative likelihood of White staff accessing non-mandatory training and CPD compared to "
    "BME staff",
    family="wres",
    needs=("staff", "training"),
    method=_method(4),
    wording=TRAINING,
)
def wres_4(ctx: Context) -> Produced:
    """Staff in the snapshot with a non-mandatory training event in the year ÷ headcount.

    A period is reported only when the training dataset has rows for staff in the snapshot.
    """
    staff = with_group(workforce(ctx), ETHNICITY)
    counts, notes = training_access(ctx, staff)
    what = "staff accessing non-mandatory training or CPD"
    method = _method(4)
    return combine(
        rates(
            counts,
            id="wres.4",
            title="Staff accessing non-mandatory training and CPD (% of headcount)",
            method=method,
            notes=notes,
        ),
        likelihoods(
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
    )


def _survey_indicator(n: int, title: str, event: str) -> Callable[[Context], Produced]:
    id = f"wres.{n}"
    items = WRES_SURVEY[id]
    questions = ", ".join(q for item in items for q in item.questions)
    method = _method(n, f" (NHS Staff Survey, {questions})")

    def compute(ctx: Context) -> Produced:
        return survey_results(ctx, ETHNICITY, items, id=id, title=title, method=method)

    compute.__doc__ = f"WRES {n}: % of White and BME respondents who {items[0].wording}."
    wording = Wording("staff", event)
    indicator(id, title, family="wres", needs=("survey",), method=method, wording=wording)(compute)
    return compute


wres_5 = _survey_indicator(
    5,
    "Percentage of staff experiencing harassment, bullying or abuse from patients, "
    "relatives or the public in the last 12 months",
    "experienced harassment, bullying or abuse from patients, relatives or the public in the "
    "last 12 months",
)
wres_6 = _survey_indicator(
    6,
    "Percentage of staff experiencing harassment, bullying or abuse from staff in the last "
    "12 months",
    "experienced harassment, bullying or abuse from staff in the last 12 months",
)
wres_7 = _survey_indicator(
    7,
    "Percentage of staff believing that the trust provides equal opportunities for career "
    "progression or promotion",
    "believed that the trust provides equal opportunities for career progression or promotion",
)
wres_8 = _survey_indicator(
    8,
    "Percentage of staff personally experiencing discrimination at work from a manager, "
    "team leader or other colleagues in the last 12 months",
    "personally experienced discrimination at work from a manager, team leader or other "
    "colleagues in the last 12 months",
)


@indicator(
    "wres.9",
    "Percentage difference between the board's voting membership and its overall workforce, "
    "by ethnic group",
    family="wres",
    needs=("staff",),
    method=_method(9),
)
def wres_9(ctx: Context) -> Produced:
    """Board (all, voting, executive) % of each ethnic group minus the workforce %."""
    return board_difference(
        ctx,
        ETHNICITY,
        id="wres.9",
        title="Board membership minus overall workforce, by ethnic group (percentage points)",
        method=_method(9),
    )
