"""Tests of the community pages (blueprint ``communities``), with small shared helpers."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import Auth, csrf_token
from tests.factories import Factory

#: ask for English pages when no user (or a user without locale="en") is logged in
EN = {"Accept-Language": "en"}


def post(client: FlaskClient, url: str, follow: bool = False, **data: Any) -> Any:
    """Submit a form like a browser: with the session's CSRF token."""
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, headers=EN, follow_redirects=follow)


def login(factory: Factory, auth: Auth, **kwargs: Any) -> Any:
    """Create a user who reads English and log them in; returns the user."""
    kwargs.setdefault("locale", "en")
    user = factory.user(**kwargs)
    response = auth.login(user.email)
    assert response.status_code == 302, "the test user could not log in"
    return user


def text(response: Any) -> str:
    """The response body as text."""
    return str(response.get_data(as_text=True))
