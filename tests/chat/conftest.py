"""Chat fixtures: a live server (HTTP and Socket.IO) and clients closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.chat import Client
from tests.e2e.conftest import live_server  # noqa: F401 - the real server for real clients


@pytest.fixture
def clients() -> Iterator[Any]:
    """``clients()`` makes a recording Socket.IO client; all are closed afterwards."""
    made: list[Client] = []

    def make() -> Client:
        client = Client()
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
