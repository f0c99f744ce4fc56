"""What each feature's objects look like in the index, and all of them at once.

The signal receivers (handlers.py) index one object as it changes; ``every_document``
walks every indexable object in batches for ``cop search reindex`` (after a restore,
a copy to another database, an import, or an upgrade that changed what is indexed).
Both go through the same ``*_document`` functions, so a rebuilt index is the one the
receivers would have written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop.discussions import queries as discussion_queries
from cop.discussions.models import Post, Topic
from cop.extensions import db
from cop.meetings import queries as meeting_queries
from cop.meetings.models import Meeting
from cop.meetings.serializers import meeting_url
from cop.resources.models import Resource
from cop.resources.queries import search_text


@dataclass(frozen=True)
class Document:
    """One entry of the index, as services.write_documents stores it."""

    kind: str
    object_id: int
    community_id: int
    title: str
    body: str
    url: str


def topic_document(topic: Topic) -> Document | None:
    """A topic is found by its title and tags while it is not deleted."""
    if topic.deleted_at is not None:
        return None
    return Document(
        "topic",
        topic.id,
        topic.community_id,
        topic.title,
        topic.tags,
        discussion_queries.topic_url(topic),
    )


def post_document(post: Post, topic: Topic) -> Document | None:
    """Only visible posts are found (hidden and deleted ones leave the index)."""
    if not post.is_visible or topic.deleted_at is not None:
        return None
    return Document(
        "post",
        post.id,
        topic.community_id,
        topic.title,
        discussion_queries.plain_text(post.body),
        discussion_queries.post_url(post),
    )


def resource_document(resource: Resource) -> Document | None:
    """Hidden resources, and resources outside any community, are not indexed: a
    ``public`` resource of a private community is found by its members only
    (everyone else still reaches it through the public library)."""
    if resource.hidden or resource.community_id is None:
        return None
    text = search_text(resource)
    body = "\n".join(part for part in (text["body"], resource.kind.replace("_", " ")) if part)
    return Document(
        "resource", resource.id, resource.community_id, text["title"], body, text["url"]
    )


def meeting_document(meeting: Meeting) -> Document | None:
    """Title, description and agenda titles; a cancelled meeting is not found."""
    if meeting.status == "cancelled":
        return None
    text = meeting_queries.search_text(meeting)
    return Document(
        "meeting",
        meeting.id,
        meeting.community_id,
        text["title"],
        text["body"],
        meeting_url(meeting),
    )


def _batches(stmt: Any, key: Any, batch: int) -> Iterator[list[Any]]:
    """Rows of ``stmt`` in batches by ascending ``key`` (keyset: memory stays flat)."""
    after = 0
    while True:
        rows = list(db.session.scalars(stmt.where(key > after).order_by(key).limit(batch)))
        if not rows:
            return
        yield rows
        after = rows[-1].id
        db.session.expunge_all()


def every_document(batch: int = 2000) -> Iterator[list[Document]]:
    """Every indexable object of every feature, as documents, a batch at a time."""
    topics = select(Topic).where(Topic.deleted_at.is_(None))
    for rows in _batches(topics, Topic.id, batch):
        yield [d for d in map(topic_document, rows) if d]
    posts = (
        select(Post)
        .options(joinedload(Post.topic))
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None), Topic.deleted_at.is_(None))
    )
    for rows in _batches(posts, Post.id, batch):
        yield [d for d in (post_document(p, p.topic) for p in rows) if d]
    for rows in _batches(select(Resource), Resource.id, batch):
        yield [d for d in map(resource_document, rows) if d]
    for rows in _batches(select(Meeting), Meeting.id, batch):
        yield [d for d in map(meeting_document, rows) if d]
