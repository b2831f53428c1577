"""Report pages: prepare a draft, publish (the disclosure audit first), withdraw with a
reason, download a revision; and ``GET /api/v1/orgs/{code}/reports``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ladder.app import access, dashboard, publishing
from ladder.app.errors import UsageError
from ladder.web.deps import CsrfChecked, Scoped, Who, workspace
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"])

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
"""A report is one self-contained file with its own styles and no script."""


def _page(
    request: Request,
    scoped: access.Scope,
    who: Who,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    ws = workspace(request)
    periods = dashboard.dashboard(ws, scoped.org).periods
    context = {
        "scoped": scoped,
        "who": who,
        "reports": publishing.reports(ws, scoped),
        "periods": periods,
        "may_publish": publishing.may_publish(scoped),
        "errors": [],
        "findings": [],
        **(extra or {}),
    }
    return render(request, "reports.html", context, status_code=status)


@router.get("/orgs/{code}/reports", response_class=HTMLResponse)
def reports_page(request: Request, scoped: Scoped, who: Who) -> Response:
    return _page(request, scoped, who)


@router.post("/orgs/{code}/reports", response_class=HTMLResponse, dependencies=[CsrfChecked])
def prepare(
    request: Request, scoped: Scoped, who: Who, period: Annotated[str, Form()] = ""
) -> Response:
    if not publishing.may_publish(scoped):
        raise access.Forbidden(f"a {who.user.role} may not prepare reports")
    if not period.isdigit():
        errors = [{"text": "Select the year of the report", "href": "#period"}]
        return _page(request, scoped, who, {"errors": errors}, status=400)
    try:
        publishing.prepare_draft(workspace(request), scoped, int(period))
    except UsageError as exc:
        return _page(request, scoped, who, {"errors": [{"text": str(exc), "href": "#period"}]}, 400)
    return RedirectResponse(f"/orgs/{scoped.org}/reports", status_code=303)


@router.post(
    "/orgs/{code}/reports/{period}/publish",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def publish(request: Request, scoped: Scoped, who: Who, period: int) -> Response:
    try:
        publishing.publish(workspace(request), scoped, period)
    except publishing.PublishRefused as refused:
        errors = [
            {
                "text": f"The {period} report was not published: the disclosure audit found "
                f"{len(refused.findings)} withheld figure(s) that could be worked out from it",
                "href": "#findings",
            }
        ]
        extra = {"errors": errors, "findings": refused.findings}
        return _page(request, scoped, who, extra, status=409)
    except UsageError as exc:
        return _page(
            request, scoped, who, {"errors": [{"text": str(exc), "href": "#reports"}]}, 400
        )
    return RedirectResponse(f"/orgs/{scoped.org}/reports", status_code=303)


@router.post(
    "/orgs/{code}/reports/{period}/withdraw",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def withdraw(
    request: Request,
    scoped: Scoped,
    who: Who,
    period: int,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        publishing.withdraw(workspace(request), scoped, period, reason)
    except UsageError as exc:
        errors = [{"text": str(exc), "href": f"#reason-{period}"}]
        return _page(request, scoped, who, {"errors": errors}, status=400)
    return RedirectResponse(f"/orgs/{scoped.org}/reports", status_code=303)


@router.get("/orgs/{code}/reports/{period}/{revision}/{fmt}")
def download(request: Request, scoped: Scoped, period: int, revision: int, fmt: str) -> Response:
    path = publishing.report_file(workspace(request), scoped, period, revision, fmt)
    response = FileResponse(path, media_type=publishing.FORMATS[fmt], filename=path.name)
    response.headers["Content-Security-Policy"] = REPORT_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get(
    "/orgs/{code}/reports",
    summary="Reports of an organisation",
    description="Each period's report: status (draft, published, withdrawn), the withdrawal "
    "reason, and its revisions with links to their files. Assessors see published reports "
    "only.",
    response_model=list[dict[str, Any]],
    responses={404: {"description": "No such organisation (for you)"}},
)
def api_reports(request: Request, scoped: Scoped) -> list[dict[str, Any]]:
    return [r.to_dict() for r in publishing.reports(workspace(request), scoped)]
