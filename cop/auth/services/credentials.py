"""Credentials: login sessions (cookies), API tokens, and whether one still holds.

A login session is a row per browser login whose random key the session and
remember-me cookies carry (only its SHA-256 is stored); an API token is a named
secret of the same kind. Ending a session revokes the tokens made in it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.orm import joinedload

from cop.auth.models import ApiToken, LoginSession, User
from cop.core import jobs
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, TooManyAttempts, ValidationError
from cop.core.ratelimit import Budget
from cop.core.types import utcnow
from cop.extensions import db

TOKEN_PREFIX = "cop_"  # noqa: S105 - a marker, not a secret
LAST_SEEN_EVERY = timedelta(minutes=5)
#: tokens made per account, by the page and the API alike
TOKENS_MADE = Budget("token_create", "TOKEN_CREATE_RATE_LIMIT")


# --- login sessions ---------------------------------------------------------------


def _session_hash(key: str) -> str | None:
    """The stored hash of a raw session key; None for what cannot be one of ours."""
    if not key or len(key) > 100:
        return None
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a login session for ``user`` (a successful login or registration): the raw
    key goes into the cookies, only its hash is stored. Attaches it to ``user``."""
    key = secrets.token_urlsafe(32)
    with unit_of_work():
        row = LoginSession(user_id=user.id, key_hash=hashlib.sha256(key.encode()).hexdigest())
        db.session.add(row)
    user.attach_login(key, row.id, row.created_at)
    return key


def end_session(key: str | None) -> None:
    """Log out one browser: its login session and the API tokens created in it end."""
    key_hash = _session_hash(key or "")
    if key_hash is None:
        return
    with unit_of_work():
        row = db.session.scalar(select(LoginSession).where(LoginSession.key_hash == key_hash))
        if row is not None and row.revoked_at is None:
            _revoke_rows([row])


def _revoke_sessions_of(user_id: int, keep_key: str | None = None) -> None:
    """Inside a unit of work: revoke the user's open sessions (but ``keep_key``'s)."""
    stmt = select(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)
    )
    keep_hash = _session_hash(keep_key or "")
    if keep_hash is not None:
        stmt = stmt.where(LoginSession.key_hash != keep_hash)
    _revoke_rows(list(db.session.scalars(stmt)))


def _revoke_rows(rows: list[LoginSession]) -> None:
    """Mark sessions revoked, with every API token created in them."""
    if not rows:
        return
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.session_id.in_([row.id for row in rows]), ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


#: built once: the user loader asks it on every request
_USER_BY_SESSION = (
    select(User, LoginSession.id, func.coalesce(LoginSession.last_seen_at, LoginSession.created_at))
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        LoginSession.key_hash == bindparam("key_hash"),
        LoginSession.revoked_at.is_(None),
        User.active.is_(True),
    )
)


def user_for_session(key: str) -> User | None:
    """The active user whose open login session has this raw key, else None; the user
    object carries the session (``session_key``, ``session_id``)."""
    key_hash = _session_hash(key)
    if key_hash is None:
        return None
    row = db.session.execute(_USER_BY_SESSION, {"key_hash": key_hash}).first()
    if row is None:
        return None
    user, session_id, seen_at = row
    user.attach_login(key, session_id, seen_at)
    return user


def touch_session(user: User, now: datetime) -> None:
    """Inside a unit of work: note that ``user``'s login session was used just now, at
    most every few minutes (a session's end is reckoned from its last use)."""
    seen = user.session_seen_at
    if user.session_id is None or (seen is not None and now - seen <= LAST_SEEN_EVERY):
        return
    db.session.execute(
        update(LoginSession).where(LoginSession.id == user.session_id).values(last_seen_at=now)
    )
    user.attach_login(user.session_key or "", user.session_id, now)


def session_lifetime() -> timedelta:
    """How long after its last use a login session may still be presented: the longer
    of the session cookie's and the remember-me cookie's lifetimes."""
    config = current_app.config
    return max(config["PERMANENT_SESSION_LIFETIME"], config["REMEMBER_COOKIE_DURATION"])


@jobs.periodic("auth.sessions_sweep", hour="3", minute="11")
def sweep_sessions(now: datetime | None = None) -> int:
    """Once a day: delete the login sessions that ended more than LOGIN_SESSION_GRACE_HOURS
    ago: revoked ones, and open ones unused for longer than any of their cookies lasts
    (the tokens made in those are revoked with them). How many were deleted."""
    now = now or utcnow()
    grace = timedelta(hours=float(current_app.config["LOGIN_SESSION_GRACE_HOURS"]))
    seen = func.coalesce(LoginSession.last_seen_at, LoginSession.created_at)
    expired = and_(LoginSession.revoked_at.is_(None), seen < now - session_lifetime() - grace)
    ended = or_(LoginSession.revoked_at < now - grace, expired)
    with unit_of_work():
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.session_id.in_(select(LoginSession.id).where(expired)),
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=now),
            execution_options={"synchronize_session": False},
        )
        result = db.session.execute(
            delete(LoginSession).where(ended), execution_options={"synchronize_session": False}
        )
    return int(getattr(result, "rowcount", 0) or 0)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str, *, session_id: int | None = None) -> tuple[ApiToken, str]:
    """Make a named API token; the raw value is returned once and never stored.

    ``session_id``: the login session it is made in (the tokens page); ending that
    session revokes the token too. At most TOKEN_CREATE_RATE_LIMIT per account,
    whichever way (page or API) they are made; then TooManyAttempts (429).
    """
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(fields={"name": _l("Give the token a name (at most 80 characters).")})
    if TOKENS_MADE.exhausted(f"user:{user.id}"):
        raise TooManyAttempts(_l("Too many new tokens. Try again later."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work():
        active = db.session.scalar(
            select(func.count(ApiToken.id)).where(
                ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
            )
        )
        if (active or 0) >= 50:
            raise Conflict(_l("Revoke an old token before creating more."), code="too_many_tokens")
        token = ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_token_hash(raw),
            prefix=raw[:10],
            session_id=session_id,
        )
        db.session.add(token)
    TOKENS_MADE.spend(f"user:{user.id}")
    return token, raw


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens (NotFound for someone else's)."""
    with unit_of_work():
        token = db.session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id:
            raise NotFound()
        if token.revoked_at is None:
            token.revoked_at = utcnow()
    return token


#: built once: the chat asks this on every event (statement building is the cost)
_TOKEN_WITH_USER = (
    select(ApiToken)
    .where(ApiToken.token_hash == bindparam("token_hash"))
    .options(joinedload(ApiToken.user))
)


def _lookup_hash(raw: str) -> str | None:
    """The stored hash to look a raw token up by; None for what cannot be one of ours."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    return _token_hash(raw)


def user_for_token(raw: str) -> User | None:
    """The active user behind a raw API token, or None; notes when it was last used."""
    token_hash = _lookup_hash(raw)
    if token_hash is None:
        return None
    token = db.session.scalar(_TOKEN_WITH_USER, {"token_hash": token_hash})
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_SEEN_EVERY:
        with unit_of_work():
            token.last_used_at = now
            db.session.add(token)
    return token.user


_USERS = User.__table__
_TOKENS = ApiToken.__table__
_SESSIONS = LoginSession.__table__
#: "still signed in with this credential", as a condition on the users table, by the
#: kind of credential a socket holds; other queries fold it in (the chat's send)
STANDING_CONDITIONS = {
    "token": exists().where(
        _TOKENS.c.token_hash == bindparam("token_hash"),
        _TOKENS.c.revoked_at.is_(None),
        _TOKENS.c.user_id == _USERS.c.id,
    ),
    "session": exists().where(
        _SESSIONS.c.key_hash == bindparam("session_hash"),
        _SESSIONS.c.revoked_at.is_(None),
        _SESSIONS.c.user_id == _USERS.c.id,
    ),
}
#: built once, plain Core (no ORM objects): the chat asks one of these on every event
_STANDING = {
    kind: select(_USERS.c.active, _USERS.c.is_admin).where(
        _USERS.c.id == bindparam("user_id"), condition
    )
    for kind, condition in STANDING_CONDITIONS.items()
}


@dataclass(frozen=True)
class Standing:
    """What may have changed about a signed-in user since their object was loaded."""

    active: bool
    is_admin: bool


def standing_params(kind: str, credential: str) -> dict[str, str] | None:
    """The parameters of ``STANDING_CONDITIONS[kind]`` for a raw API token ("token") or
    a login session's raw key ("session"); None for what cannot be one of ours."""
    if kind == "token":
        token_hash = _lookup_hash(credential)
        return None if token_hash is None else {"token_hash": token_hash}
    session_hash = _session_hash(credential)
    return None if session_hash is None else {"session_hash": session_hash}


def standing(user_id: int, kind: str, credential: str) -> Standing | None:
    """Whether the user is still signed in with this raw API token (``kind`` "token",
    not revoked) or this login session's key ("session", not logged out): their
    current standing, or None.

    One indexed query and no ORM objects: cheap enough to ask on every chat event.
    """
    params = standing_params(kind, credential)
    if params is None:
        return None
    row = db.session.execute(_STANDING[kind], {**params, "user_id": user_id}).first()
    return None if row is None else Standing(active=bool(row[0]), is_admin=bool(row[1]))
