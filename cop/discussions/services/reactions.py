"""Likes, thanks and the post that solved a topic."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, ValidationError
from cop.core.ids import is_id
from cop.discussions.models import (
    REACTION_KINDS,
    Post,
    Reaction,
    Topic,
)
from cop.extensions import db


def react(user: User, post: Post, kind: str, active: bool = True) -> Post:
    """Add (or take back) a like or a thanks; the same one twice changes nothing."""
    permissions.authorize(user, "post.react", post)
    if kind not in REACTION_KINDS:
        raise ValidationError(fields={"kind": _l("Choose like or thanks.")})
    if not post.is_visible:
        raise Conflict(_l("This post is not shown any more."), code="post_gone")
    counter = Post.like_count if kind == "like" else Post.thanks_count
    try:
        with unit_of_work():
            existing = db.session.scalar(
                select(Reaction).where(
                    Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind
                )
            )
            step = 0
            if active and existing is None:
                db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
                db.session.flush()
                step = 1
            elif not active and existing is not None:
                db.session.delete(existing)
                db.session.flush()
                step = -1
            if step:
                # One atomic UPDATE: a recount read in another statement would lose
                # likes committed concurrently (PostgreSQL, read committed).
                db.session.execute(
                    update(Post).where(Post.id == post.id).values({counter: counter + step})
                )
                signals.send_after_commit(
                    signals.post_reacted,
                    post,
                    post=post,
                    topic=post.topic,
                    actor=user,
                    kind=kind,
                    active=active,
                )
    except IntegrityError:
        pass  # a double click: the first request already added it
    db.session.refresh(post)
    return post


#: built once: every topic page asks it
_MY_REACTIONS = select(Reaction.post_id, Reaction.kind).where(
    Reaction.user_id == bindparam("user_id"),
    Reaction.post_id.in_(bindparam("post_ids", expanding=True)),
)


def my_reactions(user: Any, post_ids: list[int]) -> set[tuple[int, str]]:
    """(post_id, kind) pairs the user reacted with, for these posts (one query)."""
    if not getattr(user, "is_authenticated", False) or not post_ids:
        return set()
    rows = db.session.execute(_MY_REACTIONS, {"user_id": user.id, "post_ids": post_ids}).all()
    return {(r[0], r[1]) for r in rows}


def mark_solution(actor: User, topic: Topic, post_id: int | None) -> Topic:
    """The topic's author or a moderator marks the post that solved it (None clears it)."""
    permissions.authorize(actor, "topic.solve", topic)
    if post_id is not None:
        post = db.session.get(Post, post_id) if is_id(post_id) else None
        if post is None or post.topic_id != topic.id or not post.is_visible:
            raise ValidationError(fields={"post_id": _l("Choose a post of this topic.")})
    with unit_of_work():
        previous = topic.solution_post_id
        topic.solution_post_id = post_id
        if previous != post_id:
            signals.send_after_commit(
                signals.solution_marked,
                topic,
                topic=topic,
                post_id=post_id,
                previous_post_id=previous,
                actor=actor,
            )
        if actor.id != topic.author_id:
            record(
                actor, "topic.solution", "topic", topic.id,
                community_id=topic.community_id, post_id=post_id,
            )  # fmt: skip
    return topic
