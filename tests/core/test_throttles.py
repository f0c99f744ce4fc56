"""Throttles per account and per address (cop/core/ratelimit.py): uploads, post edits,
community and token creation, check-in codes, and the login counter shared by the
login page and the API. Each runs with a low limit and expects the next one refused."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from tests.api import API, auth_headers, error_code, token_for
from tests.auth import app_with, post
from tests.chat import general_channel
from tests.conftest import Auth, csrf_token
from tests.factories import DEFAULT_PASSWORD, Factory
from tests.meetings import make_meeting
from tests.resources import PDF
from tests.resources.test_upload import multipart

LOW = "2 per minute"
HIGH = "1000 per minute"


def _pdf(n: int) -> bytes:
    return PDF + f"% {n}\n".encode()


def share(client, headers, community, n: int, remote: str = "10.0.0.1"):
    data = {"title": f"LKPD {n}", "kind": "lkpd", "file": (io.BytesIO(_pdf(n)), f"l{n}.pdf")}
    return multipart(
        client,
        f"{API}/communities/{community.slug}/resources",
        data,
        {**headers, "X-Forwarded-For": remote},
    )


@pytest.fixture
def limited(database_template, tmp_path, request):
    """An app with the given settings low (indirect parametrisation), behind one proxy so
    tests choose the client address with X-Forwarded-For."""
    with app_with(database_template, tmp_path, PROXY_COUNT=1, **request.param) as app:
        yield app


def _world(app):
    factory = Factory(app)
    owner = factory.user()
    community = factory.community(owner)
    members = [factory.user() for _ in range(2)]
    for member in members:
        factory.member(community, member)
    return factory, owner, community, members


@pytest.mark.parametrize("limited", [{"UPLOAD_RATE_LIMIT": LOW}], indirect=True)
def test_uploads_per_account_across_page_api_and_chat(limited):
    _factory, _owner, community, (member, other) = _world(limited)
    client = limited.test_client()
    headers = auth_headers(client, member)
    assert share(client, headers, community, 1).status_code == 201
    # the chat's attachments count in the same bucket
    channel = general_channel(limited, community)
    chat = multipart(
        client,
        f"{API}/channels/{channel.id}/attachments",
        {"file": (io.BytesIO(_pdf(2)), "a.pdf"), "client_id": "c-000001"},
        headers,
    )
    assert chat.status_code == 201
    refused = share(client, headers, community, 3)
    assert refused.status_code == 429
    assert error_code(refused) == "rate_limited"
    # the page shares the counter too
    Auth(client).login(member.email)
    page = multipart(
        client,
        f"/c/{community.slug}/resources/new",
        {
            "csrf_token": csrf_token(client),
            "title": "LKPD 4",
            "kind": "lkpd",
            "license": "cc-by",
            "file": (io.BytesIO(_pdf(4)), "l4.pdf"),
        },
    )
    assert page.status_code == 429
    # another account is not affected
    fresh = limited.test_client()
    assert share(fresh, auth_headers(fresh, other), community, 5).status_code == 201


@pytest.mark.parametrize("limited", [{"UPLOAD_RATE_LIMIT_IP": LOW}], indirect=True)
def test_uploads_per_address(limited):
    _factory, _owner, community, (member, other) = _world(limited)
    client = limited.test_client()
    assert share(client, auth_headers(client, member), community, 1).status_code == 201
    assert share(client, auth_headers(client, other), community, 2).status_code == 201
    third = share(client, auth_headers(client, member), community, 3)
    assert third.status_code == 429
    elsewhere = share(client, auth_headers(client, other), community, 4, remote="10.0.0.2")
    assert elsewhere.status_code == 201


@pytest.mark.parametrize("limited", [{"EDIT_RATE_LIMIT": LOW}], indirect=True)
def test_post_edits_per_account(limited):
    factory, owner, community, _members = _world(limited)
    topic = factory.topic(community, owner)
    client = limited.test_client()
    headers = auth_headers(client, owner)
    url = f"{API}/posts/{topic.first_post_id}"
    for n in range(2):
        assert client.patch(url, json={"body": f"versi {n}"}, headers=headers).status_code == 200
    assert client.patch(url, json={"body": "versi 3"}, headers=headers).status_code == 429


@pytest.mark.parametrize("limited", [{"COMMUNITY_CREATE_RATE_LIMIT": LOW}], indirect=True)
def test_community_creation_per_account(limited):
    user = Factory(limited).user()
    client = limited.test_client()
    headers = auth_headers(client, user)

    def create(n):
        body = {"name": f"KKG Gugus {n}", "kind": "KKG", "visibility": "public"}
        return client.post(f"{API}/communities", json=body, headers=headers)

    assert [create(n).status_code for n in range(3)] == [201, 201, 429]
    Auth(client).login(user.email)
    page = post(client, "/c/new", {"name": "KKG Gugus 9", "kind": "KKG", "visibility": "public"})
    assert page.status_code == 429


@pytest.mark.parametrize("limited", [{"TOKEN_CREATE_RATE_LIMIT": LOW}], indirect=True)
def test_token_creation_per_account_page_and_api(limited):
    """Counted per account once it is known: by the page and the API alike."""
    user = Factory(limited).user()
    client = limited.test_client()
    Auth(client).login(user.email)
    page = client.post("/auth/tokens", data={"csrf_token": csrf_token(client), "name": "a"})
    assert page.status_code == 201
    token_for(limited.test_client(), user)  # the API, same account: the same counter
    again = limited.test_client().post(
        f"{API}/tokens", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert again.status_code == 429
    assert error_code(again) == "rate_limited"


@pytest.mark.parametrize("limited", [{"TOKEN_CREATE_RATE_LIMIT_IP": LOW}], indirect=True)
def test_token_creation_per_address(limited):
    factory = Factory(limited)
    users = [factory.user() for _ in range(3)]
    client = limited.test_client()

    def make(user, remote="10.0.0.1"):
        body = {"email": user.email, "password": DEFAULT_PASSWORD}
        return client.post(f"{API}/tokens", json=body, headers={"X-Forwarded-For": remote})

    assert [make(u).status_code for u in users] == [201, 201, 429]
    assert make(users[2], "10.0.0.2").status_code == 201


# --- check-in codes ------------------------------------------------------------------


def _checkin(client, meeting, user_headers, code, remote="10.0.0.1"):
    return client.post(
        f"{API}/meetings/{meeting.id}/checkin",
        json={"code": code},
        headers={**user_headers, "X-Forwarded-For": remote},
    )


@pytest.mark.parametrize("limited", [{"CHECKIN_ATTEMPTS": "5 per 3 hours"}], indirect=True)
def test_a_code_locks_after_five_wrong_tries_per_person(limited):
    _factory, owner, community, (member, other) = _world(limited)
    meeting = make_meeting(limited, community, owner, starts_in=timedelta(minutes=-10))
    client = limited.test_client()
    headers = auth_headers(client, member)
    for n in range(5):
        wrong = _checkin(client, meeting, headers, f"SALAH{n}")
        assert error_code(wrong) == "wrong_code"
    right = _checkin(client, meeting, headers, "KODE42")
    assert right.status_code == 429
    assert error_code(right) == "rate_limited"
    # another person is not locked, and the coordinator can still mark the locked one
    assert _checkin(client, meeting, auth_headers(client, other), "KODE42").status_code == 200
    marked = client.post(
        f"{API}/meetings/{meeting.id}/checkin",
        json={"user_id": member.id},
        headers=auth_headers(client, owner),
    )
    assert marked.status_code == 200


@pytest.mark.parametrize("limited", [{"CHECKIN_ATTEMPTS_IP": "3 per hour"}], indirect=True)
def test_wrong_codes_from_one_address_lock_it(limited):
    _factory, owner, community, (member, other) = _world(limited)
    meeting = make_meeting(limited, community, owner, starts_in=timedelta(minutes=-10))
    client = limited.test_client()
    for n, user in enumerate([member, other, member]):
        _checkin(client, meeting, auth_headers(client, user), f"SALAH{n}")
    assert _checkin(client, meeting, auth_headers(client, other), "KODE42").status_code == 429
    elsewhere = _checkin(client, meeting, auth_headers(client, other), "KODE42", "10.0.0.9")
    assert elsewhere.status_code == 200


def test_generated_codes_are_eight_characters(app, factory):
    from cop.meetings.services.scheduling import _checkin_code

    codes = {_checkin_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(code) == 8 for code in codes)


# --- login: one counter for the page and the API ---------------------------------------


WRONG = {"email": "guru@example.id", "password": "salah-salah-salah"}


def _page_login(client, remote, email="guru@example.id"):
    return client.post(
        "/auth/login",
        data={"csrf_token": csrf_token(client), "email": email, "password": WRONG["password"]},
        headers={"X-Forwarded-For": remote},
    )


def _api_login(client, remote, email="guru@example.id"):
    return client.post(
        f"{API}/tokens",
        json={"email": email, "password": WRONG["password"]},
        headers={"X-Forwarded-For": remote},
    )


@pytest.mark.parametrize("limited", [{"LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_login_counter_per_account_is_shared_by_page_and_api(limited):
    client = limited.test_client()
    # from three addresses, through both doors: still one account's counter
    assert _page_login(client, "10.0.0.1").status_code == 200
    assert _api_login(client, "10.0.0.2").status_code == 401
    assert _page_login(client, "10.0.0.3").status_code == 200
    assert _api_login(client, "10.0.0.4").status_code == 429
    assert _page_login(client, "10.0.0.5").status_code == 429
    # another account is not locked
    assert _api_login(client, "10.0.0.6", email="lain@example.id").status_code == 401


@pytest.mark.parametrize("limited", [{"LOGIN_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_login_counter_per_address_is_shared_by_page_and_api(limited):
    client = limited.test_client()
    for n, attempt in enumerate([_page_login, _api_login, _page_login]):
        assert attempt(client, "10.0.0.1", email=f"g{n}@example.id").status_code in (200, 401)
    assert _api_login(client, "10.0.0.1", email="g9@example.id").status_code == 429
    assert _page_login(client, "10.0.0.2", email="g9@example.id").status_code == 200
