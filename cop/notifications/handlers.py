"""Signal receivers: who is notified of what happened elsewhere.

Each runs after the sender's commit (``signals.send_after_commit``) and writes its
notifications in a unit of work of its own, with ``notify_many`` (each person once,
never the actor, never a deactivated account). Live delivery follows from
``notification_created`` (cop/chat/handlers.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from cop import signals
from cop.communities import queries as community_queries
from cop.core import permissions
from cop.core.mentions import mentioned_users
from cop.discussions import queries as discussion_queries
from cop.notifications.services import notify_many

# --- discussions ----------------------------------------------------------------


@signals.post_created.connect
def _post_created(
    _sender: Any, post: Any, topic: Any, author: Any, new_topic: bool = False, **_kwargs: Any
) -> None:
    """Members named with @ hear of the post; of a reply, the topic's watchers and the
    author of the post it answers too (once each, the named first)."""
    url = discussion_queries.post_url(post)
    where = {"actor": author, "community_id": topic.community_id, "post_id": post.id}
    mentioned = discussion_queries.mentioned_readers(post, topic, author)
    notify_many(
        mentioned,
        "mention",
        _l("%(name)s mentioned you in “%(title)s”", name=author.name, title=topic.title),
        url,
        **where,
    )
    if new_topic:
        return  # nobody but the author watches a topic that has just begun
    told = {author.id, *(user.id for user in mentioned)}
    notify_many(
        discussion_queries.reply_audience(post, topic, told),
        "reply",
        _l("%(name)s replied in “%(title)s”", name=author.name, title=topic.title),
        url,
        **where,
    )


@signals.post_flagged.connect
def _post_flagged(_sender: Any, flag: Any, topic: Any, flagger: Any, **_kwargs: Any) -> None:
    """Tell the community's moderators and coordinators, once per post until they look.

    "Once" is the notifications' unread dedup key, kept by the database: two flags
    filed at the same instant cannot both notify a moderator. Leaders come in a
    fixed order (role, then membership), so two such notifiers wait on each other's
    rows in the same order and never deadlock.
    """
    leaders = [
        membership.user
        for membership in community_queries.leaders(topic.community)
        if permissions.can(membership.user, "topic.moderate", topic)
    ]
    notify_many(
        leaders,
        "flag",
        _l("A post in “%(title)s” was flagged for review", title=topic.title),
        discussion_queries.flags_url(topic.community, flag),
        actor=flagger,
        community_id=topic.community_id,
        dedup_key=f"flag:post:{flag.post_id}",
        post_id=flag.post_id,
        flag_id=flag.id,
    )


# --- chat -----------------------------------------------------------------------


@signals.message_sent.connect
def _message_sent(_sender: Any, message: Any, channel: Any, author: Any, **_kwargs: Any) -> None:
    """Tell the members named with @ (who can read the channel) where they were named."""
    named = mentioned_users(
        message.body, author, lambda user: permissions.can(user, "chat.view", channel)
    )
    if not named:
        return
    notify_many(
        named,
        "mention",
        _l("%(name)s mentioned you in #%(channel)s", name=author.name, channel=channel.name),
        f"/chat/{channel.id}#m{message.id}",
        actor=author,
        community_id=channel.community_id,
        channel_id=channel.id,
        message_id=message.id,
    )


def init_app(_app: Flask) -> None:
    """Nothing to set up: the receivers above connect when create_app imports this module."""
