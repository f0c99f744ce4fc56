"""A real SMTP server on 127.0.0.1 (aiosmtpd) that can refuse, hold or accept mail."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import pytest


@pytest.fixture
def unused_tcp_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailServer:
    """What the SMTP server received, and how it answers the next DATA commands.

    ``refusing``: answer 451 (try again later), like a server that is down for
    maintenance. ``hold``: keep the client waiting until ``release`` is set, then
    refuse (the client died meanwhile: nothing was accepted).
    """

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.refused = 0
        self.refusing = False
        self.hold = threading.Event()
        self.holding = threading.Event()  # set while a client is being held
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        import asyncio

        if self.hold.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            self.hold.clear()
            return "451 4.3.0 held and dropped"
        with self.lock:
            if self.refusing:
                self.refused += 1
                return "451 4.3.0 try again later"
            self.received.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.received]


@pytest.fixture
def smtp_server(unused_tcp_port: int) -> Iterator[tuple[MailServer, int]]:
    """A running aiosmtpd server: (its handler, its port)."""
    from aiosmtpd.controller import Controller

    handler = MailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_tcp_port)
    controller.start()
    try:
        yield handler, unused_tcp_port
    finally:
        handler.release.set()
        controller.stop()
