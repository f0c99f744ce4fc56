"""A bounded soak: 50 members browse, post, chat, RSVP and upload for 5 minutes.

Against a real server in the production shape of the database (``cop serve`` for
SQLite; gunicorn with gevent and a ``cop worker`` for PostgreSQL, with Redis), on
127.0.0.1, seeded with bench/pages.py's data set at a small scale. Each simulated
member is a thread with its own login cookie, API token and Socket.IO connection,
picking an action at random and pausing a little between actions. Afterwards:

* **errors**: every answer of 500 or more, and every request that failed outright;
* **writes**: each acknowledged write (a reply, a chat message, an RSVP, an upload) is
  looked up in the database, and each write the clients made is counted there: an
  acknowledged write missing is *lost*, a write stored twice is *duplicated*;
* **memory**: the server's RSS, sampled every few seconds; growth is measured from
  the end of the warm-up (the first fifth of the run) to the end.

It writes ``bench/results/soak_<UTC time>_<db>.json`` and ``.md``.

    .venv/bin/python bench/soak.py                         # SQLite, 5 minutes, 50 members
    .venv/bin/python bench/soak.py --databases postgresql  # the scaled-out shape
    .venv/bin/python bench/soak.py --smoke --out /tmp/x    # ~10 s, what the test suite runs
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402 - after the path is set

SOAK = pages.Scale(users=60, posts=2000, big_topic=200, topics=40, write_topics=8, watchers=8)
#: actions and how often a member picks each
MIX = {"browse": 45, "chat": 25, "post": 12, "rsvp": 10, "upload": 8}
#: the settings that would throttle 50 members sharing one address (127.0.0.1)
UNTHROTTLED = {
    f"COP_{name}": "1000000 per minute"
    for name in (
        "LOGIN_RATE_LIMIT",
        "LOGIN_ACCOUNT_RATE_LIMIT",
        "UPLOAD_RATE_LIMIT",
        "UPLOAD_RATE_LIMIT_IP",
        "TOKEN_CREATE_RATE_LIMIT",
        "TOKEN_CREATE_RATE_LIMIT_IP",
    )
}
MARK = "soak"


@dataclass
class Ledger:
    """What the clients did and what they were acknowledged, shared by the members."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)  #: action -> requests made
    statuses: Counter = field(default_factory=Counter)  #: status -> count
    failures: list[str] = field(default_factory=list)  #: requests that got no answer
    server_errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    posts: dict[str, int] = field(default_factory=dict)  #: body marker -> post id
    posts_sent: set[str] = field(default_factory=set)
    messages: dict[str, int] = field(default_factory=dict)  #: client_id -> message id
    messages_sent: set[str] = field(default_factory=set)
    rsvps: dict[int, str] = field(default_factory=dict)  #: user id -> last acked status
    uploads: dict[str, int] = field(default_factory=dict)  #: title -> resource id
    uploads_sent: set[str] = field(default_factory=set)

    def answer(self, action: str, started: float, status: int | None, what: str) -> None:
        with self.lock:
            self.requests[action] += 1
            self.latencies.setdefault(action, []).append(time.perf_counter() - started)
            if status is None:
                self.failures.append(what)
                return
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {what}")


@dataclass
class Member:
    user_id: int
    email: str
    token: str
    cookie: str = ""
    sio: Any = None


class Soak:
    """The members' loop against one server."""

    def __init__(self, url: str, data: dict[str, Any], meeting_id: int, channel_id: int) -> None:
        self.url = url
        self.data = data
        self.meeting_id = meeting_id
        self.channel_id = channel_id
        self.ledger = Ledger()

    def _http(self, member: Member, action: str, method: str, path: str, **kw: Any) -> Any:
        import requests

        headers = kw.pop("headers", {})
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {member.token}"
        else:
            headers["Cookie"] = member.cookie
        started = time.perf_counter()
        try:
            response = requests.request(method, self.url + path, headers=headers, timeout=30, **kw)
        except requests.RequestException as error:
            self.ledger.answer(action, started, None, f"{method} {path}: {error!r}")
            return None
        self.ledger.answer(action, started, response.status_code, f"{method} {path}")
        return response

    def browse(self, member: Member, rng: random.Random) -> None:
        topic = rng.choice([self.data["big_topic"], *self.data["write_topics"]])
        path = rng.choice(
            [
                "/",
                "/c/kkg-bench",
                f"/t/{topic}",
                f"/api/v1/topics/{topic}/posts",
                "/api/v1/communities/kkg-bench/meetings",
                f"/api/v1/channels/{self.channel_id}/messages",
            ]
        )
        self._http(member, "browse", "GET", path)

    def post(self, member: Member, rng: random.Random) -> None:
        marker = f"{MARK}-{uuid.uuid4().hex}"
        with self.ledger.lock:
            self.ledger.posts_sent.add(marker)
        topic = rng.choice(self.data["write_topics"])
        body = {"body": f"Catatan {marker}: asesmen formatif di kelas."}
        response = self._http(member, "post", "POST", f"/api/v1/topics/{topic}/posts", json=body)
        if response is not None and response.status_code == 201:
            with self.ledger.lock:
                self.ledger.posts[marker] = response.json()["id"]

    def chat(self, member: Member, _rng: random.Random) -> None:
        client_id = uuid.uuid4().hex
        with self.ledger.lock:
            self.ledger.messages_sent.add(client_id)
        started = time.perf_counter()
        payload = {"channel_id": self.channel_id, "body": "Selamat pagi", "client_id": client_id}
        try:
            ack = member.sio.call("message:send", payload, timeout=30)
        except Exception as error:  # a lost send is what is counted
            self.ledger.answer("chat", started, None, f"message:send: {error!r}")
            return
        ok = isinstance(ack, dict) and ack.get("ok")
        self.ledger.answer("chat", started, 200 if ok else 400, "message:send")
        if ok:
            with self.ledger.lock:
                self.ledger.messages[client_id] = ack["message"]["id"]

    def rsvp(self, member: Member, rng: random.Random) -> None:
        status = rng.choice(["yes", "no", "maybe"])
        response = self._http(
            member, "rsvp", "POST", f"/api/v1/meetings/{self.meeting_id}/rsvp",
            json={"status": status},
        )  # fmt: skip
        if response is not None and response.status_code == 200:
            with self.ledger.lock:
                self.ledger.rsvps[member.user_id] = status

    def upload(self, member: Member, _rng: random.Random) -> None:
        title = f"{MARK} LKPD {uuid.uuid4().hex[:12]}"
        with self.ledger.lock:
            self.ledger.uploads_sent.add(title)
        content = b"%PDF-1.4\n" + title.encode() + b"\n%%EOF"
        response = self._http(
            member, "upload", "POST", "/api/v1/communities/kkg-bench/resources",
            data={"title": title, "kind": "lkpd"},
            files={"file": ("lkpd.pdf", content, "application/pdf")},
        )  # fmt: skip
        if response is not None and response.status_code == 201:
            with self.ledger.lock:
                self.ledger.uploads[title] = response.json()["id"]

    def run_member(self, member: Member, seed: int, until: float) -> None:
        rng = random.Random(seed)
        actions = list(MIX)
        weights = list(MIX.values())
        while time.monotonic() < until:
            action = rng.choices(actions, weights)[0]
            getattr(self, action)(member, rng)
            time.sleep(rng.uniform(0.3, 1.2))


def _connect(url: str, token: str) -> Any:
    import socketio

    sio = socketio.Client(reconnection=False, request_timeout=30)
    sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
    return sio


def _disconnect(sio: Any) -> None:
    """Disconnect without websocket-client's 3 s wait for a closing frame that its own
    read loop takes (see tests/chat/__init__.py, ``Client.close``)."""
    if sio is None or not sio.connected:
        return
    ws = sio.eio.ws
    if ws is not None:
        ws.close = functools.partial(ws.close, timeout=0)
    sio.disconnect()


def prepare(url: str, data: dict[str, Any], n: int) -> tuple[list[Member], int, int]:
    """Log the members in (cookie, socket), schedule the meeting they RSVP to; the
    members, the meeting's id and the general channel's id."""
    import requests

    members = [
        Member(user_id=i + 2, email=f"guru{i + 2}@bench.id", token=data["tokens"][i])
        for i in range(n)
    ]
    coordinator = requests.post(
        url + "/api/v1/tokens",
        json={"email": "guru1@bench.id", "password": pages.PASSWORD, "name": "soak"},
        timeout=30,
    )
    coordinator.raise_for_status()
    auth = {"Authorization": f"Bearer {coordinator.json()['token']}"}
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=7)
    meeting = requests.post(
        url + "/api/v1/communities/kkg-bench/meetings",
        json={
            "title": "Pertemuan rutin KKG",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SDN 1 Bench",
        },
        headers=auth,
        timeout=30,
    )
    assert meeting.status_code == 201, meeting.text
    channels = requests.get(
        url + "/api/v1/communities/kkg-bench/channels", headers=auth, timeout=30
    )
    channel_id = channels.json()["items"][0]["id"]
    for member in members:
        member.cookie = pages.login(url, member.email)
        member.sio = _connect(url, member.token)
        joined = member.sio.call("channel:join", {"channel_id": channel_id}, timeout=30)
        assert joined.get("ok"), joined
    return members, meeting.json()["id"], channel_id


def check_writes(database_url: str, ledger: Ledger, channel_id: int, meeting_id: int) -> dict:
    """Each kind of write: acknowledged, stored, lost (acked, missing), duplicated."""
    from sqlalchemy import func, select

    from cop import create_app
    from cop.chat.models import Message
    from cop.discussions.models import Post
    from cop.extensions import db
    from cop.meetings.models import RSVP
    from cop.resources.models import Resource

    app = create_app("testing", {"DATABASE_URL": database_url, "REDIS_URL": None})
    out: dict[str, Any] = {}
    with app.app_context():
        rows = db.session.execute(select(Post.id, Post.body).where(Post.body.like(f"%{MARK}-%")))
        stored_posts: dict[str, list[int]] = {}
        for post_id, body in rows:
            marker = body.split(":", 1)[0].removeprefix("Catatan ")
            stored_posts.setdefault(marker, []).append(post_id)
        out["post"] = _compare(ledger.posts, ledger.posts_sent, stored_posts)
        rows = db.session.execute(
            select(Message.client_id, Message.id).where(Message.channel_id == channel_id)
        )
        stored_messages: dict[str, list[int]] = {}
        for client_id, message_id in rows:
            stored_messages.setdefault(client_id, []).append(message_id)
        out["chat"] = _compare(ledger.messages, ledger.messages_sent, stored_messages)
        rows = db.session.execute(
            select(Resource.title, Resource.id).where(Resource.title.like(f"{MARK} %"))
        )
        stored_uploads: dict[str, list[int]] = {}
        for title, resource_id in rows:
            stored_uploads.setdefault(title, []).append(resource_id)
        out["upload"] = _compare(ledger.uploads, ledger.uploads_sent, stored_uploads)
        rsvps = dict(
            db.session.execute(
                select(RSVP.user_id, RSVP.status).where(RSVP.meeting_id == meeting_id)
            ).all()
        )
        per_user = db.session.execute(
            select(func.count()).select_from(RSVP).where(RSVP.meeting_id == meeting_id)
            .group_by(RSVP.user_id).having(func.count() > 1)
        ).all()  # fmt: skip
        out["rsvp"] = {
            "acknowledged": len(ledger.rsvps),
            "stored": len(rsvps),
            "lost": sum(1 for u, s in ledger.rsvps.items() if rsvps.get(u) != s),
            "duplicated": len(per_user),
        }
        db.engine.dispose()
    return out


def _compare(acked: dict[str, int], sent: set[str], stored: dict[str, list[int]]) -> dict:
    return {
        "sent": len(sent),
        "acknowledged": len(acked),
        "stored": sum(len(ids) for key, ids in stored.items() if key in sent),
        "lost": sum(1 for key, wid in acked.items() if stored.get(key) != [wid]),
        "duplicated": sum(1 for key, ids in stored.items() if key in sent and len(ids) > 1),
        "stored_unacknowledged": sum(1 for key in stored if key in sent and key not in acked),
    }


def soak(database: str, url: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Seed, serve, run the members for ``args.seconds``, then check; the result."""
    print(f"== {database}: seeding {SOAK}", flush=True)
    scale = pages.Scale(**{**SOAK.__dict__, "tokens": args.members})
    data = pages.seed(url, scale)
    shape = pages.DEFAULT_SHAPE[database]
    port = pages.free_port()
    redis_url = pages.reachable_redis(args.redis_url) if database == "postgresql" else None
    env = {**pages.server_env(url, work, shape, port, redis_url), **UNTHROTTLED}
    pages.reindex(env)
    server = pages.start(f"soak-{database}", "wsgi:app", shape, env, port, work)
    worker = pages.start_worker(env, work) if shape != "serve" else None
    members: list[Member] = []
    try:
        members, meeting_id, channel_id = prepare(server.url, data, args.members)
        run = Soak(server.url, data, meeting_id, channel_id)
        started = time.monotonic()
        until = started + args.seconds
        threads = [
            threading.Thread(target=run.run_member, args=(m, n, until), daemon=True)
            for n, m in enumerate(members)
        ]
        for thread in threads:
            thread.start()
        rss: list[tuple[float, float]] = []
        while time.monotonic() < until:
            rss.append((round(time.monotonic() - started, 1), round(server.rss_mb(), 1)))
            time.sleep(args.sample)
        for thread in threads:
            thread.join(60)
        rss.append((round(time.monotonic() - started, 1), round(server.rss_mb(), 1)))
        elapsed = time.monotonic() - started
        jobs = pages.drain_jobs(url)
        writes = check_writes(url, run.ledger, channel_id, meeting_id)
    finally:
        for member in members:
            _disconnect(member.sio)
        server.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(20)
    return summary(database, shape, redis_url, args, run.ledger, rss, elapsed, jobs, writes)


def summary(
    database: str, shape: str, redis_url: str | None, args: argparse.Namespace,
    ledger: Ledger, rss: list[tuple[float, float]], elapsed: float,
    jobs: dict[str, Any], writes: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    warm_until = args.seconds * args.warmup
    after_warmup = [mb for t, mb in rss if t >= warm_until] or [rss[-1][1]]
    growth = (rss[-1][1] - after_warmup[0]) / after_warmup[0] * 100
    total = sum(ledger.requests.values())
    latency = {
        action: {
            "p50_ms": round(pages.percentile(values, 50) * 1000, 1),
            "p99_ms": round(pages.percentile(values, 99) * 1000, 1),
        }
        for action, values in ledger.latencies.items()
    }
    lost = sum(w["lost"] for w in writes.values())
    duplicated = sum(w["duplicated"] for w in writes.values())
    return {
        "database": database,
        "shape": shape + (" + redis" if redis_url else ""),
        "members": args.members,
        "seconds": round(elapsed, 1),
        "requests": total,
        "per_second": round(total / elapsed, 1),
        "by_action": dict(ledger.requests),
        "statuses": {str(k): v for k, v in sorted(ledger.statuses.items())},
        "server_errors": len(ledger.server_errors),
        "server_error_samples": ledger.server_errors[:10],
        "failures": len(ledger.failures),
        "failure_samples": ledger.failures[:10],
        "latency": latency,
        "writes": writes,
        "lost": lost,
        "duplicated": duplicated,
        "jobs_after": jobs,
        "rss_mb": rss,
        "rss_after_warmup_mb": after_warmup[0],
        "rss_end_mb": rss[-1][1],
        "rss_growth_pct": round(growth, 1),
        "passed": not ledger.server_errors and not ledger.failures and not lost
        and not duplicated and growth < 10,
    }  # fmt: skip


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        f"# Soak, {result['database']} ({result['shape']}), {meta['when']} UTC",
        "",
        f"{result['members']} members for {result['seconds']} s on {meta['machine']['cores']}"
        f" cores (load average before: {meta['machine']['load_average'][0]:.2f}):"
        f" {result['requests']} requests and sends ({result['per_second']}/s).",
        "",
        "| check | measured | limit | |",
        "|---|---|---|---|",
        f"| answers of 500 or more | {result['server_errors']} | 0 |"
        f" {'met' if not result['server_errors'] else 'MISSED'} |",
        f"| requests without an answer | {result['failures']} | 0 |"
        f" {'met' if not result['failures'] else 'MISSED'} |",
        f"| acknowledged writes lost | {result['lost']} | 0 |"
        f" {'met' if not result['lost'] else 'MISSED'} |",
        f"| writes stored twice | {result['duplicated']} | 0 |"
        f" {'met' if not result['duplicated'] else 'MISSED'} |",
        f"| RSS growth after warm-up | {result['rss_growth_pct']} %"
        f" ({result['rss_after_warmup_mb']} -> {result['rss_end_mb']} MB) | < 10 % |"
        f" {'met' if result['rss_growth_pct'] < 10 else 'MISSED'} |",
        "",
        "| write | sent | acknowledged | stored | lost | duplicated |",
        "|---|---|---|---|---|---|",
    ]
    for kind, w in result["writes"].items():
        lines.append(
            f"| {kind} | {w.get('sent', '-')} | {w['acknowledged']} | {w['stored']} |"
            f" {w['lost']} | {w['duplicated']} |"
        )
    lines += ["", "| action | requests | p50 ms | p99 ms |", "|---|---|---|---|"]
    for action, figures in sorted(result["latency"].items()):
        lines.append(
            f"| {action} | {result['by_action'][action]} | {figures['p50_ms']} |"
            f" {figures['p99_ms']} |"
        )
    lines += ["", f"Statuses: {result['statuses']}. Jobs left after: {result['jobs_after']}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument(
        "--pg-url", default=os.environ.get("COP_BENCH_DATABASE_URL", pages.PG_DEFAULT)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("COP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    )
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=0.2, help="share of the run")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--smoke", action="store_true", help="10 members for 10 s")
    parser.add_argument("--out", default=None, help="where results go (default bench/results)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.members, args.seconds, args.sample = 10, 10, 0.5
    out = Path(args.out) if args.out else (None if args.smoke else pages.RESULTS)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    meta = {"when": when, "machine": pages.machine()}
    failed = False
    for database in [d for d in args.databases.split(",") if d]:
        with tempfile.TemporaryDirectory(prefix="cop-soak-") as tmp:
            work = Path(tmp)
            url = pages.prepare_database(database, args.pg_url, work)
            result = soak(database, url, work, args)
        text = markdown(result, meta)
        print(text, flush=True)
        failed = failed or not result["passed"]
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            stem = out / f"soak_{when}_{database}"
            stem.with_suffix(".json").write_text(json.dumps(result | {"meta": meta}, indent=1))
            stem.with_suffix(".md").write_text(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
