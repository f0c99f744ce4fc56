"""Password reset by email: same answer for everyone, links that work once and expire."""

from __future__ import annotations

import re
import time

import itsdangerous.timed
import pytest

from cop.auth import services
from cop.core import mail
from cop.extensions import db
from tests.auth import EN, is_logged_in, post, text, user_by_email
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "kopi-tubruk-pagi-7"
SENT = "If an account exists for that address, we have sent it a link"
LINK_RE = re.compile(r"http://localhost/auth/reset/([A-Za-z0-9_.\-]+)")


def ask_for_link(client, email):
    return post(client, "/auth/reset", {"email": email})


def link_in_last_mail() -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    match = LINK_RE.search(body)
    assert match, body
    return f"/auth/reset/{match.group(1)}"


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    return post(client, link, {"password": password, "confirm": confirm or password})


def test_reset_page_shows_the_form(client):
    response = client.get("/auth/reset", headers=EN)
    assert response.status_code == 200
    assert "Send the link" in text(response)


def test_asking_for_a_link_mails_it_to_the_account(client, factory):
    factory.user(email="sari@example.id", locale="en", name="Ibu Sari")
    ask_for_link(client, "Sari@Example.id")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message["To"] == "sari@example.id"
    assert message["Subject"] == "Reset your cop password"
    assert "Hello Ibu Sari," in message.get_body(("plain",)).get_content()
    assert link_in_last_mail() in message.get_body(("html",)).get_content()
    assert "expires in 60 minutes" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize("email", ["sari@example.id", "siapa@example.id", "nonaktif@example.id"])
def test_every_address_gets_the_same_answer(client, factory, email):
    factory.user(email="sari@example.id")
    factory.user(email="nonaktif@example.id", active=False)
    response = ask_for_link(client, email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert SENT in text(client.get("/auth/login", headers=EN))


@pytest.mark.parametrize("email", ["siapa@example.id", "nonaktif@example.id"])
def test_no_mail_goes_out_for_unknown_or_inactive_accounts(client, factory, email):
    factory.user(email="nonaktif@example.id", active=False)
    ask_for_link(client, email)
    assert mail.outbox == []


def test_the_link_lets_the_user_choose_a_new_password(app, client, factory):
    user = factory.user()
    ask_for_link(client, user.email)
    link = link_in_last_mail()
    assert client.get(link).status_code == 200
    response = choose(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert (
        post(client, "/auth/login", {"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_old_password_stops_working_after_a_reset(client, factory):
    user = factory.user()
    ask_for_link(client, user.email)
    choose(client, link_in_last_mail())
    response = post(client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert "The email or password is not correct." in text(response)


def test_a_link_works_only_once(client, factory):
    user = factory.user()
    ask_for_link(client, user.email)
    link = link_in_last_mail()
    choose(client, link)
    response = client.get(link, headers=EN)
    assert response.status_code == 404
    assert "This reset link is not valid." in text(response)
    assert 'href="/auth/reset"' in text(response)
    assert choose(client, link, "teh-manis-sore-8").status_code == 404


def test_an_expired_link_is_refused(client, factory, monkeypatch):
    user = factory.user()
    two_hours_ago = time.time() - 2 * 3600

    class Past:
        @staticmethod
        def time() -> float:
            return two_hours_ago

    monkeypatch.setattr(itsdangerous.timed, "time", Past)
    ask_for_link(client, user.email)
    monkeypatch.undo()
    link = link_in_last_mail()
    response = client.get(link, headers=EN)
    assert response.status_code == 404
    assert "This reset link has expired." in text(response)
    assert choose(client, link).status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "eyJ1aWQiOjF9.aaaa.bbbb"])
def test_a_forged_link_is_refused(client, token):
    response = client.get(f"/auth/reset/{token}", headers=EN)
    assert response.status_code == 404
    assert "This reset link is not valid." in text(response)


def test_a_link_does_not_work_for_a_deactivated_account(client, factory, app):
    user = factory.user()
    admin = factory.user(admin=True)
    ask_for_link(client, user.email)
    with app.app_context():
        services.set_active(db.session.merge(admin), db.session.merge(user), False)
    assert client.get(link_in_last_mail()).status_code == 404


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("pendek", "pendek", "Use at least 10 characters."),
        (NEW_PASSWORD, "kopi-tubruk-pagi-8", "The two passwords do not match."),
        ("", "", "This field is required."),
    ],
)
def test_a_bad_new_password_is_refused(app, client, factory, password, confirm, message):
    user = factory.user()
    ask_for_link(client, user.email)
    link = link_in_last_mail()
    response = post(client, link, {"password": password, "confirm": confirm})
    assert response.status_code == 400
    assert message in text(response)
    assert user_by_email(app, user.email).password_hash == user.password_hash


def test_a_reset_logs_out_every_other_session(app, client, factory):
    user = factory.user()
    other = app.test_client()
    post(other, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert is_logged_in(other)
    ask_for_link(client, user.email)
    choose(client, link_in_last_mail())
    assert not is_logged_in(other)
