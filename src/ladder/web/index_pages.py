"""The open index in the web service: the public ranking (no sign-in; only the published
top N are named); the assessors' list of submissions (index assessors and admins: every
organisation's); and each organisation's submission page — employers (analysts, admins)
fill in and save a framework's answers with evidence files and return to them; assessors
(and admins) review the answers, evidence, measured figures and scores, and adjust a
question's points only with a reason; the employer's users and assessors read the feedback
report (HTML, PDF). Every route that names an organisation takes it through THE index
scoping dependency; nobody reaches staff-level data here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ladder.app import access, evidence, index
from ladder.app.accounts import Role
from ladder.web.deps import CsrfChecked, IndexScoped, Who, optional_principal, workspace
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)
EDITORS = (Role.analyst, Role.admin)
ASSESSORS = (Role.assessor, Role.admin)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
DEFAULT_PERIOD = 2025


def _framework(name: str) -> str:
    known = {f["id"] for f in index.frameworks()}
    if name not in known:
        raise access.NotFound(name)
    return name


def _url(org: str, name: str, period: int, tail: str = "") -> str:
    return f"/orgs/{org}/index{tail}?framework={name}&period={period}"


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


@router.get("/index/review", response_class=HTMLResponse)
def review(
    request: Request, who: Who, framework: str = index.DEFAULT_FRAMEWORK,
    period: int = DEFAULT_PERIOD,
) -> Response:  # fmt: skip
    """The submissions an assessor reviews (index assessors and admins: every
    organisation's) for a framework and year."""
    if who.user.role not in ASSESSORS:
        raise access.Forbidden(f"a {who.user.role} does not review submissions")
    name = _framework(framework)
    rows = index.review_list(workspace(request), who.user, name, period)
    context = {"rows": rows, "who": who, "chosen": name, "period": period,
               "frameworks": index.frameworks()}  # fmt: skip
    return render(request, "index_review.html", context)


def _page(
    request: Request, scoped: access.Scope, who: Who, framework: str, period: int,
    errors: list[dict[str, str]], status: int = 200, entered: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    view = index.org_view(workspace(request), framework, org=scoped.org, period=period)
    if entered is not None:  # show what was entered, not what is stored
        view["values"], view["evidence"] = entered["values"], entered["evidence"]
    context = {
        "view": view,
        "scoped": scoped,
        "who": who,
        "errors": [{"text": e["summary"], "href": e["href"]} for e in errors],
        "field_errors": {e["question"]: e["text"] for e in errors if e.get("question")},
        "editable": who.user.role in EDITORS,
        "assessor": who.user.role in ASSESSORS,
        "frameworks": index.frameworks(),
    }
    return render(request, "index_org.html", context, status_code=status)


@router.get("/orgs/{code}/index", response_class=HTMLResponse)
def org_index(
    request: Request,
    scoped: IndexScoped,
    who: Who,
    framework: str = index.DEFAULT_FRAMEWORK,
    period: int = DEFAULT_PERIOD,
) -> Response:
    """The organisation's submission: a form to save and return to, and its scores."""
    return _page(request, scoped, who, _framework(framework), period, [])


@router.post("/orgs/{code}/index", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def save_index(
    request: Request,
    scoped: IndexScoped,
    who: Who,
    framework: str = index.DEFAULT_FRAMEWORK,
    period: int = DEFAULT_PERIOD,
) -> Response:
    """Save the answers and attach evidence files (a draft to come back to, or submitted)."""
    if who.user.role not in EDITORS:
        raise access.Forbidden(f"a {who.user.role} may not change the answers")
    name = _framework(framework)
    form = await request.form()
    values: dict[str, str | list[str]] = {}
    uploads: list[index.EvidenceUpload] = []
    for key in set(form.keys()) - {"csrf_token", "action", "remove_evidence"}:
        items = form.getlist(key)
        texts = [v for v in items if isinstance(v, str)]
        files = [v for v in items if isinstance(v, UploadFile) and v.filename]
        for f in files:  # read no more than the limit and one byte: a larger file is refused
            content = await f.read(evidence.MAX_BYTES + 1)
            uploads.append(index.EvidenceUpload(key.removesuffix(".file"), str(f.filename),
                                                content))  # fmt: skip
        if texts:
            values[key] = texts if len(texts) > 1 else texts[0]
    remove = [v for v in form.getlist("remove_evidence") if isinstance(v, str)]
    status = "submitted" if form.get("action") == "submit" else "draft"
    problems = index.save_form(workspace(request), name, org=scoped.org, period=period,
                               form=values, user=who.user.email, status=status,
                               uploads=uploads, remove=remove)  # fmt: skip
    if problems:
        titles = {q["id"]: q["text"] for s in index.show(name)["sections"] for q in s["questions"]}
        errors = [
            {**e, "href": f"#{e['question'] or 'answers'}",
             "summary": f"{titles.get(e['question'], 'The form').rstrip('?')}: {e['text']}"}
            for e in index.form_errors(problems)
        ]  # fmt: skip
        entered = {
            "values": {k: v for k, v in values.items() if not k.endswith(".evidence")},
            "evidence": {k.removesuffix(".evidence"): v for k, v in values.items()
                         if k.endswith(".evidence") and isinstance(v, str)},
        }  # fmt: skip
        return _page(request, scoped, who, name, period, errors, status=400, entered=entered)
    return RedirectResponse(_url(scoped.org, name, period), status_code=303)


@router.post("/orgs/{code}/index/adjust", response_class=HTMLResponse, dependencies=[CsrfChecked])
def adjust_index(
    request: Request,
    scoped: IndexScoped,
    who: Who,
    framework: Annotated[str, Form()] = index.DEFAULT_FRAMEWORK,
    period: Annotated[int, Form(ge=2000, le=2100)] = DEFAULT_PERIOD,
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
        href = "#reason" if "reason" in str(exc) else "#question"
        error = {"text": str(exc), "summary": str(exc), "href": href}
        return _page(request, scoped, who, name, period, [error], status=400)
    return RedirectResponse(_url(scoped.org, name, period), status_code=303)


def _feedback(request: Request, scoped: access.Scope, framework: str, period: int) -> str:
    name = _framework(framework)
    ws = workspace(request)
    try:
        html = index.workspace_feedback(ws, name, org=scoped.org, period=period)
    except LookupError:
        raise access.NotFound(scoped.org) from None
    access.audit_read(ws, scoped, f"index feedback {name} {period}")
    return html


def _document(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = REPORT_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/orgs/{code}/index/feedback", response_class=HTMLResponse)
def feedback_html(
    request: Request, scoped: IndexScoped, framework: str = index.DEFAULT_FRAMEWORK,
    period: int = DEFAULT_PERIOD,
) -> Response:  # fmt: skip
    """The organisation's feedback report (its users and assessors; audited)."""
    return _document(HTMLResponse(_feedback(request, scoped, framework, period)))


@router.get("/orgs/{code}/index/feedback/pdf")
def feedback_pdf(
    request: Request, scoped: IndexScoped, framework: str = index.DEFAULT_FRAMEWORK,
    period: int = DEFAULT_PERIOD,
) -> Response:  # fmt: skip
    """The feedback report as PDF (404 when WeasyPrint cannot run on the server)."""
    html = _feedback(request, scoped, framework, period)
    try:
        content = index.feedback_pdf(html)
    except (ImportError, OSError):
        raise access.NotFound("pdf") from None
    name = f"feedback-{framework}-{scoped.org}-{period}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return _document(Response(content, media_type="application/pdf", headers=headers))


@router.get("/orgs/{code}/index/evidence/{token}")
def evidence_file(request: Request, scoped: IndexScoped, token: str) -> Response:
    """An evidence file of the organisation (audited; another's token finds nothing)."""
    path, found = evidence.download(workspace(request), scoped, token)
    response = FileResponse(path, media_type=found.media_type, filename=found.filename)
    return _document(response)
