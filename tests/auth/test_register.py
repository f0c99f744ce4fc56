"""Registration: accounts are created once, with a strong, hashed password."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cop.auth import services
from cop.core import mail
from cop.extensions import db
from tests.auth import EN, post, text, user_by_email, user_count
from tests.conftest import csrf_token

VALID = {
    "name": "Ibu Sari Wulandari",
    "email": "sari@example.id",
    "username": "",
    "password": "pelangi-senja-42",
    "confirm": "pelangi-senja-42",
    "timezone": "Asia/Makassar",
    "locale": "en",
    "accept_privacy": "y",
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


def test_register_sends_to_the_login_page_and_welcomes_by_mail(client):
    response = register(client)
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login", headers=EN)
    assert "We have sent a message to sari@example.id." in text(page)
    assert mail.outbox[-1]["To"] == "sari@example.id"
    assert mail.outbox[-1]["Subject"] == "Welcome to cop"
    # the password chosen works at once
    login = post(client, "/auth/login", {"email": "sari@example.id", "password": VALID["password"]})
    assert login.status_code == 302
    home = text(client.get("/", headers=EN))
    # greeted without the form of address, and not sent to the API-token tab
    assert "Welcome to cop, Sari Wulandari! Join a community" in home
    assert "API token" not in home


def test_register_keeps_titles_in_the_name_but_not_the_handle(app, client):
    register(client, name="Bu Rina Marlina, S.Pd.")
    post(client, "/auth/login", {"email": "sari@example.id", "password": VALID["password"]})
    page = text(client.get("/", headers=EN))
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


def test_register_passes_an_on_site_next_to_the_login(client):
    response = register(client, next="/c/kkg-gugus-3")
    assert response.headers["Location"] == "/auth/login?next=/c/kkg-gugus-3"


def test_register_ignores_an_off_site_next(client):
    response = register(client, next="https://evil.example/")
    assert response.headers["Location"] == "/auth/login"


@pytest.mark.parametrize("email", ["sari@example.id", "SARI@example.id", " Sari@Example.Id "])
def test_a_taken_email_gets_the_answer_of_a_new_one(app, client, factory, email):
    factory.user(email="sari@example.id", name="Sari yang lain", locale="en")
    taken = register(client, email=email)
    taken_page = text(client.get("/auth/login", headers=EN))
    fresh_client = app.test_client()
    fresh = register(fresh_client, email="baru@example.id")
    fresh_page = text(fresh_client.get("/auth/login", headers=EN))
    assert (taken.status_code, taken.headers["Location"]) == (302, "/auth/login")
    assert (fresh.status_code, fresh.headers["Location"]) == (302, "/auth/login")
    assert taken.get_data() == fresh.get_data()
    assert _same_but_tokens(taken_page, fresh_page)
    assert user_count(app) == 2  # the taken one was not duplicated


def csrf_of(page: str) -> str:
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def _same_but_tokens(a: str, b: str) -> bool:
    """Two pages equal once their CSRF tokens and the address shown are set aside."""

    def clean(page: str) -> str:
        page = page.replace(csrf_of(page), "TOKEN")
        return page.replace("sari@example.id", "ADDRESS").replace("baru@example.id", "ADDRESS")

    return clean(a) == clean(b)


def test_a_taken_email_mails_its_owner_a_reset_link(app, client, factory):
    factory.user(
        email="sari@example.id", name="Ibu Sari", locale="en", password="kopi-susu-hangat-9"
    )
    register(client)
    message = mail.outbox[-1]
    assert message["To"] == "sari@example.id"
    assert message["Subject"] == "Someone tried to register with your address"
    body = message.get_body(("plain",)).get_content()
    assert "Hello Ibu Sari," in body and "http://localhost/auth/reset/" in body
    reset = re.search(r"http://localhost(/auth/reset/\S+)", body)
    assert reset and client.get(reset.group(1)).status_code == 200  # a working reset link
    # the password the stranger chose does not open the account
    login = post(client, "/auth/login", {"email": "sari@example.id", "password": VALID["password"]})
    assert login.status_code == 200


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


def test_a_second_submit_creates_no_second_account(app, client):
    assert register(client).status_code == 302
    again = register(app.test_client())
    assert again.status_code == 302  # the same answer; the owner gets a notice
    assert user_count(app) == 1
    assert mail.outbox[-1]["Subject"] == "Someone tried to register with your address"


def test_a_new_account_confirms_its_address_before_it_posts(app, client, factory):
    """Self-registered accounts read at once and post once the mailed link proves the
    address; the link is signed, works once per address, and a forged one is a 404."""
    from cop.auth.models import User

    owner = factory.user()
    community = factory.community(owner)
    register(client)
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://localhost(/auth/confirm/\S+)", body)
    assert link, body
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == VALID["email"]))
        assert user.email_confirmed_at is None
    factory.member(community, user)
    login = post(client, "/auth/login", {"email": VALID["email"], "password": VALID["password"]})
    assert login.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "confirm-banner" in page
    topic_form = {"csrf_token": csrf_token(client), "title": "Belum dikonfirmasi", "body": "Halo"}
    assert client.post(f"/c/{community.slug}/topics/new", data=topic_form).status_code == 403
    assert client.get(link.group(1)[:-3] + "xyz").status_code == 404  # forged
    assert client.get(link.group(1)).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).email_confirmed_at is not None
    assert "confirm-banner" not in client.get("/").get_data(as_text=True)
    topic_form["csrf_token"] = csrf_token(client)
    assert client.post(f"/c/{community.slug}/topics/new", data=topic_form).status_code == 302
