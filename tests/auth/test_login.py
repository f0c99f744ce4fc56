"""Logging in and out: one generic failure message, safe redirects, cookies, rate limits."""

from __future__ import annotations

import pytest

from tests.auth import EN, is_logged_in, post, text
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD

FAILED = "The email or password is not correct."


def login(client, email, password=DEFAULT_PASSWORD, **extra):
    return post(client, "/auth/login", {"email": email, "password": password, **extra})


def test_login_page_shows_the_form(client):
    response = client.get("/auth/login", headers=EN)
    assert response.status_code == 200
    assert "Forgot your password?" in text(response)


def test_login_with_the_right_password_logs_in(client, factory):
    user = factory.user()
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)


def test_login_ignores_the_case_of_the_email(client, factory):
    factory.user(email="sari@example.id")
    assert login(client, "  SARI@Example.ID").status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("case", "email", "password"),
    [
        ("wrong password", "guru@example.id", "bukan-kata-sandinya"),
        ("unknown email", "siapa@example.id", DEFAULT_PASSWORD),
        ("inactive account", "nonaktif@example.id", DEFAULT_PASSWORD),
    ],
)
def test_a_failed_login_gives_the_same_answer(client, factory, case, email, password):
    factory.user(email="guru@example.id")
    factory.user(email="nonaktif@example.id", active=False)
    response = login(client, email, password)
    assert response.status_code == 200, case
    assert FAILED in text(response)
    assert not is_logged_in(client)


@pytest.mark.parametrize("missing", ["email", "password"])
def test_login_requires_both_fields(client, factory, missing):
    user = factory.user()
    data = {"email": user.email, "password": DEFAULT_PASSWORD, missing: ""}
    response = post(client, "/auth/login", data)
    assert response.status_code == 400
    assert "This field is required." in text(response)


@pytest.mark.parametrize(
    "target", ["/auth/profile", "/c/kkg-gugus-3?tab=meetings", "/auth/users/sari"]
)
def test_login_goes_on_to_an_on_site_next(client, factory, target):
    user = factory.user()
    response = login(client, user.email, next=target)
    assert response.headers["Location"] == target


UNSAFE_TARGETS = [
    "//evil.example",
    "//evil.example/auth/login",
    "https://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_login_never_redirects_off_site(client, factory, target):
    user = factory.user()
    response = login(client, user.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_login_ignores_an_off_site_next_in_the_query_string(client, factory, target):
    user = factory.user()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"


def test_a_login_only_page_sends_visitors_to_log_in_and_back(client, factory):
    user = factory.user()
    response = client.get("/auth/tokens")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    page = client.get(response.headers["Location"])
    assert 'name="next" type="hidden" value="/auth/tokens"' in text(page)
    assert login(client, user.email, next="/auth/tokens").headers["Location"] == "/auth/tokens"


def test_login_page_sends_a_logged_in_user_home(client, factory):
    user = factory.user()
    login(client, user.email)
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_remember_me_sets_an_http_only_remember_cookie(client, factory):
    user = factory.user()
    response = login(client, user.email, remember="y")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("cop_remember=")]
    assert len(cookies) == 1
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


def test_without_remember_me_there_is_no_remember_cookie(client, factory):
    user = factory.user()
    response = login(client, user.email)
    assert not any(c.startswith("cop_remember=") for c in response.headers.getlist("Set-Cookie"))


def test_the_remember_cookie_logs_in_a_new_browser_session(client, factory):
    user = factory.user()
    login(client, user.email, remember="y")
    client.delete_cookie("cop_session")
    assert is_logged_in(client)


def test_logout_ends_the_session(client, factory):
    user = factory.user(locale="en")
    login(client, user.email)
    response = post(client, "/auth/logout")
    assert response.status_code == 302
    assert "You have logged out." in text(client.get("/", headers=EN))
    assert not is_logged_in(client)


def test_logout_also_forgets_the_remember_cookie(client, factory):
    user = factory.user()
    login(client, user.email, remember="y")
    post(client, "/auth/logout")
    client.delete_cookie("cop_session")
    assert not is_logged_in(client)


def test_logout_needs_a_post(client, factory):
    user = factory.user()
    login(client, user.email)
    assert client.get("/auth/logout").status_code == 405
    assert is_logged_in(client)


def test_logout_needs_the_csrf_token(client, factory):
    user = factory.user()
    login(client, user.email)
    assert client.post("/auth/logout").status_code == 400
    assert is_logged_in(client)
