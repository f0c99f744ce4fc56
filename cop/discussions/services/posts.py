"""Posts: replies, edits, deletion, history, and what every new post does (counters,
the author watches, read position). What it causes elsewhere (the search index,
mentioned members and watchers notified) follows its signals after the commit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, ValidationError
from cop.core.ids import is_id
from cop.core.types import utcnow
from cop.discussions.models import (
    Draft,
    Post,
    PostRevision,
    Topic,
)
from cop.discussions.services._common import _render, clean_body, clean_client_token
from cop.discussions.services.reading import _set_read, _watch
from cop.extensions import db


def _existing_post(author: User, client_token: str | None) -> Post | None:
    if client_token is None:
        return None
    return db.session.scalar(
        select(Post).where(Post.author_id == author.id, Post.client_token == client_token)
    )


def _new_post(
    author: User, topic: Topic, body: str, parent_id: int | None, client_token: str | None
) -> Post:
    now = utcnow()
    post = Post(
        topic_id=topic.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        html=_render(body),
        client_token=client_token,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    topic.post_count = (topic.post_count or 0) + 1
    topic.last_post_at = now
    topic.last_post_id = post.id
    if topic.first_post_id is None:
        topic.first_post_id = post.id
    return post


def reply(
    author: User,
    topic: Topic,
    body: str,
    parent_id: int | None = None,
    client_token: str | None = None,
) -> Post:
    """Add a post to a topic (optionally in reply to one of its posts)."""
    permissions.authorize(author, "topic.reply", topic)
    if topic.locked and not permissions.can(author, "topic.moderate", topic):
        raise Forbidden(_l("This topic is locked: no new replies."), code="topic_locked")
    body = clean_body(body)
    client_token = clean_client_token(client_token)
    existing = _existing_post(author, client_token)
    if existing is not None:
        if existing.topic_id != topic.id:
            raise Conflict(_l("That client token was used for another post."), code="token_reused")
        return existing
    if parent_id is not None:
        parent = db.session.get(Post, parent_id) if is_id(parent_id) else None
        if parent is None or parent.topic_id != topic.id:
            raise ValidationError(
                fields={"parent_id": _l("Reply to a post of this topic.")}, code="bad_parent"
            )
    try:
        with unit_of_work():
            post = _new_post(author, topic, body, parent_id, client_token)
            _watch(author, topic)
            _set_read(author, topic, post.id)
            db.session.execute(
                update(Draft)
                .where(Draft.user_id == author.id, Draft.topic_id == topic.id)
                .values(body="", parent_id=None, updated_at=utcnow())
            )
            announce_post(post, topic, author, new_topic=False)
    except IntegrityError as exc:
        existing = _existing_post(author, client_token)
        if existing is not None:
            return existing
        raise Conflict() from exc
    return post


def announce_post(post: Post, topic: Topic, author: User, *, new_topic: bool) -> None:
    """Send ``post_created`` once the caller's unit of work commits."""
    signals.send_after_commit(
        signals.post_created,
        post,
        post=post,
        topic=topic,
        community=topic.community,
        author=author,
        new_topic=new_topic,
    )


def edit_post(actor: User, post: Post, body: str) -> Post:
    """Change a post's text; the previous text is kept as a revision."""
    permissions.authorize(actor, "post.edit", post)
    body = clean_body(body)
    if body == post.body:
        return post
    with unit_of_work():
        db.session.add(PostRevision(post_id=post.id, editor_id=actor.id, body=post.body))
        post.body = body
        post.html = _render(body)
        post.edited_at = utcnow()
        post.edited_by_id = actor.id
        signals.send_after_commit(
            signals.post_edited, post, post=post, topic=post.topic, actor=actor
        )
        if actor.id != post.author_id:
            record(actor, "post.edit", "post", post.id, community_id=post.topic.community_id)
    return post


def delete_post(actor: User, post: Post) -> Post:
    """Soft-delete a post (the author or a moderator); it leaves the search index."""
    permissions.authorize(actor, "post.delete", post)
    if post.deleted_at is not None:
        return post
    with unit_of_work():
        post.deleted_at = utcnow()
        topic = post.topic
        signals.send_after_commit(signals.post_deleted, post, post=post, topic=topic, actor=actor)
        if post.id == topic.solution_post_id:
            topic.solution_post_id = None
        if actor.id != post.author_id:
            record(actor, "post.delete", "post", post.id, community_id=topic.community_id)
    return post


def revisions(actor: User, post: Post) -> list[PostRevision]:
    """The earlier versions of a post, newest first (moderators only)."""
    permissions.authorize(actor, "post.history", post)
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
        )
    )


def account_is_new(user: Any, age: timedelta = timedelta(days=1)) -> bool:
    """Accounts younger than ``age`` get the stricter posting limit."""
    created = getattr(user, "created_at", None)
    return created is not None and utcnow() - created < age
