"""Whichever edge stores, edits or deletes a message, the channel's sockets hear it.

The broadcasts follow the chat services' signals (cop/chat/handlers.py), not the
socket handlers: here the service is called directly, as a page, the API or a
script would, and a real Socket.IO client in the room receives the event.
"""

from __future__ import annotations

import pytest

from cop.auth.models import User
from cop.chat import queries as chat_queries
from cop.chat import services as chat_services
from cop.core.errors import Forbidden
from cop.extensions import db
from tests.chat import general_channel, post, token_for


@pytest.fixture
def room(app, factory):
    """A community (owner = coordinator, other = member), its channel, and the owner's
    socket listening to it."""
    owner = factory.user(name="Bu Sari", locale="en")
    community = factory.community(owner, visibility="private")
    other = factory.user(name="Pak Budi", locale="en")
    factory.member(community, other)
    return {"owner": owner, "other": other, "channel": general_channel(app, community)}


@pytest.fixture
def listener(app, room, live_server, clients):
    """The coordinator's socket, joined to the channel."""
    client = clients().connect(live_server.url, token=token_for(app, room["owner"]))
    assert client.join(room["channel"].id)["ok"]
    return client


def test_a_message_stored_without_a_socket_is_broadcast(app, room, listener):
    message = post(app, room["other"], room["channel"], "dari halaman")
    got = listener.wait_for("message:new")
    assert got["id"] == message.id and got["body"] == "dari halaman"


def test_an_edit_without_a_socket_is_broadcast(app, room, listener):
    message = post(app, room["other"], room["channel"], "salah ketik")
    listener.wait_for("message:new")
    with app.app_context():
        author = db.session.get(User, room["other"].id)
        chat_services.edit_message(author, chat_queries.message(message.id), "sudah benar")
    updated = listener.wait_for("message:updated")
    assert updated["id"] == message.id and updated["body"] == "sudah benar"
    assert updated["edited_at"]


def test_a_delete_without_a_socket_is_broadcast(app, room, listener):
    message = post(app, room["other"], room["channel"], "hapus saya")
    listener.wait_for("message:new")
    with app.app_context():
        moderator = db.session.get(User, room["owner"].id)
        chat_services.delete_message(moderator, chat_queries.message(message.id))
    deleted = listener.wait_for("message:deleted")
    assert deleted["id"] == message.id and deleted["deleted_at"] and deleted["body"] == ""


def test_a_refused_edit_is_not_broadcast(app, room, listener):
    message = post(app, room["owner"], room["channel"], "punya Bu Sari")
    listener.wait_for("message:new")
    with app.app_context():
        other = db.session.get(User, room["other"].id)
        with pytest.raises(Forbidden):
            chat_services.edit_message(other, chat_queries.message(message.id), "diubah")
    assert listener.drain("message:updated", wait=0.5) == []
