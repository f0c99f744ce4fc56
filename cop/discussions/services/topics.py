"""Topics: finding one a user may see, and starting one with its first post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, ValidationError
from cop.discussions.models import (
    Topic,
    TopicRead,
)
from cop.discussions.services._common import (
    clean_body,
    clean_client_token,
    clean_tags,
    clean_title,
)
from cop.discussions.services.posts import _existing_post, _new_post, announce_post
from cop.discussions.services.reading import _watch
from cop.extensions import db


@dataclass
class TopicData:
    """What a member fills in to start a topic."""

    title: str
    body: str
    tags: str | list[str] | None = None
    client_token: str | None = None


def create_topic(author: User, community: Community, data: TopicData) -> Topic:
    """Start a topic with its first post; the author watches it."""
    permissions.authorize(author, "community.participate", community)
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    checks: list[tuple[str, Any, Any]] = [
        ("title", clean_title, data.title),
        ("body", clean_body, data.body),
        ("tags", clean_tags, data.tags),
        ("client_token", clean_client_token, data.client_token),
    ]
    for name, check, raw in checks:
        try:
            values[name] = check(raw)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError(fields=errors)
    existing = _existing_post(author, values["client_token"])
    if existing is not None:
        return existing.topic
    try:
        with unit_of_work():
            topic = Topic(
                community_id=community.id,
                author_id=author.id,
                title=values["title"],
                tags=values["tags"],
            )
            db.session.add(topic)
            db.session.flush()
            post = _new_post(author, topic, values["body"], None, values["client_token"])
            _watch(author, topic)
            db.session.add(
                TopicRead(user_id=author.id, topic_id=topic.id, last_read_post_id=post.id)
            )
            announce_post(post, topic, author, new_topic=True)
    except IntegrityError as exc:
        existing = _existing_post(author, values["client_token"])
        if existing is not None:
            return existing.topic
        raise Conflict() from exc
    return topic
