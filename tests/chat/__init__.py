"""Chat test helpers: API tokens, channels, and real Socket.IO clients."""

from __future__ import annotations

import functools
import queue
import time
import uuid
from typing import Any

import socketio
from flask import Flask

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.chat import services as chat_services
from cop.chat.models import Channel
from cop.communities.models import Community
from cop.extensions import db
from tests.factories import Factory

WAIT = 5.0


def token_for(app: Flask, user: User) -> str:
    """A fresh API token of ``user`` (for ``auth: {token}``)."""
    with app.app_context():
        _token, raw = auth_services.create_token(db.session.merge(user), "chat-test")
        return raw


def general_channel(app: Flask, community: Community) -> Channel:
    """The community's general channel."""
    with app.app_context():
        return chat_services.ensure_general_channel(db.session.merge(community))


def post(app: Flask, user: User, channel: Channel, body: str, client_id: str | None = None) -> Any:
    """Store a message directly through the service (no socket): ``factory.message``."""
    return Factory(app).message(channel, user, body, client_id=client_id)


class Client:
    """A real python-socketio client that records every event it receives."""

    def __init__(self) -> None:
        self.sio = socketio.Client(reconnection=False, request_timeout=WAIT)
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.refused: Any = None

        @self.sio.on("*")
        def _any(event: str, data: Any = None) -> None:
            self.events.put((event, data))

        @self.sio.event
        def connect_error(data: Any) -> None:
            self.refused = data
            self._let_the_connect_packet_finish()

    def _let_the_connect_packet_finish(self) -> None:
        """Wait (briefly) until the engine.io client has finished sending its queue.

        On a refusal the client disconnects at once. Over long-polling, if the
        POST carrying the CONNECT packet has not returned yet, the engine.io
        write loop then stops without sending the CLOSE packet, and the
        disconnect waits for the pending poll: the server answers it only
        with its next ping, 25 s later (1 refused connect in ~10 did).
        """
        deadline = time.monotonic() + WAIT
        while self.sio.eio.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)

    def connect(
        self, url: str, *, token: str | None = None, headers: dict[str, str] | None = None
    ) -> Client:
        self.sio.connect(
            url,
            auth={"token": token} if token else None,
            headers=headers or {},
            transports=["websocket"],
            wait_timeout=WAIT,
        )
        return self

    def call(self, event: str, data: Any) -> Any:
        return self.sio.call(event, data, timeout=WAIT)

    def join(self, channel_id: int, after_id: int | None = None) -> Any:
        payload: dict[str, Any] = {"channel_id": channel_id}
        if after_id is not None:
            payload["after_id"] = after_id
        return self.call("channel:join", payload)

    def send(self, channel_id: int, body: str, client_id: str | None = None) -> Any:
        return self.call(
            "message:send",
            {"channel_id": channel_id, "body": body, "client_id": client_id or uuid.uuid4().hex},
        )

    def wait_for(self, event: str, timeout: float = WAIT, where: Any = None) -> Any:
        """The next ``event`` (others are skipped); fails after ``timeout``."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {event!r} within {timeout}s")
            try:
                name, data = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if name == event and (where is None or where(data)):
                return data

    def drain(self, event: str, wait: float = 0.3) -> list[Any]:
        """Every ``event`` that arrives within ``wait`` seconds."""
        found = []
        end = time.monotonic() + wait
        while (left := end - time.monotonic()) > 0:
            try:
                name, data = self.events.get(timeout=left)
            except queue.Empty:
                break
            if name == event:
                found.append(data)
        return found

    def close(self) -> None:
        """Disconnect cleanly, without sitting out websocket-client's closing wait.

        The disconnect sends the Socket.IO and engine.io close packets and the
        websocket closing frame, then websocket-client's ``close()`` waits up to
        3 s for the server's closing frame; but the engine.io read loop reads
        the same socket and takes that frame, so the wait always ran its full
        3 s (and the live server waited for the connection that long at
        shutdown). ``timeout=0`` skips only that wait: the server still gets
        everything it gets from a graceful disconnect, before this returns.
        """
        if self.sio.connected:
            ws = self.sio.eio.ws
            if ws is not None:
                ws.close = functools.partial(ws.close, timeout=0)
            self.sio.disconnect()
