"""The accounts store (users, tokens, sessions, failed sign-ins) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ladder.app import accounts
from ladder.store import UsageError, Workspace
from ladder.store.models import SessionRow, UserRow, utcnow

PASSWORD = "a long enough password"


@pytest.fixture
def ws(tmp_path: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    with Workspace.init(tmp_path / "ws", database_url) as workspace:
        yield workspace


def test_users_are_stored_with_an_argon2_hash(ws: Workspace) -> None:
    user = accounts.add_user(ws, " Ana@Example.NHS.uk ", PASSWORD, "analyst", "r1h")
    assert (user.email, user.role, user.org) == ("ana@example.nhs.uk", accounts.Role.analyst, "R1H")
    with ws.session() as session:
        stored = session.scalar(select(UserRow.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("email", "password", "role", "org", "message"),
    [
        ("no-at-sign", PASSWORD, "viewer", "R1H", "not an e-mail address"),
        ("v@x.nhs.uk", PASSWORD, "boss", "R1H", "unknown role 'boss'"),
        ("v@x.nhs.uk", PASSWORD, "viewer", None, "belongs to an organisation"),
        ("v@x.nhs.uk", "short", "viewer", "R1H", "at least 12 characters"),
    ],
)
def test_bad_users_are_refused(  # type: ignore[no-untyped-def]
    ws: Workspace, email, password, role, org, message
) -> None:
    with pytest.raises(UsageError, match=message):
        accounts.add_user(ws, email, password, role, org)


def test_a_second_user_with_the_same_email_is_refused(ws: Workspace) -> None:
    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "admin", None)
    with pytest.raises(UsageError, match="already exists"):
        accounts.add_user(ws, "A@X.nhs.uk", PASSWORD, "viewer", "R1H")


def test_sign_in_session_and_sign_out(ws: Workspace) -> None:
    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "viewer", "R1H")
    assert accounts.sign_in(ws, "a@x.nhs.uk", "wrong password!", "10.0.0.1") is None
    signed = accounts.sign_in(ws, "A@x.nhs.uk", PASSWORD, "10.0.0.1")
    assert signed is not None
    found = accounts.session_user(ws, signed.session_id)
    assert found is not None and found[0].email == "a@x.nhs.uk" and found[1] == signed.csrf_token
    with ws.session() as session:
        ids = list(session.scalars(select(SessionRow.id)))
    assert signed.session_id not in ids  # only the hash is stored
    accounts.sign_out(ws, signed.session_id)
    assert accounts.session_user(ws, signed.session_id) is None


def test_expired_sessions_sign_nobody_in(ws: Workspace) -> None:
    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "viewer", "R1H")
    signed = accounts.sign_in(ws, "a@x.nhs.uk", PASSWORD, "10.0.0.1")
    assert signed is not None
    with ws.session.begin() as session:
        session.execute(update(SessionRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert accounts.session_user(ws, signed.session_id) is None


def test_throttling_per_account_and_per_address(ws: Workspace) -> None:
    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "viewer", "R1H")
    accounts.add_user(ws, "b@x.nhs.uk", PASSWORD, "viewer", "R1H")
    for i in range(accounts.MAX_FAILURES):
        assert accounts.sign_in(ws, "a@x.nhs.uk", "wrong", f"10.0.0.{i}") is None
    with pytest.raises(accounts.Throttled):
        accounts.sign_in(ws, "a@x.nhs.uk", PASSWORD, "10.9.9.9")  # the account is locked
    assert accounts.sign_in(ws, "b@x.nhs.uk", PASSWORD, "10.9.9.9") is not None
    for _ in range(accounts.MAX_FAILURES):
        assert accounts.sign_in(ws, "nobody@x.nhs.uk", "x", "10.1.1.1") is None
    with pytest.raises(accounts.Throttled):
        accounts.sign_in(ws, "b@x.nhs.uk", PASSWORD, "10.1.1.1")  # the address is locked


def test_tokens(ws: Workspace) -> None:
    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "assessor", "R1H")
    token = accounts.create_token(ws, "a@x.nhs.uk")
    user = accounts.token_user(ws, token)
    assert user is not None and user.role is accounts.Role.assessor
    assert accounts.token_user(ws, token + "x") is None
    with pytest.raises(UsageError, match="no user"):
        accounts.create_token(ws, "nobody@x.nhs.uk")


def test_the_app_signs_in_over_either_database(tmp_path: Path, database_url: str | None) -> None:
    import re

    from fastapi.testclient import TestClient

    from ladder.web.app import create_app

    root = tmp_path / "ws"
    with Workspace.init(root, database_url) as ws:
        accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "admin", None)
    app = create_app(root, database_url)
    try:
        c = TestClient(app, base_url="https://testserver")
        page = c.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        signed = c.post(
            "/login",
            data={"email": "a@x.nhs.uk", "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        assert "There are no organisations for you to see yet" in c.get("/orgs").text
    finally:
        app.state.workspace.close()


def test_old_failures_and_expired_sessions_are_tidied_at_sign_in(ws: Workspace) -> None:
    from sqlalchemy import func

    from ladder.store.models import LoginAttemptRow

    accounts.add_user(ws, "a@x.nhs.uk", PASSWORD, "viewer", "R1H")
    old = accounts.sign_in(ws, "a@x.nhs.uk", PASSWORD, "10.0.0.1")
    assert old is not None
    for _ in range(accounts.MAX_FAILURES):
        accounts.sign_in(ws, "b@x.nhs.uk", "wrong", "10.0.0.2")
    with ws.session.begin() as session:
        long_ago = utcnow() - accounts.WINDOW - timedelta(seconds=1)
        session.execute(update(LoginAttemptRow).values(at=long_ago))
        session.execute(update(SessionRow).values(expires_at=long_ago))
    assert accounts.sign_in(ws, "a@x.nhs.uk", PASSWORD, "10.0.0.2") is not None  # not locked
    with ws.session() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttemptRow)) == 0
        assert session.scalar(select(func.count()).select_from(SessionRow)) == 1  # the new one


def test_an_assessor_without_an_organisation_is_an_index_assessor(ws: Workspace) -> None:
    from ladder.app import access

    index = accounts.add_user(ws, "i@x.nhs.uk", PASSWORD, "assessor", None)
    own = accounts.add_user(ws, "o@x.nhs.uk", PASSWORD, "assessor", "R1H")
    assert index.index_assessor and not own.index_assessor and not index.staff_level
    assert access.visible(ws, index) == []  # no dashboard of any organisation
    with pytest.raises(access.NotFound):
        access.scope(ws, index, "R1H")
    with pytest.raises(access.NotFound):  # no submission or data of R1H yet
        access.index_scope(ws, index, "R1H")
    assert access.index_scope(ws, own, "r1h").org == "R1H"  # their own, as scope()
