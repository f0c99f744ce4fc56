"""Account operations: register, authenticate, profile, passwords, API tokens.

Each function owns its transaction and raises a feature error
(ValidationError, Conflict, NotFound) that the edges turn into messages.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from cop import signals
from cop.auth import handles
from cop.auth.models import LEVELS, ApiToken, LoginSession, User
from cop.auth.passwords import hash_password, password_problem, verify_password
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.timezones import DEFAULT_ZONE, is_known_zone
from cop.core.types import utcnow
from cop.extensions import db

USERNAME_RE = handles.HANDLE_RE
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "cop_"  # noqa: S105 - a marker, not a secret
RESET_SALT = "cop-password-reset"
LAST_SEEN_EVERY = timedelta(minutes=5)


@dataclass
class Profile:
    """The editable profile fields; None means "leave unchanged"."""

    name: str | None = None
    username: str | None = None
    school: str | None = None
    subjects: str | None = None
    level: str | None = None
    province: str | None = None
    city: str | None = None
    timezone: str | None = None
    locale: str | None = None
    bio: str | None = None


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _unique_username(name: str) -> str:
    """A free, short handle made from ``name`` (cop/auth/handles.py)."""
    prefix = handles.base_of(name)
    taken = db.session.scalars(select(User.username).where(User.username.like(f"{prefix}%"))).all()
    return handles.pick(name, taken)


def _check_username(username: str, *, exclude_id: int | None = None) -> str:
    username = username.strip().lower().lstrip("@")
    if not USERNAME_RE.match(username):
        raise ValidationError(
            fields={
                "username": _l("3-32 characters: lowercase letters, digits, _ and dots between.")
            }
        )
    stmt = select(User.id).where(User.username == username)
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise Conflict(_l("That username is taken."), code="username_taken")
    return username


def _check_choice(field: str, value: str | None, allowed: tuple[str, ...] | set[str]) -> None:
    if value not in allowed:
        raise ValidationError(fields={field: _l("Not a valid choice.")})


def register(
    email: str,
    password: str,
    name: str,
    *,
    username: str | None = None,
    locale: str = "id",
    timezone: str = DEFAULT_ZONE,
    is_admin: bool = False,
) -> User:
    """Create an account. Raises Conflict for a taken email or username."""
    email = normalize_email(email)
    name = name.strip()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationError(fields={"email": _l("Enter a valid email address.")})
    if not name or len(name) > 120:
        raise ValidationError(fields={"name": _l("Enter your name (at most 120 characters).")})
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ValidationError(fields={"password": problem})
    _check_choice("locale", locale, current_app.config["LANGUAGES"])
    if not is_known_zone(timezone):
        raise ValidationError(fields={"timezone": _l("Choose WIB, WITA or WIT.")})
    password_hash = hash_password(password)
    taken = Conflict(_l("An account with this email already exists."), code="email_taken")
    try:
        with unit_of_work():
            if db.session.scalar(select(User.id).where(User.email == email)) is not None:
                raise taken
            handle = _check_username(username) if username else _unique_username(name)
            user = User(
                email=email,
                username=handle,
                name=name,
                password_hash=password_hash,
                locale=locale,
                timezone=timezone,
                is_admin=is_admin,
            )
            db.session.add(user)
    except IntegrityError as exc:
        # A concurrent registration with the same email won the race.
        raise taken from exc
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (no hint which was wrong)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        # Spend the same time as a real check so timing does not reveal accounts.
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = "fast" if current_app.config.get("PASSWORD_HASH_FAST") else "slow"
    if key not in _DUMMY:
        _DUMMY[key] = hash_password(secrets.token_hex(8))
    return _DUMMY[key]


def update_profile(user: User, profile: Profile) -> User:
    """Save profile changes; the username must stay unique."""
    if profile.name is not None and not (0 < len(profile.name.strip()) <= 120):
        raise ValidationError(fields={"name": _l("Enter your name (at most 120 characters).")})
    if profile.level not in (None, "", *LEVELS):
        raise ValidationError(fields={"level": _l("Not a valid choice.")})
    if profile.timezone is not None and not is_known_zone(profile.timezone):
        raise ValidationError(fields={"timezone": _l("Choose WIB, WITA or WIT.")})
    if profile.locale is not None:
        _check_choice("locale", profile.locale, current_app.config["LANGUAGES"])
    limits = {"school": 160, "subjects": 255, "province": 80, "city": 80, "bio": 4000}
    for field, limit in limits.items():
        value = getattr(profile, field)
        if value is not None and len(value) > limit:
            raise ValidationError(fields={field: _l("At most %(n)d characters.", n=limit)})
    with unit_of_work():
        if profile.username is not None and profile.username.strip().lower() != user.username:
            user.username = _check_username(profile.username, exclude_id=user.id)
        for field in (
            "name",
            "school",
            "subjects",
            "province",
            "city",
            "bio",
            "timezone",
            "locale",
        ):
            value = getattr(profile, field)
            if value is not None:
                setattr(user, field, value.strip())
        if profile.level is not None:
            user.level = profile.level or None
        db.session.add(user)
    return user


def change_password(user: User, current: str, new: str, *, keep_session: str | None = None) -> User:
    """Change the password after checking the current one; every other login session
    ends (``keep_session``, the raw key of the one asking, stays)."""
    if not verify_password(user.password_hash, current):
        raise ValidationError(fields={"current_password": _l("The current password is wrong.")})
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ValidationError(fields={"new_password": problem})
    _renew_credentials(user, new, keep_session=keep_session)
    return user


def revoke_sessions(user: User) -> None:
    """Log the user out everywhere: every login session (browser, remember-me cookie,
    socket) ends, and so does every API token created in one of them."""
    _renew_credentials(user)


def _renew_credentials(
    user: User, new_password: str | None = None, *, keep_session: str | None = None
) -> None:
    """Set the new password (if any), then end every login session but ``keep_session``.

    The signal goes after the commit, so listeners (the chat closing sockets) see
    the sessions ended.
    """
    with unit_of_work():
        if new_password is not None:
            user.password_hash = hash_password(new_password)
            db.session.add(user)
        _revoke_sessions_of(user.id, keep_session)
    signals.user_sessions_revoked.send(user, user=user)


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
    user.attach_login(key, row.id)
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
    select(User, LoginSession.id)
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
    user, session_id = row
    user.attach_login(key, session_id)
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def password_reset_token(user: User) -> str:
    """A signed, expiring token bound to the current password (so it works once)."""
    return _reset_serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User:
    """The user a reset token belongs to; NotFound if it is invalid, used or expired."""
    max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise NotFound(
            _l("This reset link has expired. Ask for a new one."), code="expired"
        ) from exc
    except BadSignature as exc:
        raise NotFound(_l("This reset link is not valid."), code="invalid_token") from exc
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise NotFound(_l("This reset link is not valid."), code="invalid_token")
    return user


def reset_password(token: str, new: str) -> User:
    """Set a new password from a reset link; the link stops working afterwards."""
    user = user_for_reset_token(token)
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise ValidationError(fields={"password": problem})
    _renew_credentials(user, new)
    return user


def find_by_email(email: str) -> User | None:
    """The account with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str, *, session_id: int | None = None) -> tuple[ApiToken, str]:
    """Make a named API token; the raw value is returned once and never stored.

    ``session_id``: the login session it is made in (the tokens page); ending that
    session revokes the token too.
    """
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(fields={"name": _l("Give the token a name (at most 80 characters).")})
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


def touch_last_seen(user: User, now: datetime | None = None) -> None:
    """Record activity, at most every few minutes (cheap on every request)."""
    now = now or utcnow()
    if user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_EVERY:
        with unit_of_work():
            user.last_seen_at = now
            db.session.add(user)


def set_active(actor: User, user: User, active: bool) -> User:
    """Admin: deactivate or reactivate an account (deactivated users are logged out)."""
    from cop.admin.services import record

    with unit_of_work():
        user.active = active
        if not active:
            _revoke_sessions_of(user.id)
        db.session.add(user)
        record(actor, "user.activate" if active else "user.deactivate", "user", user.id)
    if not active:
        signals.user_sessions_revoked.send(user, user=user)
    return user
