"""Reading a user's notifications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select

from cop.auth.models import User
from cop.core.pagination import Page, SortKey, keyset_page
from cop.extensions import db
from cop.notifications.models import Notification


def for_user(
    user: Any, *, unread_only: bool = False, cursor: str | None, limit: int
) -> Page[Notification]:
    """The user's notifications, newest first (keyset-paged)."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return keyset_page(
        stmt,
        [SortKey(Notification.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda n: (n.id,),
    )


#: built once: the bell asks it on every page of a logged-in member
_UNREAD_COUNT = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_count(user: Any) -> int:
    """How many notifications the user has not read (the number on the bell)."""
    return db.session.scalar(_UNREAD_COUNT, {"user_id": user.id}) or 0


def active_user(user_id: int) -> User | None:
    """The account ``user_id`` if it exists and is active (an unsubscribe link's owner)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None
