"""Who may see which organisation: the ONE tenant-isolation rule of every front end.

:func:`scope` is asked before any organisation's data is read. A user of organisation A
asking for organisation B gets :class:`NotFound`, exactly as for an organisation that does
not exist, so nothing tells them B is there. Admins see every organisation of the workspace.
Assessors see published (organisation-level, suppressed) figures only, never staff-level data
(the rows of an upload); analysts and admins may upload. Every read of staff-level data is
written to the workspace's access log (:func:`audit_staff_read`).

The open index has its own rule, :func:`index_scope`: an index assessor (an assessor of no
one organisation) reaches every organisation's submission, evidence and feedback there, and
nothing else (:func:`scope` refuses them every organisation); everyone else as :func:`scope`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ladder.app.accounts import Role, User
from ladder.store import Workspace
from ladder.store import results as stored


class NotFound(LookupError):
    """No such organisation for this user (whether or not it exists)."""


class Forbidden(PermissionError):
    """The user sees the organisation but may not do this (e.g. a viewer uploading)."""


@dataclass(frozen=True)
class Scope:
    """The access of one user to one organisation."""

    user: User
    org: str

    @property
    def staff_level(self) -> bool:
        """Whether staff-level data (an upload's rows and their problems) may be shown."""
        return self.user.role in (Role.analyst, Role.admin)

    @property
    def may_upload(self) -> bool:
        return self.user.role in (Role.analyst, Role.admin)

    def require_upload(self) -> None:
        if not self.may_upload:
            raise Forbidden(f"a {self.user.role} may not upload data")


def organisations(ws: Workspace) -> list[str]:
    """Every organisation the workspace holds data of."""
    return sorted(stored.data_versions(ws))


def visible(ws: Workspace, user: User) -> list[str]:
    """The organisations ``user`` may see (an admin: all of them; others: their own)."""
    if user.role is Role.admin:
        return organisations(ws)
    return [user.org] if user.org else []


def scope(ws: Workspace, user: User, org: str) -> Scope:
    """The user's access to ``org``, or :class:`NotFound` (never telling whether it exists).

    A non-admin's own organisation is in scope even before any data of it is stored (so an
    analyst can make the first upload); an admin's only when the workspace holds its data.
    """
    code = org.strip().upper()
    if user.role is Role.admin:
        if code in stored.data_versions(ws, [code]):
            return Scope(user, code)
        raise NotFound(code)
    if user.org is not None and code == user.org.upper():
        return Scope(user, code)
    raise NotFound(code)


def index_organisations(ws: Workspace) -> list[str]:
    """Every organisation that has an open-index submission in the workspace."""
    from ladder.store import submissions

    with ws.session() as session:
        return submissions.organisations(session)


def reviews_all(user: User) -> bool:
    """Whether ``user`` reviews the open-index submissions of every organisation."""
    return user.role is Role.admin or user.index_assessor


def index_scope(ws: Workspace, user: User, org: str) -> Scope:
    """The user's access to ``org``'s open-index submission (evidence, feedback), or
    :class:`NotFound`. Index assessors and admins: any organisation with a submission or
    data; everyone else: as :func:`scope` (their own organisation only)."""
    code = org.strip().upper()
    if reviews_all(user):
        if code in index_organisations(ws) or code in stored.data_versions(ws, [code]):
            return Scope(user, code)
        raise NotFound(code)
    return scope(ws, user, code)


def index_visible(ws: Workspace, user: User) -> list[str]:
    """The organisations whose submissions ``user`` may review."""
    if reviews_all(user):
        return sorted(set(index_organisations(ws)) | set(organisations(ws)))
    return [user.org.upper()] if user.org else []


def audit_staff_read(ws: Workspace, access: Scope, what: str) -> None:
    """Record that ``access.user`` read staff-level data of ``access.org``."""
    if not access.staff_level:
        raise Forbidden("staff-level data is not shown to this role")
    ws.audit.write(access.user.email, "staff_read", f"{access.org}: {what}")


def audit_read(ws: Workspace, access: Scope, what: str) -> None:
    """Record a read of ``access.org``'s published figures."""
    ws.audit.write(access.user.email, "results_read", f"{access.org}: {what}")
