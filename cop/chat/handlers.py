"""Signal receivers: the live broadcast of stored, edited and deleted messages, general
channels for new communities, live notifications, and closing the sockets of users
who logged out or lost their membership."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from cop import signals
from cop.chat import events, fastsend, queries, services
from cop.chat.registry import init_registry, registry
from cop.chat.serializers import chat_message_json
from cop.communities.models import Membership
from cop.extensions import db, socketio
from cop.notifications.serializers import notification_json

log = logging.getLogger(__name__)


def _broadcast(event: str, message: Any) -> None:
    """The committed message, as ``event``, to its channel's room (whoever acted, however)."""
    if has_app_context():
        events.broadcast(events.local_server(), event, chat_message_json(message))


@signals.message_sent.connect
def _message_sent(_sender: Any, message: Any, **_kwargs: Any) -> None:
    """A stored message: ``message:new`` (the send fast path broadcasts its own)."""
    _broadcast("message:new", message)


@signals.message_edited.connect
def _message_edited(_sender: Any, message: Any, **_kwargs: Any) -> None:
    """An edited message: ``message:updated``."""
    _broadcast("message:updated", message)


@signals.message_deleted.connect
def _message_deleted(_sender: Any, message: Any, **_kwargs: Any) -> None:
    """A deleted message (its tombstone): ``message:deleted``."""
    _broadcast("message:deleted", message)


@signals.community_created.connect
def _general_channel(_sender: Any, community: Any, **_kwargs: Any) -> None:
    """Every community starts with its general channel."""
    services.ensure_general_channel(community)


@signals.notification_created.connect
def _push_notification(_sender: Any, notification: Any, **_kwargs: Any) -> None:
    """Send the committed notification to the recipient's sockets (the bell updates).

    This runs inside the session's after_commit hook, where no SQL may run: the
    payload is built from the row alone.
    """
    payload = notification_json(notification, live=True)
    socketio.emit("notification:new", payload, to=events.user_room(notification.user_id))


def _close_sockets(user_id: int, code: str) -> None:
    """Disconnect every socket of the user, in this process or another (via Redis)."""
    if not has_app_context():
        return
    socketio.emit(
        "error",
        {"code": code, "message": _("Your session ended. Please log in again.")},
        to=events.user_room(user_id),
    )
    for sid in registry().sids(user_id):
        socketio.server.disconnect(sid, namespace="/")


@signals.user_sessions_revoked.connect
def _sessions_revoked(_sender: Any, user: Any, **_kwargs: Any) -> None:
    """Log out everywhere, password change, deactivation: every socket goes."""
    _close_sockets(user.id, "session_ended")


@signals.user_logged_out.connect
def _logged_out(_sender: Any, user: Any, **_kwargs: Any) -> None:
    """A logout closes the user's sockets; other browsers still logged in reconnect."""
    _close_sockets(user.id, "logged_out")


@signals.membership_changed.connect
def _membership_changed(_sender: Any, membership: Any, **_kwargs: Any) -> None:
    """A member who left, was removed or banned stops hearing the community's channels."""
    if not has_app_context():
        return
    current = db.session.scalar(
        select(Membership).where(
            Membership.user_id == membership.user_id,
            Membership.community_id == membership.community_id,
        )
    )
    if current is not None and current.is_active:
        return
    channel_ids = {c.id for c in queries.channels_of(membership.community_id)}
    if not channel_ids:
        return
    reg = registry()
    for sid in reg.sids(membership.user_id):
        for channel_id in channel_ids:
            socketio.server.leave_room(sid, events.channel_room(channel_id), namespace="/")
            reg.leave(channel_id, sid)
        events.forget_channels(sid, channel_ids)
    socketio.emit(
        "error",
        {
            "code": "membership_ended",
            "message": _("You are no longer a member of this community."),
            "channel_ids": sorted(channel_ids),
        },
        to=events.user_room(membership.user_id),
    )
    for channel_id in channel_ids:
        events.announce_presence(channel_id)


def init_app(app: Flask) -> None:
    """Attach the Socket.IO handlers to this app's server and pick the registry."""
    init_registry(app)
    events.init_app(app, socketio)
    fastsend.install(app)
