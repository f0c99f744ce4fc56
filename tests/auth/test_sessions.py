"""Sessions end on the server: a copied cookie is worthless after logout, a password
change or "log out everywhere", and so are the API tokens made in an ended session."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.api import API, bearer, token_for
from tests.auth import post
from tests.auth.test_reset import link_in_last_mail
from tests.conftest import Auth, csrf_token
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "kopi-tubruk-pagi-7"


def copy_cookies(app, source: FlaskClient, names: tuple[str, ...]) -> FlaskClient:
    """A second client holding exact copies of ``source``'s cookies (an attacker's)."""
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def page_open(client: FlaskClient) -> bool:
    return client.get("/auth/profile").status_code == 200


def api_open(client: FlaskClient) -> bool:
    return client.get(f"{API}/me").status_code == 200


def end_by(how: str, client: FlaskClient) -> None:
    if how == "logout":
        assert Auth(client).logout().status_code == 302
    elif how == "everywhere":
        assert post(client, "/auth/sessions/revoke").status_code == 302
    else:  # a password reset from the mailed link ends every session too
        post(client, "/auth/reset", {"email": "sari@example.id"})
        link = link_in_last_mail()
        assert (
            post(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
            == 302
        )


ENDINGS = ["logout", "everywhere", "reset"]


@pytest.fixture
def sari(factory):
    return factory.user(email="sari@example.id")


@pytest.mark.parametrize("how", ENDINGS)
def test_a_copied_session_cookie_is_refused_afterwards(app, client, sari, how):
    Auth(client).login(sari.email)
    thief = copy_cookies(app, client, ("cop_session",))
    assert page_open(thief) and api_open(thief)
    end_by(how, client)
    assert not page_open(thief)
    assert not api_open(thief)
    assert thief.get(f"{API}/me").status_code == 401


@pytest.mark.parametrize("how", ENDINGS)
def test_the_remember_cookie_alone_is_refused_afterwards(app, client, sari, how):
    Auth(client).login(sari.email, remember=True)
    assert page_open(copy_cookies(app, client, ("cop_remember",)))
    remember = client.get_cookie("cop_remember")
    end_by(how, client)
    fresh = app.test_client()  # no session cookie: the remember cookie alone
    fresh.set_cookie("cop_remember", remember.value)
    assert not page_open(fresh)


def test_logout_leaves_the_other_browsers_logged_in(app, sari):
    phone, laptop = app.test_client(), app.test_client()
    Auth(phone).login(sari.email)
    Auth(laptop).login(sari.email)
    Auth(phone).logout()
    assert not page_open(phone)
    assert page_open(laptop)


def test_a_password_change_ends_other_sessions_but_not_this_one(app, client, sari):
    Auth(client).login(sari.email)
    other = app.test_client()
    Auth(other).login(sari.email, remember=True)
    thief = copy_cookies(app, other, ("cop_session", "cop_remember"))
    response = post(
        client,
        "/auth/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert page_open(client)
    assert not page_open(other)
    assert not page_open(thief)


def _token_from_the_tokens_page(client: FlaskClient) -> str:
    response = client.post("/auth/tokens", data={"csrf_token": csrf_token(client), "name": "x"})
    assert response.status_code == 201
    match = re.search(r"(cop_[A-Za-z0-9_\-]{20,})", response.get_data(as_text=True))
    assert match
    return match.group(1)


@pytest.mark.parametrize("how", ["logout", "everywhere"])
def test_tokens_made_in_an_ended_session_end_with_it(app, client, sari, how):
    Auth(client).login(sari.email)
    thief = copy_cookies(app, client, ("cop_session",))
    stolen = _token_from_the_tokens_page(thief)  # made with the copied cookie
    assert client.get(f"{API}/me", headers=bearer(stolen)).status_code == 200
    end_by(how, client)
    response = app.test_client().get(f"{API}/me", headers=bearer(stolen))
    assert response.status_code == 401


def test_tokens_made_with_the_password_outlive_a_logout(app, client, sari):
    """A program's token (POST /api/v1/tokens) is its own credential, not a session's."""
    program = token_for(client, sari)
    Auth(client).login(sari.email)
    Auth(client).logout()
    assert app.test_client().get(f"{API}/me", headers=bearer(program)).status_code == 200
