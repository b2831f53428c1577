"""The programme pages: each programme's funnel, the evaluation download, and the way to
upload participants (the upload flow of :mod:`ladder.web.pages`). Same roles and isolation
as every page: the organisation comes through :data:`~ladder.web.deps.Scoped`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ladder.app import access, programmes
from ladder.web.deps import Scoped, Who, workspace
from ladder.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/orgs/{code}/programmes", response_class=HTMLResponse)
def programme_list(request: Request, scoped: Scoped, who: Who) -> Response:
    ws = workspace(request)
    views = programmes.funnel_views(ws, scoped)
    access.audit_read(ws, scoped, "programme funnels")
    return render(request, "programmes.html", {"views": views, "scoped": scoped, "who": who})


@router.get("/orgs/{code}/programmes/report")
def programme_report(
    request: Request,
    scoped: Scoped,
    programme: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    ws = workspace(request)
    if not programme.strip():
        raise access.NotFound(programme)
    name, html = programmes.web_report(ws, scoped, programme)
    access.audit_read(ws, scoped, f"programme evaluation: {programme}")
    return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="{name}"'})
