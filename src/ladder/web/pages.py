"""The server-rendered pages (NHS.UK design system; every page works without JavaScript)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ladder.app import access, accounts, dashboard, publishing, uploads
from ladder.app.errors import UsageError
from ladder.app.uploads import KINDS
from ladder.web.deps import CsrfChecked, Scoped, Who, optional_principal, workspace
from ladder.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, new_token, same
from ladder.web.templating import environment, render

router = APIRouter(include_in_schema=False)

CHUNK = 1024 * 1024


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    return _see_other("/orgs" if optional_principal(request) else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return _login_page(request, [])


def _login_page(request: Request, errors: list[dict[str, str]], status: int = 200) -> Response:
    token = new_token()
    response = render(
        request, "login.html", {"errors": errors, "login_csrf": token}, status_code=status
    )
    request.app.state.security.set_cookie(response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_page(
            request,
            [{"text": "The form had expired: sign in again", "href": "#email"}],
            status=403,
        )
    try:
        signed = accounts.sign_in(workspace(request), email, password, _address(request))
    except accounts.Throttled as exc:
        return _login_page(request, [{"text": str(exc), "href": "#email"}], status=429)
    if signed is None:
        return _login_page(
            request,
            [{"text": "Enter a correct email address and password", "href": "#email"}],
            status=400,
        )
    response = _see_other("/orgs")
    security = request.app.state.security
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    security.set_cookie(response, SESSION_COOKIE, signed.session_id, lifetime)
    security.clear_cookie(response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, who: Who) -> Response:
    if who.session_id:
        accounts.sign_out(workspace(request), who.session_id)
    response = _see_other("/login")
    request.app.state.security.clear_cookie(response, SESSION_COOKIE)
    return response


@router.get("/orgs", response_class=HTMLResponse)
def orgs(request: Request, who: Who) -> Response:
    codes = access.visible(workspace(request), who.user)
    return render(request, "orgs.html", {"codes": codes, "who": who})


@router.get("/orgs/{code}", response_class=HTMLResponse)
def org_dashboard(
    request: Request, scoped: Scoped, who: Who, period: int | None = None
) -> Response:
    ws = workspace(request)
    board = dashboard.dashboard(ws, scoped.org, period)
    access.audit_read(ws, scoped, f"dashboard {board.period or '-'}")
    context = {
        "board": board,
        "scoped": scoped,
        "who": who,
        "sections_html": _sections_html(
            dashboard.sections(ws, scoped.org, board.period) if board.period else []
        ),
        "trends": board.trends,
        "reports": publishing.reports(ws, scoped),
        "staff_surveys": scoped.may_upload,
    }
    return render(request, "dashboard.html", context)


CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/orgs/{code}/charts/{period}/{chart}")
def chart(request: Request, scoped: Scoped, period: int, chart: int) -> Response:
    """One dashboard chart (SVG). Its URL carries the version of the stored results, so the
    browser may keep it; the dashboard page that names it is the audited read."""
    svg = dashboard.chart_svg(workspace(request), scoped.org, period, chart)
    if svg is None:
        raise access.NotFound(str(chart))
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": CHART_CSP, "Cache-Control": "private, max-age=86400"},
    )


_FRAGMENTS: dict[int, tuple[list[dashboard.Section], Markup]] = {}


def _sections_html(sections: list[dashboard.Section]) -> Markup:
    """The sections' HTML, rendered once per (cached, unchanging) list of sections."""
    kept = _FRAGMENTS.get(id(sections))
    if kept is not None and kept[0] is sections:
        return kept[1]
    html = Markup(environment.get_template("dashboard_sections.html").render(sections=sections))
    if len(_FRAGMENTS) >= 64:
        _FRAGMENTS.pop(next(iter(_FRAGMENTS)))
    _FRAGMENTS[id(sections)] = (sections, html)
    return html


@router.get("/orgs/{code}/upload", response_class=HTMLResponse)
def upload_form(request: Request, scoped: Scoped, who: Who) -> Response:
    scoped.require_upload()
    return _upload_page(request, scoped, who, {})


def _upload_page(
    request: Request, scoped: access.Scope, who: Who, extra: dict[str, Any], status: int = 200
) -> Response:
    context = {
        "scoped": scoped,
        "who": who,
        "kinds": KINDS,
        "max_mb": uploads.MAX_BYTES // (1024 * 1024),
        "errors": [],
        **extra,
    }
    return render(request, "upload.html", context, status_code=status)


def _chunks(file: UploadFile) -> Any:
    while chunk := file.file.read(CHUNK):
        yield chunk


@router.post("/orgs/{code}/upload", response_class=HTMLResponse, dependencies=[CsrfChecked])
def upload(
    request: Request,
    scoped: Scoped,
    who: Who,
    kind: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    scoped.require_upload()
    ws = workspace(request)
    errors = []
    if kind not in KINDS:
        errors.append({"text": "Select the dataset", "href": "#kind"})
    if not period.strip().isdigit():
        errors.append({"text": "Enter the year as 4 digits, for example 2024", "href": "#period"})
    if file is None or not file.filename:
        errors.append({"text": "Select a CSV or Excel file", "href": "#file"})
    if errors or file is None:
        return _upload_page(request, scoped, who, {"errors": errors}, status=400)
    year = int(period)
    try:
        suffix = uploads.check_request(kind, year, file.filename or "")
        upload_id = uploads.keep(ws, scoped, suffix, _chunks(file))
    except (UsageError, uploads.TooLarge) as exc:
        status = 413 if isinstance(exc, uploads.TooLarge) else 400
        return _upload_page(
            request, scoped, who, {"errors": [{"text": str(exc), "href": "#file"}]}, status
        )
    checked = uploads.validate(ws, scoped, upload_id, kind, year, file.filename or "upload")
    access.audit_staff_read(ws, scoped, f"validation of an upload ({kind} {year})")
    return render(request, "checked.html", {"checked": checked, "scoped": scoped, "who": who})


@router.post(
    "/orgs/{code}/upload/{upload_id}", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def confirm(
    request: Request,
    scoped: Scoped,
    who: Who,
    upload_id: str,
    kind: Annotated[str, Form()] = "",
    period: Annotated[int, Form(ge=2000, le=2100)] = 2000,
    action: Annotated[str, Form()] = "store",
) -> Response:
    scoped.require_upload()
    ws = workspace(request)
    if action == "discard":
        uploads.discard(ws, scoped, upload_id)
        return _see_other(f"/orgs/{scoped.org}/upload")
    if kind not in KINDS:
        raise UsageError("unknown dataset")
    outcome = uploads.store(ws, scoped, upload_id, kind, period, quarantine=action == "quarantine")
    return render(request, "stored.html", {"outcome": outcome, "scoped": scoped, "who": who})
