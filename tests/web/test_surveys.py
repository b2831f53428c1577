"""The socio-economic background staff survey: anonymous answers through a link, protected
aggregates (hand-worked and by property), the SEB indicators fed from the answers."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.app import access, accounts, surveys
from ladder.app.errors import UsageError
from ladder.app.surveys import Table, protect
from tests.web.conftest import ORG_A, client, csrf_of, email, sign_in

FULL = {
    "parent_occupation": "1",
    "school_type": "state",
    "free_school_meals": "no",
    "parent_qualification": "degree",
}


def _scope(app: FastAPI, role: str = "analyst") -> access.Scope:
    ws = app.state.workspace
    user = accounts.token_user(ws, accounts.create_token(ws, email(role)))
    assert user is not None
    return access.scope(ws, user, ORG_A)


def test_the_four_questions_are_the_commissions() -> None:
    texts = [q.text for q in surveys.QUESTIONS]
    assert texts[0] == (
        "What was the occupation of your main household earner when you were about aged 14?"
    )
    assert len(texts) == 4
    occupation = dict(surveys.QUESTIONS[0].options)
    assert list(occupation) == [str(i) for i in range(1, 10)]
    assert occupation["9"] == "I prefer not to say"
    assert occupation["6"].startswith("Long-term unemployed")


def test_staff_answer_anonymously_through_the_link(app: FastAPI) -> None:
    scope = _scope(app)
    survey = surveys.open_survey(app.state.workspace, scope, "Our background")
    staff = client(app)  # no account
    form = staff.get(survey.link)
    assert form.status_code == 200 and "Our background" in form.text
    assert "ladder_session" not in staff.cookies
    # expired form: refused
    expired = staff.post(survey.link, data={**FULL, "csrf_token": "x"})
    assert expired.status_code == 403
    # a question left out: the error summary links to it
    missing = staff.post(
        survey.link, data={**FULL, "school_type": "", "csrf_token": csrf_of(expired.text)}
    )
    assert missing.status_code == 400 and "There is a problem" in missing.text
    assert 'href="#school_type"' in missing.text
    done = staff.post(
        survey.link,
        data={**FULL, "pay_band": "Band 5", "csrf_token": csrf_of(missing.text)},
    )
    assert done.status_code == 200 and "Thank you" in done.text
    with app.state.workspace.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("seb_survey_responses")}
        (row,) = conn.execute(sa.text("select * from seb_survey_responses")).mappings()
    assert not columns & {"user_id", "email", "address", "ip", "created_at", "answered_at"}
    assert str(row["answered_on"]) == datetime.now(UTC).date().isoformat()  # the day only
    assert (row["parent_occupation"], row["pay_band"], row["ethnicity"]) == (1, "Band 5", None)
    # anonymity cannot now be switched off
    with pytest.raises(UsageError, match="cannot be switched off"):
        surveys.set_anonymous(app.state.workspace, scope, survey.id, False)
    # closed: the link answers nothing
    surveys.close_survey(app.state.workspace, scope, survey.id)
    assert staff.get(survey.link).status_code == 404
    assert staff.get("/s/not-a-survey").status_code == 404


def test_anonymity_may_change_before_any_response(app: FastAPI) -> None:
    scope = _scope(app)
    survey = surveys.open_survey(app.state.workspace, scope, "")
    assert not surveys.set_anonymous(app.state.workspace, scope, survey.id, False).anonymous


def test_viewers_do_not_run_surveys(app: FastAPI) -> None:
    viewer = sign_in(app, email("viewer"))
    assert viewer.get(f"/orgs/{ORG_A}/surveys").status_code == 403


def _table(counts: dict[tuple[str, str], int], rows: list[str], cols: list[str]) -> Table:
    cells: Counter[tuple[str | None, str | None]] = Counter()
    for (r, c), n in counts.items():
        cells[(r, c)] += n
        cells[(r, None)] += n
        cells[(None, c)] += n
    return Table(rows, cols, dict(cells))


def test_protect_hand_worked() -> None:
    """Group x (3 people) is withheld whole; its answers then leave single withheld cells in
    the answer columns, so y's cells there are withheld too; the group totals x, y then hold
    one withheld value (x) beside a shown one and the grand total, so y's is withheld."""
    t = _table(
        {("x", "a"): 1, ("x", "b"): 2, ("y", "a"): 20, ("y", "b"): 15}, ["x", "y"], ["a", "b"]
    )
    protect([t], 10)
    assert t.shown("x", None) is None and t.shown("x", "a") is None and t.shown("x", "b") is None
    assert t.shown("y", "a") is None and t.shown("y", "b") is None
    assert t.shown("y", None) is None
    assert (t.shown(None, "a"), t.shown(None, "b")) == (21, 17)  # the answer totals stay


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("pqrs"), st.sampled_from("abc"), st.sampled_from("uvw")),
        min_size=0,
        max_size=80,
    )
)
def test_protect_leaves_nothing_to_subtract(people: list[tuple[str, str, str]]) -> None:
    """Under every breakdown: each shown count is 0 or at least the threshold; no row, column
    or margin with a shown, non-zero total holds exactly one withheld value; and an answer
    total is withheld in every breakdown or in none."""
    cols = ["a", "b", "c"]
    by_first = _table(Counter((p[0], p[1]) for p in people), list("pqrs"), cols)
    by_third = _table(Counter((p[2], p[1]) for p in people), list("uvw"), cols)
    everyone = _table(Counter(("", p[1]) for p in people), [""], cols)
    tables = [everyone, by_first, by_third]
    protect(tables, 10)
    for t in tables:
        for key, value in t.cells.items():
            if key not in t.hidden:
                assert value == 0 or value >= 10
        total = len(people)
        lines: list[tuple[int, list[Any]]] = [
            (t.cells.get((r, None), 0), [(r, c) for c in cols])
            for r in t.rows
            if (r, None) not in t.hidden
        ]
        lines += [
            (t.cells.get((None, c), 0), [(r, c) for r in t.rows])
            for c in cols
            if (None, c) not in t.hidden
        ]
        if total >= 10:  # the grand total is shown
            lines += [(total, [(r, None) for r in t.rows]), (total, [(None, c) for c in cols])]
        for line_total, line in lines:
            if line_total:  # a line of zeros hides nothing
                assert sum(k in t.hidden for k in line) != 1, (line, t.hidden)
    for c in cols:
        assert len({(None, c) in t.hidden for t in tables}) == 1


def test_results_and_indicators(app: FastAPI) -> None:
    """24 answers: 12 professional (option 1) in Band 5, 12 lower (option 5) in Band 6 and
    Band 7 (9 and 3). The answer totals show; by pay band, Band 7 (3) is withheld with a
    second band; the SEB profile from the indicator engine is 50% professional."""
    ws = app.state.workspace
    scope = _scope(app)
    survey = surveys.open_survey(ws, scope, "")
    for band, occupation, n in (("Band 5", "1", 12), ("Band 6", "5", 9), ("Band 7", "5", 3)):
        for _ in range(n):
            surveys.answer(
                ws, survey.token, {**FULL, "parent_occupation": occupation, "pay_band": band}
            )
    overall = surveys.results(ws, scope, survey.id).tables["parent_occupation"]
    assert (
        overall.shown(None, "professional"),
        overall.shown(None, "lower"),
        overall.shown(None, "intermediate"),
    ) == (
        12,
        12,
        0,
    )
    by_band = surveys.results(ws, scope, survey.id, "pay_band").tables["parent_occupation"]
    assert by_band.shown("Band 5", "professional") == 12
    assert by_band.shown("Band 7", "lower") is None
    assert by_band.shown("Band 6", "lower") is None
    assert by_band.present_rows == ["Band 5", "Band 6", "Band 7"]
    rows = {(r.figure, r.group): r.value for r in surveys.indicator_rows(ws, scope, survey.id)}
    profile = "Socio-economic background of the workforce (% of staff answering)"
    assert rows[(profile, "professional")] == rows[(profile, "lower")] == "50.0%"
    band = "Socio-economic background by pay band (% of staff answering in the band)"
    assert rows[(f"{band} (Band 5)", "professional")] == "100.0%"
    assert rows[(f"{band} (Band 7)", "lower")] == "withheld"
    page = sign_in(app, email("analyst")).get(f"/orgs/{ORG_A}/surveys/{survey.id}?by=pay_band")
    assert page.status_code == 200 and "withheld" in page.text
    assert "Socio-economic background indicators from the answers" in page.text


def test_survey_answers_stay_out_of_the_server_log() -> None:
    import logging

    from ladder.web.main import SkipSurveyAnswers

    def access(path: str) -> logging.LogRecord:  # as uvicorn's access logger makes them
        args = ("127.0.0.1:50000", "POST", path, "1.1", 200)
        return logging.LogRecord("uvicorn.access", 20, "", 0, '%s - "%s %s HTTP/%s" %d', args, None)

    assert not SkipSurveyAnswers().filter(access("/s/a-survey-token"))
    assert SkipSurveyAnswers().filter(access("/orgs/R1H"))


def test_no_small_group_found_by_differencing(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attack on the whole publication: every filtered view of every question, the
    unfiltered totals and the SEB indicator figures, bounded by integer programming. 30
    answers: parental qualification degree 12, below degree 11, prefer not to say 7. The
    table withholds the 7 (and the 11 beside it); the response rate to that question, 23 of
    30, would give the 7 away (30 - 23 - the 0 "don't know"), so it is withheld with them.
    The same attack on the figures as the engine alone protects them finds the 7."""
    from tests.web.survey_attack import found_by_elimination

    ws = app.state.workspace
    scope = _scope(app)
    survey = surveys.open_survey(ws, scope, "")
    for answer, n in (("degree", 12), ("below_degree", 11), ("prefer_not_to_say", 7)):
        for _ in range(n):
            surveys.answer(ws, survey.token, {**FULL, "parent_qualification": answer})
    views = {b: surveys.results(ws, scope, survey.id, b) for b in (None, *surveys.BREAKDOWNS)}
    table = views[None].tables["parent_qualification"]
    assert table.shown("", "prefer_not_to_say") is None
    assert table.shown("", "below_degree") is None and table.shown("", "degree") == 12
    published = surveys.indicator_results(ws, scope, survey.id)
    rates = {r.group: r for r in published if r.id == "seb.response_rate"}
    assert rates["parent_qualification"].suppressed
    assert (rates["school_type"].numerator, rates["school_type"].denominator) == (30, 30)
    assert found_by_elimination(views, published, surveys.THRESHOLD) == []

    monkeypatch.setattr(surveys, "protect_indicators", lambda figures, _tables: figures)
    engine_only = surveys.indicator_results(ws, scope, survey.id)
    found = found_by_elimination(views, engine_only, surveys.THRESHOLD)
    assert ("T[parent_qualification|prefer_not_to_say]", 7) in found  # the answer total
    assert ("x[pay_band|parent_qualification|Not given|prefer_not_to_say]", 7) in found
