"""Creating and reading notifications.

``notify`` joins the caller's unit of work; ``signals.notification_created``
fires only after that transaction commits, so live delivery never announces
something that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import force_locale
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from cop import signals
from cop.auth.models import User
from cop.core.db import unit_of_work, upsert_insert
from cop.core.types import utcnow
from cop.extensions import db
from cop.notifications import delivery
from cop.notifications.models import UNREAD_DEDUP_WHERE, Notification

_PENDING = "cop_new_notifications"


def notify(
    recipient: User,
    kind: str,
    title: Any,
    url: str = "",
    *,
    actor: User | None = None,
    community_id: int | None = None,
    dedup_key: str | None = None,
    **data: Any,
) -> Notification | None:
    """Tell ``recipient`` something; ``title`` (a lazy string) is rendered in their language.

    Nobody is notified of their own action, and deactivated users get nothing.
    With ``dedup_key`` (e.g. ``"flag:post:7"``) nothing is added while the
    recipient still has an unread notification with that key: the database
    decides, so concurrent callers cannot both add one. Returns None when
    nothing was added.
    """
    if (actor is not None and actor.id == recipient.id) or not recipient.active:
        return None
    with force_locale(recipient.locale or "id"):
        rendered = str(title)[:300]
    values: dict[str, Any] = {
        "user_id": recipient.id,
        "kind": kind,
        "title": rendered,
        "url": url[:500],
        "actor_id": actor.id if actor else None,
        "community_id": community_id,
        "data": data,
        "dedup_key": dedup_key,
    }
    with unit_of_work():
        if dedup_key is None:
            notification: Notification | None = Notification(**values)
            db.session.add(notification)
        else:
            notification = _insert_unless_unread(values)
        if notification is not None and delivery.plan(notification, recipient):
            db.session.info.setdefault(_PENDING, []).append(notification)
    return notification


def notify_many(
    recipients: Iterable[User],
    kind: str,
    title: Any,
    url: str = "",
    *,
    actor: User | None = None,
    community_id: int | None = None,
    **data: Any,
) -> list[Notification]:
    """``notify`` each of ``recipients`` (once each) in one unit of work; the rows added.

    The same rules apply to each: not the actor, not deactivated users.
    """
    added: list[Notification] = []
    seen: set[int] = set()
    with unit_of_work():
        for recipient in recipients:
            if recipient.id in seen:
                continue
            seen.add(recipient.id)
            row = notify(
                recipient, kind, title, url, actor=actor, community_id=community_id, **data
            )
            if row is not None:
                added.append(row)
    return added


def _insert_unless_unread(values: dict[str, Any]) -> Notification | None:
    """INSERT ... ON CONFLICT DO NOTHING on the unread dedup-key index; the new row or None.

    On PostgreSQL an insert that meets an uncommitted row with the same key
    waits for that transaction: if it commits, this insert does nothing; if it
    rolls back, this one goes in. No error is raised, so the caller's unit of
    work (e.g. the flag being filed) carries on either way.
    """
    stmt = (
        upsert_insert(Notification)
        .values(created_at=utcnow(), **values)
        .on_conflict_do_nothing(
            index_elements=[Notification.user_id, Notification.dedup_key],
            index_where=text(UNREAD_DEDUP_WHERE),
        )
        .returning(Notification)
    )
    return db.session.scalar(stmt)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    for notification in session.info.pop(_PENDING, []):
        signals.notification_created.send(notification, notification=notification)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's notifications read; returns how many changed."""
    stmt = (
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if ids is not None:
        wanted = [int(i) for i in ids]
        if not wanted:
            return 0
        stmt = stmt.where(Notification.id.in_(wanted))
    with unit_of_work():
        result = db.session.execute(stmt.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def open_notification(user: User, notification_id: int) -> Notification | None:
    """The user's notification, marked read (None if it is not theirs)."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is not None and notification.read_at is None:
        with unit_of_work():
            notification.read_at = utcnow()
            db.session.add(notification)
    return notification
