"""Changing the password and logging out everywhere end the other sessions."""

from __future__ import annotations

import pytest

from cop.auth.passwords import verify_password
from tests.auth import EN, is_logged_in, post, text, user_by_email
from tests.conftest import Auth
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "kopi-tubruk-pagi-7"


@pytest.fixture
def user(factory, auth):
    user = factory.user(email="sari@example.id", locale="en")
    auth.login(user.email)
    return user


def change(client, current=DEFAULT_PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm": confirm or new}
    return post(client, "/auth/password", data)


def test_password_page_needs_a_login(client):
    assert client.get("/auth/password").headers["Location"].startswith("/auth/login")


def test_password_page_shows_the_form(client, user):
    response = client.get("/auth/password", headers=EN)
    assert response.status_code == 200
    assert "Current password" in text(response)


def test_changing_the_password_stores_the_new_one(app, client, user):
    response = change(client)
    assert response.status_code == 302
    stored = user_by_email(app, "sari@example.id")
    assert stored.password_hash.startswith("$argon2id$")
    with app.app_context():
        assert verify_password(stored.password_hash, NEW_PASSWORD)


def test_changing_the_password_keeps_this_browser_logged_in(client, user):
    change(client)
    page = client.get("/auth/profile")
    assert page.status_code == 200
    assert "Other devices have been logged out." in text(page)


def test_changing_the_password_logs_out_other_browsers(app, client, user):
    other = app.test_client()
    Auth(other).login(user.email)
    assert is_logged_in(other)
    change(client)
    assert not is_logged_in(other)


def test_changing_the_password_voids_other_remember_cookies(app, client, user):
    other = app.test_client()
    Auth(other).login(user.email, remember=True)
    change(client)
    other.delete_cookie("cop_session")
    assert not is_logged_in(other)


def test_this_browser_keeps_its_remember_me_after_a_change(app, factory):
    user = factory.user()
    client = app.test_client()
    Auth(client).login(user.email, remember=True)
    change(client)  # this browser's login session stays open, its cookies keep working
    client.delete_cookie("cop_session")
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "status", "message"),
    [
        ("salah-salah-salah", NEW_PASSWORD, NEW_PASSWORD, 400, "The current password is wrong."),
        (DEFAULT_PASSWORD, "pendek", "pendek", 400, "Use at least 10 characters."),
        (DEFAULT_PASSWORD, "1234567890", "1234567890", 400, "This password is too easy to guess."),
        (
            DEFAULT_PASSWORD,
            NEW_PASSWORD,
            "kopi-tubruk-pagi-8",
            400,
            "The two passwords do not match.",
        ),
        ("", NEW_PASSWORD, NEW_PASSWORD, 400, "This field is required."),
    ],
)
def test_a_refused_change_keeps_the_old_password(
    app, client, user, current, new, confirm, status, message
):
    response = change(client, current, new, confirm)
    assert response.status_code == status
    assert message in text(response)
    assert user_by_email(app, "sari@example.id").password_hash == user.password_hash
    assert is_logged_in(client)


def test_log_out_everywhere_ends_every_session(app, client, user):
    other = app.test_client()
    Auth(other).login(user.email)
    response = post(client, "/auth/sessions/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_logged_in(client)
    assert not is_logged_in(other)


def test_log_out_everywhere_keeps_the_password(client, user):
    post(client, "/auth/sessions/revoke")
    assert (
        post(client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}).status_code
        == 302
    )


def test_log_out_everywhere_needs_a_login(client):
    response = post(client, "/auth/sessions/revoke")
    assert response.headers["Location"].startswith("/auth/login")
