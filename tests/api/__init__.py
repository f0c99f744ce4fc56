"""Helpers for the JSON API tests: tokens, cookie sessions and schema checks."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.extensions import db
from tests.factories import DEFAULT_PASSWORD

API = "/api/v1"


def token_for(client: FlaskClient, user: User, password: str = DEFAULT_PASSWORD) -> str:
    """A bearer token for ``user``, made through POST /api/v1/tokens."""
    response = client.post(
        f"{API}/tokens", json={"email": user.email, "password": password, "name": "tests"}
    )
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["token"])


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


def auth_headers(client: FlaskClient, user: User) -> dict[str, str]:
    """Headers that authenticate ``user`` with a fresh bearer token."""
    return bearer(token_for(client, user))


def session_login(app: Flask, client: FlaskClient, user: User) -> str:
    """Log ``client`` in with a cookie session, as the login page would; returns its CSRF token.

    The session is written directly (Flask-Login's keys, Flask-WTF's raw CSRF
    token) so these tests do not depend on the HTML pages.
    """
    raw = secrets.token_hex(20)
    with app.app_context():
        key = auth_services.start_session(db.session.merge(user))
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)  # type: ignore[arg-type]


def _template_for(document: dict[str, Any], path: str) -> str:
    """The document's path template that matches a concrete request path."""
    parts = path.split("?", 1)[0].removeprefix(API).split("/")
    # Literal segments win over parameters: /communities/mine before /communities/{slug}.
    for template in sorted(document["paths"], key=lambda t: t.count("{")):
        pattern = template.split("/")
        if len(pattern) == len(parts) and all(
            p == s or p.startswith("{") for p, s in zip(pattern, parts, strict=True)
        ):
            return str(template)
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_response(client: FlaskClient, method: str, path: str, response: TestResponse) -> Any:
    """Validate ``response`` against the schema the served OpenAPI document gives for it.

    The operation must document the response's status code; the body must
    match that response's schema. Returns the parsed body.
    """
    document = client.get(f"{API}/openapi.json").get_json()
    operation = document["paths"][_template_for(document, path)][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} does not document {status}"
    documented = operation["responses"][status]
    if "$ref" in documented:
        documented = document["components"]["responses"][documented["$ref"].rsplit("/", 1)[-1]]
    schema = documented["content"]["application/json"]["schema"]
    body = response.get_json()
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, f"{method} {path} -> {status}: " + "; ".join(e.message for e in errors)
    return body


def error_code(response: TestResponse) -> str:
    """The ``error.code`` of an error response (asserting the error shape)."""
    body = response.get_json()
    assert response.mimetype == "application/json"
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return str(body["error"]["code"])
