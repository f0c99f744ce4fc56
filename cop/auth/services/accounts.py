"""Account operations: register, authenticate, profile, passwords, reset, activation.

Each function owns its transaction and raises a feature error
(ValidationError, Conflict, NotFound) that the edges turn into messages.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth import handles
from cop.auth.models import LEVELS, User
from cop.auth.passwords import hash_password, password_problem, verify_password
from cop.auth.services.credentials import LAST_SEEN_EVERY, _revoke_sessions_of, touch_session
from cop.core import signing
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.timezones import DEFAULT_ZONE, is_known_zone
from cop.core.types import utcnow
from cop.extensions import db

USERNAME_RE = handles.HANDLE_RE
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
RESET_SALT = "cop-password-reset"


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
    confirmed: bool = True,
) -> User:
    """Create an account. Raises Conflict for a taken email or username.

    ``confirmed``: whether the address counts as proven (accounts an operator or the
    demo makes); self-registration passes False and mails a confirmation link.
    """
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
                email_confirmed_at=utcnow() if confirmed else None,
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


def _reset_serializer() -> URLSafeTimedSerializer:
    return signing.timed(RESET_SALT)


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


def touch_last_seen(user: User, now: datetime | None = None) -> None:
    """Record activity, at most every few minutes (cheap on every request)."""
    now = now or utcnow()
    user_stale = user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_EVERY
    seen = user.session_seen_at
    session_stale = user.session_id is not None and (seen is None or now - seen > LAST_SEEN_EVERY)
    if user_stale or session_stale:
        with unit_of_work():
            if user_stale:
                user.last_seen_at = now
                db.session.add(user)
            touch_session(user, now)


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


CONFIRM_SALT = "cop.auth.confirm-email"
#: how long a confirmation link works
CONFIRM_DAYS = 7


def _confirm_serializer() -> URLSafeTimedSerializer:
    return signing.timed(CONFIRM_SALT)


def email_confirmation_token(user: User) -> str:
    """The signed part of the link that proves ``user`` owns their address."""
    return str(_confirm_serializer().dumps({"id": user.id, "email": user.email}))


def confirm_email(token: str) -> User:
    """Mark the address a confirmation link names as proven; NotFound when the link is
    forged, expired, or for an address the account no longer has."""
    try:
        data = _confirm_serializer().loads(token[:300], max_age=CONFIRM_DAYS * 86400)
    except BadSignature as exc:
        raise NotFound(_l("This confirmation link is not valid or has expired.")) from exc
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise NotFound(_l("This confirmation link is not valid or has expired."))
    if user.email_confirmed_at is None:
        with unit_of_work():
            user.email_confirmed_at = utcnow()
            db.session.add(user)
    return user
