"""Sign-in, sign-out, throttling, CSRF, cookie flags and security headers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from ladder.app import accounts
from tests.web.conftest import PASSWORD, client, csrf_of, email, sign_in


def _try(app: FastAPI, who: str, password: str, c=None):  # type: ignore[no-untyped-def]
    c = c or client(app)
    page = c.get("/login")
    return c.post(
        "/login",
        data={"email": who, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def test_sign_in_and_out(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    page = c.get("/orgs")
    assert page.status_code == 200
    assert "analyst.r1h@example.nhs.uk" in page.text
    assert '<a href="/orgs/R1H">R1H</a>' in page.text
    out = c.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert c.get("/orgs", follow_redirects=False).headers["location"] == "/login"


def test_signed_out_session_cannot_be_replayed(app: FastAPI) -> None:
    c = sign_in(app, email("viewer"))
    cookie = c.cookies.get("ladder_session")
    page = c.get("/orgs")
    c.post("/logout", data={"csrf_token": csrf_of(page.text)})
    replay = client(app)
    replay.cookies.set("ladder_session", cookie)
    assert replay.get("/orgs", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_email(app: FastAPI) -> None:
    for who, password in ((email("analyst"), "not the password"), ("nobody@x.nhs.uk", PASSWORD)):
        response = _try(app, who, password)
        assert response.status_code == 400
        assert "There is a problem" in response.text
        assert "Enter a correct email address and password" in response.text
        assert "ladder_session" not in response.cookies


def test_five_failures_lock_the_account_even_for_the_right_password(app: FastAPI) -> None:
    for _ in range(accounts.MAX_FAILURES):
        assert _try(app, email("analyst"), "wrong wrong wrong").status_code == 400
    locked = _try(app, email("analyst"), PASSWORD)
    assert locked.status_code == 429
    assert "too many failed sign-ins" in locked.text
    # another account from the same address is locked too (per address)
    assert _try(app, email("viewer"), PASSWORD).status_code == 429


def test_failures_spread_over_accounts_lock_the_address(app: FastAPI) -> None:
    for i in range(accounts.MAX_FAILURES):
        assert _try(app, f"guess{i}@example.nhs.uk", "x").status_code == 400
    assert _try(app, email("assessor"), PASSWORD).status_code == 429


def test_lockout_doubles_and_is_capped() -> None:
    assert accounts.lockout(4) == timedelta(0)
    assert accounts.lockout(5) == timedelta(minutes=1)
    assert accounts.lockout(6) == timedelta(minutes=2)
    assert accounts.lockout(7) == timedelta(minutes=4)
    assert accounts.lockout(11) == timedelta(hours=1)  # 64 minutes, capped
    assert accounts.lockout(500) == timedelta(hours=1)


def test_login_without_its_csrf_token_is_refused(app: FastAPI) -> None:
    c = client(app)
    c.get("/login")
    response = c.post(
        "/login", data={"email": email("analyst"), "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "ladder_session" not in response.cookies


def test_posts_without_the_session_csrf_token_are_refused(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    assert c.post("/logout", data={}).status_code == 403
    assert c.post("/logout", data={"csrf_token": "x" * 43}).status_code == 403
    upload = c.post(
        "/orgs/R1H/upload",
        data={"kind": "staff", "period": "2024", "csrf_token": "wrong"},
        files={"file": ("s.csv", b"staff_id\n1\n", "text/csv")},
    )
    assert upload.status_code == 403
    assert c.get("/orgs").status_code == 200  # still signed in: the forged logout did nothing


def test_session_cookie_flags(app: FastAPI) -> None:
    c = client(app)
    page = c.get("/login")
    response = c.post(
        "/login",
        data={"email": email("analyst"), "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = next(
        v for v in response.headers.get_list("set-cookie") if v.startswith("ladder_session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43  # 32 random bytes


def test_insecure_dev_drops_secure_and_hsts(web_workspace: Path) -> None:
    from ladder.web.app import create_app

    app = create_app(web_workspace, secure=False)
    try:
        c = client(app)
        page = c.get("/login")
        assert "strict-transport-security" not in page.headers
        assert "secure" not in page.headers["set-cookie"].lower()
    finally:
        app.state.workspace.close()


def test_security_headers_on_every_kind_of_response(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    for path in ("/login", "/orgs", "/orgs/R1H", "/orgs/NOPE", "/api/v1/orgs"):
        headers = c.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["strict-transport-security"].startswith("max-age=")


def test_pages_have_no_inline_script(app: FastAPI) -> None:
    import re

    c = sign_in(app, email("analyst"))
    for path in ("/login", "/orgs", "/orgs/R1H", "/orgs/R1H/upload"):
        html = client(app).get(path).text if path == "/login" else c.get(path).text
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts, path
        assert all("src=" in attrs and not body.strip() for attrs, body in scripts), path


def test_a_badly_filled_form_gets_a_page_not_json(app: FastAPI) -> None:
    c = sign_in(app, email("analyst"))
    csrf = csrf_of(c.get("/orgs").text)
    response = c.post(
        "/orgs/R1H/upload/" + "A" * 32, data={"csrf_token": csrf, "kind": "staff", "period": "x"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "There is a problem" in response.text


def test_nhsuk_assets_are_served_and_used(app: FastAPI) -> None:
    """The NHS.UK frontend assets (scripts/ensure-web-assets.sh, run by make install/test)."""
    c = client(app)
    page = c.get("/login").text
    assert 'class="nhsuk-header' in page and 'href="/assets/nhsuk-frontend.min.css"' in page
    css = c.get("/assets/nhsuk-frontend.min.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ".nhsuk-header" in css.text
    script = c.get("/app-assets/init.mjs")
    assert script.headers["content-type"].startswith("text/javascript")
    assert c.get("/assets/nhsuk-frontend.min.js").text.rstrip().endswith(".map")
