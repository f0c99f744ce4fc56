"""Helpers for the account page tests: posting forms and reading the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from cop.auth.models import User
from cop.extensions import db
from tests.conftest import close_app, csrf_token, make_app

#: Ask for the English UI, so tests can assert visible text.
EN = {"Accept-Language": "en"}


def post(
    client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> TestResponse:
    """POST a form like a browser: with the session's CSRF token and English UI."""
    form = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=form, headers=EN, **kwargs)


def text(response: TestResponse) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def user_by_email(app: Flask, email: str) -> User | None:
    """The stored user with this (lowercase) email, read in a fresh session."""
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def user_count(app: Flask) -> int:
    """How many accounts exist."""
    with app.app_context():
        return int(db.session.scalar(select(func.count(User.id))) or 0)


@contextmanager
def app_with(database_template: dict[str, Any], tmp_path: Path, **settings: Any) -> Iterator[Flask]:
    """A testing app with extra settings (e.g. low rate limits), cleaned up afterwards."""
    app = make_app(database_template, tmp_path, **settings)
    try:
        yield app
    finally:
        close_app(app, database_template)


def is_logged_in(client: FlaskClient) -> bool:
    """True when the client's cookies still open a login-only page."""
    return client.get("/auth/profile").status_code == 200
