"""Creating and reading notifications.

``notify`` joins the caller's unit of work; ``signals.notification_created``
fires only after that transaction commits, so live delivery never announces
something that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import force_locale
from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session

from cop import signals
from cop.auth.models import User
from cop.core.db import unit_of_work, upsert_insert
from cop.core.i18n import portable
from cop.core.types import utcnow
from cop.extensions import db
from cop.notifications import delivery, preferences
from cop.notifications.models import TITLE_MESSAGE, UNREAD_DEDUP_WHERE, Notification
from cop.push import services as push_services

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
    data = _with_message(data, title)
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


def _with_message(data: dict[str, Any], title: Any) -> dict[str, Any]:
    """``data`` with the title kept as a message, to be shown later in another language."""
    message = portable(title)
    return data if message is None else {**data, TITLE_MESSAGE: message}


def notify_many(
    recipients: Iterable[User],
    kind: str,
    title: Any,
    url: str = "",
    *,
    actor: User | None = None,
    community_id: int | None = None,
    dedup_key: str | None = None,
    **data: Any,
) -> list[Notification]:
    """``notify`` each of ``recipients`` (once each) in one unit of work; the rows added.

    The same rules apply to each: not the actor, not deactivated users. Set-based:
    the recipients' preferences and push subscriptions are read and the rows inserted
    in a fixed number of statements, whatever the number of recipients (a post's
    watchers); only a deliver job per recipient who takes this kind by immediate
    mail or push adds one. Live delivery follows the commit, as with ``notify``.
    """
    people: list[User] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.id in seen or not recipient.active:
            continue
        if actor is not None and actor.id == recipient.id:
            continue
        seen.add(recipient.id)
        people.append(recipient)
    if not people:
        return []
    if dedup_key is not None:  # the database decides per row (ON CONFLICT): one at a time
        with unit_of_work():
            rows_added = (
                notify(p, kind, title, url, actor=actor, community_id=community_id,
                       dedup_key=dedup_key, **data)
                for p in people
            )  # fmt: skip
            return [row for row in rows_added if row is not None]
    data = _with_message(data, title)
    ids = [p.id for p in people]
    prefs = preferences.preferences_for(ids)
    pushing = push_services.subscribed(ids)
    titles: dict[str, str] = {}
    now = utcnow()
    rows, sends = [], []
    for person in people:
        locale = person.locale or "id"
        if locale not in titles:
            with force_locale(locale):
                titles[locale] = str(title)[:300]
        silent, will_send = delivery.decide(prefs[person.id], kind, community_id)
        sends.append(will_send(person.id in pushing))
        rows.append(
            {
                "user_id": person.id,
                "kind": kind,
                "title": titles[locale],
                "url": url[:500],
                "actor_id": actor.id if actor else None,
                "community_id": community_id,
                "data": data,
                "dedup_key": None,
                "created_at": now,
                "read_at": now if silent else None,
            }
        )
    with unit_of_work():
        # one row per recipient: RETURNING's rows are matched by user, not by order (a
        # sorted RETURNING would make SQLAlchemy insert them one at a time on SQLite)
        added = list(db.session.scalars(insert(Notification).returning(Notification), rows))
        sending = {p.id for p, send in zip(people, sends, strict=True) if send}
        for notification in added:
            if notification.user_id in sending:
                delivery.send_later(notification)
        pending = db.session.info.setdefault(_PENDING, [])
        pending.extend(n for n in added if n.read_at is None)
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
