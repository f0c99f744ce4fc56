"""The input layer on socket events: the same bounds as pages and the API, as refusals.

Real clients on the live server (tests/chat/conftest.py); the HTTP share is in
tests/core/test_inputs.py.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from sqlalchemy import select

from cop.chat.models import Message
from cop.core.inputs import MAX_JSON_DEPTH
from cop.extensions import db
from tests.chat import token_for
from tests.chat.test_socket import connected, message_count
from tests.chat.test_socket import room as room  # the fixture


def bodies(app, channel_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(Message.body).where(Message.channel_id == channel_id))
        )


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("message:send", {"body": "halo \ud800", "client_id": "c-1"}),
        ("message:send", {"body": "halo", "client_id": "c-\udfff"}),
        ("message:send", {"body": "halo", "client_id": "c-1", "\udc00": 1}),
        ("channel:join", {"after_id": 0, "note": "\ud83d"}),
        ("message:edit", {"message_id": 1, "body": "\ud800"}),
    ],
    ids=["body", "client_id", "key", "join", "edit"],
)
def test_a_lone_surrogate_is_refused_in_the_clients_language(
    app, room, live_server, clients, event, payload
):
    client = clients().connect(
        live_server.url, token=token_for(app, room["owner"]), headers={"Accept-Language": "en"}
    )
    channel_id = room["channel"].id
    client.join(channel_id)
    ack = client.call(event, {"channel_id": channel_id, **payload})
    assert ack == {
        "ok": False,
        "error": {"code": "bad_text", "message": "Contains a character that is not allowed."},
    }
    assert message_count(app, channel_id) == 0


def test_nul_is_refused_in_indonesian_by_default(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    client.join(room["channel"].id)
    ack = client.call(
        "message:send", {"channel_id": room["channel"].id, "body": "a\x00b", "client_id": "c-1"}
    )
    assert ack["error"] == {"code": "bad_text", "message": "Berisi karakter yang tidak diizinkan."}


def test_control_characters_are_dropped_from_a_message(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    channel_id = room["channel"].id
    client.join(channel_id)
    ack = client.send(channel_id, "Selamat\x07 pagi\x1b,\tBapak\x85 Ibu")
    assert ack["ok"] is True
    assert ack["message"]["body"] == "Selamat pagi,\tBapak Ibu"
    assert bodies(app, channel_id) == ["Selamat pagi,\tBapak Ibu"]


def test_a_deep_payload_is_refused(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    channel_id = room["channel"].id
    client.join(channel_id)
    deep: object = "x"
    for _ in range(MAX_JSON_DEPTH + 1):
        deep = [deep]
    ack = client.call(
        "message:send", {"channel_id": channel_id, "body": "halo", "client_id": "c-1", "x": deep}
    )
    assert ack["error"]["code"] == "too_deep"
    assert message_count(app, channel_id) == 0


def test_a_packet_nested_thousands_deep_is_dropped_and_the_socket_goes_on(
    app, room, live_server, clients
):
    client = connected(clients, live_server, app, room["owner"])
    channel_id = room["channel"].id
    client.join(channel_id)
    # A raw Socket.IO EVENT packet (no ack id), under the 64 KB packet limit: the
    # client's encoder would not nest this deep.
    client.sio.eio.send('2["message:send",' + "[" * 20_000 + "]" * 20_000 + "]")
    time.sleep(0.3)
    assert client.sio.connected
    ack = client.send(channel_id, "masih di sini", client_id=uuid.uuid4().hex)
    assert ack["ok"] is True
    assert bodies(app, channel_id) == ["masih di sini"]


@pytest.mark.parametrize("channel_id", [2**31, 2**63, -1, 0])
def test_an_id_outside_the_column_is_refused(app, room, live_server, clients, channel_id):
    client = connected(clients, live_server, app, room["owner"])
    ack = client.call("channel:join", {"channel_id": channel_id})
    assert ack["ok"] is False
    assert ack["error"]["code"] in ("bad_channel_id", "not_found")


def test_the_layer_accepts_what_json_allows(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    channel_id = room["channel"].id
    client.join(channel_id)
    text = "Emoji \U0001f600 dan aksara ꦗꦮ"
    ack = client.call(
        "message:send",
        json.loads(json.dumps({"channel_id": channel_id, "body": text, "client_id": "c-1"})),
    )
    assert ack["ok"] is True and ack["message"]["body"] == text
