"""Registration: accounts are created once, with a strong, hashed password."""

from __future__ import annotations

import pytest

from cop.auth import services
from tests.auth import EN, post, text, user_by_email, user_count

VALID = {
    "name": "Ibu Sari Wulandari",
    "email": "sari@example.id",
    "username": "",
    "password": "pelangi-senja-42",
    "confirm": "pelangi-senja-42",
    "timezone": "Asia/Makassar",
    "locale": "en",
}


def register(client, **changes):
    return post(client, "/auth/register", {**VALID, **changes})


def test_register_page_shows_the_form(client):
    response = client.get("/auth/register", headers=EN)
    assert response.status_code == 200
    assert "Create an account" in text(response)
    assert 'value="Asia/Makassar"' in text(response)


def test_register_creates_the_account_with_an_argon2id_hash(app, client):
    response = register(client)
    assert response.status_code == 302
    user = user_by_email(app, "sari@example.id")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert "pelangi-senja-42" not in user.password_hash
    assert (user.name, user.timezone, user.locale) == ("Ibu Sari Wulandari", "Asia/Makassar", "en")


def test_register_logs_in_and_lands_on_the_dashboard(client):
    response = register(client)
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    # greeted without the form of address, and not sent to the API-token tab
    assert "Welcome to cop, Sari Wulandari! Join a community" in text(page)
    assert "API token" not in text(page)


def test_register_greets_without_titles_or_a_double_full_stop(app, client):
    register(client, name="Bu Rina Marlina, S.Pd.")
    page = text(client.get("/"))
    assert "Welcome to cop, Rina Marlina!" in page
    assert "S.Pd.." not in page
    user = user_by_email(app, "sari@example.id")
    assert user.name == "Bu Rina Marlina, S.Pd."  # the display name keeps the title
    assert user.username == "rina"


def test_register_makes_a_short_username_from_the_name(app, client):
    register(client)
    assert user_by_email(app, "sari@example.id").username == "sari"


def test_register_takes_the_next_free_handle(app, client):
    with app.app_context():
        services.register("sari0@example.id", "pelangi-senja-42", "Sari Dewi")
    register(client)
    assert user_by_email(app, "sari@example.id").username == "sari.wulandari"


def test_register_accepts_a_dotted_username(app, client):
    register(client, username="sari.w")
    assert user_by_email(app, "sari@example.id").username == "sari.w"


@pytest.mark.parametrize("bad", ["sari..w", ".sari", "sari.", "sa"])
def test_register_refuses_a_malformed_username(app, client, bad):
    response = register(client, username=bad)
    assert response.status_code in (400, 422)
    assert user_by_email(app, "sari@example.id") is None


def test_register_keeps_a_chosen_username(app, client):
    register(client, username="@BuSari")
    assert user_by_email(app, "sari@example.id").username == "busari"


def test_register_stores_the_email_in_lowercase(app, client):
    register(client, email="  Sari@Example.ID ")
    assert user_by_email(app, "sari@example.id") is not None


def test_register_follows_an_on_site_next(client):
    response = register(client, next="/c/kkg-gugus-3")
    assert response.headers["Location"] == "/c/kkg-gugus-3"


def test_register_ignores_an_off_site_next(client):
    response = register(client, next="https://evil.example/")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("email", ["sari@example.id", "SARI@example.id", " Sari@Example.Id "])
def test_register_refuses_a_taken_email_whatever_its_case(app, client, factory, email):
    factory.user(email="sari@example.id", name="Sari yang lain")
    response = register(client, email=email)
    assert response.status_code == 409
    assert "An account with this email already exists." in text(response)
    assert user_count(app) == 1


def test_register_refuses_a_taken_username(app, client, factory):
    factory.user(username="busari")
    response = register(client, username="busari")
    assert response.status_code == 409
    assert "That username is taken." in text(response)
    assert user_by_email(app, "sari@example.id") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek", "Use at least 10 characters."),
        ("1234567890", "This password is too easy to guess."),
        ("aaaaaaaaaaaa", "This password is too easy to guess."),
        ("sari@example", "Do not use your name or email address"),
    ],
)
def test_register_refuses_a_weak_password(app, client, password, message):
    response = register(client, password=password, confirm=password)
    assert response.status_code == 400
    assert message in text(response)
    assert user_count(app) == 0


def test_register_refuses_different_passwords(app, client):
    response = register(client, confirm="pelangi-senja-43")
    assert response.status_code == 400
    assert "The two passwords do not match." in text(response)
    assert user_count(app) == 0


@pytest.mark.parametrize(
    "email", ["not-an-email", "guru@sekolah", "guru @example.id", "@example.id"]
)
def test_register_refuses_a_bad_email(app, client, email):
    response = register(client, email=email)
    assert response.status_code == 400
    assert "Enter a valid email address." in text(response)
    assert user_count(app) == 0


@pytest.mark.parametrize("missing", ["name", "email", "password", "confirm"])
def test_register_requires_each_field(app, client, missing):
    response = register(client, **{missing: ""})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert user_count(app) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "x" * 121), ("timezone", "Europe/Berlin"), ("locale", "fr"), ("username", "a b")],
)
def test_register_refuses_invalid_values(app, client, field, value):
    response = register(client, **{field: value})
    assert response.status_code == 400
    assert user_count(app) == 0


def test_a_second_submit_from_the_same_browser_creates_no_second_account(app, client):
    assert register(client).status_code == 302
    again = register(client)
    assert again.status_code == 302  # already logged in: sent home
    assert user_count(app) == 1


def test_a_second_submit_without_the_first_answer_shows_the_conflict(app, client):
    other = app.test_client()
    assert register(client).status_code == 302
    again = register(other)
    assert again.status_code == 409
    assert "An account with this email already exists." in text(again)
    assert "Forgot your password?" in text(again)
    assert user_count(app) == 1
