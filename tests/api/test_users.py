"""POST /api/v1/users, POST /api/v1/tokens, GET /api/v1/me."""

from __future__ import annotations

import pytest

from cop.core import mail
from tests.api import API, bearer, check_response, error_code, token_for
from tests.factories import DEFAULT_PASSWORD

NEW_USER = {"email": "sari@example.id", "password": "hujan-di-bulan-juni", "name": "Ibu Sari"}


def register(client, **changes):
    return client.post(f"{API}/users", json={**NEW_USER, **changes})


def me(client):
    """The registered account, as its owner sees it after getting a token."""
    token = client.post(
        f"{API}/tokens", json={"email": NEW_USER["email"], "password": NEW_USER["password"]}
    ).get_json()["token"]
    return client.get(f"{API}/me", headers=bearer(token)).get_json()


def test_register_creates_the_account(client):
    response = register(client, username="bu_sari", locale="en", timezone="Asia/Makassar")
    assert response.status_code == 202
    body = check_response(client, "POST", "/users", response)
    assert (body["status"], body["email"]) == ("accepted", "sari@example.id")
    user = me(client)
    assert user["username"] == "bu_sari"
    assert (user["locale"], user["timezone"]) == ("en", "Asia/Makassar")


def test_register_makes_a_username_from_the_name(client):
    register(client)
    user = me(client)
    assert user["username"] == "sari"
    assert user["timezone"] == "Asia/Jakarta"


def test_register_takes_the_locale_from_accept_language(client):
    headers = {"Accept-Language": "en-US,en;q=0.9"}
    client.post(f"{API}/users", json=NEW_USER, headers=headers)
    assert me(client)["locale"] == "en"


def test_registered_user_can_get_a_token(client):
    register(client)
    response = client.post(
        f"{API}/tokens", json={"email": "SARI@example.id ", "password": NEW_USER["password"]}
    )
    assert response.status_code == 201


def test_a_taken_email_gets_the_answer_of_a_new_one(client, factory):
    factory.user(email="sari@example.id", password="kopi-susu-hangat-9")
    taken = register(client, email="Sari@Example.id")
    fresh = register(client, email="Baru@Example.id")
    assert taken.status_code == fresh.status_code == 202
    assert set(taken.get_json()) == set(fresh.get_json())
    assert taken.get_json() == {**fresh.get_json(), "email": "sari@example.id"}
    assert [m["To"] for m in mail.outbox[-2:]] == ["sari@example.id", "baru@example.id"]
    assert mail.outbox[-2]["Subject"] != mail.outbox[-1]["Subject"]  # a notice, a welcome


def test_duplicate_username_is_a_conflict(client, factory):
    factory.user(username="bu_sari")
    response = register(client, username="bu_sari")
    assert response.status_code == 409
    assert error_code(response) == "username_taken"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password": "pendek"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "aaaaaaaaaaaa"}, "password"),
        ({"email": "bukan-email"}, "email"),
        ({"email": "sari@localhost"}, "email"),
        ({"name": "x" * 121}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 42}, "name"),
        ({"username": "A!"}, "username"),
        ({"locale": "fr"}, "locale"),
        ({"timezone": "Europe/Berlin"}, "timezone"),
    ],
)
def test_register_rejects_bad_fields(client, changes, field):
    response = register(client, **changes)
    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("missing", ["email", "password", "name"])
def test_register_reports_missing_fields(client, missing):
    data = {key: value for key, value in NEW_USER.items() if key != missing}
    response = client.post(f"{API}/users", json=data)
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {missing}


def test_register_reports_every_missing_field_at_once(client):
    response = client.post(f"{API}/users", json={})
    assert set(response.get_json()["error"]["fields"]) == {"email", "password", "name"}


def test_register_is_rate_limited(app, client):
    app.config["REGISTER_RATE_LIMIT"] = "2 per minute"
    for n in range(2):
        register(client, email=f"guru{n}@example.id")
    response = register(client, email="guru9@example.id")
    assert response.status_code == 429
    assert error_code(response) == "rate_limited"


def test_token_is_created_with_its_name(client, factory):
    user = factory.user()
    response = client.post(
        f"{API}/tokens",
        json={"email": user.email, "password": DEFAULT_PASSWORD, "name": "Aplikasi HP"},
    )
    assert response.status_code == 201
    body = check_response(client, "POST", "/tokens", response)
    assert body["name"] == "Aplikasi HP"
    assert body["token"].startswith(body["prefix"])


def test_token_name_defaults(client, factory):
    user = factory.user()
    response = client.post(
        f"{API}/tokens", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.get_json()["name"] == "API"


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "guru@example.id", "password": "bukan-kata-sandinya"},
        {"email": "tidak-ada@example.id", "password": DEFAULT_PASSWORD},
    ],
)
def test_wrong_credentials_are_401(client, factory, credentials):
    factory.user(email="guru@example.id")
    response = client.post(f"{API}/tokens", json=credentials)
    assert response.status_code == 401
    assert error_code(response) == "invalid_credentials"
    check_response(client, "POST", "/tokens", response)


def test_deactivated_user_gets_no_token(client, factory):
    user = factory.user(active=False)
    response = client.post(
        f"{API}/tokens", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": DEFAULT_PASSWORD}, "email"),
        ({"email": "guru@example.id"}, "password"),
        ({"email": "guru@example.id", "password": DEFAULT_PASSWORD, "name": "x" * 81}, "name"),
        ({"email": "guru@example.id", "password": DEFAULT_PASSWORD, "name": ["x"]}, "name"),
    ],
)
def test_token_rejects_bad_fields(client, factory, data, field):
    factory.user(email="guru@example.id")
    response = client.post(f"{API}/tokens", json=data)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_token_requests_are_rate_limited(app, client, factory):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    user = factory.user()
    for _ in range(2):
        client.post(f"{API}/tokens", json={"email": user.email, "password": "salah-salah-salah"})
    response = client.post(
        f"{API}/tokens", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_me_is_the_caller_with_email(client, factory):
    user = factory.user(name="Pak Budi")
    response = client.get(f"{API}/me", headers=bearer(token_for(client, user)))
    assert response.status_code == 200
    body = check_response(client, "GET", "/me", response)
    assert (body["id"], body["name"], body["email"]) == (user.id, "Pak Budi", user.email)


def test_me_needs_authentication(client):
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
