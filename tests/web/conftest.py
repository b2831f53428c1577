"""Fixtures of the web tests: a workspace with two organisations' data, users of every role
of organisation A (R1H), an admin, and a signed-in client per role (over https, so the
Secure session cookie is sent)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ladder.app import accounts
from ladder.store import Workspace
from tests.store.conftest import database_url, postgres_database, staff_frame

__all__ = ["database_url", "postgres_database"]  # SQLite and PostgreSQL, as the store tests

ORG_A = "R1H"
ORG_B = "RQX"
PASSWORD = "correct horse battery staple"
ROLES = ("analyst", "viewer", "assessor")
ADMIN = "admin@example.nhs.uk"


def email(role: str, org: str = ORG_A) -> str:
    return f"{role}.{org.lower()}@example.nhs.uk"


def populate(ws: Workspace, folder: Path) -> None:
    """Staff data of A and B, and users of every role of A and B, and an admin."""
    for org in (ORG_A, ORG_B):
        path = folder / f"staff-{org}.csv"
        staff_frame(40, org=org, seed=len(org)).write_csv(path)
        assert ws.import_file("staff", path, org, 2024).stored
        for role in ROLES:
            accounts.add_user(ws, email(role, org), PASSWORD, role, org)
    accounts.add_user(ws, ADMIN, PASSWORD, "admin", None)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The populated SQLite workspace, built once (tests get a copy)."""
    folder = tmp_path_factory.mktemp("web")
    with Workspace.init(folder / "ws") as ws:
        populate(ws, folder)
    return folder / "ws"


@pytest.fixture
def web_workspace(tmp_path: Path, _template: Path) -> Path:
    """A copy of the populated workspace (SQLite; the accounts store tests run on both)."""
    root = tmp_path / "ws"
    shutil.copytree(_template, root)
    return root


@pytest.fixture
def app(web_workspace: Path) -> Iterator[FastAPI]:
    from ladder.web.app import create_app

    application = create_app(web_workspace)
    yield application
    application.state.workspace.close()


def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(app: FastAPI, who: str, password: str = PASSWORD) -> TestClient:
    c = client(app)
    page = c.get("/login")
    response = c.post(
        "/login",
        data={"email": who, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return c
