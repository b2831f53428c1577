"""The socio-economic background staff survey: an analyst opens it and reads its protected
aggregates; staff answer through the link ``/s/<token>`` without an account (no session,
no address kept; the server's access log skips these paths: :mod:`ladder.web.main`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ladder.app import surveys
from ladder.app.errors import UsageError
from ladder.web.deps import CsrfChecked, Scoped, Who, workspace
from ladder.web.security import new_token, same
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)

SURVEY_CSRF_COOKIE = "ladder_survey_csrf"
LABELS = {"ethnicity": "ethnic group", "disability": "disability", "pay_band": "pay band"}


@router.get("/orgs/{code}/surveys", response_class=HTMLResponse)
def list_page(request: Request, scoped: Scoped, who: Who) -> Response:
    found = surveys.surveys(workspace(request), scoped)
    return render(request, "surveys.html", {"scoped": scoped, "who": who, "surveys": found})


@router.post("/orgs/{code}/surveys", dependencies=[CsrfChecked])
def open_survey(
    request: Request, scoped: Scoped, title: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    opened = surveys.open_survey(workspace(request), scoped, title)
    return RedirectResponse(f"/orgs/{scoped.org}/surveys/{opened.id}", status_code=303)


@router.get("/orgs/{code}/surveys/{survey_id}", response_class=HTMLResponse)
def results_page(
    request: Request, scoped: Scoped, who: Who, survey_id: int, by: str | None = None
) -> Response:
    ws = workspace(request)
    view = surveys.results(ws, scoped, survey_id, by or None)
    indicators = surveys.indicator_rows(ws, scoped, survey_id)
    context = {
        "scoped": scoped,
        "who": who,
        "view": view,
        "questions": surveys.QUESTIONS,
        "breakdowns": LABELS,
        "indicators": indicators,
        "link": str(request.base_url).rstrip("/") + view.survey.link,
        "threshold": surveys.THRESHOLD,
    }
    return render(request, "survey_results.html", context)


@router.post("/orgs/{code}/surveys/{survey_id}/close", dependencies=[CsrfChecked])
def close(request: Request, scoped: Scoped, survey_id: int) -> Response:
    surveys.close_survey(workspace(request), scoped, survey_id)
    return RedirectResponse(f"/orgs/{scoped.org}/surveys/{survey_id}", status_code=303)


@router.post("/orgs/{code}/surveys/{survey_id}/anonymity", dependencies=[CsrfChecked])
def anonymity(
    request: Request, scoped: Scoped, survey_id: int, anonymous: Annotated[str, Form()] = "yes"
) -> Response:
    surveys.set_anonymous(workspace(request), scoped, survey_id, anonymous == "yes")
    return RedirectResponse(f"/orgs/{scoped.org}/surveys/{survey_id}", status_code=303)


# --------------------------------------------------------------------------- staff (public)


def _form(
    request: Request,
    token: str,
    errors: list[dict[str, str]],
    given: dict[str, str],
    status: int = 200,
) -> Response:
    try:
        found = surveys.by_link(workspace(request), token)
    except surveys.SurveyClosed:
        return render(request, "survey_closed.html", {}, status_code=404)
    csrf = new_token()
    context = {
        "survey": found,
        "questions": surveys.QUESTIONS,
        "optional": surveys.OPTIONAL,
        "errors": errors,
        "given": given,
        "survey_csrf": csrf,
    }
    response = render(request, "survey_form.html", context, status_code=status)
    request.app.state.security.set_cookie(response, SURVEY_CSRF_COOKIE, csrf, 3600)
    return response


@router.get("/s/{token}", response_class=HTMLResponse)
def answer_form(request: Request, token: str) -> Response:
    return _form(request, token, [], {})


@router.post("/s/{token}", response_class=HTMLResponse)
async def answer(request: Request, token: str) -> Response:
    form = await request.form()
    given = {k: v for k, v in form.items() if isinstance(v, str)}
    if not same(given.get("csrf_token"), request.cookies.get(SURVEY_CSRF_COOKIE)):
        errors = [{"text": "The form had expired: answer again", "href": "#parent_occupation"}]
        return _form(request, token, errors, given, status=403)
    _, missing = surveys.check_answers(given)
    if missing:
        errors = [{"text": f"Answer: {surveys.QUESTION[m].text}", "href": f"#{m}"} for m in missing]
        return _form(request, token, errors, given, status=400)
    try:
        surveys.answer(workspace(request), token, given)
    except surveys.SurveyClosed:
        return render(request, "survey_closed.html", {}, status_code=404)
    except UsageError as exc:
        return _form(request, token, [{"text": str(exc), "href": "#parent_occupation"}], given, 400)
    response = render(request, "survey_thanks.html", {})
    request.app.state.security.clear_cookie(response, SURVEY_CSRF_COOKIE)
    return response
