"""Rate limits on the forms attackers like: login, register and password reset."""

from __future__ import annotations

import pytest

from tests.auth import app_with, post, text
from tests.factories import DEFAULT_PASSWORD, Factory

WRONG_LOGIN = {"email": "guru@example.id", "password": "salah-salah-salah"}


def _registration(n: int) -> dict[str, str]:
    return {
        "name": f"Guru Baru {n}",
        "email": f"baru{n}@example.id",
        "password": DEFAULT_PASSWORD,
        "confirm": DEFAULT_PASSWORD,
        "timezone": "Asia/Jakarta",
        "locale": "en",
        "accept_privacy": "y",
    }


LIMITS = [
    ("/auth/login", "LOGIN_RATE_LIMIT", lambda n: WRONG_LOGIN),
    ("/auth/register", "REGISTER_RATE_LIMIT", _registration),
    ("/auth/reset", "RESET_RATE_LIMIT", lambda n: {"email": f"guru{n}@example.id"}),
]


@pytest.mark.parametrize(("url", "setting", "data"), LIMITS, ids=[row[0] for row in LIMITS])
def test_posting_past_the_limit_gives_429(database_template, tmp_path, url, setting, data):
    with app_with(database_template, tmp_path, **{setting: "3 per minute"}) as app:
        client = app.test_client()
        for n in range(3):
            assert post(client, url, data(n)).status_code < 400
        response = post(client, url, data(3))
        assert response.status_code == 429
        assert "Too many requests" in text(response)
        assert response.headers.get("Retry-After")


@pytest.mark.parametrize(("url", "setting", "data"), LIMITS, ids=[row[0] for row in LIMITS])
def test_showing_the_form_does_not_count(database_template, tmp_path, url, setting, data):
    with app_with(database_template, tmp_path, **{setting: "3 per minute"}) as app:
        client = app.test_client()
        for _ in range(5):
            assert client.get(url).status_code == 200


def test_successful_logins_do_not_count(database_template, tmp_path):
    with app_with(database_template, tmp_path, LOGIN_RATE_LIMIT="3 per minute") as app:
        client = app.test_client()
        user = Factory(app).user()
        for _ in range(5):
            assert (
                post(
                    client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}
                ).status_code
                == 302
            )
            post(client, "/auth/logout")
        assert post(client, "/auth/login", WRONG_LOGIN).status_code == 200
