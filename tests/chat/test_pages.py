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


def test_overview_lists_the_users_channels_with_unread_counts(client, auth, app, factory, world):
    general = general_channel(app, world["community"])
    with app.app_context():
        from cop.chat import services as chat_services

        owner = db.session.merge(world["owner"])
        topic = chat_services.create_channel(owner, db.session.merge(world["community"]), "asesmen")
        topic_id = topic.id
    for i in range(3):
        post(app, world["owner"], general, f"pesan {i}")
    stranger = factory.user()
    elsewhere = factory.community(stranger, name="KKG Lain")  # not the member's
    post(app, stranger, general_channel(app, elsewhere), "bukan untukmu")
    auth.login(world["member"].email)

    html = client.get("/chat/").get_data(as_text=True)
    assert world["community"].name in html and "KKG Lain" not in html
    assert f'href="/chat/{general.id}">#umum</a>' in html
    assert f'href="/chat/{topic_id}">#asesmen</a>' in html
    assert 'aria-label="3 unread messages">3</span>' in html
    assert "3 unread messages in your channels." in html
    # The header's chat count on every page, and gone once the channel is read.
    home = client.get("/").get_data(as_text=True)
    assert 'id="chat-link" href="/chat/" data-unread="3"' in home
    # named by its text, the visible count included: "Chat 3 unread"
    assert '<span class="n">3</span><span class="sr-only"> unread</span>' in home
    client.get(f"/chat/{general.id}")
    assert 'id="chat-link" href="/chat/" data-unread="0"' in client.get("/").get_data(as_text=True)
    assert "You have read everything." in client.get("/chat/").get_data(as_text=True)


def test_header_count_stops_at_99_plus(client, auth, app, world):
    general = general_channel(app, world["community"])
    with app.app_context():
        from cop.chat import services as chat_services

        owner, channel = db.session.merge(world["owner"]), db.session.merge(general)
        for i in range(101):
            chat_services.send_message(owner, channel, f"pesan {i}", f"bulk-{i}")
    auth.login(world["member"].email)
    home = client.get("/").get_data(as_text=True)
    assert 'data-unread="100"' in home and '<span class="n">99+</span>' in home


def test_someone_without_communities_is_pointed_to_the_directory(client, auth, factory):
    loner = factory.user(locale="en")
    auth.login(loner.email)
    html = client.get("/chat/").get_data(as_text=True)
    assert "Join a community to chat with its members." in html
    assert 'href="/c/">Find a community</a>' in html


def test_overview_query_count_does_not_grow_with_communities(
    client, auth, app, factory, world, count_queries
):
    auth.login(world["member"].email)
    client.get("/chat/")
    with count_queries() as few:
        client.get("/chat/")
    for i in range(4):
        owner = factory.user()
        other = factory.community(owner, name=f"MGMP {i}")
        factory.member(other, world["member"])
        post(app, owner, general_channel(app, other), "halo")
    with count_queries() as many:
        html = client.get("/chat/").get_data(as_text=True)
    assert "MGMP 3" in html
    assert many.count == few.count, many.statements


def test_the_chat_box_and_the_post_editor_offer_mentions(client, auth, app, factory, world):
    channel = general_channel(app, world["community"])
    auth.login(world["member"].email)
    url = f"/api/v1/communities/{world['community'].slug}/mentionable"
    html = client.get(f"/chat/{channel.id}").get_data(as_text=True)
    assert f'data-mention-url="{url}"' in html and "js/mentions.js" in html
    topic = factory.topic(world["community"], world["owner"], title="Rapat", body="Halo")
    page = client.get(f"/t/{topic.id}").get_data(as_text=True)
    assert f'data-mention-url="{url}"' in page and "js/mentions.js" in page


def test_chat_lines_show_the_clock_with_day_separators_and_valid_datetimes(
    client, auth, app, factory, world
):
    import re
    from datetime import UTC, datetime, timedelta

    from cop.chat.models import Message

    channel = general_channel(app, world["community"])
    old = post(app, world["owner"], channel, "Kemarin dulu")
    new = post(app, world["owner"], channel, "Sekarang")
    with app.app_context():
        message = db.session.get(Message, old.id)
        message.created_at = datetime.now(UTC) - timedelta(days=3)
        db.session.commit()
    auth.login(world["member"].email)
    html = client.get(f"/chat/{channel.id}").get_data(as_text=True)
    assert html.count('class="chat-day"') == 2
    assert "Today · WIB" in html
    values = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(values) == 2
    for value in values:  # milliseconds at most: valid HTML (cop.core.timezones.isotime)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value), value
    line = html[html.index(f'id="m{new.id}"') :]
    clock = re.search(r"<time [^>]*>([^<]+)</time>", line).group(1)
    assert re.fullmatch(r"\d{1,2}:\d\d[ \u202f][AP]M", clock), clock
