"""The careers pages: a resident matched with no account and nothing kept but counters; an
analyst's vacancies and routes and reach dashboard; other roles and organisations refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from ladder.store.models import CareersReachRow
from tests.matching.conftest import frames
from tests.web.conftest import ORG_A, ORG_B, client, email, sign_in

ANSWERS = {
    "postcode": "E1 1BB",
    "right_to_work": "yes",
    "level": "2",
    "subject": "Health and Social Care",
    "max_hours": "30",
    "shifts": "days",
    "driving_licence": "no",
    "experience": "I looked after my mother at home: washing, dressing, meals.",
    "interests": "caring for patients in a hospital",
    "eq_sex": "Female",
    "action": "match",
}


def add_openings(app: FastAPI, folder: Path) -> None:
    """Import the hand-made vacancies and routes (R1H and RQX) into the app's workspace."""
    vacancies, routes = frames()
    # the pages match as on today: keep the hand-made posts open (V6 closed) whatever the date
    today = dt.date.today()
    vacancies = vacancies.with_columns(
        pl.when(pl.col("vacancy_id") == "V6")
        .then(pl.lit(today - dt.timedelta(days=7)))
        .otherwise(pl.lit(today + dt.timedelta(days=60)))
        .alias("closing_date")
    )
    routes = routes.with_columns(pl.lit(today + dt.timedelta(days=30)).alias("next_cohort"))
    ws = app.state.workspace
    for kind, frame in (("vacancies", vacancies), ("routes", routes)):
        path = folder / f"{kind}.csv"
        frame.write_csv(path)
        assert ws.import_file(kind, path, None, 2027).stored


@pytest.fixture
def careers_app(app: FastAPI, tmp_path: Path) -> FastAPI:
    add_openings(app, tmp_path)
    return app


def test_the_public_form_needs_no_account_and_keeps_nothing(careers_app: FastAPI) -> None:
    c = client(careers_app)
    page = c.get("/careers")
    assert page.status_code == 200
    assert "Find a job or a way into work in the NHS" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert not page.cookies


def test_a_resident_is_matched_with_reasons(careers_app: FastAPI) -> None:
    c = client(careers_app)
    page = c.post("/careers", data={**ANSWERS, "shifts": ["days"]})
    assert page.status_code == 200, page.text
    assert "Your best matches" in page.text
    assert "You have a Level 2 in Health and Social Care, which this role asks for" in page.text
    assert "1.0 mile from your postcode" in page.text
    assert "Why some jobs are not shown" in page.text
    assert "This role needs registration with the Nursing and Midwifery Council (NMC)" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert not c.cookies
    ws = careers_app.state.workspace
    with ws.session() as session:
        every = session.scalar(
            select(func.sum(CareersReachRow.uses)).where(CareersReachRow.org_code == "*")
        )
    assert every == 1


def test_the_form_says_what_is_missing(careers_app: FastAPI) -> None:
    page = client(careers_app).post("/careers", data={"postcode": "E1 1BB"})
    assert page.status_code == 400
    assert "Select yes if you have the right to work in the UK" in page.text
    assert "Select your highest qualification" in page.text
    assert 'value="E1 1BB"' in page.text  # what they wrote is kept on the page


def test_the_answers_can_be_downloaded_without_the_equality_answers(careers_app: FastAPI) -> None:
    page = client(careers_app).post("/careers", data={**ANSWERS, "action": "download"})
    assert page.status_code == 200
    assert page.headers["content-disposition"] == 'attachment; filename="my-answers.json"'
    doc = json.loads(page.text)
    assert doc["qualifications"] == [{"level": 2, "subject": "Health and Social Care"}]
    assert "characteristics" not in doc


def test_an_analyst_sees_their_vacancies_and_routes_only(careers_app: FastAPI) -> None:
    c = sign_in(careers_app, email("analyst", ORG_A))
    page = c.get(f"/orgs/{ORG_A}/careers")
    assert page.status_code == 200
    assert "Staff nurse" in page.text and "English for health and care work" in page.text
    assert "V8" not in page.text  # RQX's vacancy
    assert c.get(f"/orgs/{ORG_B}/careers").status_code == 404


def test_the_reach_dashboard_withholds_small_counts(careers_app: FastAPI) -> None:
    public = client(careers_app)
    for _ in range(3):
        assert public.post("/careers", data=ANSWERS).status_code == 200
    c = sign_in(careers_app, email("analyst", ORG_A))
    page = c.get(f"/orgs/{ORG_A}/careers/reach")
    assert page.status_code == 200
    assert "fewer than" not in page.text  # a withheld count states no bound (issue 12)
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">withheld</strong>' in page.text
    assert page.text.count("a count of people from 1 to 9 are withheld") == 1


def test_viewers_and_assessors_may_not_see_the_careers_pages(careers_app: FastAPI) -> None:
    for role in ("viewer", "assessor"):
        c = sign_in(careers_app, email(role, ORG_A))
        assert c.get(f"/orgs/{ORG_A}/careers").status_code == 403
        assert c.get(f"/orgs/{ORG_A}/careers/reach").status_code == 403


def test_routes_for_stated_needs_come_first_and_once(careers_app: FastAPI) -> None:
    data = {**ANSWERS, "overseas": "yes", "english": "yes"}
    page = client(careers_app).post("/careers", data=data)
    assert page.status_code == 200
    text = page.text
    assert "Programmes for the help you asked for" in text
    heading = '<h3 class="nhsuk-card__heading nhsuk-heading-m">'
    titles = [part.split("</h3>")[0] for part in text.split(heading)[1:]]
    assert titles[:2] == [
        "Overseas qualified healthcare professionals programme",
        "English for health and care work (ESOL)",
    ]
    assert titles.count("English for health and care work (ESOL)") == 1
    assert "It helps people whose qualifications are from another country" in text
