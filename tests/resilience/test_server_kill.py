"""A ``cop serve`` is killed (SIGKILL) while members send chat messages.

The promise a sender relies on: a message it was acknowledged is stored and reaches
whoever catches up after the restart; one it was not acknowledged may or may not be
stored, and sending it again with the same ``client_id`` makes exactly one. Never
acknowledged and lost, never stored twice.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

from cop.chat.models import Message
from cop.extensions import db
from tests.chat import Client, general_channel, token_for

SENDERS = 4
#: acknowledged messages before the kill (so the kill falls in a steady stream)
ACKED_BEFORE_KILL = 40


def test_a_killed_server_never_loses_an_acknowledged_message(
    app, factory, tmp_path, cop_servers, clients
):
    owner = factory.user()
    community = factory.community(owner)
    members = [owner]
    for _ in range(SENDERS - 1):
        member = factory.user()
        factory.member(community, member)
        members.append(member)
    channel = general_channel(app, community)
    tokens = [token_for(app, member) for member in members]
    server = cop_servers(app.config["DATABASE_URL"], tmp_path)

    acked: dict[str, int] = {}  # client_id -> message id in the ack
    unacked: dict[str, tuple[int, str]] = {}  # client_id -> (sender, body): no ack came
    lock = threading.Lock()

    def send_until_it_fails(n: int, sender: Client) -> None:
        while True:
            client_id, body = uuid.uuid4().hex, f"pesan {n}-{uuid.uuid4().hex[:6]}"
            try:
                ack = sender.send(channel.id, body, client_id)
            except Exception:  # the server is gone: this one was not acknowledged
                ack = None
            with lock:
                if ack and ack.get("ok"):
                    acked[client_id] = ack["message"]["id"]
                    continue
                unacked[client_id] = (n, body)
                return

    senders = [clients().connect(server.url, token=token) for token in tokens]
    for sender in senders:
        assert sender.join(channel.id)["ok"]
    threads = [
        threading.Thread(target=send_until_it_fails, args=(n, sender))
        for n, sender in enumerate(senders)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acked) < ACKED_BEFORE_KILL:
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.01)
    server.kill()
    for thread in threads:
        thread.join(30)
    assert len(unacked) == SENDERS, "every sender had a send in flight when it was killed"

    server.start()
    # every acknowledged message is stored, and a reconnecting client catches up on it
    back = clients().connect(server.url, token=tokens[0])
    caught_up = {m["client_id"]: m["id"] for m in back.join(channel.id, after_id=0)["messages"]}
    for client_id, message_id in acked.items():
        assert caught_up.get(client_id) == message_id, client_id
    # the senders send what had no ack again, with the same client_id: one message each
    resenders = [clients().connect(server.url, token=token) for token in tokens]
    for client_id, (n, body) in unacked.items():
        assert resenders[n].join(channel.id)["ok"]
        ack = resenders[n].send(channel.id, body, client_id)
        assert ack["ok"] and ack["message"]["client_id"] == client_id, ack
    with app.app_context():
        stored = db.session.execute(
            db.select(Message.client_id, Message.id).where(Message.channel_id == channel.id)
        ).all()
    per_client_id = Counter(client_id for client_id, _ in stored)
    assert set(per_client_id) == set(acked) | set(unacked)
    assert max(per_client_id.values()) == 1, "a message was stored twice"
    assert {cid: mid for cid, mid in stored if cid in acked} == acked
