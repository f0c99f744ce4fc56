"""Real python-socketio clients against a real server (werkzeug, threading mode)."""

from __future__ import annotations

import time
import uuid

import pytest
import socketio
from sqlalchemy import event, func, select, update

from cop.auth import services as auth_services
from cop.auth.models import LoginSession, User
from cop.chat import events as chat_events
from cop.chat import queries as chat_queries
from cop.chat.models import Channel, Message
from cop.chat.serializers import chat_message_json
from cop.communities import services as community_services
from cop.communities.models import Community, Membership
from cop.core.types import utcnow
from cop.extensions import db
from cop.notifications import queries as notification_queries
from cop.notifications import services as notification_services
from tests.chat import Client, general_channel, post, token_for
from tests.conftest import Auth


def message_count(app, channel_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Message.id)).where(Message.channel_id == channel_id)
        )


@pytest.fixture
def room(app, factory):
    """A community with two members (owner = coordinator, other = member) and its channel."""
    owner = factory.user(name="Bu Sari", locale="en")
    community = factory.community(owner, visibility="private")
    other = factory.user(name="Pak Budi", locale="en")
    factory.member(community, other)
    channel = general_channel(app, community)
    return {"owner": owner, "other": other, "community": community, "channel": channel}


def connected(clients, live_server, app, user) -> Client:
    return clients().connect(live_server.url, token=token_for(app, user))


def test_two_members_exchange_messages(app, room, live_server, clients):
    a = connected(clients, live_server, app, room["owner"])
    b = connected(clients, live_server, app, room["other"])
    channel_id = room["channel"].id
    assert a.join(channel_id)["ok"] and b.join(channel_id)["ok"]

    ack = a.send(channel_id, "Selamat pagi, **Bapak Ibu**", client_id="c-1")
    got = b.wait_for("message:new")
    assert ack == {"ok": True, "message": got}
    assert got["author"] == {"id": room["owner"].id, "name": "Bu Sari"}
    assert got["channel_id"] == channel_id and got["client_id"] == "c-1"
    assert "<strong>Bapak Ibu</strong>" in got["html"]

    b.send(channel_id, "Pagi juga")
    assert a.wait_for("message:new", where=lambda m: m["body"] == "Pagi juga")


def test_session_cookie_authenticates(app, room, live_server, clients):
    browser = app.test_client()
    assert Auth(browser).login(room["other"].email).status_code == 302
    cookie = browser.get_cookie("cop_session")
    client = clients().connect(live_server.url, headers={"Cookie": f"cop_session={cookie.value}"})
    assert client.join(room["channel"].id)["ok"]


@pytest.mark.parametrize("cookie_name", ["cop_session", "cop_remember"])
def test_a_copied_cookie_cannot_connect_after_logout(app, room, live_server, cookie_name):
    browser = app.test_client()
    Auth(browser).login(room["other"].email, remember=True)
    copied = browser.get_cookie(cookie_name).value
    Auth(browser).logout()
    client = Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.sio.connect(
            live_server.url,
            headers={"Cookie": f"{cookie_name}={copied}"},
            transports=["polling"],
            wait_timeout=5,
        )
    assert client.refused["data"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (None, {}),
        ({"token": "cop_not-a-real-token"}, {}),
        ({"token": 42}, {}),
        (None, {"Cookie": "cop_session=forged"}),
    ],
    ids=["nothing", "unknown token", "token not a string", "forged cookie"],
)
def test_unauthenticated_connect_is_refused(live_server, auth, headers):
    client = Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        # long-polling: a refused websocket client lingers 3 s in its closing handshake
        client.sio.connect(
            live_server.url, auth=auth, headers=headers, transports=["polling"], wait_timeout=5
        )
    assert client.refused["data"]["code"] == "unauthenticated"
    assert client.refused["message"] == client.refused["data"]["message"]


def test_foreign_origin_is_refused(app, room, live_server):
    client = Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.sio.connect(
            live_server.url,
            auth={"token": token_for(app, room["owner"])},
            headers={"Origin": "https://evil.example"},
            transports=["websocket"],
            wait_timeout=5,
        )
    assert not client.sio.connected


def test_non_member_cannot_join(app, factory, room, live_server, clients):
    outsider = factory.user()
    client = connected(clients, live_server, app, outsider)
    ack = client.join(room["channel"].id)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    assert client.wait_for("error")["code"] == "not_found"
    # and hears nothing of the channel
    member = connected(clients, live_server, app, room["owner"])
    member.join(room["channel"].id)
    member.send(room["channel"].id, "rahasia")
    assert client.drain("message:new") == []


def test_non_member_of_public_community_cannot_join(app, factory, live_server, clients):
    community = factory.community(visibility="public")
    channel = general_channel(app, community)
    client = connected(clients, live_server, app, factory.user())
    assert client.join(channel.id)["error"]["code"] == "not_found"


def test_unknown_channel(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    assert client.join(999_999)["error"]["code"] == "not_found"


def test_send_without_join_is_refused(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    ack = client.send(room["channel"].id, "halo")
    assert ack["error"]["code"] == "not_joined"
    assert message_count(app, room["channel"].id) == 0


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"body": ""}, "empty_body"),
        ({"body": "   \n "}, "empty_body"),
        ({"body": "x" * 4001}, "body_too_long"),
        ({"body": 12}, "bad_body"),
        ({"body": "nul\x00"}, "bad_text"),  # refused by the input layer (cop/core/inputs.py)
        ({"body": "ok", "client_id": None}, "bad_client_id"),
        ({"body": "ok", "client_id": ""}, "bad_client_id"),
        ({"body": "ok", "client_id": "has space"}, "bad_client_id"),
        ({"body": "ok", "client_id": "x" * 65}, "bad_client_id"),
        ({"body": "ok", "client_id": 7}, "bad_client_id"),
        ({"body": "ok", "channel_id": "1"}, "bad_channel_id"),
        ({"body": "ok", "channel_id": True}, "bad_channel_id"),
        ({"body": "ok", "channel_id": 2**70}, "bad_channel_id"),
    ],
    ids=lambda v: repr(v)[:30] if isinstance(v, dict) else v,
)
def test_bad_message_is_refused_and_not_stored(app, room, live_server, clients, payload, code):
    client = connected(clients, live_server, app, room["owner"])
    client.join(room["channel"].id)
    data = {"channel_id": room["channel"].id, "client_id": uuid.uuid4().hex, **payload}
    ack = client.call("message:send", data)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    assert message_count(app, room["channel"].id) == 0


def test_longest_message_is_accepted(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["owner"])
    client.join(room["channel"].id)
    assert client.send(room["channel"].id, "y" * 4000)["ok"]


@pytest.mark.parametrize("payload", [None, "text", [1, 2], 5], ids=str)
def test_payload_must_be_an_object(app, room, live_server, clients, payload):
    client = connected(clients, live_server, app, room["owner"])
    assert client.call("channel:join", payload)["error"]["code"] == "bad_payload"


def test_same_client_id_gives_one_message_and_the_same_ack(app, room, live_server, clients):
    a = connected(clients, live_server, app, room["owner"])
    b = connected(clients, live_server, app, room["other"])
    a.join(room["channel"].id)
    b.join(room["channel"].id)
    first = a.send(room["channel"].id, "sekali saja", client_id="retry-1")
    second = a.send(room["channel"].id, "sekali saja", client_id="retry-1")
    assert first == second and first["ok"]
    assert message_count(app, room["channel"].id) == 1
    assert len(b.drain("message:new", wait=0.5)) == 1


def session_socket(app, clients, live_server, user) -> Client:
    """A socket signed in with the browser's session cookie (not an API token)."""
    browser = app.test_client()
    Auth(browser).login(user.email)
    cookie = browser.get_cookie("cop_session").value
    return clients().connect(live_server.url, headers={"Cookie": f"cop_session={cookie}"})


@pytest.mark.parametrize("credential", ["token", "session"])
def test_a_plain_send_costs_three_statements(
    app, room, live_server, clients, count_queries, credential
):
    """The fast path (cop/chat/fastsend.py), in one transaction: token or session +
    user + channel + community + membership in one query, the INSERT ... RETURNING
    and the channel's last id. PostgreSQL: two statements, the first query also
    locks the channel row, and the insert and the last id are one statement. Its ack
    is the message as stored."""
    if credential == "token":
        a = connected(clients, live_server, app, room["owner"])
    else:
        a = session_socket(app, clients, live_server, room["owner"])
    a.join(room["channel"].id)
    a.send(room["channel"].id, "pemanasan")  # the token's last-used time is written once
    with count_queries() as q:
        ack = a.send(room["channel"].id, "Halo *semua*", client_id="count-1")
    assert ack["ok"], ack
    verbs = [s.lstrip().split()[0] for s in q.statements]
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert verbs == ["SELECT", "INSERT", "UPDATE"], q.statements
    else:
        assert verbs == ["SELECT", "WITH"], q.statements
        assert q.statements[0].rstrip().endswith("FOR UPDATE OF chat_channels")
    with app.app_context():
        stored = chat_queries.message(ack["message"]["id"])
        assert ack["message"] == chat_message_json(stored)
        assert db.session.get(Channel, room["channel"].id).last_message_id == stored.id


def test_a_resend_is_answered_by_the_general_handler(
    app, room, live_server, clients, count_queries
):
    """A resend: the fast path's insert finds the client_id taken and rolls back; the
    general handler answers with the first message. Nothing is written."""
    a = connected(clients, live_server, app, room["owner"])
    a.join(room["channel"].id)
    first = a.send(room["channel"].id, "Halo semua", client_id="count-1")
    with count_queries() as q:
        again = a.send(room["channel"].id, "Halo semua", client_id="count-1")
    assert again == first
    assert not any(s.lstrip().startswith("UPDATE") for s in q.statements), q.statements
    assert message_count(app, room["channel"].id) == 1


def test_a_send_left_to_the_general_handler_costs_one_token(app, room, live_server, clients):
    """The fast path gives its token back when it leaves an event to the general
    handler, so a resend counts once against the flood limit, like any event."""
    app.config.update(CHAT_EVENT_BURST=4, CHAT_EVENT_RATE=0.001)  # no refill during the test
    a = connected(clients, live_server, app, room["owner"])
    channel_id = room["channel"].id
    a.join(channel_id)
    assert a.send(channel_id, "satu", client_id="t-1")["ok"]
    assert a.send(channel_id, "satu", client_id="t-1")["ok"]  # resend: declined, then general
    assert a.send(channel_id, "dua", client_id="t-2")["ok"]
    assert a.send(channel_id, "tiga", client_id="t-3")["error"]["code"] == "rate_limited"


def test_the_general_handler_answers_when_the_fast_path_fails(
    app, room, live_server, clients, monkeypatch
):
    """A bug or a database error in the fast path loses nothing: it writes nothing, and
    the general handler stores and broadcasts the message."""

    def broken(*_args, **_kwargs):
        raise RuntimeError("the fast path broke")

    monkeypatch.setattr(chat_queries, "channel_to_send", broken)
    a = connected(clients, live_server, app, room["owner"])
    b = connected(clients, live_server, app, room["other"])
    a.join(room["channel"].id)
    b.join(room["channel"].id)
    ack = a.send(room["channel"].id, "tetap sampai")
    assert ack["ok"]
    assert b.wait_for("message:new") == ack["message"]
    assert message_count(app, room["channel"].id) == 1


def _socket_state(app, user_id: int):
    with app.app_context():
        (sid,) = chat_events.local_sockets_of(user_id)
        return app.extensions["cop_chat"].sockets[sid]


def test_a_refused_send_leaves_the_socket_working(app, room, live_server, clients):
    """A refusal rolls back its event's Session. The user object the socket keeps
    must not be that Session's (a rollback expires it, and the next send could not
    read it): after a reload and a refusal, the next message still goes through."""
    a = connected(clients, live_server, app, room["owner"])
    a.join(room["channel"].id)
    _socket_state(app, room["owner"].id).loaded_at -= 2 * chat_events.USER_REFRESH
    assert a.send(room["channel"].id, "   ")["error"]["code"] == "empty_body"
    assert a.send(room["channel"].id, "halo")["ok"]
    assert a.send(room["channel"].id, "halo lagi")["ok"]


@pytest.mark.parametrize("status", ["banned", "pending"])
def test_the_fast_path_asks_the_policy(app, room, live_server, clients, status):
    """A membership that changed without the signal that makes sockets leave (another
    process, a manual fix in the database): the check on the send itself refuses."""
    b = connected(clients, live_server, app, room["other"])
    b.join(room["channel"].id)
    with app.app_context():
        db.session.execute(
            update(Membership)
            .where(
                Membership.user_id == room["other"].id,
                Membership.community_id == room["community"].id,
            )
            .values(status=status)
        )
        db.session.commit()
    assert not b.send(room["channel"].id, "masih bisa?")["ok"]
    assert message_count(app, room["channel"].id) == 0


def test_a_failed_broadcast_still_acks_the_stored_message(
    app, room, live_server, clients, monkeypatch
):
    """Once committed, the message is the sender's: a broadcast that fails (Redis
    gone) is logged, the ack still comes, and the others get it when they catch up."""
    server = app.extensions["cop_chat"].server
    emit = server.emit

    def failing(event, *args, **kwargs):
        if event == "message:new":
            raise ConnectionError("the message queue is down")
        return emit(event, *args, **kwargs)

    monkeypatch.setattr(server, "emit", failing)
    a = connected(clients, live_server, app, room["owner"])
    a.join(room["channel"].id)
    ack = a.send(room["channel"].id, "tersimpan")
    assert ack["ok"] and ack["message"]["body"] == "tersimpan"
    assert message_count(app, room["channel"].id) == 1


def test_a_send_is_one_transaction(app, room, live_server, clients):
    """The checks and the writes of a send share one BEGIN ... COMMIT."""
    a = connected(clients, live_server, app, room["owner"])
    a.join(room["channel"].id)
    a.send(room["channel"].id, "pemanasan")
    with app.app_context():
        engine = db.engine
    commits: list[int] = []

    def on_commit(_conn: object) -> None:
        commits.append(1)

    event.listen(engine, "commit", on_commit)
    try:
        assert a.send(room["channel"].id, "Satu transaksi saja")["ok"]
    finally:
        event.remove(engine, "commit", on_commit)
    assert len(commits) == 1


def test_same_client_id_from_two_connections(app, room, live_server, clients):
    """The outbox may resend from a new connection while the first is still open."""
    a1 = connected(clients, live_server, app, room["owner"])
    a2 = connected(clients, live_server, app, room["owner"])
    a1.join(room["channel"].id)
    a2.join(room["channel"].id)
    assert (
        a1.send(room["channel"].id, "x", "dup")["message"]
        == a2.send(room["channel"].id, "x", "dup")["message"]
    )
    assert message_count(app, room["channel"].id) == 1


def test_catch_up_after_reconnect_gets_exactly_the_missed_messages(app, room, live_server, clients):
    # 53 events in well under a second: more than the flood limit's default burst
    app.config.update(CHAT_EVENT_BURST=100)
    channel_id = room["channel"].id
    reader = connected(clients, live_server, app, room["other"])
    reader.join(channel_id)
    writer = connected(clients, live_server, app, room["owner"])
    writer.join(channel_id)
    writer.send(channel_id, "sebelum")
    last_seen = reader.wait_for("message:new")["id"]
    reader.close()

    sent = [writer.send(channel_id, f"pesan {i}")["message"]["id"] for i in range(50)]

    again = connected(clients, live_server, app, room["other"])
    ack = again.join(channel_id, after_id=last_seen)
    assert [m["id"] for m in ack["messages"]] == sent
    assert [m["body"] for m in ack["messages"]] == [f"pesan {i}" for i in range(50)]
    assert ack["more"] is False
    # live again: the next one arrives once
    writer.send(channel_id, "sesudah")
    assert [m["body"] for m in again.drain("message:new", wait=0.5)] == ["sesudah"]


def test_join_without_after_id_gets_the_latest(app, room, live_server, clients):
    for i in range(3):
        post(app, room["owner"], room["channel"], f"lama {i}")
    client = connected(clients, live_server, app, room["other"])
    ack = client.join(room["channel"].id)
    assert [m["body"] for m in ack["messages"]] == ["lama 0", "lama 1", "lama 2"]
    assert ack["channel"]["community"] == room["community"].slug


def test_removed_member_stops_receiving(app, room, live_server, clients):
    channel_id = room["channel"].id
    writer = connected(clients, live_server, app, room["owner"])
    victim = connected(clients, live_server, app, room["other"])
    writer.join(channel_id)
    victim.join(channel_id)
    writer.send(channel_id, "masih dengar")
    assert victim.wait_for("message:new")["body"] == "masih dengar"

    with app.app_context():
        community = db.session.get(Community, room["community"].id)
        owner = db.session.get(User, room["owner"].id)
        community_services.change_member(owner, community, room["other"].id, status="banned")
    assert victim.wait_for("error")["code"] == "membership_ended"

    writer.send(channel_id, "sudah tidak")
    assert victim.drain("message:new", wait=0.5) == []
    assert victim.send(channel_id, "boleh?")["error"]["code"] in ("not_joined", "not_found")
    assert victim.join(channel_id)["error"]["code"] == "not_found"


def test_leaving_the_community_stops_receiving(app, room, live_server, clients):
    channel_id = room["channel"].id
    writer = connected(clients, live_server, app, room["owner"])
    leaver = connected(clients, live_server, app, room["other"])
    writer.join(channel_id)
    leaver.join(channel_id)
    with app.app_context():
        community_services.leave(
            db.session.get(User, room["other"].id), db.session.get(Community, room["community"].id)
        )
    leaver.wait_for("error")
    writer.send(channel_id, "sudah pergi")
    assert leaver.drain("message:new", wait=0.5) == []


def test_logout_disconnects_the_browser_socket(app, room, live_server, clients):
    browser = app.test_client()
    auth = Auth(browser)
    auth.login(room["other"].email)
    cookie = browser.get_cookie("cop_session").value
    client = clients().connect(live_server.url, headers={"Cookie": f"cop_session={cookie}"})
    client.join(room["channel"].id)
    auth.logout()
    deadline = time.monotonic() + 5
    while client.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.sio.connected


def test_logout_everywhere_refuses_the_next_event(app, room, live_server, clients):
    """Even a socket that somehow stayed open can do nothing once the session is revoked."""
    browser = app.test_client()
    Auth(browser).login(room["other"].email)
    cookie = browser.get_cookie("cop_session").value
    client = clients().connect(live_server.url, headers={"Cookie": f"cop_session={cookie}"})
    with app.app_context():
        # what revoke does, minus the signal that would close the socket
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.user_id == room["other"].id)
            .values(revoked_at=utcnow())
        )
        db.session.commit()
    assert client.join(room["channel"].id)["error"]["code"] == "session_ended"
    deadline = time.monotonic() + 5
    while client.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.sio.connected


def test_a_revoked_token_refuses_the_next_event(app, room, live_server, clients):
    """The socket's user object is reused between events, but whether its token still
    holds is asked every time."""
    with app.app_context():
        token, raw = auth_services.create_token(db.session.merge(room["other"]), "revoked")
    client = clients().connect(live_server.url, token=raw)
    assert client.join(room["channel"].id)["ok"]
    assert client.send(room["channel"].id, "masih boleh")["ok"]
    with app.app_context():
        auth_services.revoke_token(db.session.merge(room["other"]), token.id)
    ack = client.send(room["channel"].id, "sudah tidak boleh")
    assert ack["error"]["code"] == "session_ended"
    assert message_count(app, room["channel"].id) == 1


def test_a_deactivated_member_is_refused_at_once(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["other"])
    assert client.join(room["channel"].id)["ok"]
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == room["other"].id).values(active=False)
        )  # no signal: only the per-event check can catch it
        db.session.commit()
    assert client.send(room["channel"].id, "halo")["error"]["code"] == "session_ended"


def test_the_cached_user_is_reloaded_when_the_admin_flag_changes(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["other"])
    assert client.join(room["channel"].id)["ok"]
    with app.app_context():
        db.session.execute(
            update(User)
            .where(User.id == room["other"].id)
            .values(is_admin=True, name="Pak Budi Baru")
        )
        db.session.commit()
    sent = client.send(room["channel"].id, "nama baru")["message"]
    assert sent["author"]["name"] == "Pak Budi Baru"


def test_editing_someone_elses_message_is_forbidden(app, room, live_server, clients):
    message = post(app, room["owner"], room["channel"], "punya Bu Sari")
    client = connected(clients, live_server, app, room["other"])
    ack = client.call("message:edit", {"message_id": message.id, "body": "diubah"})
    assert ack["error"]["code"] == "forbidden"
    ack = client.call("message:delete", {"message_id": message.id})
    assert ack["error"]["code"] == "forbidden"
    with app.app_context():
        assert db.session.get(Message, message.id).body == "punya Bu Sari"


def test_author_edits_and_the_channel_sees_it(app, room, live_server, clients):
    author = connected(clients, live_server, app, room["other"])
    watcher = connected(clients, live_server, app, room["owner"])
    author.join(room["channel"].id)
    watcher.join(room["channel"].id)
    sent = author.send(room["channel"].id, "salah ketik")["message"]
    ack = author.call("message:edit", {"message_id": sent["id"], "body": "sudah benar"})
    assert ack["ok"]
    updated = watcher.wait_for("message:updated")
    assert updated["id"] == sent["id"] and updated["body"] == "sudah benar"
    assert updated["edited_at"]


def test_moderator_deletes_any_message(app, room, live_server, clients):
    message = post(app, room["other"], room["channel"], "hapus saya")
    moderator = connected(clients, live_server, app, room["owner"])  # the coordinator
    moderator.join(room["channel"].id)
    ack = moderator.call("message:delete", {"message_id": message.id})
    assert ack["ok"] and ack["message"]["deleted_at"] and ack["message"]["body"] == ""
    assert moderator.wait_for("message:deleted")["id"] == message.id


def test_a_flood_is_refused_and_others_are_still_served(app, room, live_server, clients):
    app.config.update(CHAT_EVENT_BURST=5, CHAT_EVENT_RATE=0.001)  # no refill during the test
    flooder = connected(clients, live_server, app, room["other"])
    calm = connected(clients, live_server, app, room["owner"])
    calm.join(room["channel"].id)
    codes = [flooder.call("typing", {"channel_id": room["channel"].id}) for _ in range(12)]
    refused = [c for c in codes if c and c.get("error", {}).get("code") == "rate_limited"]
    assert len(refused) == 7
    assert calm.send(room["channel"].id, "saya tetap bisa")["ok"]


def test_typing_and_presence(app, room, live_server, clients):
    a = connected(clients, live_server, app, room["owner"])
    b = connected(clients, live_server, app, room["other"])
    a.join(room["channel"].id)
    ack = b.join(room["channel"].id)
    assert set(ack["online"]) == {room["owner"].id, room["other"].id}
    presence = a.wait_for("presence", where=lambda p: len(p["online"]) == 2)
    assert presence["channel_id"] == room["channel"].id
    b.sio.emit("typing", {"channel_id": room["channel"].id})
    typing = a.wait_for("typing")
    assert typing == {
        "channel_id": room["channel"].id,
        "user": {"id": room["other"].id, "name": "Pak Budi"},
    }
    b.close()
    assert a.wait_for("presence", where=lambda p: p["online"] == [room["owner"].id])


def test_read_marker_and_unread_counts(app, room, live_server, clients):
    ids = [post(app, room["owner"], room["channel"], f"m{i}").id for i in range(3)]
    client = connected(clients, live_server, app, room["other"])
    client.join(room["channel"].id)
    assert client.call(
        "channel:read", {"channel_id": room["channel"].id, "message_id": ids[0]}
    ) == {
        "ok": True,
        "last_read_id": ids[0],
    }
    # never backwards, never past the end
    client.call("channel:read", {"channel_id": room["channel"].id, "message_id": 0})
    ack = client.call("channel:read", {"channel_id": room["channel"].id, "message_id": 10**9})
    assert ack["last_read_id"] == ids[-1]


def test_notification_is_pushed_to_the_users_room(app, room, live_server, clients):
    client = connected(clients, live_server, app, room["other"])
    with app.app_context():
        notification_services.notify(
            db.session.get(User, room["other"].id), "mention", "Bu Sari menyebut Anda", "/c/"
        )
    pushed = client.wait_for("notification:new")
    assert pushed["title"] == "Bu Sari menyebut Anda"
    assert set(pushed) >= {"id", "kind", "title", "url", "created_at", "read_at"}


def test_a_mention_notifies_the_member_live_and_links_the_name(
    app, factory, room, live_server, clients
):
    outsider = factory.user(name="Bu Tamu")
    with app.app_context():
        other = db.session.get(User, room["other"].id)
        other_name, outsider_name = other.username, db.session.merge(outsider).username
    sender = connected(clients, live_server, app, room["owner"])
    mentioned = connected(clients, live_server, app, room["other"])
    sender.join(room["channel"].id)

    body = f"@{other_name} tolong bawa LKPD, @{outsider_name} juga"
    ack = sender.send(room["channel"].id, body)
    message = ack["message"]
    assert (
        f'<a class="mention" href="/auth/users/{other_name}">@{other_name}</a>' in message["html"]
    )
    pushed = mentioned.wait_for("notification:new")
    assert pushed["kind"] == "mention"
    assert pushed["title"] == f"Bu Sari mentioned you in #{room['channel'].name}"
    assert pushed["url"] == f"/chat/{room['channel'].id}#m{message['id']}"
    with app.app_context():
        # The outsider cannot read the channel: named, but not told (and not linked to it).
        assert notification_queries.unread_count(db.session.merge(outsider)) == 0


def test_editing_in_a_mention_links_it_without_a_second_notification(
    app, room, live_server, clients
):
    with app.app_context():
        other_name = db.session.get(User, room["other"].id).username
    sender = connected(clients, live_server, app, room["owner"])
    sender.join(room["channel"].id)
    message = sender.send(room["channel"].id, "tanpa sebutan")["message"]
    edited = sender.call(
        "message:edit", {"message_id": message["id"], "body": f"untuk @{other_name}"}
    )
    assert 'class="mention"' in edited["message"]["html"]
    with app.app_context():
        assert notification_queries.unread_count(db.session.get(User, room["other"].id)) == 0


def test_presence_is_kept_per_app(app, room, live_server, clients, tmp_path, monkeypatch):
    """A process can hold two apps (the tests do): one app's pending presence
    announcement neither blocks the other's nor goes out on the other's server."""
    from cop import create_app
    from cop.chat import events

    # Building the second app takes longer than the usual half second on a busy
    # machine; the announcement must still be pending when it is looked at.
    monkeypatch.setattr(events, "PRESENCE_DELAY", 3.0)
    owner = connected(clients, live_server, app, room["owner"])
    owner.join(room["channel"].id)  # schedules this app's announcement
    other = create_app(
        "testing", {"DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite'}", "REDIS_URL": None}
    )
    assert events._local(other).presence_pending == set()
    with app.app_context():
        assert room["channel"].id in events._local().presence_pending
    # The announcement still reaches this app's clients, not the newer app's server.
    assert owner.wait_for("presence")["online"] == [room["owner"].id]
