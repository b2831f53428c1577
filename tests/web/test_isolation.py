"""Tenant isolation: every route of the app, for every role of organisation A, asked for
organisation B's resources, refuses (404, never B's data) — enumerated from app.routes, so
a new route is covered as soon as it exists."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from ladder.app import accounts
from ladder.store import Workspace
from ladder.store.models import (
    IndexEvidenceRow,
    IndexSubmissionRow,
    ReportRevisionRow,
    ReportRow,
    SurveyRow,
    utcnow,
)
from tests.web.conftest import ADMIN, ORG_A, ORG_B, ROLES, client, csrf_of, email, sign_in

B_SURVEY = 1
B_EVIDENCE = "b-evidence-token-0123456789"
FILLERS = {
    "token": B_EVIDENCE,
    "code": ORG_B,
    "upload_id": "A" * 32,
    "period": "2024",
    "revision": "1",
    "fmt": "html",
    "survey_id": str(B_SURVEY),
    "chart": "0",
}
PUBLIC = {"/s/{token}"}
"""The staff survey's answer link: public by design (no account), its token the only key."""


@pytest.fixture(scope="module")
def _with_b(tmp_path_factory: pytest.TempPathFactory, _template: Path) -> Path:
    """The web workspace with a published report (revision 1), a survey, and an open-index
    submission with an evidence file of B, so every B path below names something that
    exists."""
    root = tmp_path_factory.mktemp("isolation") / "ws"
    shutil.copytree(_template, root)
    folder = root / "reports" / ORG_B / "2024" / "r1"
    folder.mkdir(parents=True)
    (folder / f"{ORG_B}-2024-equality-report.html").write_text(f"<p>{ORG_B} report</p>")
    with Workspace.open(root) as ws, ws.session.begin() as session:
        report = ReportRow(
            org_code=ORG_B, period=2024, status="published", created_at=utcnow(), created_by=ADMIN
        )
        session.add(report)
        session.flush()
        session.add(
            ReportRevisionRow(
                report_id=report.id,
                number=1,
                folder=f"{ORG_B}/2024/r1",
                data_version="x",
                built_at=utcnow(),
                built_by=ADMIN,
                published_at=utcnow(),
                published_by=ADMIN,
            )
        )
        session.add(
            SurveyRow(
                id=B_SURVEY,
                org_code=ORG_B,
                token="b-survey-token",
                title=f"{ORG_B} survey",
                anonymous=True,
                opened_on=date(2024, 1, 1),
                created_by=ADMIN,
            )
        )
        session.add(
            IndexSubmissionRow(
                framework="social_mobility_employer", framework_version="1", org_code=ORG_B,
                period=2025, status="submitted", updated_by=ADMIN, updated_at=utcnow(),
                document='{"framework": "social_mobility_employer", "org": "RQX", '
                '"period": 2025, "name": "RQX trust", "answers": {"ri_no_degree": true}}',
            )
        )  # fmt: skip
        session.add(
            IndexEvidenceRow(
                token=B_EVIDENCE, framework="social_mobility_employer", org_code=ORG_B,
                period=2025, question="ri_no_degree", filename="b.pdf",
                media_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=ADMIN,
                uploaded_at=utcnow(),
            )
        )  # fmt: skip
    (root / "evidence" / ORG_B).mkdir(parents=True)
    (root / "evidence" / ORG_B / B_EVIDENCE).write_bytes(b"%PDF-1.4\n")
    return root


@pytest.fixture
def web_workspace(tmp_path: Path, _with_b: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(_with_b, root)
    return root


def _routes(app: FastAPI) -> list[tuple[str, set[str], APIRoute]]:
    """(path, methods, route) of every API route of the app, included routers flattened."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path:
            found.append((context.path, set(context.methods or ()), route))
    return found


def _org_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path with B filled in) of every route that takes an organisation."""
    found = []
    for template, methods, _ in _routes(app):
        if "{code}" not in template:
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: FILLERS[m.group(1)], template)
        found.extend((method, path) for method in sorted(methods))
    return found


def test_every_route_with_an_organisation_is_walked(app: FastAPI) -> None:
    walked = _org_routes(app)
    # the routes known today: a new one is walked too, this only checks the walk finds them
    assert ("GET", f"/orgs/{ORG_B}") in walked
    assert ("POST", f"/orgs/{ORG_B}/upload/{'A' * 32}") in walked
    assert ("GET", f"/api/v1/orgs/{ORG_B}/results") in walked
    assert ("POST", f"/api/v1/orgs/{ORG_B}/uploads") in walked
    assert ("GET", f"/orgs/{ORG_B}/careers") in walked
    assert ("GET", f"/orgs/{ORG_B}/careers/reach") in walked
    assert ("GET", f"/orgs/{ORG_B}/programmes") in walked
    assert ("GET", f"/orgs/{ORG_B}/programmes/report") in walked
    assert ("GET", f"/orgs/{ORG_B}/index") in walked  # the open index (issue 16)
    assert ("POST", f"/orgs/{ORG_B}/index") in walked
    assert ("POST", f"/orgs/{ORG_B}/index/adjust") in walked
    assert ("GET", f"/orgs/{ORG_B}/index/feedback") in walked
    assert ("GET", f"/orgs/{ORG_B}/index/feedback/pdf") in walked
    assert ("GET", f"/orgs/{ORG_B}/index/evidence/{B_EVIDENCE}") in walked
    assert ("GET", f"/orgs/{ORG_B}/reports/2024/1/html") in walked
    assert ("POST", f"/orgs/{ORG_B}/reports/2024/publish") in walked
    assert ("POST", f"/orgs/{ORG_B}/reports/2024/withdraw") in walked
    assert ("GET", f"/api/v1/orgs/{ORG_B}/reports") in walked
    assert ("GET", f"/orgs/{ORG_B}/charts/2024/0") in walked
    assert ("GET", f"/orgs/{ORG_B}/surveys/{B_SURVEY}") in walked
    assert ("POST", f"/orgs/{ORG_B}/surveys/{B_SURVEY}/anonymity") in walked
    assert len(walked) >= 27
    # every one of them takes its organisation through the one scoping dependency (the open
    # index's routes through its own, which adds index assessors across organisations)
    from ladder.web.deps import index_org_scope, org_scope

    for template, _, route in _routes(app):
        if "{code}" in template:
            calls = {d.call for d in route.dependant.dependencies}
            wanted = index_org_scope if template.startswith("/orgs/{code}/index") else org_scope
            assert wanted in calls, template
    # and every route that is not about one organisation takes no organisation at all (the
    # survey's public answer link takes only its secret token)
    for template, _, _ in _routes(app):
        if template in PUBLIC:
            continue
        assert "{code}" in template or not re.search(r"\{\w+\}", template), template


def _request(c: TestClient, method: str, path: str, csrf: str | None, **headers: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return c.get(path, headers=headers, follow_redirects=False)
    return c.request(
        method,
        path,
        data={"csrf_token": csrf or "", "kind": "staff", "period": "2024", "action": "store"},
        files={"file": ("b.csv", b"staff_id,org_code\nS1,RQX\n", "text/csv")},
        headers=headers,
        follow_redirects=False,
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_session_of_org_a_gets_nothing_of_org_b(app: FastAPI, role: str) -> None:
    c = sign_in(app, email(role, ORG_A))
    csrf = csrf_of(c.get("/orgs").text)
    for method, path in _org_routes(app):
        response = _request(c, method, path, csrf, **{"x-csrf-token": csrf})
        assert response.status_code == 404, (role, method, path, response.status_code)
        assert ORG_B not in response.text.replace(path, ""), (role, method, path)
    orgs = c.get("/api/v1/orgs").json()
    assert [o["code"] for o in orgs] == [ORG_A]
    # the open index's review list (not about one organisation) shows A's only, if anything
    review = c.get("/index/review?period=2025")
    assert review.status_code == (200 if role == "assessor" else 403)
    assert ORG_B not in review.text


@pytest.mark.parametrize("role", ROLES)
def test_a_token_of_org_a_gets_nothing_of_org_b(app: FastAPI, role: str) -> None:
    token = accounts.create_token(app.state.workspace, email(role, ORG_A))
    c = client(app)
    for method, path in _org_routes(app):
        response = _request(c, method, path, None, authorization=f"Bearer {token}")
        assert response.status_code == 404, (role, method, path, response.status_code)


def test_an_organisation_that_does_not_exist_looks_the_same(app: FastAPI) -> None:
    c = sign_in(app, email("analyst", ORG_A))
    other = c.get(f"/orgs/{ORG_B}")
    missing = c.get("/orgs/ZZZ")
    assert other.status_code == missing.status_code == 404
    assert other.text.replace(ORG_B, "X") == missing.text.replace("ZZZ", "X")


def test_nobody_signed_in_gets_nothing(app: FastAPI) -> None:
    c = client(app)
    for method, path in _org_routes(app):
        response = _request(c, method, path, None)
        assert response.status_code in (303, 401), (method, path)
        assert response.status_code == (401 if path.startswith("/api/") else 303)


def test_an_admin_sees_both_and_assessors_may_not_upload(app: FastAPI) -> None:
    admin = sign_in(app, "admin@example.nhs.uk")
    assert [o["code"] for o in admin.get("/api/v1/orgs").json()] == [ORG_A, ORG_B]
    assert admin.get(f"/orgs/{ORG_B}").status_code == 200
    # the B resources the walk asks for exist: refusing them is isolation, not absence
    download = admin.get(f"/orgs/{ORG_B}/reports/2024/1/html")
    assert download.status_code == 200 and f"{ORG_B} report" in download.text
    assert download.headers["content-security-policy"].startswith("default-src 'none'")
    assert f"{ORG_B} survey" in admin.get(f"/orgs/{ORG_B}/surveys/{B_SURVEY}").text
    assert [r["period"] for r in admin.get(f"/api/v1/orgs/{ORG_B}/reports").json()] == [2024]
    for role in ("viewer", "assessor"):
        c = sign_in(app, email(role, ORG_A))
        assert c.get(f"/orgs/{ORG_A}").status_code == 200
        assert c.get(f"/orgs/{ORG_A}/upload").status_code == 403
        csrf = csrf_of(c.get("/orgs").text)
        response = _request(c, "POST", f"/orgs/{ORG_A}/upload", csrf)
        assert response.status_code == 403


INDEX_ASSESSOR = "assessor.index@example.nhs.uk"


def test_an_index_assessor_reaches_every_submission_and_nothing_else(app: FastAPI) -> None:
    """An assessor of no organisation reviews B's (and A's) submission, evidence and
    feedback, and every other route of any organisation refuses them (404)."""
    from tests.web.conftest import PASSWORD

    accounts.add_user(app.state.workspace, INDEX_ASSESSOR, PASSWORD, "assessor", None)
    c = sign_in(app, INDEX_ASSESSOR)
    csrf = csrf_of(c.get("/orgs").text)
    assert "Submissions to review" in c.get("/orgs").text
    assert "RQX trust (RQX)" in c.get("/index/review").text
    for method, path in _org_routes(app):
        response = _request(c, method, path, csrf, **{"x-csrf-token": csrf})
        if path.startswith(f"/orgs/{ORG_B}/index"):
            if method == "GET":
                assert response.status_code == 200, (path, response.status_code)
        else:
            assert response.status_code == 404, (method, path, response.status_code)
    download = c.get(f"/orgs/{ORG_B}/index/evidence/{B_EVIDENCE}")
    assert download.content == b"%PDF-1.4\n"
    assert download.headers["content-disposition"].startswith("attachment")
    # B's token under A's code finds nothing
    assert c.get(f"/orgs/{ORG_A}/index/evidence/{B_EVIDENCE}").status_code == 404
    log = [(e.user, e.action) for e in app.state.workspace.audit_log()]
    assert (INDEX_ASSESSOR, "evidence_download") in log
    assert [o["code"] for o in c.get("/api/v1/orgs").json()] == []
