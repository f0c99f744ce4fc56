"""Reading a user's notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

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


def unread_count(user: Any) -> int:
    """How many notifications the user has not read (the number on the bell)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def with_unread(user_ids: Iterable[int], kind: str, **data: int) -> set[int]:
    """Those of ``user_ids`` who have an unread ``kind`` notification about ``data``.

    ``with_unread(ids, "flag", post_id=7)``: who was told about post 7 and has
    not looked yet, so a repeat tells them nothing new.
    """
    ids = list(user_ids)
    if not ids:
        return set()
    stmt = select(Notification.user_id).where(
        Notification.user_id.in_(ids),
        Notification.kind == kind,
        Notification.read_at.is_(None),
    )
    for key, value in data.items():
        stmt = stmt.where(Notification.data[key].as_integer() == value)
    return set(db.session.scalars(stmt))
