"""Moderators hide and delete other people's posts but never edit them: the policy,
the API and the pages agree (cop/core/permissions/discussions.py, ``_post_edit``)."""

from __future__ import annotations

import pytest

from cop.core import permissions
from cop.discussions.models import Post
from cop.extensions import db
from tests.api import API, auth_headers
from tests.conftest import Auth


@pytest.fixture
def thread(factory):
    coordinator = factory.user()
    community = factory.community(coordinator)
    moderator, author = factory.user(), factory.user()
    factory.member(community, moderator, role="moderator")
    factory.member(community, author)
    topic = factory.topic(community, author)
    return {
        "coordinator": coordinator,
        "moderator": moderator,
        "author": author,
        "topic": topic,
        "post": topic.first_post_id,
    }


@pytest.mark.parametrize("who", ["moderator", "coordinator"])
def test_the_policy_lets_moderators_delete_but_not_edit(app, thread, who):
    with app.app_context():
        post = db.session.get(Post, thread["post"])
        user = db.session.merge(thread[who])
        assert permissions.can(user, "post.delete", post)
        assert not permissions.can(user, "post.edit", post)
        assert permissions.can(db.session.merge(thread["author"]), "post.edit", post)


@pytest.mark.parametrize("who", ["moderator", "coordinator"])
def test_the_api_refuses_a_moderator_edit(client, thread, who):
    url = f"{API}/posts/{thread['post']}"
    headers = auth_headers(client, thread[who])
    response = client.patch(url, json={"body": "Kata-kata moderator"}, headers=headers)
    assert response.status_code == 403
    assert client.delete(url, headers=headers).status_code == 204


def test_the_page_offers_a_moderator_delete_but_no_edit(client, thread):
    Auth(client).login(thread["moderator"].email)
    page = client.get(f"/t/{thread['topic'].id}").get_data(as_text=True)
    assert f"/p/{thread['post']}/edit" not in page
    assert f"/p/{thread['post']}/delete" in page
    assert client.get(f"/p/{thread['post']}/edit").status_code == 403


def test_the_author_still_edits(client, thread):
    headers = auth_headers(client, thread["author"])
    response = client.patch(
        f"{API}/posts/{thread['post']}", json={"body": "Diperbaiki"}, headers=headers
    )
    assert response.status_code == 200
