"""Helpers for the discussion tests: a community with members, topics and replies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cop.auth.models import User
from cop.communities.models import Community
from cop.discussions.models import Post, Topic
from tests.factories import Factory


@dataclass
class Forum:
    """A community with a coordinator, a member, an outsider, and one topic."""

    community: Community
    coordinator: User
    member: User
    outsider: User
    topic: Topic


def make_topic(
    app: Any,
    author: User,
    community: Community,
    title: str = "Asesmen diagnostik",
    body: str = "Bagaimana cara membuat asesmen diagnostik?",
    tags: str = "",
) -> Topic:
    """A topic started through the service (``factory.topic`` with this module's defaults)."""
    return Factory(app).topic(community, author, title=title, body=body, tags=tags)


def make_reply(
    app: Any, author: User, topic: Topic, body: str, parent_id: int | None = None
) -> Post:
    """A reply through the service (``factory.post``)."""
    return Factory(app).post(topic, author, body, parent=parent_id)


def forum(app: Any, factory: Any, visibility: str = "public") -> Forum:
    """A community (``visibility``) with people in each role and one topic by the member."""
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, visibility=visibility)
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    outsider = factory.user(name="Bu Luar", locale="en")
    topic = make_topic(app, member, community)
    return Forum(community, coordinator, member, outsider, topic)
