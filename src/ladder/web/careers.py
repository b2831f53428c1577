"""The careers pages: the public page where a resident is matched (no account, nothing kept
unless they ask), an organisation's vacancies and routes, and the reach dashboard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ladder.app import access, careers
from ladder.web.deps import Scoped, Who, workspace
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)

TOP = 10
SHOWN_EXCLUDED = 100


def _careers(request: Request) -> careers.Careers:
    found: careers.Careers | None = getattr(request.app.state, "careers", None)
    if found is None:
        found = careers.Careers(workspace(request))
        request.app.state.careers = found
    return found


def _limiter(request: Request) -> careers.UseLimiter:
    found: careers.UseLimiter | None = getattr(request.app.state, "careers_limiter", None)
    if found is None:
        found = careers.UseLimiter()
        request.app.state.careers_limiter = found
    return found


def _private(response: Response) -> Response:
    """Nothing of a resident's answers is kept by a browser or a proxy either."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "levels": careers.QUALIFICATION_LEVELS,
        "equality": careers.EQUALITY_QUESTIONS,
        "registrations": ("NMC", "HCPC", "GMC", "GDC", "GPhC", "SWE"),
        "shift_patterns": ("days", "nights", "rotating", "weekends"),
        "form": {},
        "errors": [],
        **extra,
    }


@router.get("/careers", response_class=HTMLResponse)
def careers_form(request: Request) -> Response:
    return _private(render(request, "careers_form.html", _form_context({})))


async def _form(request: Request) -> dict[str, str | list[str]]:
    form = await request.form()
    out: dict[str, str | list[str]] = {}
    for key in set(form.keys()):
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if key in ("registrations", "shifts") else (values[0] if values else "")
    return out


@router.post("/careers", response_class=HTMLResponse)
async def careers_match(request: Request) -> Response:
    form = await _form(request)
    person, errors = careers.person_from_form(form)
    if person is None:
        context = _form_context({"form": form, "errors": errors})
        return _private(render(request, "careers_form.html", context, status_code=400))
    if form.get("action") == "download":
        response = Response(
            careers.answers_json(person),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-answers.json"'},
        )
        return _private(response)
    service = _careers(request)
    result = service.match(person, top=TOP)
    if _limiter(request).allow(request.client.host if request.client else "unknown"):
        careers.count_use(workspace(request), person, result)
    context = {
        "result": result,
        "names": careers.org_names(),
        "excluded": result.excluded[:SHOWN_EXCLUDED],
        "form": form,
    }
    return _private(render(request, "careers_results.html", context))


@router.get("/orgs/{code}/careers", response_class=HTMLResponse)
def trust_careers(request: Request, scoped: Scoped, who: Who) -> Response:
    if not scoped.staff_level:
        raise access.Forbidden("vacancies and routes are managed by analysts")
    found = careers.trust_openings(_careers(request), scoped)
    access.audit_read(workspace(request), scoped, "careers openings")
    return render(request, "careers_trust.html", {"found": found, "scoped": scoped, "who": who})


@router.get("/orgs/{code}/careers/reach", response_class=HTMLResponse)
def trust_reach(request: Request, scoped: Scoped, who: Who) -> Response:
    if not scoped.staff_level:
        raise access.Forbidden("the reach dashboard is for analysts")
    ws = workspace(request)
    view = careers.reach_view(ws, scoped)
    everyone = careers.reach_view(ws, None)
    fairness = careers.fairness_view(ws)
    access.audit_read(ws, scoped, "careers reach")
    context = {"view": view, "everyone": everyone, "fairness": fairness, "scoped": scoped,
               "who": who}  # fmt: skip
    return render(request, "careers_reach.html", context)
