"""The chat pages: channel list, channel page, adding channels, unread counts."""

from __future__ import annotations

import pytest

from cop.chat.models import Channel
from cop.extensions import db
from tests.chat import general_channel, post
from tests.conftest import csrf_token


@pytest.fixture
def world(app, factory):
    owner = factory.user(name="Bu Sari", locale="en")
    community = factory.community(owner, visibility="private")
    member = factory.user(name="Pak Budi", locale="en")
    factory.member(community, member)
    return {"owner": owner, "member": member, "community": community}


def test_new_communities_have_a_general_channel(app, world):
    with app.app_context():
        channels = db.session.query(Channel).filter_by(community_id=world["community"].id).all()
    assert [(c.kind, c.name) for c in channels] == [("general", "umum")]


def test_channel_page_shows_messages_and_clears_unread(client, auth, app, world):
    channel = general_channel(app, world["community"])
    post(app, world["owner"], channel, "Rapat **Sabtu** jam 9")
    auth.login(world["member"].email)
    listing = client.get(f"/chat/c/{world['community'].slug}").get_data(as_text=True)
    assert f'data-unread-for="{channel.id}" >1<' in listing.replace("\n", "")
    page = client.get(f"/chat/{channel.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>Sabtu</strong>" in html and 'id="chat-form"' in html
    assert "js/chat.js" in html and "socket.io.min.js" in html
    listing = client.get(f"/chat/c/{world['community'].slug}").get_data(as_text=True)
    assert f'data-unread-for="{channel.id}" hidden' in listing


def test_community_home_links_to_the_chat(client, auth, world):
    auth.login(world["member"].email)
    html = client.get(f"/c/{world['community'].slug}").get_data(as_text=True)
    assert f"/chat/c/{world['community'].slug}" in html


def test_older_messages_by_link_without_javascript(client, auth, app, world):
    channel = general_channel(app, world["community"])
    ids = [post(app, world["owner"], channel, f"pesan {i}").id for i in range(55)]
    auth.login(world["member"].email)
    html = client.get(f"/chat/{channel.id}").get_data(as_text=True)
    assert f'id="m{ids[4]}"' not in html and f'id="m{ids[5]}"' in html
    assert f"before={ids[5]}" in html
    older = client.get(f"/chat/{channel.id}?before={ids[5]}").get_data(as_text=True)
    assert f'id="m{ids[0]}"' in older and f'id="m{ids[5]}"' not in older


def test_coordinator_adds_a_channel(client, auth, app, world):
    auth.login(world["owner"].email)
    url = f"/chat/c/{world['community'].slug}/channels"
    response = client.post(url, data={"name": "#asesmen", "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    again = client.post(url, data={"name": "asesmen", "csrf_token": csrf_token(client)})
    assert again.status_code == 400
    assert "already exists" in again.get_data(as_text=True)
    with app.app_context():
        names = sorted(
            c.name for c in db.session.query(Channel).filter_by(community_id=world["community"].id)
        )
    assert names == ["asesmen", "umum"]


def test_members_cannot_add_channels(client, auth, world):
    auth.login(world["member"].email)
    response = client.post(
        f"/chat/c/{world['community'].slug}/channels",
        data={"name": "liar", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 403


def test_channel_page_query_count_does_not_grow(client, auth, app, world, count_queries):
    channel = general_channel(app, world["community"])
    authors = [world["owner"], world["member"]]
    auth.login(world["member"].email)
    counts = []
    for total in (5, 25):
        while _messages(app, channel) < total:
            post(app, authors[_messages(app, channel) % 2], channel, "pesan")
        client.get(f"/chat/{channel.id}")  # marks read: the measured request only reads
        with count_queries() as q:
            assert client.get(f"/chat/{channel.id}").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def _messages(app, channel):
    from cop.chat.models import Message

    with app.app_context():
        return db.session.query(Message).filter_by(channel_id=channel.id).count()
