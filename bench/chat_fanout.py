"""Fan-out latency of the chat: send -> the LAST receiver, for rooms of 10, 100, 500.

In one run on one machine, for each async mode asked for, it starts a bare
python-socketio server (bench/bare_socketio_server.py) and cop itself, each in
its own process under the same server:

* ``threading``: werkzeug + simple-websocket (``cop serve``, the embedded default);
* ``gevent``: gunicorn with one gevent worker (the production shape in
  docs/deployment.md), cop on PostgreSQL when ``--database-url`` is given.

The clients are python-socketio ``AsyncClient``s (WebSocket) on one asyncio
loop in this process: N receivers and one sender per server, both rooms
connected at once, messages alternating between the two servers so that both
see the same load on the machine. For every message the time from the sender's
emit to the moment the last of the N receivers got it is one sample;
p50/p95/p99, delivery (must be 100%) and the cop/bare ratio are printed and
written to bench/results/.

    .venv/bin/python bench/chat_fanout.py [--modes threading,gevent]
        [--sizes 10,100,500] [--messages 300] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
#: messages sent first in every room and not counted (connections, caches warm up)
WARMUP = 5
#: seconds between two sends: under cop's per-socket event rate (10/s)
GAP = 0.12


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            probe = url + "/socket.io/?EIO=4&transport=polling"  # http://127.0.0.1 only
            with urllib.request.urlopen(probe, timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Room:
    """N receivers and one sender connected to one server, in one channel/room."""

    def __init__(self, url: str, n: int, kind: str, tokens: list[str], channel: int) -> None:
        self.url, self.n, self.kind, self.tokens, self.channel = url, n, kind, tokens, channel
        self.cop = kind == "cop"
        self.arrivals: dict[str, list[float]] = {}
        self.done: dict[str, asyncio.Event] = {}
        self.receivers: list[socketio.AsyncClient] = []
        self.sender: socketio.AsyncClient | None = None
        self.samples: list[float] = []
        self.acks: list[float] = []
        self.delivered = 0
        self.counted = 0

    def _arrived(self, data: dict[str, Any]) -> None:
        now = time.perf_counter()
        times = self.arrivals.get(data["body"])
        if times is not None:
            times.append(now)
            if len(times) == self.n:
                self.done[data["body"]].set()

    async def _connect(
        self, gate: asyncio.Semaphore, token: str | None, receive: bool
    ) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)
        if receive:
            client.on("message:new" if self.cop else "new", self._arrived)
        async with gate:
            await client.connect(
                self.url,
                auth={"token": token} if token else None,
                transports=["websocket"],
                wait_timeout=30,
            )
            if self.cop:
                ack = await client.call("channel:join", {"channel_id": self.channel}, timeout=60)
            else:
                ack = await client.call("join", {}, timeout=60)
        assert ack["ok"], ack
        return client

    async def connect(self) -> None:
        gate = asyncio.Semaphore(20)  # 20 at a time: a join storm is not what we measure
        tokens = self.tokens if self.cop else [None] * (self.n + 1)  # type: ignore[list-item]
        self.receivers = list(
            await asyncio.gather(*(self._connect(gate, tokens[i + 1], True) for i in range(self.n)))
        )
        self.sender = await self._connect(gate, tokens[0], False)

    async def send(self, m: int) -> None:
        """Send message ``m``; wait until every receiver has it (or 15 s); record."""
        assert self.sender is not None
        key = f"{self.kind}-{self.n}-{m}-{time.time_ns()}"
        self.arrivals[key] = []
        self.done[key] = asyncio.Event()
        start = time.perf_counter()
        if self.cop:
            ack = await self.sender.call(
                "message:send",
                {"channel_id": self.channel, "body": key, "client_id": key[-60:]},
                timeout=30,
            )
            assert ack["ok"], ack
        else:
            await self.sender.call("send", {"body": key}, timeout=30)
        acked = time.perf_counter()
        with contextlib.suppress(TimeoutError):  # a lost message shows in "delivery"
            await asyncio.wait_for(self.done[key].wait(), 15)
        times = self.arrivals.pop(key)
        self.done.pop(key)
        if m >= WARMUP:
            self.counted += 1
            self.delivered += len(times)
            self.acks.append((acked - start) * 1000)
            if len(times) == self.n:
                self.samples.append((max(times) - start) * 1000)

    async def close(self) -> None:
        clients = [*self.receivers, *([self.sender] if self.sender else [])]
        await asyncio.gather(*(c.disconnect() for c in clients))

    def result(self) -> dict[str, Any]:
        samples = self.samples

        def stat(p: float) -> float | None:
            return round(percentile(samples, p), 2) if samples else None

        return {
            "server": self.kind,
            "clients": self.n,
            "messages": self.counted,
            "delivery": self.delivered / (self.n * self.counted),
            "p50_ms": stat(50),
            "p95_ms": stat(95),
            "p99_ms": stat(99),
            "mean_ms": round(statistics.fmean(samples), 2) if samples else None,
            "ack_p50_ms": round(percentile(self.acks, 50), 2),
        }


async def measure(
    urls: dict[str, str], n: int, messages: int, tokens: list[str], channel: int
) -> list[dict[str, Any]]:
    """Both rooms connected at once; messages alternate between them (bare first on
    even turns, cop first on odd ones), so both see the same machine load."""
    rooms = [Room(urls[kind], n, kind, tokens, channel) for kind in ("bare", "cop")]
    for room in rooms:
        await room.connect()
    await asyncio.sleep(1.0)  # presence announcements of the joins settle
    for m in range(messages + WARMUP):
        for room in rooms if m % 2 == 0 else reversed(rooms):
            await room.send(m)
            await asyncio.sleep(GAP / 2)
    for room in rooms:
        await room.close()
    await asyncio.sleep(1.0)
    return [room.result() for room in rooms]


def prepare_cop(database_url: str, users: int) -> tuple[list[str], int]:
    """A community with ``users`` members and an API token each; returns tokens, channel id."""
    from cop import create_app
    from cop.auth import services as auth_services
    from cop.chat import services as chat_services
    from cop.communities import services as community_services
    from cop.communities.models import Membership
    from cop.extensions import db

    app = create_app("testing", {"DATABASE_URL": database_url, "REDIS_URL": None})
    with app.app_context():
        db.drop_all()
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
        channel_id = channel.id
        db.session.remove()
        db.engine.dispose()
        return tokens, channel_id


def start_servers(
    mode: str, database_url: str, work: Path
) -> tuple[dict[str, str], list[subprocess.Popen]]:
    env = {
        **os.environ,
        "COP_CONFIG": "testing",
        "COP_DATABASE_URL": database_url,
        "COP_INSTANCE_PATH": str(work / "instance"),
        "COP_SOCKETIO_ASYNC_MODE": mode,
        "BENCH_ASYNC_MODE": mode,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("COP_REDIS_URL", None)
    bin_dir = Path(sys.executable).parent
    ports = {"bare": free_port(), "cop": free_port()}
    if mode == "gevent":
        gunicorn = [str(bin_dir / "gunicorn"), "-k", "gevent", "-w", "1", "--log-level", "warning"]
        apps = {"bare": "bench.bare_socketio_server:app", "cop": "wsgi:app"}
        commands = {k: [*gunicorn, "-b", f"127.0.0.1:{ports[k]}", apps[k]] for k in apps}
    else:
        commands = {
            "bare": [sys.executable, "bench/bare_socketio_server.py", str(ports["bare"])],
            "cop": [
                str(bin_dir / "flask"),
                "--app",
                "wsgi",
                "cop",
                "serve",
                "--port",
                str(ports["cop"]),
            ],
        }
    processes, urls = [], {}
    for kind, command in commands.items():
        log = (work / f"{mode}-{kind}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        urls[kind] = f"http://127.0.0.1:{ports[kind]}"
        wait_up(urls[kind], process)
    return urls, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default="threading,gevent")
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument(
        "--database-url",
        default="",
        help="cop's database for the gevent run (default: a SQLite file, as for threading)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="cop-bench-"))
    sqlite_url = f"sqlite:///{work / 'cop.sqlite'}"
    results = []
    for mode in args.modes.split(","):
        database_url = args.database_url if mode == "gevent" and args.database_url else sqlite_url
        tokens, channel = prepare_cop(database_url, max(sizes) + 1)
        urls, processes = start_servers(mode, database_url, work)
        database = database_url.split(":", 1)[0]
        try:
            for n in sizes:
                for result in asyncio.run(measure(urls, n, args.messages, tokens, channel)):
                    kind = result["server"]
                    result.update(mode=mode, database=database if kind == "cop" else None)
                    results.append(result)
                    print(json.dumps(result), flush=True)
        finally:
            for process in processes:
                process.terminate()
                process.wait(10)
    summary = []
    for mode in args.modes.split(","):
        for n in sizes:
            bare, cop = (
                next(r for r in results if (r["mode"], r["clients"], r["server"]) == (mode, n, k))
                for k in ("bare", "cop")
            )
            ratio = {
                p: round(cop[p] / bare[p], 2) if cop[p] and bare[p] else None
                for p in ("p50_ms", "p95_ms", "p99_ms")
            }
            summary.append(
                {"mode": mode, "clients": n, "bare": bare, "cop": cop, "ratio_cop_over_bare": ratio}
            )
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    record = {
        "when": stamp,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "loadavg_before": os.getloadavg(),
        "summary": summary,
    }
    (RESULTS / f"chat_fanout_{stamp}.json").write_text(json.dumps(record, indent=2) + "\n")
    for row in summary:
        print(
            f"{row['mode']:9} {row['clients']:4}  bare p50/p99 {row['bare']['p50_ms']}/"
            f"{row['bare']['p99_ms']}  cop {row['cop']['p50_ms']}/{row['cop']['p99_ms']}  "
            f"ratio {row['ratio_cop_over_bare']}  delivery {row['cop']['delivery']:.0%}"
        )


if __name__ == "__main__":
    main()
