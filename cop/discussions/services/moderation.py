"""Flags and moderation: flagging posts, the moderators' answer, hiding and
restoring posts, pinning, locking and moving topics. Every moderator action is
audited; the moderators hear of a flag, and the search index follows hidden
posts and moved topics, through signals sent after the commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.types import utcnow
from cop.discussions.models import (
    FLAG_REASONS,
    Flag,
    Post,
    Topic,
)
from cop.extensions import db


def flag_post(user: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member asks the moderators to look at a post (once per member and post)."""
    permissions.authorize(user, "post.flag", post)
    if reason not in FLAG_REASONS:
        raise ValidationError(fields={"reason": _l("Choose a reason.")})
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 500:
        raise ValidationError(fields={"note": _l("At most %(n)d characters.", n=500)})
    try:
        with unit_of_work():
            flag = Flag(
                post_id=post.id,
                community_id=post.topic.community_id,
                user_id=user.id,
                reason=reason,
                note=note,
            )
            db.session.add(flag)
            db.session.flush()
            signals.send_after_commit(
                signals.post_flagged, flag, flag=flag, post=post, topic=post.topic, flagger=user
            )
    except IntegrityError as exc:
        raise Conflict(_l("You already flagged this post."), code="already_flagged") from exc
    return flag


def get_flag(flag_id: int) -> Flag:
    """The flag, or NotFound."""
    flag = db.session.get(Flag, flag_id) if is_id(flag_id) else None
    if flag is None:
        raise NotFound()
    return flag


def resolve_flag(actor: User, flag: Flag, action: str) -> Flag:
    """A moderator hides the flagged post, or dismisses the flag."""
    permissions.authorize(actor, "topic.moderate", flag.post.topic)
    if action not in ("hide", "dismiss"):
        raise ValidationError(fields={"action": _l("Choose hide or dismiss.")})
    with unit_of_work():
        if action == "hide":
            set_hidden(actor, flag.post, True)
        now = utcnow()
        for other in db.session.scalars(
            select(Flag).where(Flag.post_id == flag.post_id, Flag.resolved_at.is_(None))
        ):
            other.resolved_at = now
            other.resolved_by_id = actor.id
            other.resolution = action
        record(
            actor, f"flag.{action}", "post", flag.post_id,
            community_id=flag.community_id, flag_id=flag.id,
        )  # fmt: skip
    return flag


def set_hidden(actor: User, post: Post, hidden: bool) -> Post:
    """A moderator hides a post (members see a placeholder) or restores it."""
    topic = post.topic
    permissions.authorize(actor, "topic.moderate", topic)
    with unit_of_work():
        if hidden and post.hidden_at is None:
            post.hidden_at = utcnow()
            post.hidden_by_id = actor.id
            if topic.solution_post_id == post.id:
                topic.solution_post_id = None
        elif not hidden and post.hidden_at is not None:
            post.hidden_at = None
            post.hidden_by_id = None
        else:
            return post
        signals.send_after_commit(
            signals.post_hidden, post, post=post, topic=topic, actor=actor, hidden=hidden
        )
        record(
            actor, "post.hide" if hidden else "post.restore", "post", post.id,
            community_id=topic.community_id,
        )  # fmt: skip
    return post


def set_topic_state(
    actor: User, topic: Topic, *, pinned: bool | None = None, locked: bool | None = None
) -> Topic:
    """Pin/unpin, lock/unlock a topic (moderators); each change is audited."""
    permissions.authorize(actor, "topic.moderate", topic)
    with unit_of_work():
        for name, value in (("pinned", pinned), ("locked", locked)):
            if value is None or getattr(topic, name) == value:
                continue
            setattr(topic, name, value)
            action = {
                ("pinned", True): "topic.pin",
                ("pinned", False): "topic.unpin",
                ("locked", True): "topic.lock",
                ("locked", False): "topic.unlock",
            }[(name, value)]
            record(actor, action, "topic", topic.id, community_id=topic.community_id)
    return topic


def move_topic(actor: User, topic: Topic, target: Community) -> Topic:
    """Move a topic to another community the moderator also moderates."""
    permissions.authorize(actor, "topic.moderate", topic)
    if not permissions.can(actor, "community.moderate", target):
        raise Forbidden(_l("You can only move topics to communities you moderate."))
    if target.id == topic.community_id:
        return topic
    source = topic.community_id
    with unit_of_work():
        topic.community_id = target.id
        db.session.execute(
            update(Flag)
            .where(Flag.post_id.in_(select(Post.id).where(Post.topic_id == topic.id)))
            .values(community_id=target.id)
        )
        post_ids = list(db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)))
        signals.send_after_commit(
            signals.topic_moved, topic, topic=topic, post_ids=post_ids, source_id=source,
            target=target, actor=actor,
        )  # fmt: skip
        record(actor, "topic.move", "topic", topic.id, community_id=source, to=target.id)
        record(actor, "topic.move", "topic", topic.id, community_id=target.id, source=source)
    db.session.refresh(topic)
    return topic
