"""JSON shapes of discussions: a topic and a post (the API's, and any socket's).

Field names are part of the contract (DESIGN.md): add, never rename. Each shape
has a matching component schema in ``cop.api.discussions``.
"""

from __future__ import annotations

from typing import Any

from cop.auth.models import User
from cop.core.types import iso
from cop.discussions import services
from cop.discussions.models import Post, Topic


def _author_json(author: User | None) -> dict[str, Any]:
    """Who wrote it; ``{"id": null, "name": ""}`` once the account is gone."""
    return {"id": author.id if author else None, "name": author.name if author else ""}


def reactions_json(post: Post) -> dict[str, int]:
    """The post's reaction counts by kind."""
    return {"like": post.like_count, "thanks": post.thanks_count}


def post_json(post: Post) -> dict[str, Any]:
    """A post; deleted and hidden posts keep their place but lose their text."""
    shown = post.is_visible
    return {
        "id": post.id,
        "topic_id": post.topic_id,
        "parent_id": post.parent_id,
        "author": _author_json(post.author),
        "body": post.body if shown else "",
        "html": post.html if shown else "",
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "deleted": post.deleted_at is not None,
        "hidden": post.hidden_at is not None,
        "reactions": reactions_json(post),
    }


def topic_json(topic: Topic, first_post: Post | None = None) -> dict[str, Any]:
    """A topic; ``first_post`` when the caller loaded it."""
    return {
        "id": topic.id,
        "community": topic.community.slug,
        "title": topic.title,
        "tags": topic.tag_list,
        "pinned": topic.pinned,
        "locked": topic.locked,
        "solution_post_id": topic.solution_post_id,
        "post_count": topic.post_count,
        "created_at": iso(topic.created_at),
        "last_post_at": iso(topic.last_post_at),
        "author": _author_json(topic.author),
        "first_post": post_json(first_post) if first_post is not None else None,
    }


def topic_with_first_post_json(topic: Topic) -> dict[str, Any]:
    """A topic with its first post loaded (one topic; lists leave the post out)."""
    first = services.get_post(topic.first_post_id) if topic.first_post_id else None
    return topic_json(topic, first)
