"""The fast path of ``message:send``: the common case of the chat's hottest event.

A send is most often a plain message (nobody @named, no reply) from a socket that has
joined the channel, whose user object is fresh. That case is handled here,
registered directly on python-socketio with an app context only, skipping
Flask-SocketIO's per-event request context and the ORM Session (measured: a
third to a half of the CPU a send costs, see bench/README.md). It still does
what the general handler does, in one transaction:

* the per-socket flood limit first (one token per event, fast or not);
* is the user still signed in with this token or session, and active, and is
  their admin flag unchanged (one query, folded with the next);
* the channel, its community and the user's membership, asked of the one
  permissions policy (``chat.send``) with detached objects;
* the insert and the channel's last id (``services.insert_message``), then the
  broadcast after the commit, and the same ack (``chat_message_json``).

It never refuses. Anything else (a bad payload, a refusal, a resend of the same
client_id, a mention, a stale user object, an error) is left to the general
handler, ``events.on_send`` under Flask-SocketIO, which answers as it always
has; nothing is written here in that case.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from cop.auth.models import User
from cop.chat import queries, services
from cop.chat.events import USER_REFRESH, LocalSockets, SocketState, broadcast
from cop.chat.serializers import chat_message_json
from cop.core import permissions
from cop.core.db import write_connection
from cop.core.errors import ValidationError
from cop.core.inputs import clean_payload
from cop.core.mentions import mentioned_names

log = logging.getLogger(__name__)

EVENT = "message:send"


class Declined(Exception):
    """Leave this event to the general handler (nothing was written)."""


def install(app: Flask) -> None:
    """Put the fast path in front of the general ``message:send`` handler of ``app``'s
    Socket.IO server (after ``events.init_app``)."""
    local: LocalSockets = app.extensions["cop_chat"]
    server = local.server
    general: Callable[..., Any] = server.handlers["/"][EVENT]

    def on_send(sid: str, data: Any = None, *extra: Any) -> Any:
        ack = send(app, local, sid, data)
        return ack if ack is not None else general(sid, data, *extra)

    server.on(EVENT, on_send, namespace="/")


def _clean(data: dict[str, Any]) -> bool:
    """The payload as the input layer would pass it; else the general handler refuses
    or cleans it (``clean_payload``: text, control characters, nesting)."""
    try:
        return bool(clean_payload(data) == data)
    except ValidationError:
        return False


def send(app: Flask, local: LocalSockets, sid: str, data: Any) -> dict[str, Any] | None:
    """Store and broadcast a plain message; the ack, or None to leave it to the
    general handler."""
    state = local.sockets.get(sid)
    if state is None or not isinstance(data, dict):
        return None
    user = state.user
    channel_id = data.get("channel_id")
    body = data.get("body")
    if (
        user is None
        or time.monotonic() - state.loaded_at >= USER_REFRESH
        or type(channel_id) is not int
        or channel_id not in state.channels
        or not isinstance(body, str)
        or not _clean(data)
        or mentioned_names(body)
        or data.get("reply_to_id") is not None
        or data.get("attachment_id") is not None
    ):
        return None
    # The flood limit comes before any work (rendering a long body is the dearest).
    if not state.bucket.take():
        return None  # the general handler refuses, and counts the refusal
    state.refused = 0
    try:
        with app.app_context():
            payload = _store(state, user, channel_id, body, data.get("client_id"))
    except (Declined, ValidationError):
        state.bucket.refund()
        return None
    except Exception:  # nothing was committed: the general handler tries again and reports
        log.exception("chat: the fast path of %s failed", EVENT)
        state.bucket.refund()
        return None
    # The same broadcast as the message_sent receiver's, without blinker: a plain
    # message has nobody to notify, so the broadcast is all that signal would do.
    broadcast(local.server, "message:new", payload)
    return {"ok": True, "message": payload}


def _store(
    state: SocketState, user: User, channel_id: int, body: str, client_id: Any
) -> dict[str, Any]:
    """Check, insert and build the message's JSON in one transaction; Declined (rolled
    back) unless all is well. Nothing after the commit can fail but the broadcast."""
    row = services.prepare_message(user, channel_id, body, client_id)
    with write_connection() as connection:
        found = queries.channel_to_send(connection, user, channel_id, state.kind, state.credential)
        if found is None:
            raise Declined
        standing, channel = found
        if not standing.active or standing.is_admin != bool(user.is_admin):
            raise Declined  # ended, or the user object must be loaded again
        if not permissions.can(user, "chat.send", channel):
            raise Declined
        message_id = services.insert_message(
            connection.execute, connection.dialect.name, row, locked=True
        )
        if message_id is None:
            raise Declined  # a resend: the general handler answers with the first message
        return chat_message_json(services.stored_message(row, message_id, user))
