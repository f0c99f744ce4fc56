"""Learning-cycle test helpers: log a client in and post with its CSRF token."""

from __future__ import annotations

from typing import Any

from tests.conftest import Auth, csrf_token


def login(client: Any, user: Any) -> None:
    """Log ``client`` in as ``user`` through the login form."""
    assert Auth(client).login(user.email).status_code == 302


def post(client: Any, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    """POST a form with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kw)
