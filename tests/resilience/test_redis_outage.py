"""Redis dies in the middle of a run and comes back: the site keeps serving.

A real ``cop serve`` uses a Redis of this test's own for rate limits, the Socket.IO
message queue and the job queue; the test kills that Redis (SIGKILL, nothing kept)
while pages load and messages are sent, then starts it again on the same port.
"""

from __future__ import annotations

import time
import uuid

import requests

from cop.chat.models import Message
from cop.extensions import db
from tests.chat import general_channel, token_for
from tests.resilience.conftest import failed_login

#: how long the app may take to use Redis again once it is back (the Socket.IO
#: listener retries with a doubling pause)
RECOVERY = 40.0


def _pages(session: requests.Session, url: str, slug: str, topic_id: int, token: str) -> list[int]:
    """One round of browsing and posting; the statuses."""
    auth = {"Authorization": f"Bearer {token}"}
    answers = [
        session.get(url + "/", timeout=10),
        session.get(f"{url}/c/{slug}", timeout=10),
        session.get(f"{url}/api/v1/topics/{topic_id}/posts", headers=auth, timeout=10),
        session.post(
            f"{url}/api/v1/topics/{topic_id}/posts",
            json={"body": f"Balasan {uuid.uuid4().hex[:6]}"},
            headers=auth,
            timeout=10,
        ),
    ]
    return [a.status_code for a in answers]


def test_pages_and_throttles_outlive_a_redis_outage(
    app, factory, tmp_path, redis_server, cop_servers, request
):
    owner = factory.user()
    community = factory.community(owner)
    topic = factory.topic(community, owner)
    token = token_for(app, owner)
    server = cop_servers(
        app.config["DATABASE_URL"],
        tmp_path,
        redis_url=redis_server.url,
        extra_env={"COP_LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute"},
    )
    session = requests.Session()
    request.addfinalizer(session.close)  # its sockets, not the garbage collector's
    statuses = _pages(session, server.url, community.slug, topic.id, token)
    assert statuses == [200, 200, 200, 201], server.log()

    redis_server.kill()
    rounds = [_pages(session, server.url, community.slug, topic.id, token) for _ in range(3)]
    during = [status for statuses in rounds for status in statuses]
    assert all(s < 500 for s in during), (during, server.log())
    assert during.count(201) == 3, "replies are stored while Redis is down"
    # the login throttle still counts, in memory: the 4th wrong password is refused
    tries = [failed_login(session, server.url, "tamu@example.id").status_code for _ in range(4)]
    assert tries[:3] == [200, 200, 200] and tries[3] == 429, (tries, server.log())
    health = session.get(server.url + "/healthz", timeout=10)
    assert health.status_code == 503 and health.json()["failing"] == ["redis"]

    redis_server.start()
    deadline = time.monotonic() + RECOVERY
    while session.get(server.url + "/healthz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "the app did not see Redis again"
        time.sleep(0.5)
    after = _pages(session, server.url, community.slug, topic.id, token)
    assert after == [200, 200, 200, 201], server.log()


def test_chat_recovers_from_a_redis_outage_without_losing_a_message(
    app, factory, tmp_path, redis_server, cop_servers, clients
):
    owner = factory.user(name="Bu Sari")
    community = factory.community(owner)
    other = factory.user(name="Pak Budi")
    factory.member(community, other)
    channel = general_channel(app, community)
    server = cop_servers(app.config["DATABASE_URL"], tmp_path, redis_url=redis_server.url)
    sender = clients().connect(server.url, token=token_for(app, owner))
    listener = clients().connect(server.url, token=token_for(app, other))
    assert sender.join(channel.id)["ok"] and listener.join(channel.id)["ok"]
    first = sender.send(channel.id, "sebelum")["message"]
    assert listener.wait_for("message:new")["id"] == first["id"]

    redis_server.kill()
    acked = [first]
    for n in range(10):
        ack = sender.send(channel.id, f"selama {n}")
        assert ack["ok"], ack  # stored: the broadcast is what waits for Redis
        acked.append(ack["message"])

    redis_server.start()
    # live delivery comes back by itself: a message sent now reaches the listener
    deadline = time.monotonic() + RECOVERY
    while True:
        assert time.monotonic() < deadline, "live chat did not recover:\n" + server.log()
        ack = sender.send(channel.id, f"sesudah {uuid.uuid4().hex[:6]}")
        acked.append(ack["message"])
        body = ack["message"]["body"]
        try:
            listener.wait_for("message:new", timeout=1.0, where=lambda m, b=body: m["body"] == b)
            break
        except AssertionError:
            continue
    # and the catch-up a reconnecting client makes has every acknowledged message
    missed = listener.join(channel.id, after_id=first["id"])["messages"]
    assert [m["id"] for m in missed] == [m["id"] for m in acked[1:]]
    with app.app_context():
        stored = db.session.scalars(
            db.select(Message.id).where(Message.channel_id == channel.id).order_by(Message.id)
        ).all()
    assert stored == [m["id"] for m in acked]
