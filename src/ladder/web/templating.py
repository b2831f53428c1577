"""Jinja templates: Ladder's pages over the nhsuk-frontend-jinja components."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nhsuk_frontend_jinja
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    select_autoescape,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ladder.app.formats import disclosure_note

HERE = Path(__file__).resolve().parent
NHSUK_TEMPLATES = Path(nhsuk_frontend_jinja.__file__).resolve().parent / "templates"

environment = Environment(
    loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(NHSUK_TEMPLATES)]),
    autoescape=select_autoescape(("html", "jinja")),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=ChainableUndefined,  # as the nhsuk-frontend-jinja templates expect
)
environment.globals["disclosure_note"] = disclosure_note
"""``{{ disclosure_note(threshold) }}``: the one explanation of withheld figures on a page."""


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    who = context.get("who")
    page = environment.get_template(name).render(
        request=request, csrf=getattr(who, "csrf", None), **context
    )
    return HTMLResponse(page, status_code=status_code)
