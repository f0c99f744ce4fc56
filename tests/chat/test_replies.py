"""Replies: a message quotes another of its channel, live, in catch-up and on the page.

Real python-socketio clients against the real server socket (tests/chat/conftest.py).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from cop.chat import services as chat_services
from cop.chat.models import Message
from cop.extensions import db
from tests.chat import Client, general_channel, post, token_for


@pytest.fixture
def room(app, factory):
    owner = factory.user(name="Bu Sari", locale="en")
    community = factory.community(owner, visibility="private")
    other = factory.user(name="Pak Budi", locale="en")
    factory.member(community, other)
    channel = general_channel(app, community)
    return {"owner": owner, "other": other, "community": community, "channel": channel}


def connected(clients, live_server, app, user) -> Client:
    return clients().connect(live_server.url, token=token_for(app, user))


def reply(client: Client, channel_id: int, body: str, reply_to_id, client_id=None):
    return client.call(
        "message:send",
        {
            "channel_id": channel_id,
            "body": body,
            "client_id": client_id or uuid.uuid4().hex,
            "reply_to_id": reply_to_id,
        },
    )


def count(app, channel_id):
    with app.app_context():
        return db.session.scalar(
            select(func.count(Message.id)).where(Message.channel_id == channel_id)
        )


def test_a_reply_arrives_quoted_and_a_resend_makes_one_row(app, room, live_server, clients):
    channel_id = room["channel"].id
    a = connected(clients, live_server, app, room["owner"])
    b = connected(clients, live_server, app, room["other"])
    assert a.join(channel_id)["ok"] and b.join(channel_id)["ok"]
    first = a.send(channel_id, "Rapat KKG Sabtu jam 08.00 di SDN 3", client_id="q-1")["message"]

    ack = reply(b, channel_id, "Siap, Bu. Saya bawa LKPD.", first["id"], client_id="r-1")
    assert ack["ok"]
    got = a.wait_for("message:new", where=lambda m: m["client_id"] == "r-1")
    assert got == ack["message"]
    assert got["reply_to_id"] == first["id"]
    assert got["reply_to"] == {
        "id": first["id"],
        "author": {"id": room["owner"].id, "name": "Bu Sari"},
        "excerpt": "Rapat KKG Sabtu jam 08.00 di SDN 3",
        "deleted": False,
    }
    # a plain message says it is no reply
    assert first["reply_to_id"] is None and first["reply_to"] is None

    before = count(app, channel_id)
    again = reply(b, channel_id, "Siap, Bu. Saya bawa LKPD.", first["id"], client_id="r-1")
    assert again == ack
    assert count(app, channel_id) == before


def test_catch_up_after_a_dropped_connection_carries_the_quote(app, room, live_server, clients):
    channel_id = room["channel"].id
    first = post(app, room["owner"], room["channel"], "Siapa yang presentasi?")
    b = connected(clients, live_server, app, room["other"])
    assert b.join(channel_id)["ok"]
    b.close()  # the connection drops; meanwhile a reply is sent
    a = connected(clients, live_server, app, room["owner"])
    a.join(channel_id)
    sent = reply(a, channel_id, "Pak Budi, modul ajar bab 2", first.id)["message"]
    back = connected(clients, live_server, app, room["other"])
    joined = back.join(channel_id, after_id=first.id)
    assert joined["ok"]
    assert [m["id"] for m in joined["messages"]] == [sent["id"]]
    assert joined["messages"][0]["reply_to"]["excerpt"] == "Siapa yang presentasi?"
    # the history API's catch-up says the same
    browser = app.test_client()
    from tests.api import auth_headers

    history = browser.get(
        f"/api/v1/channels/{channel_id}/messages?after_id={first.id}",
        headers=auth_headers(browser, room["other"]),
    ).get_json()
    assert history["items"][0]["reply_to"]["id"] == first.id


@pytest.mark.parametrize("bad", ["deleted", "foreign", "unknown", "text", "zero"])
def test_a_reply_to_a_deleted_or_foreign_message_is_refused(
    app, factory, room, live_server, clients, bad
):
    channel_id = room["channel"].id
    target: object
    if bad == "deleted":
        gone = post(app, room["owner"], room["channel"], "salah kirim")
        with app.app_context():
            chat_services.delete_message(
                db.session.merge(room["owner"]), db.session.get(Message, gone.id)
            )
        target = gone.id
    elif bad == "foreign":
        elsewhere = factory.community(room["owner"], visibility="private")
        target = post(app, room["owner"], general_channel(app, elsewhere), "lain").id
    else:
        target = {"unknown": 999_999, "text": "12", "zero": 0}[bad]
    a = connected(clients, live_server, app, room["other"])
    assert a.join(channel_id)["ok"]
    before = count(app, channel_id)
    ack = reply(a, channel_id, "Balasan", target)
    assert ack["ok"] is False
    assert ack["error"]["code"] == "bad_reply"
    assert ack["error"]["message"]
    assert count(app, channel_id) == before


def test_the_quote_survives_the_original_being_deleted(app, room):
    first = post(app, room["owner"], room["channel"], "Jadwal lama")
    with app.app_context():
        owner = db.session.merge(room["owner"])
        channel = db.session.merge(room["channel"])
        message, _ = chat_services.send_message(owner, channel, "Ralat jadwal", "x-1", first.id)
        chat_services.delete_message(owner, db.session.get(Message, first.id))
    browser = app.test_client()
    from tests.api import auth_headers

    items = browser.get(
        f"/api/v1/channels/{room['channel'].id}/messages",
        headers=auth_headers(browser, room["other"]),
    ).get_json()["items"]
    quoted = next(m for m in items if m["id"] == message.id)["reply_to"]
    assert quoted["deleted"] is True and quoted["excerpt"] == ""


def test_the_page_shows_the_quote_with_a_link_to_the_original(
    app, client, auth, room, count_queries
):
    first = post(app, room["owner"], room["channel"], "Siapa yang presentasi?")
    with app.app_context():
        owner = db.session.merge(room["owner"])
        channel = db.session.merge(room["channel"])
        for n in range(3):
            chat_services.send_message(owner, channel, f"Saya, nomor {n}", f"p-{n}", first.id)
    auth.login(room["other"].email)
    client.get(f"/chat/{room['channel'].id}")
    with count_queries() as few:
        html = client.get(f"/chat/{room['channel'].id}").get_data(as_text=True)
    assert html.count('class="chat-quote"') == 3
    assert f'href="#m{first.id}"' in html
    assert "Siapa yang presentasi?" in html
    with app.app_context():
        # the viewer's own replies: nothing new to mark read, only more lines to show
        viewer = db.session.merge(room["other"])
        channel = db.session.merge(room["channel"])
        for n in range(5):
            chat_services.send_message(viewer, channel, f"Lagi {n}", f"q-{n}", first.id)
    client.get(f"/chat/{room['channel'].id}")  # moves the read marker once
    with count_queries() as many:
        client.get(f"/chat/{room['channel'].id}")
    assert many.count == few.count  # quotes load in one query, not one per line
