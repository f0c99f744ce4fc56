"""Fan-out latency of the chat: send -> the LAST receiver, for rooms of 10, 100, 500.

Runs, in the same session on the same machine, a bare python-socketio server
(bench/bare_socketio_server.py) and cop itself (``flask --app wsgi cop serve``,
threading mode, SQLite), each in its own process, with the same clients. For
every message the time from the sender's emit to the moment the last of N
receivers got it is one sample; p50/p95/p99, delivery (must be 100%) and the
cop/bare ratio are printed and written to bench/results/chat_fanout.json.

    .venv/bin/python bench/chat_fanout.py [--sizes 10,100,500] [--messages 40]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/socket.io/?EIO=4&transport=polling", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Receivers:
    """N connected clients counting arrivals per message key."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.lock = threading.Lock()
        self.arrivals: dict[str, list[float]] = {}
        self.done: dict[str, threading.Event] = {}
        self.clients: list[socketio.Client] = []

    def expect(self, key: str) -> threading.Event:
        with self.lock:
            self.arrivals[key] = []
            self.done[key] = threading.Event()
            return self.done[key]

    def arrived(self, key: str) -> None:
        now = time.perf_counter()
        with self.lock:
            times = self.arrivals.get(key)
            if times is None:
                return
            times.append(now)
            if len(times) == self.n:
                self.done[key].set()


def run_room(url: str, n: int, messages: int, kind: str, tokens: list[str], channel: int) -> dict:
    """Connect n receivers and a sender, send ``messages`` one by one, measure."""
    receivers = Receivers(n)
    new_event, key_of = ("new", lambda d: d["body"]) if kind == "bare" else (
        "message:new",
        lambda d: d["body"],
    )

    def connect(token: str | None) -> socketio.Client:
        client = socketio.Client(reconnection=False)
        client.connect(
            url,
            auth={"token": token} if token else None,
            transports=["websocket"],
            wait_timeout=30,
        )
        return client

    for i in range(n):
        client = connect(tokens[i + 1] if kind == "cop" else None)
        client.on(new_event, lambda d: receivers.arrived(key_of(d)))
        if kind == "cop":
            ack = client.call("channel:join", {"channel_id": channel}, timeout=30)
        else:
            ack = client.call("join", {}, timeout=30)
        assert ack["ok"], ack
        receivers.clients.append(client)
    sender = connect(tokens[0] if kind == "cop" else None)
    if kind == "cop":
        sender.call("channel:join", {"channel_id": channel}, timeout=30)
    time.sleep(0.5)
    samples, delivered = [], 0
    for m in range(messages + 3):  # the first 3 warm up and are not counted
        key = f"{kind}-{n}-{m}-{time.time_ns()}"
        done = receivers.expect(key)
        start = time.perf_counter()
        if kind == "cop":
            sender.emit(
                "message:send", {"channel_id": channel, "body": key, "client_id": key[-40:]}
            )
        else:
            sender.emit("send", {"body": key})
        done.wait(15)
        times = receivers.arrivals[key]
        if m >= 3:
            delivered += len(times)
            if len(times) == n:
                samples.append((max(times) - start) * 1000)
        time.sleep(0.12)  # stay under the per-socket event rate limit (10/s)
    for client in [*receivers.clients, sender]:
        threading.Thread(target=client.disconnect, daemon=True).start()
    time.sleep(1.0)
    return {
        "server": kind,
        "clients": n,
        "messages": messages,
        "delivery": delivered / (n * messages),
        "p50_ms": round(percentile(samples, 50), 2) if samples else None,
        "p95_ms": round(percentile(samples, 95), 2) if samples else None,
        "p99_ms": round(percentile(samples, 99), 2) if samples else None,
        "mean_ms": round(statistics.fmean(samples), 2) if samples else None,
    }


def prepare_cop(db_path: Path, users: int) -> tuple[list[str], int]:
    """A community with ``users`` members and an API token each; returns tokens, channel id."""
    from cop import create_app
    from cop.auth import services as auth_services
    from cop.chat import services as chat_services
    from cop.communities import services as community_services
    from cop.communities.models import Membership
    from cop.extensions import db

    app = create_app("testing", {"DATABASE_URL": f"sqlite:///{db_path}", "REDIS_URL": None})
    with app.app_context():
        db.create_all()
        owner = auth_services.register("bench0@example.id", "pelangi-senja-42", "Bench 0")
        community = community_services.create_community(
            owner, community_services.CommunityData(name="Bench KKG", kind="KKG")
        )
        tokens = [auth_services.create_token(owner, "bench")[1]]
        for i in range(1, users):
            user = auth_services.register(f"bench{i}@example.id", "pelangi-senja-42", f"B {i}")
            db.session.add(Membership(user_id=user.id, community_id=community.id))
            tokens.append(auth_services.create_token(user, "bench")[1])
        db.session.commit()
        channel = chat_services.ensure_general_channel(community)
        return tokens, channel.id


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--messages", type=int, default=40)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="cop-bench-"))
    tokens, channel = prepare_cop(work / "cop.sqlite", max(sizes) + 1)
    env = {
        **os.environ,
        "COP_CONFIG": "testing",
        "COP_DATABASE_URL": f"sqlite:///{work / 'cop.sqlite'}",
        "COP_INSTANCE_PATH": str(work / "instance"),
        "COP_SOCKETIO_ASYNC_MODE": "threading",
    }
    env.pop("COP_REDIS_URL", None)
    bare_port, cop_port = free_port(), free_port()
    py = sys.executable
    flask = str(Path(py).with_name("flask"))
    servers = {
        "bare": start([py, "bench/bare_socketio_server.py", str(bare_port)], env, work / "bare.log"),
        "cop": start(
            [flask, "--app", "wsgi", "cop", "serve", "--port", str(cop_port)], env, work / "cop.log"
        ),
    }
    urls = {"bare": f"http://127.0.0.1:{bare_port}", "cop": f"http://127.0.0.1:{cop_port}"}
    results = []
    try:
        for url in urls.values():
            wait_up(url)
        for n in sizes:
            for kind in ("bare", "cop"):
                result = run_room(urls[kind], n, args.messages, kind, tokens, channel)
                results.append(result)
                print(json.dumps(result), flush=True)
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(10)
    summary = []
    for n in sizes:
        bare = next(r for r in results if r["server"] == "bare" and r["clients"] == n)
        cop = next(r for r in results if r["server"] == "cop" and r["clients"] == n)
        ratio = {
            p: round(cop[p] / bare[p], 2) if cop[p] and bare[p] else None
            for p in ("p50_ms", "p95_ms", "p99_ms")
        }
        summary.append({"clients": n, "bare": bare, "cop": cop, "ratio_cop_over_bare": ratio})
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "chat_fanout.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
