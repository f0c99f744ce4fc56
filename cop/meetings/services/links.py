"""What a meeting links to elsewhere: its discussion topic and its chat channel."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import NotFound
from cop.extensions import db
from cop.meetings.models import Meeting


def discussion_topic(actor: User, meeting: Meeting, meeting_url: str) -> Any:
    """The meeting's discussion topic, started by the first member who asks for it.

    ``meeting_url`` is the meeting page the topic's first post links to.
    """
    from cop.discussions import services as discussion_services
    from cop.discussions.models import Topic

    permissions.authorize(actor, "meeting.view", meeting)
    permissions.authorize(actor, "community.participate", meeting.community)
    with unit_of_work():
        # Lock the meeting row so two first clicks start one topic, not two.
        locked = db.session.scalar(
            select(Meeting).where(Meeting.id == meeting.id).with_for_update()
        )
        if locked is None:
            raise NotFound()
        existing = db.session.get(Topic, locked.topic_id) if locked.topic_id else None
        if existing is not None:
            return existing
        topic = discussion_services.create_topic(
            actor,
            meeting.community,
            discussion_services.TopicData(
                title=str(_l("Meeting: %(title)s", title=meeting.title))[:200],
                body=str(
                    _l(
                        "Questions, materials and follow-up for [%(title)s](%(url)s).",
                        title=meeting.title,
                        url=meeting_url,
                    )
                ),
                tags=["pertemuan"],
            ),
        )
        locked.topic_id = topic.id
    return topic


def chat_channel(actor: User, meeting: Meeting) -> Any:
    """The meeting's chat channel, created on first need."""
    from cop.chat import services as chat_services

    permissions.authorize(actor, "meeting.view", meeting)
    return chat_services.meeting_channel(actor, meeting.community, meeting.id, meeting.title)
