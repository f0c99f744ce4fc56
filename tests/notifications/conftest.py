"""A real SMTP server on 127.0.0.1 and an app that mails through it (jobs run at once)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.conftest import close_app, make_app
from tests.jobs.conftest import MailServer, smtp_server, unused_tcp_port  # noqa: F401


class Server(MailServer):
    """The jobs' test server, plus addresses it refuses for good (550)."""

    def __init__(self) -> None:
        super().__init__()
        self.unknown: set[str] = set()

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def mail_server(unused_tcp_port: int) -> Iterator[tuple[Server, int]]:  # noqa: F811
    """A running aiosmtpd server that can refuse addresses: (its handler, its port)."""
    from aiosmtpd.controller import Controller

    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=unused_tcp_port)
    controller.start()
    try:
        yield handler, unused_tcp_port
    finally:
        handler.release.set()
        controller.stop()


@pytest.fixture
def mail_app(database_template, tmp_path, mail_server) -> Iterator[Flask]:
    """The testing app with MAIL_BACKEND=smtp pointed at ``mail_server``."""
    _handler, port = mail_server
    application = make_app(
        database_template,
        tmp_path,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_TIMEOUT=5.0,
        PUBLIC_URL="http://cop.test",
    )
    yield application
    close_app(application, database_template)
