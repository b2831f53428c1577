"""The open index in the web service: the public ranking (no sign-in; only the published
top N are named), and each organisation's submission page — employers (analysts, admins)
fill in and save a framework's answers and return to them; assessors (and admins) review the
scores and adjust a question's points only with a reason. Every route that names an
organisation takes it through THE scoping dependency; assessors see the submission and
organisation-level figures only, never staff-level data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ladder.app import access, index
from ladder.app.accounts import Role
from ladder.web.deps import CsrfChecked, Scoped, Who, optional_principal, workspace
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)
EDITORS = (Role.analyst, Role.admin)
ASSESSORS = (Role.assessor, Role.admin)


def _framework(name: str) -> str:
    known = {f["id"] for f in index.frameworks()}
    if name not in known:
        raise access.NotFound(name)
    return name


@router.get("/index", response_class=HTMLResponse)
def public_index(
    request: Request,
    framework: str = index.DEFAULT_FRAMEWORK,
    period: int | None = None,
) -> Response:
    """The public ranking of a framework (anyone, signed in or not). How many are named is
    the index body's choice (``index.DEFAULT_TOP``), never the visitor's."""
    name = _framework(framework)
    doc = index.workspace_ranking(workspace(request), name, period=period)
    body = index.ranking_page_body(doc) if doc is not None else None
    context = {
        "frameworks": index.frameworks(),
        "chosen": name,
        "body": body,
        "who": optional_principal(request),
    }
    return render(request, "index_public.html", context)


def _page(
    request: Request, scoped: access.Scope, who: Who, framework: str, period: int,
    errors: list[dict[str, str]], status: int = 200,
) -> Response:  # fmt: skip
    view = index.org_view(workspace(request), framework, org=scoped.org, period=period)
    context = {
        "view": view,
        "scoped": scoped,
        "who": who,
        "errors": errors,
        "editable": who.user.role in EDITORS,
        "assessor": who.user.role in ASSESSORS,
        "frameworks": index.frameworks(),
    }
    return render(request, "index_org.html", context, status_code=status)


@router.get("/orgs/{code}/index", response_class=HTMLResponse)
def org_index(
    request: Request,
    scoped: Scoped,
    who: Who,
    framework: str = index.DEFAULT_FRAMEWORK,
    period: int = 2025,
) -> Response:
    """The organisation's submission: a form to save and return to, and its scores."""
    return _page(request, scoped, who, _framework(framework), period, [])


@router.post("/orgs/{code}/index", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def save_index(
    request: Request,
    scoped: Scoped,
    who: Who,
    framework: str = index.DEFAULT_FRAMEWORK,
    period: int = 2025,
) -> Response:
    """Save the answers (a draft to come back to, or submitted)."""
    if who.user.role not in EDITORS:
        raise access.Forbidden(f"a {who.user.role} may not change the answers")
    name = _framework(framework)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    status = "submitted" if values.pop("action", "save") == "submit" else "draft"
    problems = index.save_form(workspace(request), name, org=scoped.org, period=period,
                               form=values, user=who.user.email, status=status)  # fmt: skip
    if problems:
        errors = [{"text": f"{p.field}: {p.message}", "href": "#answers"} for p in problems]
        return _page(request, scoped, who, name, period, errors, status=400)
    url = f"/orgs/{scoped.org}/index?framework={name}&period={period}"
    return RedirectResponse(url, status_code=303)


@router.post("/orgs/{code}/index/adjust", response_class=HTMLResponse, dependencies=[CsrfChecked])
def adjust_index(
    request: Request,
    scoped: Scoped,
    who: Who,
    framework: Annotated[str, Form()] = index.DEFAULT_FRAMEWORK,
    period: Annotated[int, Form(ge=2000, le=2100)] = 2025,
    question: Annotated[str, Form(max_length=64)] = "",
    points: Annotated[float, Form(ge=0)] = 0.0,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """An assessor's adjustment of one question's points, with its reason (audited)."""
    if who.user.role not in ASSESSORS:
        raise access.Forbidden(f"a {who.user.role} may not adjust scores")
    name = _framework(framework)
    try:
        index.adjust(workspace(request), name, org=scoped.org, period=period,
                     question=question, points=points, reason=reason,
                     assessor=who.user.email)  # fmt: skip
    except (ValueError, LookupError) as exc:
        return _page(request, scoped, who, name, period,
                     [{"text": str(exc), "href": "#adjust"}], status=400)  # fmt: skip
    url = f"/orgs/{scoped.org}/index?framework={name}&period={period}"
    return RedirectResponse(url, status_code=303)
