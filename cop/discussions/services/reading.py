"""Read positions, watching and muting topics, and reply drafts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Forbidden, ValidationError
from cop.core.types import utcnow
from cop.discussions.models import (
    MAX_BODY,
    SUBSCRIPTION_LEVELS,
    Draft,
    Topic,
    TopicRead,
    TopicSubscription,
)
from cop.extensions import db


def _watch(user: User, topic: Topic) -> None:
    """The author and repliers watch a topic unless they chose otherwise."""
    exists = db.session.scalar(
        select(TopicSubscription.id).where(
            TopicSubscription.user_id == user.id, TopicSubscription.topic_id == topic.id
        )
    )
    if exists is None:
        db.session.add(TopicSubscription(user_id=user.id, topic_id=topic.id, level="watch"))


def _set_read(user: User, topic: Topic, post_id: int) -> None:
    row = db.session.scalar(
        select(TopicRead).where(TopicRead.user_id == user.id, TopicRead.topic_id == topic.id)
    )
    if row is None:
        db.session.add(TopicRead(user_id=user.id, topic_id=topic.id, last_read_post_id=post_id))
    elif post_id > row.last_read_post_id:
        row.last_read_post_id = post_id
        row.updated_at = utcnow()


def mark_read(user: User, topic: Topic, post_id: int, current: int | None = None) -> None:
    """Remember that ``user`` read ``topic`` up to ``post_id`` (never moves backwards).

    ``current`` is the position already known to the caller: nothing is written
    when it is not behind.
    """
    if current is not None and current >= post_id:
        return
    try:
        with unit_of_work():
            _set_read(user, topic, post_id)
    except IntegrityError:
        pass  # two tabs at once: the other request recorded it


def subscribe(user: User, topic: Topic, level: str | None) -> None:
    """watch, mute, or None to go back to the default."""
    permissions.authorize(user, "topic.view", topic)
    if not getattr(user, "is_authenticated", False):
        raise Forbidden()
    if level is not None and level not in SUBSCRIPTION_LEVELS:
        raise ValidationError(fields={"level": _l("Choose watch or mute.")})
    with unit_of_work():
        row = db.session.scalar(
            select(TopicSubscription).where(
                TopicSubscription.user_id == user.id, TopicSubscription.topic_id == topic.id
            )
        )
        if level is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(TopicSubscription(user_id=user.id, topic_id=topic.id, level=level))
        else:
            row.level = level


#: built once, like the topic page's other statements
_SUBSCRIPTION_LEVEL = select(TopicSubscription.level).where(
    TopicSubscription.user_id == bindparam("user_id"),
    TopicSubscription.topic_id == bindparam("topic_id"),
)


def subscription_of(user: Any, topic: Topic) -> str | None:
    """The user's level for the topic (watch, mute or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(_SUBSCRIPTION_LEVEL, {"user_id": user.id, "topic_id": topic.id})


# --- drafts ------------------------------------------------------------------


def save_draft(user: User, topic: Topic, body: str, parent_id: int | None = None) -> Draft:
    """Keep an unsent reply on the server (an empty body clears it)."""
    permissions.authorize(user, "topic.reply", topic)
    body = (body or "").replace("\x00", "")[:MAX_BODY]
    try:
        with unit_of_work():
            draft = db.session.scalar(
                select(Draft).where(Draft.user_id == user.id, Draft.topic_id == topic.id)
            )
            if draft is None:
                draft = Draft(user_id=user.id, topic_id=topic.id)
                db.session.add(draft)
            draft.body = body
            draft.parent_id = parent_id
            draft.updated_at = utcnow()
    except IntegrityError:
        return save_draft(user, topic, body, parent_id)  # the other request made the row
    return draft


_DRAFT = select(Draft).where(
    Draft.user_id == bindparam("user_id"), Draft.topic_id == bindparam("topic_id")
)


def draft_of(user: Any, topic: Topic) -> Draft | None:
    """The user's non-empty draft for the topic."""
    if not getattr(user, "is_authenticated", False):
        return None
    draft = db.session.scalar(_DRAFT, {"user_id": user.id, "topic_id": topic.id})
    return draft if draft is not None and draft.body else None
