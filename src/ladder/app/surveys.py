"""The socio-economic background staff survey: an organisation opens a survey; staff answer
anonymously through its link (no account); results are shown only as protected aggregates.

- The four questions of the Social Mobility Commission, worded as its employer toolkit words
  them (/work/shared/METHODS.md, "Socio-economic background"), with the answer codes of
  :mod:`ladder.codes`, plus optional ethnicity, disability and pay band (the class ceiling).
- A response is never linked to an identity: no account, no address, only the day (no time);
  its id is random, so the order of rows tells nothing. A survey is anonymous when opened, and
  anonymity cannot be switched off once it has responses.
- Results are aggregates protected as one two-way table per question and breakdown (group ×
  answer, with both margins): counts below the threshold are withheld, then further cells so
  that no row or column of any table has a single withheld cell, and the answer totals are
  withheld alike in every breakdown of the question, so no group's answer is found by
  subtracting the others (:func:`protect`).
- The answers feed the SEB indicators: :func:`indicator_results` turns the responses into the
  ``seb_*`` staff fields the indicator engine reads and runs the ``seb.*`` indicators.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from ladder.app.access import Forbidden, NotFound, Scope
from ladder.app.errors import UsageError
from ladder.codes import (
    FREE_SCHOOL_MEALS,
    PARENT_QUALIFICATIONS,
    PAY_BANDS,
    SCHOOL_TYPES,
    SEB_GROUP,
    SEB_PARENT_OCCUPATIONS,
)
from ladder.metrics import Result
from ladder.store import Workspace
from ladder.store.audit import record
from ladder.store.models import SurveyResponseRow, SurveyRow

THRESHOLD = 10
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Question:
    """One question: its field, exact wording, hint, and (code, label) options."""

    name: str
    text: str
    options: tuple[tuple[str, str], ...]
    hint: str = ""
    required: bool = True


OCCUPATION_EXAMPLES = {
    1: "for example: teacher, nurse, physiotherapist, social worker, musician, police officer "
    "(sergeant or above), software designer, accountant, solicitor, medical practitioner, "
    "scientist, civil or mechanical engineer",
    2: "for example: finance manager, chief executive, large business owner, office manager, "
    "retail manager, bank manager, restaurant manager, warehouse manager",
    3: "for example: secretary, personal assistant, call centre agent, clerical worker, "
    "nursery nurse",
    4: "for example: motor mechanic, plumber, printer, electrician, gardener, train driver",
    5: "for example: postal worker, machine operative, security guard, caretaker, farm worker, "
    "catering assistant, sales assistant, HGV driver, cleaner, porter, packer, labourer, "
    "waiter or waitress, bar staff",
    6: "claimed Jobseeker's Allowance or earlier unemployment benefit for more than a year",
    7: "for example: corner shop owner, small plumbing company, retail shop owner, single "
    "restaurant or cafe owner, taxi owner, garage owner",
    8: "for example: retired, this question does not apply to me, I don't know",
}

SCHOOL_LABELS = {
    "state": "A state-run or state-funded school",
    "independent": "Independent or fee-paying school",
    "outside_uk": "Attended school outside the UK",
    "dont_know": "I don't know",
    "prefer_not_to_say": "I prefer not to say",
}
FSM_LABELS = {
    "yes": "Yes",
    "no": "No",
    "not_applicable": "Not applicable (finished school before 1980 or went to school overseas)",
    "dont_know": "I don't know",
    "prefer_not_to_say": "I prefer not to say",
}
QUALIFICATION_LABELS = {
    "degree": "Degree level or above (for example a first or higher degree, a postgraduate "
    "diploma, NVQ/SVQ level 4 or 5, MA, MSc, MPhil, PhD)",
    "below_degree": "Qualifications below degree level (for example A level, GCSE, O level, "
    "NVQ/SVQ, BTEC)",
    "no_formal": "No formal qualifications",
    "dont_know": "I don't know",
    "prefer_not_to_say": "I prefer not to say",
}

QUESTIONS: tuple[Question, ...] = (
    Question(
        "parent_occupation",
        "What was the occupation of your main household earner when you were about aged 14?",
        tuple(
            (
                str(code),
                label + (f" ({OCCUPATION_EXAMPLES[code]})" if code in OCCUPATION_EXAMPLES else ""),
            )
            for code, label in SEB_PARENT_OCCUPATIONS.items()
        ),
        "Think of the person who had the highest income in your household.",
    ),
    Question(
        "school_type",
        "Which type of school did you attend for the most time between the ages of 11 and 16?",
        tuple((c, SCHOOL_LABELS[c]) for c in SCHOOL_TYPES),
    ),
    Question(
        "free_school_meals",
        "If you finished school after 1980, were you eligible for free school meals at any "
        "point during your school years?",
        tuple((c, FSM_LABELS[c]) for c in FREE_SCHOOL_MEALS),
        "Free school meals are a statutory benefit available to school-aged children from "
        "families who receive other qualifying benefits.",
    ),
    Question(
        "parent_qualification",
        "What is the highest level of qualification achieved by either of your parent(s) or "
        "guardian(s) by the time you were 18?",
        tuple((c, QUALIFICATION_LABELS[c]) for c in PARENT_QUALIFICATIONS),
        "Degree level: a first or higher degree, a postgraduate diploma, NVQ/SVQ level 4 or 5. "
        "Below degree level: A level, GCSE, O level, NVQ/SVQ, BTEC.",
    ),
)
SMC_QUESTIONS = tuple(q.name for q in QUESTIONS)

ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other", "Prefer not to say")
DISABILITY = ("Yes", "No", "Prefer not to say")
OPTIONAL: tuple[Question, ...] = (
    Question(
        "ethnicity",
        "What is your ethnic group?",
        tuple((g, g) for g in ETHNIC_GROUPS),
        "Optional.",
        required=False,
    ),
    Question(
        "disability",
        "Do you consider yourself to have a disability or long-term condition?",
        tuple((d, d) for d in DISABILITY),
        "Optional.",
        required=False,
    ),
    Question(
        "pay_band",
        "What is your pay band or grade?",
        tuple((b, b) for b in PAY_BANDS),
        "Optional: it lets the organisation see whether background differs by seniority.",
        required=False,
    ),
)
BREAKDOWNS = tuple(q.name for q in OPTIONAL)
QUESTION = {q.name: q for q in (*QUESTIONS, *OPTIONAL)}


class SurveyClosed(Exception):
    """The survey is closed, or the link is unknown (the two look the same)."""


@dataclass(frozen=True)
class Survey:
    id: int
    org: str
    token: str
    title: str
    anonymous: bool
    opened_on: str
    closed_on: str | None
    responses: int

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def link(self) -> str:
        return f"/s/{self.token}"


def _may_manage(access: Scope) -> None:
    if access.user.role.value not in ("analyst", "admin"):
        raise Forbidden(f"a {access.user.role} may not run staff surveys")


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _survey(row: SurveyRow, responses: int) -> Survey:
    return Survey(
        id=row.id,
        org=row.org_code,
        token=row.token,
        title=row.title,
        anonymous=row.anonymous,
        opened_on=row.opened_on.isoformat(),
        closed_on=None if row.closed_on is None else row.closed_on.isoformat(),
        responses=responses,
    )


def _count(session: object, survey_id: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return int(
        session.scalar(
            select(func.count())
            .select_from(SurveyResponseRow)
            .where(SurveyResponseRow.survey_id == survey_id)
        )
        or 0
    )


def surveys(ws: Workspace, access: Scope) -> list[Survey]:
    """The surveys of ``access.org``, newest first (analysts and admins)."""
    _may_manage(access)
    with ws.session() as session:
        rows = session.scalars(
            select(SurveyRow).where(SurveyRow.org_code == access.org).order_by(SurveyRow.id.desc())
        )
        return [_survey(r, _count(session, r.id)) for r in rows]


def survey(ws: Workspace, access: Scope, survey_id: int) -> Survey:
    found = next((s for s in surveys(ws, access) if s.id == survey_id), None)
    if found is None:
        raise NotFound(str(survey_id))
    return found


def open_survey(ws: Workspace, access: Scope, title: str) -> Survey:
    """Open a new anonymous survey of ``access.org``; its link is the only way to answer."""
    _may_manage(access)
    title = title.strip()[:200] or "Socio-economic background of our staff"
    with ws.session.begin() as session:
        row = SurveyRow(
            org_code=access.org,
            token=secrets.token_urlsafe(24),
            title=title,
            anonymous=True,
            opened_on=datetime.now(UTC).date(),
            created_by=access.user.email,
        )
        session.add(row)
        session.flush()
        record(session, access.user.email, "survey_opened", f"{access.org}: survey {row.id}")
        return _survey(row, 0)


def close_survey(ws: Workspace, access: Scope, survey_id: int) -> Survey:
    _may_manage(access)
    with ws.session.begin() as session:
        row = _own(session, access, survey_id)
        row.closed_on = datetime.now(UTC).date()
        record(session, access.user.email, "survey_closed", f"{access.org}: survey {row.id}")
        return _survey(row, _count(session, row.id))


def set_anonymous(ws: Workspace, access: Scope, survey_id: int, anonymous: bool) -> Survey:
    """Switch a survey's anonymity: switching it off is refused once it has responses (and
    responses are never linked to an identity in any case)."""
    _may_manage(access)
    with ws.session.begin() as session:
        row = _own(session, access, survey_id)
        if not anonymous and row.anonymous and _count(session, row.id):
            raise UsageError("anonymity cannot be switched off once a survey has responses")
        row.anonymous = anonymous
        record(
            session,
            access.user.email,
            "survey_anonymity",
            f"{access.org}: survey {row.id} anonymous={anonymous}",
        )
        return _survey(row, _count(session, row.id))


def _own(session: object, access: Scope, survey_id: int) -> SurveyRow:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    row = session.get(SurveyRow, survey_id)
    if row is None or row.org_code != access.org:
        raise NotFound(str(survey_id))
    return row


def by_link(ws: Workspace, token: str) -> Survey:
    """The open survey behind a link, or :class:`SurveyClosed` (unknown looks the same)."""
    with ws.session() as session:
        row = session.scalars(select(SurveyRow).where(SurveyRow.token == token[:64])).first()
        if row is None or row.closed_on is not None:
            raise SurveyClosed(token)
        return _survey(row, 0)


def check_answers(answers: Mapping[str, str]) -> tuple[dict[str, str | None], list[str]]:
    """The answers kept (each one of its options, or None) and the names of the required
    questions left unanswered or answered with something not offered."""
    kept: dict[str, str | None] = {}
    missing = []
    for q in (*QUESTIONS, *OPTIONAL):
        value = (answers.get(q.name) or "").strip()
        codes = {c for c, _ in q.options}
        if value in codes:
            kept[q.name] = value
        else:
            kept[q.name] = None
            if q.required:
                missing.append(q.name)
    return kept, missing


def answer(ws: Workspace, token: str, answers: Mapping[str, str]) -> None:
    """Store one anonymous response to the survey behind ``token``: only the answers and the
    day. Raises :class:`SurveyClosed`, or :class:`UsageError` when a required question is
    unanswered."""
    found = by_link(ws, token)
    kept, missing = check_answers(answers)
    if missing:
        raise UsageError("answer every question (or choose 'I prefer not to say')")
    occupation = kept["parent_occupation"]
    with ws.session.begin() as session:
        session.add(
            SurveyResponseRow(
                id=secrets.token_hex(16),
                survey_id=found.id,
                answered_on=datetime.now(UTC).date(),
                parent_occupation=None if occupation is None else int(occupation),
                school_type=kept["school_type"],
                free_school_meals=kept["free_school_meals"],
                parent_qualification=kept["parent_qualification"],
                ethnicity=kept["ethnicity"],
                disability=kept["disability"],
                pay_band=kept["pay_band"],
            )
        )


def _responses(ws: Workspace, survey_id: int) -> list[dict[str, str]]:
    with ws.session() as session:
        rows = session.scalars(
            select(SurveyResponseRow).where(SurveyResponseRow.survey_id == survey_id)
        )
        return [
            {
                q.name: (str(v) if (v := getattr(r, q.name)) is not None else NOT_GIVEN)
                for q in (*QUESTIONS, *OPTIONAL)
            }
            for r in rows
        ]


# --------------------------------------------------------------------------- protection


@dataclass
class Table:
    """Counts of one question (columns) by one breakdown (rows), with margins; ``hidden``
    marks what is withheld (keys: (row, col), (row, None) row totals, (None, col) column
    totals)."""

    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str | None, str | None], int]
    hidden: set[tuple[str | None, str | None]] = field(default_factory=set)

    @property
    def present_rows(self) -> list[str]:
        """The groups anybody answered in (an empty group's zeros are not shown)."""
        return [r for r in self.rows if self.cells.get((r, None), 0) > 0]

    def shown(self, row: str | None, col: str | None) -> int | None:
        return None if (row, col) in self.hidden else self.cells.get((row, col), 0)


SEB_COLUMNS: dict[str, str] = {
    "professional": "Professional background (options 1 and 2)",
    "intermediate": "Intermediate background (options 3 and 7)",
    "lower": "Lower socio-economic background (options 4, 5 and 6)",
    "non_response": "Other, don't know or prefer not to say (options 8 and 9)",
}
"""The parental-occupation answers are shown in the Commission's groups (as the SEB
indicators count them): fewer, larger cells than the nine options."""


def _column(question: str, answer: str) -> str:
    if question != "parent_occupation" or answer == NOT_GIVEN:
        return answer
    return SEB_GROUP.get(int(answer)) or "non_response"


def _table(responses: list[dict[str, str]], question: str, by: str | None) -> Table:
    if question == "parent_occupation":
        cols = list(SEB_COLUMNS)
    else:
        cols = [c for c, _ in QUESTION[question].options]
    if not QUESTION[question].required:
        cols.append(NOT_GIVEN)
    rows = [""] if by is None else [c for c, _ in QUESTION[by].options] + [NOT_GIVEN]
    cells: Counter[tuple[str | None, str | None]] = Counter()
    for r in responses:
        group = "" if by is None else r[by]
        answer = _column(question, r[question])
        cells[(group, answer)] += 1
        cells[(group, None)] += 1
        cells[(None, answer)] += 1
    return Table(rows, cols, dict(cells))


def _hide_line(table: Table, keys: list[tuple[str | None, str | None]]) -> bool:
    """If exactly one of ``keys`` (a line whose total is shown) is hidden, hide the smallest
    other non-zero one; True when something changed."""
    hidden = [k for k in keys if k in table.hidden]
    if len(hidden) != 1:
        return False
    others = sorted(
        (k for k in keys if k not in table.hidden and table.cells.get(k, 0) > 0),
        key=lambda k: table.cells.get(k, 0),
    )
    if not others:
        others = [k for k in keys if k not in table.hidden]
    if not others:
        return False
    table.hidden.add(others[0])
    return True


def protect(tables: list[Table], threshold: int) -> None:
    """Withhold, consistently across ``tables`` (the breakdowns of ONE question, which share
    the answer totals): every count from 1 to ``threshold`` - 1; a group whose size is
    withheld, whole; an answer whose total is withheld, in every group; then, until nothing
    changes, a second value in any row, column or margin with exactly one withheld."""
    cols = tables[0].cols
    shared: set[str] = set()
    for t in tables:
        for key, value in t.cells.items():
            if 0 < value < threshold:
                t.hidden.add(key)
    changed = True
    while changed:
        changed = False
        for t in tables:
            shared |= {c for (r, c) in t.hidden if r is None and c is not None}
        for t in tables:
            for c in shared:
                if (None, c) not in t.hidden:
                    t.hidden.add((None, c))
                    changed = True
            for row in t.rows:
                if (row, None) in t.hidden:
                    for c in cols:
                        if (row, c) not in t.hidden:
                            t.hidden.add((row, c))
                            changed = True
            for c in cols:
                if (None, c) in t.hidden:
                    for row in t.rows:
                        if (row, c) not in t.hidden:
                            t.hidden.add((row, c))
                            changed = True
            for row in t.rows:
                if (row, None) not in t.hidden:
                    changed |= _hide_line(t, [(row, c) for c in cols])
            for c in cols:
                if (None, c) not in t.hidden:
                    changed |= _hide_line(t, [(row, c) for row in t.rows])
            changed |= _hide_line(t, [(row, None) for row in t.rows])
            changed |= _hide_line(t, [(None, c) for c in cols])


@dataclass(frozen=True)
class View:
    """The protected tables of one breakdown (None: all respondents)."""

    survey: Survey
    by: str | None
    tables: dict[str, Table]
    total: int | None

    def label(self, question: str, code: str) -> str:
        if question == "parent_occupation":
            return SEB_COLUMNS.get(code, code)
        return dict(QUESTION[question].options).get(code, code)


def results(
    ws: Workspace,
    access: Scope,
    survey_id: int,
    by: str | None = None,
    *,
    threshold: int = THRESHOLD,
) -> View:
    """The survey's answers as protected aggregates, by ``by`` (one of :data:`BREAKDOWNS`) or
    for everyone. Every breakdown of a question is protected together with the others, so
    what one view withholds no other view gives away."""
    found = survey(ws, access, survey_id)
    if by is not None and by not in BREAKDOWNS:
        raise NotFound(by)
    responses = _responses(ws, survey_id)
    protected = _protected(responses, threshold)
    total = len(responses)
    ws.audit.write(
        access.user.email,
        "results_read",
        f"{access.org}: survey {survey_id} aggregates by {by or 'all'}",
    )
    views = {q: protected[q][by] for q in SMC_QUESTIONS}
    return View(found, by, views, total if total >= threshold else None)


def _protected(
    responses: list[dict[str, str]], threshold: int
) -> dict[str, dict[str | None, Table]]:
    """Every question's table under every breakdown (None: everyone), protected together."""
    out: dict[str, dict[str | None, Table]] = {}
    for q in SMC_QUESTIONS:
        tables = {b: _table(responses, q, b) for b in (None, *BREAKDOWNS)}
        protect(list(tables.values()), threshold)
        out[q] = tables
    return out


# --------------------------------------------------------------------------- indicators

ETHNIC_CODES = {"White": "A", "Mixed": "D", "Asian": "H", "Black": "M", "Other": "S"}


def response_frame(ws: Workspace, access: Scope, survey_id: int) -> object:
    """The responses as canonical staff rows (a Polars frame): the ``seb_*`` fields the SEB
    indicators read, with the optional pay band, ethnicity and disability; pseudonymous ids; the
    snapshot is the day the survey opened (so the period is its reporting year)."""
    import polars as pl

    found = survey(ws, access, survey_id)
    snapshot = date.fromisoformat(found.opened_on)
    rows = _responses(ws, survey_id)

    def given(value: str) -> str | None:
        return None if value in (NOT_GIVEN, "Prefer not to say") else value

    return pl.DataFrame(
        {
            "staff_id": [f"SURVEY-{i:06d}" for i in range(len(rows))],
            "org_code": [access.org] * len(rows),
            "pay_band": [given(r["pay_band"]) for r in rows],
            "snapshot_date": [snapshot] * len(rows),
            "ethnic_category": [ETHNIC_CODES.get(r["ethnicity"]) for r in rows],
            "disability": [{"Yes": True, "No": False}.get(r["disability"]) for r in rows],
            "seb_parent_occupation": [
                int(r["parent_occupation"]) if r["parent_occupation"] != NOT_GIVEN else None
                for r in rows
            ],
            "seb_school_type": [given(r["school_type"]) for r in rows],
            "seb_free_school_meals": [given(r["free_school_meals"]) for r in rows],
            "seb_parent_qualification": [given(r["parent_qualification"]) for r in rows],
        },
        schema_overrides={
            "seb_parent_occupation": pl.Int64,
            "snapshot_date": pl.Date,
            "pay_band": pl.String,
            "ethnic_category": pl.String,
            "disability": pl.Boolean,
        },
    )


def indicator_results(
    ws: Workspace, access: Scope, survey_id: int, *, threshold: int = THRESHOLD
) -> list[Result]:
    """The ``seb.*`` indicators of the survey's responses, by the indicator engine (with its
    suppression): the same figures as staff records with these answers would give."""
    import polars as pl

    from ladder.metrics import Settings, run
    from ladder.metrics.inputs import load_frames

    frame = response_frame(ws, access, survey_id)
    assert isinstance(frame, pl.DataFrame)
    if frame.is_empty():
        return []
    loaded = load_frames({"staff": frame}, settings=Settings(threshold=threshold))
    try:
        ran = run(loaded.context, ids=["seb.response_rate", "seb.profile", "seb.profile_by_band"])
    finally:
        loaded.close()
    figures = [r for r in ran.results if not r.breakdown or "pay_band" in r.breakdown]
    return protect_indicators(figures, _protected(_responses(ws, survey_id), threshold))


WITHHELD_WITH_TABLES = "withheld with the survey's tables (counts they withhold)"


def protect_indicators(
    figures: list[Result], protected: Mapping[str, Mapping[str | None, Table]]
) -> list[Result]:
    """The SEB indicator ``figures`` published beside the survey's ``protected`` tables, as ONE
    publication: a figure is shown only when every count it is made of (its numerator and
    denominator are sums of them) is shown in the tables, so the figures add nothing to what
    the tables show. (Otherwise e.g. a response rate, the answer totals less "don't know" and
    "prefer not to say", minus the shown totals, gives away a withheld small answer total.)"""
    po = protected["parent_occupation"]

    def line_shown(table: Table, rows: list[str]) -> bool:
        return all(
            (r, c) not in table.hidden and (r, None) not in table.hidden
            for r in rows
            for c in table.cols
        )

    out = []
    for r in figures:
        if r.id == "seb.response_rate":
            shown = line_shown(protected[r.group or ""][None], [""])
        elif r.id == "seb.profile":
            shown = line_shown(po[None], [""])
        elif r.id == "seb.profile_by_band":
            band = r.breakdown.get("pay_band", "")
            table = po["pay_band"]
            rows = [row for row in table.rows if _indicator_band(row) == band]
            shown = bool(rows) and line_shown(table, rows)
        else:
            shown = False
        out.append(r if shown or r.suppressed else r.suppress(WITHHELD_WITH_TABLES))
    return out


def _indicator_band(row: str) -> str:
    """The pay band the indicator engine files a survey row under (no band: "Not known")."""
    return row if row in PAY_BANDS else "Not known"


@dataclass(frozen=True)
class IndicatorRow:
    figure: str
    group: str
    value: str
    counts: str


def indicator_rows(
    ws: Workspace, access: Scope, survey_id: int, *, threshold: int = THRESHOLD
) -> list[IndicatorRow]:
    """:func:`indicator_results` as words (withheld figures read "withheld")."""
    from ladder.metrics.formatting import counts_text, number

    return [
        IndicatorRow(
            figure=r.title + "".join(f" ({v})" for v in r.breakdown.values()),
            group=r.group or "",
            value="withheld" if r.suppressed else number(r.value, r.unit),
            counts="" if r.suppressed else counts_text(r),
        )
        for r in indicator_results(ws, access, survey_id, threshold=threshold)
    ]
