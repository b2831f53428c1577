"""Request dependencies: the signed-in user, CSRF checks, and THE organisation scope.

:func:`org_scope` is the one way a route gets at an organisation: every route with an
``{code}`` in its path takes it as a dependency, and it asks :func:`ladder.app.access.scope`
(404 for another organisation, whether or not it exists). The open index's routes take
:func:`index_org_scope` instead (the same rule, plus index assessors across organisations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ladder.app import access, accounts
from ladder.app.workspace import Workspace
from ladder.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, same


class SignInNeeded(Exception):
    """No valid session or token: pages redirect to sign in, the API answers 401."""


class CsrfRefused(Exception):
    """A POST without the right CSRF token."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user, how (session or token) and the session's CSRF token."""

    user: accounts.User
    via: str  # "session" | "token"
    csrf: str | None = None
    session_id: str | None = None


def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def optional_principal(request: Request) -> Principal | None:
    ws = workspace(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = accounts.token_user(ws, auth[7:].strip())
        return None if user is None else Principal(user, "token")
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        found = accounts.session_user(ws, session_id)
        if found is not None:
            return Principal(found[0], "session", found[1], session_id)
    return None


def principal(request: Request) -> Principal:
    found = optional_principal(request)
    if found is None:
        raise SignInNeeded()
    return found


async def checked_form(request: Request, who: Annotated[Principal, Depends(principal)]) -> None:
    """Refuse a session's POST without its CSRF token (form field or X-CSRF-Token header).
    Token (bearer) requests carry no cookie, so cross-site forgery cannot use them."""
    if who.via == "token":
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not same(given, who.csrf):
        raise CsrfRefused()


def org_scope(
    code: str, request: Request, who: Annotated[Principal, Depends(principal)]
) -> access.Scope:
    """THE scoping dependency: ``who``'s access to organisation ``code`` (else 404)."""
    return access.scope(workspace(request), who.user, code)


def index_org_scope(
    code: str, request: Request, who: Annotated[Principal, Depends(principal)]
) -> access.Scope:
    """THE scoping dependency of the open index's organisation routes: as :func:`org_scope`,
    except that index assessors (and admins) reach every organisation with a submission
    (:func:`ladder.app.access.index_scope`)."""
    return access.index_scope(workspace(request), who.user, code)


Scoped = Annotated[access.Scope, Depends(org_scope)]
IndexScoped = Annotated[access.Scope, Depends(index_org_scope)]
Who = Annotated[Principal, Depends(principal)]
CsrfChecked = Depends(checked_form)
