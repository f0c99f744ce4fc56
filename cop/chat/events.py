"""Socket.IO handlers of the chat (default namespace); the contract is in DESIGN.md.

Every connection is authenticated at connect (the session cookie, or
``auth: {token}``), and every event checks that the user is still signed in
and asks the permissions policy again, so a removed, banned or logged-out member
can do nothing more.
Refusals come back as the ack ``{ok: false, error: {code, message}}`` and as
an ``error`` event. Each socket has a token bucket against floods.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, cast

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, disconnect, emit, join_room, leave_room

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.chat import queries, services
from cop.chat.models import Channel
from cop.chat.registry import registry
from cop.chat.serializers import channel_json, chat_message_json
from cop.core.db import attach, detached_copy, discard, unit_of_work
from cop.core.errors import HTTP_MESSAGES, CopError, NotFound, database_unavailable
from cop.core.ids import is_id
from cop.core.inputs import clean_payload
from cop.core.permissions import authorize
from cop.extensions import socketio

log = logging.getLogger(__name__)

#: messages sent with the join ack when no after_id is given
RECENT = 50


def channel_room(channel_id: int) -> str:
    """The room of a channel's listeners."""
    return f"channel:{channel_id}"


def user_room(user_id: int) -> str:
    """The room of all of one user's sockets (notifications, session end)."""
    return f"user:{user_id}"


def broadcast(server: Any, event: str, payload: dict[str, Any]) -> None:
    """Send a message event (``payload`` is the message) to its channel's room, here
    and, through the message queue, on every other process.

    Used by the chat signals' receivers and the send fast path alike. A failure (the
    queue is down) is logged, not raised: the message is stored, the sender has or
    gets their ack, and the others see it when they catch up.
    """
    try:
        server.emit(event, payload, to=channel_room(payload["channel_id"]), namespace="/")
    except Exception:
        log.exception("chat: broadcasting %s of message %s failed", event, payload["id"])


def local_server(app: Flask | None = None) -> Any:
    """The app's own python-socketio server (a process may hold more than one app)."""
    return _local(app).server


@dataclass
class Bucket:
    """A token bucket: ``burst`` events at once, refilled at ``rate`` per second."""

    burst: float
    rate: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def refund(self) -> None:
        """Give back the token of an event that another handler will take again."""
        self.tokens = min(self.burst, self.tokens + 1)


@dataclass
class SocketState:
    """What this process knows about one of its sockets."""

    user_id: int
    kind: str  # "session" or "token"
    credential: str
    bucket: Bucket
    channels: set[int] = field(default_factory=set)
    refused: int = 0
    #: the user as last loaded, a copy in no Session (see _user_of)
    user: User | None = None
    loaded_at: float = 0.0


class LocalSockets:
    """What this process knows about one app's sockets (``app.extensions["cop_chat"]``).

    Kept per app, not per module: a process may hold more than one app (the tests
    do), and one app's delayed presence announcement must not touch another's.
    """

    def __init__(self, server: Any) -> None:
        self.server = server  # this app's python-socketio server
        self.lock = threading.Lock()
        self.sockets: dict[str, SocketState] = {}
        #: channels with a presence announcement already scheduled
        self.presence_pending: set[int] = set()


def init_app(app: Flask, server: SocketIO) -> None:
    """Give the app its socket table and attach the handlers to its Socket.IO server."""
    app.extensions["cop_chat"] = LocalSockets(server.server)
    register(server)


def _local(app: Flask | None = None) -> LocalSockets:
    return cast(LocalSockets, (app or current_app).extensions["cop_chat"])


def _refusal(code: str, message: Any) -> dict[str, Any]:
    """Tell the client why (an ``error`` event) and return the refused ack."""
    payload = {"code": code, "message": str(message)}
    emit("error", payload)
    return {"ok": False, "error": payload}


#: seconds a socket's user object (name, language) is reused before it is loaded again
USER_REFRESH = 60.0


def _user_of(state: SocketState) -> User | None:
    """The socket's user, or None once they logged out everywhere, were deactivated or
    their API token was revoked.

    That is checked on every event, with one small query. The user object itself
    (their name for the messages they send, their admin flag) is reused for up to
    USER_REFRESH seconds, and loaded again at once when their admin flag changed.
    """
    now = time.monotonic()
    cached = state.user
    if cached is not None and now - state.loaded_at < USER_REFRESH:
        standing = auth_services.standing(state.user_id, state.kind, state.credential)
        if standing is None or not standing.active:
            return None
        if standing.is_admin == cached.is_admin:
            # Into this event's session without a query: the object is clean.
            return attach(cached)
    user = _load_user(state)
    # Keep a copy: this event's rollback (a refusal) would expire the object itself.
    state.user, state.loaded_at = (None if user is None else detached_copy(user)), now
    return user


def _load_user(state: SocketState) -> User | None:
    if state.kind == "token":
        return auth_services.user_for_token(state.credential)
    user = auth_services.user_for_session(state.credential)
    return user if user is not None and user.id == state.user_id else None


def _int(data: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not is_id(value, allow_zero=True):
        raise CopError(_("%(name)s must be a whole number.", name=name), code=f"bad_{name}")
    return value


def _channel(user: User, channel_id: int) -> Channel:
    channel = queries.channel_for(user, channel_id)
    if channel is None:
        raise NotFound(_("That channel does not exist."))
    return channel


Handler = Callable[[User, SocketState, dict[str, Any]], Any]


def _guarded(name: str, handler: Handler, *, one_transaction: bool = False) -> Callable[..., Any]:
    """Wrap a handler: rate limit, payload shape, user re-check, errors to refusals.

    With ``one_transaction`` the user re-check and the handler run in one unit of
    work (one BEGIN ... COMMIT for the whole event); the service's signals (the
    broadcast) wait for that commit, so nothing is announced that is not stored.
    """

    def wrapper(data: Any = None, *_extra: Any) -> Any:
        sid = cast(Any, request).sid
        state = _local().sockets.get(sid)
        if state is None:
            return _refusal("not_connected", _("Connect again."))
        if not state.bucket.take():
            state.refused += 1
            if state.refused > current_app.config.get("CHAT_FLOOD_DISCONNECT", 100):
                log.warning("chat: disconnecting flooding socket of user %s", state.user_id)
                disconnect()
                return None
            return _refusal("rate_limited", _("Too many events. Slow down a little."))
        state.refused = 0
        if not isinstance(data, dict):
            return _refusal("bad_payload", _("Send an object as the event's data."))
        try:
            data = clean_payload(data)
            with unit_of_work() if one_transaction else nullcontext():
                user = _user_of(state)
                if user is None:
                    # Refuse, then close the socket once the refusal is on its way.
                    socketio.start_background_task(_disconnect_soon, sid)
                    return _refusal("session_ended", _("Please log in again."))
                return handler(user, state, data)
        except CopError as error:
            return _refusal(error.code, error.message)
        except Exception as error:  # a bug must not kill the socket: log it, refuse the event
            if database_unavailable(error):  # the client resends with its client_id: one message
                log.warning("chat: %s refused, the database is unavailable", name)
                _discard_quietly()
                return _refusal("unavailable", HTTP_MESSAGES[503])
            log.exception("chat: %s failed", name)
            discard()
            return _refusal("server_error", _("Something went wrong on our side."))

    wrapper.__name__ = f"on_{name.replace(':', '_')}"
    return wrapper


def _discard_quietly() -> None:
    """``discard``, when the connection under the Session may be gone as well."""
    try:
        discard()
    except Exception:  # the rollback's connection died with the database: nothing to undo
        log.debug("chat: rollback after a lost connection failed", exc_info=True)


def _disconnect_soon(sid: str) -> None:
    socketio.sleep(0.2)
    socketio.server.disconnect(sid, namespace="/")


# --- connect / disconnect --------------------------------------------------------


def on_connect(auth: Any = None) -> None:
    """Authenticate from ``auth: {token}`` or the session cookie; refuse anyone else."""
    token = auth.get("token") if isinstance(auth, dict) else None
    user: User | None = None
    if isinstance(token, str) and token:
        user = auth_services.user_for_token(token)
        kind, credential = "token", token
    elif current_user.is_authenticated:
        user = cast(User, current_user._get_current_object())
        kind, credential = "session", user.session_key or ""
    if user is None:
        message = _("Please log in to use the chat.")
        # The client's connect_error gets {message, data: {code, message}}.
        raise ConnectionRefusedError(message, {"code": "unauthenticated", "message": message})
    sid = cast(Any, request).sid
    local = _local()
    with local.lock:
        local.sockets[sid] = _socket_state(user, kind, credential)
    join_room(user_room(user.id))
    registry().add_sid(user.id, sid)


def _socket_state(user: User, kind: str, credential: str) -> SocketState:
    """A new socket's state: who it is, how it proved it, its flood-limit bucket."""
    config = current_app.config
    return SocketState(
        user_id=user.id,
        kind=kind,
        credential=credential,
        bucket=Bucket(
            burst=float(config.get("CHAT_EVENT_BURST", 30)),
            rate=float(config.get("CHAT_EVENT_RATE", 10)),
        ),
        user=detached_copy(user),
        loaded_at=time.monotonic(),
    )


def on_disconnect(*_args: Any) -> None:
    """Forget the socket and tell its channels who is still online."""
    sid = cast(Any, request).sid
    local = _local()
    with local.lock:
        state = local.sockets.pop(sid, None)
    if state is None:
        return
    reg = registry()
    reg.remove_sid(state.user_id, sid)
    for channel_id in state.channels:
        reg.leave(channel_id, sid)
        announce_presence(channel_id)


#: presence changes within this many seconds go out as one announcement
PRESENCE_DELAY = 0.5


def announce_presence(channel_id: int) -> None:
    """Send the channel's online list to its listeners, soon and coalesced.

    A room of 500 that all join at 8 o'clock would otherwise get 500 x 500
    presence packets; changes within PRESENCE_DELAY go out as one.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    local = _local(app)
    with local.lock:
        if channel_id in local.presence_pending:
            return
        local.presence_pending.add(channel_id)
    socketio.start_background_task(_announce_later, app, channel_id)


def _announce_later(app: Flask, channel_id: int) -> None:
    socketio.sleep(PRESENCE_DELAY)
    local = _local(app)
    with local.lock:
        local.presence_pending.discard(channel_id)
    with app.app_context():
        online = registry().online(channel_id)
    local.server.emit(
        "presence",
        {"channel_id": channel_id, "online": online},
        to=channel_room(channel_id),
        namespace="/",
    )


# --- channels --------------------------------------------------------------------


def on_join(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Listen to a channel; the ack carries what came after ``after_id`` (or the latest)."""
    channel = _channel(user, cast(int, _int(data, "channel_id")))
    after_id = _int(data, "after_id", required=False)
    authorize(user, "chat.view", channel)
    sid = cast(Any, request).sid
    # Join first, then read: a message committed in between arrives twice at worst
    # (the client drops duplicates by id), never zero times.
    join_room(channel_room(channel.id))
    state.channels.add(channel.id)
    registry().enter(channel.id, sid, user.id)
    if after_id is None:
        messages = queries.messages_before(channel.id, None, RECENT)
        more = len(messages) == RECENT
    else:
        messages = queries.messages_after(channel.id, after_id)
        more = len(messages) == queries.MAX_BATCH
    announce_presence(channel.id)
    return {
        "ok": True,
        "channel": channel_json(channel, channel.community.slug),
        "messages": [chat_message_json(m) for m in messages],
        "more": more,
        "last_read_id": queries.last_read(user.id, channel.id),
        "online": registry().online(channel.id),
    }


def on_leave(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Stop listening to a channel."""
    channel_id = cast(int, _int(data, "channel_id"))
    sid = cast(Any, request).sid
    leave_room(channel_room(channel_id))
    if channel_id in state.channels:
        state.channels.discard(channel_id)
        registry().leave(channel_id, sid)
        announce_presence(channel_id)
    return {"ok": True}


def _joined_channel(user: User, state: SocketState, data: dict[str, Any]) -> Channel:
    channel_id = cast(int, _int(data, "channel_id"))
    if channel_id not in state.channels:
        raise CopError(_("Join the channel first."), code="not_joined")
    return _channel(user, channel_id)


def on_send(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Store a message (the channel hears ``message:new`` through ``message_sent``);
    the same client_id again gets the same ack."""
    channel = _joined_channel(user, state, data)
    message, _created = services.send_message(
        user,
        channel,
        data.get("body"),
        data.get("client_id"),
        data.get("reply_to_id"),
        data.get("attachment_id"),
    )
    return {"ok": True, "message": chat_message_json(message)}


def _message(data: dict[str, Any]) -> Any:
    message = queries.message(cast(int, _int(data, "message_id")))
    if message is None:
        raise NotFound(_("That message does not exist."))
    return message


def on_edit(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Edit one's own message (the channel hears ``message:updated``)."""
    message = services.edit_message(user, _message(data), data.get("body"))
    return {"ok": True, "message": chat_message_json(message)}


def on_delete(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Delete a message, own or (moderators) any (the channel hears ``message:deleted``)."""
    message = services.delete_message(user, _message(data))
    return {"ok": True, "message": chat_message_json(message)}


def on_typing(user: User, state: SocketState, data: dict[str, Any]) -> None:
    """Tell the others in the channel that the user is typing."""
    channel = _joined_channel(user, state, data)
    authorize(user, "chat.send", channel)
    emit(
        "typing",
        {"channel_id": channel.id, "user": {"id": user.id, "name": user.name}},
        to=channel_room(channel.id),
        include_self=False,
    )


def on_read(user: User, state: SocketState, data: dict[str, Any]) -> dict[str, Any]:
    """Move the read marker (unread counts)."""
    channel = _channel(user, cast(int, _int(data, "channel_id")))
    message_id = cast(int, _int(data, "message_id"))
    last = services.mark_read(user, channel, message_id)
    return {"ok": True, "last_read_id": last}


EVENTS: dict[str, Handler] = {
    "channel:join": on_join,
    "channel:leave": on_leave,
    "message:send": on_send,
    "message:edit": on_edit,
    "message:delete": on_delete,
    "typing": on_typing,
    "channel:read": on_read,
}


#: events whose checks and writes share one transaction (message:send when the fast
#: path in fastsend.py leaves it here)
ONE_TRANSACTION = frozenset({"message:send"})


def register(server: SocketIO) -> None:
    """Attach the handlers to the app's Socket.IO server (call after init_app)."""
    server.on_event("connect", on_connect)
    server.on_event("disconnect", on_disconnect)
    for name, handler in EVENTS.items():
        server.on_event(name, _guarded(name, handler, one_transaction=name in ONE_TRANSACTION))


def local_sockets_of(user_id: int) -> list[str]:
    """This process's sockets of a user (tests and diagnostics)."""
    local = _local()
    with local.lock:
        return [sid for sid, state in local.sockets.items() if state.user_id == user_id]


def forget_channels(sid: str, channel_ids: set[int]) -> None:
    """Drop channels from a local socket's joined set (after a membership ended)."""
    local = _local()
    with local.lock:
        state = local.sockets.get(sid)
        if state is not None:
            state.channels -= channel_ids
