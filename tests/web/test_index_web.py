"""The open index in the web service: save and return, assessors' adjustments with a
reason, the public ranking naming only the published top N, and no staff-level data for an
assessor on any route."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from ladder.app import index
from tests.frameworks.conftest import answers
from tests.web.conftest import ORG_A, ORG_B, client, csrf_of, email, sign_in

FRAMEWORK = "social_mobility_employer"
STAFF_IDS_OF_A = re.compile(r"S3\d{7}")  # tests.store.conftest.staff_frame(seed=3)


def test_employer_saves_and_returns_and_assessor_adjusts(app: FastAPI) -> None:
    analyst = sign_in(app, email("analyst", ORG_A))
    page = analyst.get(f"/orgs/{ORG_A}/index")
    assert page.status_code == 200 and "Save and come back later" in page.text
    csrf = csrf_of(page.text)
    saved = analyst.post(
        f"/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2025",
        data={"csrf_token": csrf, "yp_outreach": "targeted", "ad_story": "We lead a network",
              "action": "save"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    back = analyst.get(f"/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2025")
    assert '<option value="targeted" selected>' in back.text
    assert "We lead a network" in back.text
    bad = analyst.post(
        f"/orgs/{ORG_A}/index?framework={FRAMEWORK}&period=2025",
        data={"csrf_token": csrf, "yp_outreach": "everywhere"},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "is not an option" in bad.text

    viewer = sign_in(app, email("viewer", ORG_A))
    vcsrf = csrf_of(viewer.get("/orgs").text)
    refused = viewer.post(f"/orgs/{ORG_A}/index", data={"csrf_token": vcsrf, "yp_outreach": "none"})
    assert refused.status_code == 403
    assert analyst.post(f"/orgs/{ORG_A}/index/adjust",
                        data={"csrf_token": csrf, "question": "ad_story", "points": "2",
                              "reason": "r"}).status_code == 403  # fmt: skip

    assessor = sign_in(app, email("assessor", ORG_A))
    page = assessor.get(f"/orgs/{ORG_A}/index")
    assert "Adjust a score" in page.text and "Save and come back later" not in page.text
    acsrf = csrf_of(page.text)
    no_reason = assessor.post(
        f"/orgs/{ORG_A}/index/adjust",
        data={"csrf_token": acsrf, "framework": FRAMEWORK, "period": "2025",
              "question": "ad_story", "points": "2", "reason": " "},
    )  # fmt: skip
    assert no_reason.status_code == 400 and "needs a reason" in no_reason.text
    done = assessor.post(
        f"/orgs/{ORG_A}/index/adjust",
        data={"csrf_token": acsrf, "framework": FRAMEWORK, "period": "2025",
              "question": "ad_story", "points": "2", "reason": "Twelve employers"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    shown = assessor.get(f"/orgs/{ORG_A}/index").text
    assert "adjusted by an assessor: Twelve employers" in shown
    log = [(e.user, e.action) for e in app.state.workspace.audit_log()]
    assert (email("analyst", ORG_A), "index_save") in log
    assert (email("assessor", ORG_A), "index_adjust") in log


def test_public_ranking_names_only_the_top(
    app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = app.state.workspace
    files = [
        answers(tmp_path, ORG_A, "answers: {yp_outreach: targeted, ri_no_degree: yes}\n",
                name="Barts Health NHS Trust", framework=FRAMEWORK),
        answers(tmp_path, ORG_B, "answers: {yp_outreach: none}\n",
                name="Homerton Healthcare NHS Foundation Trust", framework=FRAMEWORK),
    ]  # fmt: skip
    index.submit(ws, FRAMEWORK, files, user="index-body")
    monkeypatch.setenv(index.TOP_ENV, "1")
    page = client(app).get(f"/index?framework={FRAMEWORK}&top=5")  # a visitor cannot widen it
    assert page.status_code == 200
    assert "Barts Health NHS Trust" in page.text
    assert "Homerton" not in page.text and ORG_B not in page.text
    assert "2 employers entered; the top 1 are published" in page.text
    assert client(app).get("/index?framework=nope").status_code == 404


def test_assessor_reaches_no_staff_level_data_on_any_route(app: FastAPI, tmp_path: Path) -> None:
    index.submit(app.state.workspace, FRAMEWORK,
                 [answers(tmp_path, ORG_A, "answers: {yp_outreach: targeted}\n",
                          framework=FRAMEWORK)])  # fmt: skip
    assessor = sign_in(app, email("assessor", ORG_A))
    walked = 0
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        path = context.path.replace("{code}", ORG_A)
        if re.search(r"\{\w+\}", path) or path in ("/logout",):
            continue
        response = assessor.get(path, follow_redirects=False)
        walked += 1
        assert response.status_code in (200, 303, 403, 404), (path, response.status_code)
        assert not STAFF_IDS_OF_A.search(response.text), path
    assert walked >= 5
