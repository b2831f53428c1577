"""Accounts of the web service: users, API tokens, sessions and sign-in throttling.

Passwords are kept as Argon2id hashes (argon2-cffi); API tokens and session ids are random
(``secrets``) and only their SHA-256 is stored, so a copy of the database signs nobody in.
Failed sign-ins are recorded per account and per address: after :data:`MAX_FAILURES` within
:data:`WINDOW` the account (or address) is locked out, for a time that doubles with every
further failure (:func:`lockout`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ladder.store import UsageError, Workspace
from ladder.store.audit import current_user, record
from ladder.store.models import LoginAttemptRow, SessionRow, TokenRow, UserRow, utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
BASE_LOCKOUT = timedelta(minutes=1)
MAX_LOCKOUT = timedelta(hours=1)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 12

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong
# password (no timing hint of which accounts exist).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    """What a user may do (docs/web.md, "Roles")."""

    analyst = "analyst"  # their organisation: every figure, uploads
    viewer = "viewer"  # their organisation: every figure, no uploads
    assessor = "assessor"  # their organisation: published (organisation-level) figures only;
    # without an organisation: an index assessor, who reviews every organisation's open-index
    # submissions (and nothing else)
    admin = "admin"  # every organisation


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: Role
    org: str | None

    @property
    def staff_level(self) -> bool:
        """Whether the user may see staff-level data (row-level problems of uploads)."""
        return self.role in (Role.analyst, Role.admin)

    @property
    def index_assessor(self) -> bool:
        """An assessor of the open index across organisations (an assessor of no one
        organisation): sees every organisation's submissions, never any dashboard."""
        return self.role is Role.assessor and self.org is None


@dataclass(frozen=True)
class SignedIn:
    """A new session: the cookie value (shown once) and its CSRF token."""

    session_id: str
    csrf_token: str
    user: User


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _user(row: UserRow) -> User:
    return User(row.id, row.email, Role(row.role), row.org_code)


def add_user(ws: Workspace, email: str, password: str, role: str, org: str | None) -> User:
    """Create a user (an existing e-mail is refused). Analysts and viewers need an
    organisation; an assessor without one is an index assessor (every organisation's
    open-index submissions, nothing else)."""
    address = normalise_email(email)
    if "@" not in address or len(address) > 254:
        raise UsageError(f"not an e-mail address: {email!r}")
    try:
        chosen = Role(role)
    except ValueError:
        raise UsageError(f"unknown role {role!r}: use one of {', '.join(Role)}") from None
    code = org.strip().upper() if org else None
    if chosen not in (Role.admin, Role.assessor) and not code:
        raise UsageError(f"a {chosen} belongs to an organisation: give --org CODE")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    with ws.session.begin() as session:
        if session.scalar(select(UserRow.id).where(UserRow.email == address)) is not None:
            raise UsageError(f"a user {address} already exists; nothing changed")
        row = UserRow(
            email=address,
            password_hash=_hasher.hash(password),
            role=chosen.value,
            org_code=code,
            created_at=utcnow(),
            active=True,
        )
        session.add(row)
        record(session, current_user(), "user_add", f"{address} role={chosen} org={code or '-'}")
        session.flush()
        return _user(row)


def create_token(ws: Workspace, email: str) -> str:
    """A new API token of ``email`` (returned once; only its hash is stored)."""
    token = "ldr_" + secrets.token_urlsafe(32)
    with ws.session.begin() as session:
        row = session.scalar(select(UserRow).where(UserRow.email == normalise_email(email)))
        if row is None:
            raise UsageError(f"no user {normalise_email(email)}: add one with `ladder user add`")
        session.add(TokenRow(user_id=row.id, token_hash=_digest(token), created_at=utcnow()))
        record(session, row.email, "token_create", "API token created")
    return token


def token_user(ws: Workspace, token: str) -> User | None:
    """The active user of an API token, or None."""
    with ws.session.begin() as session:
        found = session.execute(
            select(TokenRow, UserRow)
            .join(UserRow, UserRow.id == TokenRow.user_id)
            .where(TokenRow.token_hash == _digest(token), UserRow.active.is_(True))
        ).first()
        if found is None:
            return None
        found[0].last_used_at = utcnow()
        return _user(found[1])


def lockout(failures: int) -> timedelta:
    """How long sign-in stays refused after ``failures`` recent failures: none below
    :data:`MAX_FAILURES`, then one minute doubling with each further failure (at most an
    hour)."""
    if failures < MAX_FAILURES:
        return timedelta(0)
    wait: timedelta = BASE_LOCKOUT * 2 ** min(failures - MAX_FAILURES, 10)
    return min(wait, MAX_LOCKOUT)


def _locked_until(
    session: Session, column: InstrumentedAttribute[str], value: str, now: datetime
) -> datetime | None:
    failures, last = session.execute(
        select(func.count(), func.max(LoginAttemptRow.at)).where(
            column == value,
            LoginAttemptRow.at >= now - WINDOW,
        )
    ).one()
    wait = lockout(int(failures))
    if not wait or last is None:
        return None
    until: datetime = last + wait
    return until if until > now else None


class Throttled(Exception):
    """Too many failed sign-ins: refused until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"too many failed sign-ins; try again after {until:%H:%M} UTC")
        self.until = until


def sign_in(ws: Workspace, email: str, password: str, address: str) -> SignedIn | None:
    """A new session for a right e-mail and password, None for a wrong one (recorded).
    Raises :class:`Throttled` while the account or the address is locked out."""
    address = address[:64]
    who = normalise_email(email)[:254]
    now = utcnow()
    with ws.session.begin() as session:
        # tidy as we go: failures older than the window count no more, expired sessions end
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < now - WINDOW))
        session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        for column, value in ((LoginAttemptRow.email, who), (LoginAttemptRow.address, address)):
            until = _locked_until(session, column, value, now)
            if until is not None:
                raise Throttled(until)
        row = session.scalar(select(UserRow).where(UserRow.email == who))
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
            ok = row is not None and row.active
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            session.add(LoginAttemptRow(email=who, address=address, at=now))
            record(session, who, "sign_in_failed", f"from {address}")
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.email == who))
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        session.add(
            SessionRow(
                id=_digest(session_id),
                user_id=row.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        record(session, row.email, "sign_in", f"from {address}")
        return SignedIn(session_id, csrf, _user(row))


def session_user(ws: Workspace, session_id: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None (expired, signed out, unknown)."""
    with ws.reading() as session:
        found = session.execute(
            select(SessionRow, UserRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.id == _digest(session_id), UserRow.active.is_(True))
        ).first()
    if found is None or found[0].expires_at <= utcnow():
        return None
    return _user(found[1]), found[0].csrf_token


def sign_out(ws: Workspace, session_id: str) -> None:
    with ws.session.begin() as session:
        session.execute(delete(SessionRow).where(SessionRow.id == _digest(session_id)))
