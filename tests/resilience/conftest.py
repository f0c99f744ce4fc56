"""Resilience fixtures: real servers and clients, each closed after its test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.chat.conftest import clients  # noqa: F401 - real Socket.IO clients, closed after
from tests.resilience import CopServer, RedisServer

CSRF_FIELD = 'name="csrf_token"'


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis of this test's own (the shared one on 6379 is never touched)."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def cop_servers() -> Iterator[Any]:
    """``cop_servers(database_url, work, **options)`` starts a ``cop serve``; all are
    stopped afterwards (by their PID)."""
    made: list[CopServer] = []

    def start(database_url: str, work: Path, **options: Any) -> CopServer:
        server = CopServer(database_url, work, **options)
        made.append(server)
        server.start()
        return server

    yield start
    for server in made:
        server.stop()


def failed_login(session: requests.Session, url: str, email: str) -> requests.Response:
    """A wrong password through the login form (each one counts in the login throttle)."""
    page = session.get(url + "/auth/login", timeout=10)
    start = page.text.find(CSRF_FIELD)
    token = page.text[start:].split('value="', 1)[1].split('"', 1)[0]
    return session.post(
        url + "/auth/login",
        data={"csrf_token": token, "email": email, "password": "salah-sandi-123"},
        allow_redirects=False,
        timeout=10,
    )
