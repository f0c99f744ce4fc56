"""One wording for not-found: a thing that exists but is hidden from the caller and a
thing that does not exist answer byte for byte the same, on pages and in the API
(``permissions.visible`` is the one way a lookup ends)."""

from __future__ import annotations

import re

import pytest

from tests.api import API, auth_headers
from tests.chat import general_channel
from tests.conftest import Auth

MISSING = 987654


@pytest.fixture
def hidden(app, factory):
    """Things in a hidden community, and an outsider who may see none of them."""
    owner = factory.user()
    community = factory.community(owner, visibility="hidden", name="Kombel Rahasia")
    topic = factory.topic(community, owner)
    return {
        "community": community,
        "topic": topic,
        "post": topic.first_post_id,
        "meeting": factory.meeting(community, owner).id,
        "resource": factory.resource(community, owner).id,
        "channel": general_channel(app, community).id,
        "outsider": factory.user(),
    }


PAGES = [
    ("community", "/c/{}", "community"),
    ("topic", "/t/{}", "topic"),
    ("meeting", "/meetings/{}", "meeting"),
    ("resource", "/resources/{}", "resource"),
    ("channel", "/chat/{}", "channel"),
]

API_READS = [
    ("community", "/communities/{}"),
    ("topic", "/topics/{}"),
    ("topic", "/topics/{}/posts"),
    ("meeting", "/meetings/{}"),
    ("resource", "/resources/{}"),
    ("channel", "/channels/{}/messages"),
]


def _ids(hidden, kind):
    if kind == "community":
        return hidden["community"].slug, "tidak-ada-sama-sekali"
    return hidden[kind].id if hasattr(hidden[kind], "id") else hidden[kind], MISSING


CSRF = re.compile(r'(name="csrf-token" content=|name="csrf_token" value=)"[^"]*"')


def _body(response, path: str) -> str:
    """The page with its (time-signed) CSRF tokens and its own path (the language
    switch returns to it) set aside."""
    return CSRF.sub("TOKEN", response.get_data(as_text=True)).replace(f'"{path}"', '"PATH"')


def _same(client, shown_path: str, missing_path: str) -> None:
    a, b = client.get(shown_path), client.get(missing_path)
    assert a.status_code == b.status_code == 404
    assert _body(a, shown_path) == _body(b, missing_path)


@pytest.mark.parametrize(("kind", "path", "_label"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_answer_hidden_and_missing_alike(client, hidden, kind, path, _label):
    Auth(client).login(hidden["outsider"].email)
    client.get("/")  # shows (and so drops) the welcome flash
    shown, missing = _ids(hidden, kind)
    _same(client, path.format(shown), path.format(missing))


@pytest.mark.parametrize(("kind", "path"), API_READS, ids=[p[1] for p in API_READS])
def test_the_api_answers_hidden_and_missing_alike(client, hidden, kind, path):
    headers = auth_headers(client, hidden["outsider"])
    shown, missing = _ids(hidden, kind)
    a = client.get(API + path.format(shown), headers=headers)
    b = client.get(API + path.format(missing), headers=headers)
    assert a.status_code == b.status_code == 404
    assert a.get_json() == b.get_json()


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_post_writes_answer_hidden_and_missing_alike(client, hidden, who):
    headers = auth_headers(client, hidden["outsider"]) if who == "outsider" else {}
    a = client.patch(f"{API}/posts/{hidden['post']}", json={"body": "x"}, headers=headers)
    b = client.patch(f"{API}/posts/{MISSING}", json={"body": "x"}, headers=headers)
    assert (a.status_code, a.get_json()) == (b.status_code, b.get_json())
