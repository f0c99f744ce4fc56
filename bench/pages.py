"""Pages, search and writes under load, against a bare Flask "hello" served the same way.

``make bench`` runs this for SQLite and PostgreSQL. For each database it

1. seeds the data set of issue #19 (2,000 members, 100,000 posts, one topic of
   10,000) with bulk inserts through the models, then builds the search index
   with the app's own command (``flask --app wsgi cop search reindex``);
2. starts cop in the documented production shape for that database (gunicorn,
   one worker: gevent for PostgreSQL, threads for SQLite; ``--shapes`` adds the
   other one to compare) and the bare "hello" in the same shape, on 127.0.0.1;
3. runs every scenario with wrk (bounded: fixed connections and duration), the
   hello baseline interleaved before each one, three times; also the page's own
   SQL replayed directly (the floor under ORM and templates), statements per
   reply, the worker's RSS, and the RSS of idle WebSockets against a bare
   python-socketio server;
4. writes ``bench/results/pages_<UTC time>_<db>.json`` and ``.md``: versions,
   machine, each figure with its baseline, ratio and spread, and every target of
   the issue marked met or missed.

    .venv/bin/python bench/pages.py                              # both databases
    .venv/bin/python bench/pages.py --databases sqlite --duration 3
    .venv/bin/python bench/pages.py --smoke                      # tiny, ~1 s a scenario

``--smoke`` (what ``tests/test_bench_smoke.py`` runs in ``make test``) uses a
tiny data set and one short repeat and writes nothing unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk" / "report.lua"
PASSWORD = "pelangi-senja-42"  # noqa: S105 - the bench's own throwaway accounts
SECRET = "bench-secret-key-not-for-production"  # noqa: S105
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/cop_bench"
#: the word in a third of the posts, and one in a handful
COMMON, RARE = "asesmen", "fotosintesis"


@dataclass
class Scale:
    users: int
    posts: int
    big_topic: int
    topics: int
    write_topics: int = 16
    watchers: int = 16
    tokens: int = 16  #: API tokens, of members 2, 3, ... (the writers', the soak's members)


FULL = Scale(users=2000, posts=100_000, big_topic=10_000, topics=990)
SMOKE = Scale(users=40, posts=900, big_topic=200, topics=30, write_topics=4, watchers=4)

WORDS = (
    "modul ajar kurikulum merdeka pembelajaran diferensiasi projek profil pelajar pancasila "
    "rubrik capaian tujuan alur kelas siswa guru literasi numerasi refleksi umpan balik "
    "media video lembar kerja kelompok diskusi praktik baik sekolah gugus pertemuan "
    "evaluasi strategi pendekatan kontekstual bermain peran membaca menulis berhitung"
).split()


# --- the data set -------------------------------------------------------------------


def _body(rng: random.Random, n: int, rare_every: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(28, 60))]
    if n % 3 == 0:
        words.insert(rng.randrange(len(words)), COMMON)
    if n % rare_every == 7:
        words.insert(rng.randrange(len(words)), RARE)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def seed(database_url: str, scale: Scale) -> dict[str, Any]:
    """Build the data set with bulk inserts; returns ids, tokens and timings."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from cop import create_app
    from cop.auth.models import ApiToken, User
    from cop.auth.passwords import hash_password
    from cop.communities.models import Community, Membership
    from cop.discussions.models import Post, Topic, TopicRead, TopicSubscription
    from cop.extensions import db

    started = time.perf_counter()
    app = create_app("testing", {"DATABASE_URL": database_url, "REDIS_URL": None})
    rng = random.Random(19)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    year_ago = now - dt.timedelta(days=365)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        password = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "email": f"guru{i}@bench.id",
                    "username": f"guru{i}",
                    "name": f"Guru Bench {i:04d}",
                    "password_hash": password,
                    "locale": "id",
                    "timezone": "Asia/Makassar",
                    "email_confirmed_at": year_ago,
                    "created_at": year_ago,
                }
                for i in range(1, scale.users + 1)
            ],
        )
        db.session.execute(
            insert(Community),
            [
                {
                    "id": 1,
                    "slug": "kkg-bench",
                    "name": "KKG Gugus Bench",
                    "kind": "KKG",
                    "level": "SD",
                    "visibility": "public",
                    "invite_token": "b" * 43,
                    "member_count": scale.users,
                    "created_by_id": 1,
                    "created_at": year_ago,
                }
            ],
        )
        db.session.execute(
            insert(Membership),
            [
                {
                    "user_id": i,
                    "community_id": 1,
                    "role": "coordinator" if i == 1 else "member",
                    "status": "active",
                    "created_at": year_ago,
                    "joined_at": year_ago,
                }
                for i in range(1, scale.users + 1)
            ],
        )
        # topic 1: the big one; then the ordinary ones; then the ones writers reply in.
        # Topics' posts follow each other in time; the big topic is the last active.
        sizes = [scale.big_topic]
        rest = scale.posts - scale.big_topic
        sizes += [
            rest // scale.topics + (1 if t < rest % scale.topics else 0)
            for t in range(scale.topics)
        ]
        sizes += [1] * scale.write_topics
        step = dt.timedelta(seconds=300 * 24 * 3600 / sum(sizes))
        order = list(range(1, len(sizes)))
        rng.shuffle(order)
        order.append(0)
        topics, spans, post_id, at = [], [], 0, year_ago
        for t in order:
            first, start_at = post_id + 1, at + step
            post_id += sizes[t]
            at += step * sizes[t]
            spans.append((t + 1, first, post_id, start_at))
            topics.append(
                {
                    "id": t + 1,
                    "community_id": 1,
                    "author_id": rng.randint(1, scale.users),
                    "title": f"Topik {t + 1}: " + " ".join(rng.choice(WORDS) for _ in range(4)),
                    "first_post_id": first,
                    "last_post_id": post_id,
                    "post_count": sizes[t],
                    "created_at": start_at,
                    "last_post_at": at,
                }
            )
        db.session.execute(insert(Topic), sorted(topics, key=lambda r: r["id"]))
        batch: list[dict[str, Any]] = []
        rare_every = max(scale.posts // 8, 10)
        for topic_id, first, last, start_at in spans:
            for n, pid in enumerate(range(first, last + 1)):
                body = _body(rng, pid, rare_every)
                batch.append(
                    {
                        "id": pid,
                        "topic_id": topic_id,
                        "author_id": rng.randint(1, scale.users),
                        "body": body,
                        "html": f"<p>{html.escape(body)}</p>",
                        "created_at": start_at + step * n,
                    }
                )
                if len(batch) == 5000:
                    db.session.execute(insert(Post), batch)
                    batch = []
        if batch:
            db.session.execute(insert(Post), batch)
        write_topics = list(range(len(sizes) - scale.write_topics + 1, len(sizes) + 1))
        reader = 1
        # the reader has opened the 20 most recently active topics, halfway through
        db.session.execute(
            insert(TopicRead),
            [
                {
                    "user_id": reader,
                    "topic_id": row["id"],
                    "last_read_post_id": (row["first_post_id"] + row["last_post_id"]) // 2,
                    "updated_at": now,
                }
                for row in sorted(topics, key=lambda r: r["last_post_at"], reverse=True)[:20]
            ],
        )
        watchers = list(range(scale.users - scale.watchers + 1, scale.users + 1))
        db.session.execute(
            insert(TopicSubscription),
            [
                {"user_id": u, "topic_id": t, "level": "watch", "created_at": now}
                for t in write_topics
                for u in (watchers if t != write_topics[-1] else watchers[:1])
            ],
        )
        tokens = []
        for i in range(2, 2 + scale.tokens):
            raw = f"cop_bench{i:04d}_" + "x" * 32
            tokens.append(raw)
            db.session.execute(
                insert(ApiToken),
                [
                    {
                        "user_id": i,
                        "name": "bench",
                        "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                        "prefix": raw[:10],
                        "created_at": now,
                    }
                ],
            )
        if db.engine.dialect.name == "postgresql":
            for table in ("users", "communities", "topics", "posts"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()
        big = next(r for r in topics if r["id"] == 1)
        db.session.remove()
        db.engine.dispose()
    seeded = time.perf_counter() - started
    return {
        "seconds": round(seeded, 1),
        "big_topic": 1,
        "big_first_post": big["first_post_id"],
        "big_posts": big["post_count"],
        "write_topics": write_topics,
        "tokens": tokens,
        "reader": f"guru{reader}@bench.id",
    }


def reindex(env: dict[str, str]) -> float:
    """The app's own command builds the search index from the seeded rows; seconds."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "cop", "search", "reindex"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - started, 1)


# --- servers ------------------------------------------------------------------------

#: server shapes (docs/deployment.md): ``serve`` is the embedded one (``cop serve``:
#: werkzeug threads, the job consumer inside); ``gevent`` and ``gthread`` are gunicorn
#: with one worker, a ``cop worker`` process beside it taking the jobs
SHAPES = {
    "gevent": ["-k", "gevent", "-w", "1"],
    "gthread": ["-k", "gthread", "-w", "1", "--threads", "8"],
    "serve": [],
}
DEFAULT_SHAPE = {"sqlite": "serve", "postgresql": "gevent"}
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(
    database_url: str, work: Path, shape: str, port: int, redis_url: str | None = None
) -> dict[str, str]:
    env = {
        **os.environ,
        "COP_CONFIG": "production",
        "COP_SECRET_KEY": SECRET,
        "COP_DATABASE_URL": database_url,
        "COP_INSTANCE_PATH": str(work / "instance"),
        "COP_BASE_URL": f"http://127.0.0.1:{port}",
        "COP_SESSION_COOKIE_SECURE": "0",  # wrk and the bench talk plain HTTP on 127.0.0.1
        "COP_REMEMBER_COOKIE_SECURE": "0",
        "COP_SOCKETIO_ASYNC_MODE": "gevent" if shape == "gevent" else "threading",
        "BENCH_ASYNC_MODE": "gevent" if shape == "gevent" else "threading",
        # the writers' scenario posts hundreds of replies a second from 16 accounts
        "COP_POST_RATE_LIMIT": "1000000 per minute",
        "COP_NEW_ACCOUNT_POST_RATE_LIMIT": "1000000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("COP_REDIS_URL", None)
    if redis_url and database_url.startswith("postgresql"):
        env["COP_REDIS_URL"] = redis_url  # the scaled-out shape: queue and limits on Redis
    return env


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    gunicorn: bool = True

    def worker_pid(self) -> int:
        """gunicorn's one worker (its master only supervises); else the process itself."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        children = path.read_text().split()
        return int(children[0]) if children and self.gunicorn else self.process.pid

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def command(app: str, shape: str, port: int) -> list[str]:
    """How ``app`` (a ``module:object``) is served in ``shape`` on 127.0.0.1:``port``."""
    if shape != "serve":
        return [str(BIN / "gunicorn"), *SHAPES[shape], "--log-level", "warning",
                "-b", f"127.0.0.1:{port}", app]  # fmt: skip
    if app == "wsgi:app":
        return [str(BIN / "flask"), "--app", "wsgi", "cop", "serve", "--port", str(port)]
    module = app.split(":")[0].replace(".", "/") + ".py"
    return [sys.executable, module, str(port)]  # the baselines' own werkzeug threads


def start(name: str, app: str, shape: str, env: dict[str, str], port: int, work: Path) -> Server:
    log = (work / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own command
        command(app, shape, port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    probe = "/socket.io/?EIO=4&transport=polling" if "socketio" in app else "/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}; see {work / name}.log")
        try:
            with urllib.request.urlopen(url + probe, timeout=2):  # noqa: S310 - 127.0.0.1
                return Server(name, url, process, gunicorn=shape != "serve")
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not start; see {work / name}.log")


def start_worker(env: dict[str, str], work: Path) -> subprocess.Popen:
    """``cop worker`` beside a gunicorn shape: the jobs the writes queue run as deployed."""
    log = (work / "worker.log").open("wb")
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "flask"), "--app", "wsgi", "cop", "worker", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def login(url: str, email: str) -> str:
    """Log in through the page as a browser does; the Cookie header to send."""
    import requests

    session = requests.Session()
    page = session.get(url + "/auth/login", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    done = session.post(
        url + "/auth/login",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, f"login failed: {done.status_code}"
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


# --- load ---------------------------------------------------------------------------


def warm(url: str, cookie: str | None) -> None:
    """One GET (a page's first request compiles its templates and statements)."""
    import requests

    requests.get(url, headers={"Cookie": cookie} if cookie else {}, timeout=30).raise_for_status()


def wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    cookie: str | None = None,
    args: list[str] | None = None,
) -> dict[str, Any]:
    """One bounded wrk run; latencies in ms, throughput in requests/s, errors counted."""
    command = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections)]
    command += ["-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    if args:
        command += ["--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON ") :])
    seconds_run = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50": raw["p50"] / 1000,
        "p95": raw["p95"] / 1000,
        "p99": raw["p99"] / 1000,
        "max": raw["max"] / 1000,
        "errors": raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"],
    }


@dataclass
class Scenario:
    name: str
    path: str
    connections: int = 1
    login: bool = True
    seconds: float | None = None
    post: bool = False


def scenarios(data: dict[str, Any], scale: Scale) -> list[Scenario]:
    from cop.core.pagination import encode_cursor

    first = data["big_first_post"]
    n = data["big_posts"]

    def after(k: int) -> str:  # the page that starts after post number k of the big topic
        return f"/t/1?cursor={encode_cursor([first + k - 1])}"

    return [
        Scenario("topic first page", "/t/1"),
        Scenario("topic middle page", after(n // 2)),
        Scenario("topic last page", after(n - 20)),  # its last 20 posts
        Scenario("topic list", "/c/kkg-bench/topics"),
        Scenario("community home", "/c/kkg-bench"),
        Scenario(f"search common ({COMMON})", f"/search?q={COMMON}"),
        Scenario(f"search rare ({RARE})", f"/search?q={RARE}"),
        Scenario("topic first page, 8 concurrent", "/t/1", connections=8),
        Scenario("16 writers", "/api/v1/topics", connections=16, login=False, post=True),
    ]


def write_args(data: dict[str, Any]) -> list[str]:
    """wrk's script arguments for the writers: the topics to reply in, the API tokens."""
    return ["post", ",".join(map(str, data["write_topics"])), ",".join(data["tokens"])]


def drain_jobs(database_url: str, timeout: float = 180) -> dict[str, Any]:
    """Wait until the jobs the writes queued (badge evaluation, mail) have run, so the
    next scenario is not measured beside a busy consumer; how long that took."""
    from sqlalchemy import create_engine, text

    from config import normalize_database_url

    engine = create_engine(normalize_database_url(database_url))
    started = time.perf_counter()
    waiting = -1
    try:
        while time.perf_counter() - started < timeout:
            with engine.connect() as conn:
                waiting = conn.execute(
                    text("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")
                ).scalar_one()
            if waiting == 0:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return {"seconds": round(time.perf_counter() - started, 1), "left": waiting}


# --- floors and counts (in process) ---------------------------------------------------


def logged_in_client(database_url: str, email: str) -> tuple[Any, Any]:
    """An in-process app on the bench database and a test client logged in as ``email``
    through the login page (for the SQL floor and the profiles)."""
    from cop import create_app

    app = create_app("testing", {"DATABASE_URL": database_url, "REDIS_URL": None})
    client = app.test_client()
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert token
    client.post(
        "/auth/login", data={"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    )
    return app, client


def sql_floor(database_url: str, cookie_email: str, path: str, rounds: int) -> dict[str, Any]:
    """Replay the SQL one request runs, straight through the driver: the floor under
    the ORM, the templates and the framework. Also the statement count of that request."""
    from sqlalchemy import event

    from cop.extensions import db

    app, client = logged_in_client(database_url, cookie_email)
    captured: list[tuple[str, Any]] = []
    with app.app_context():
        client.get(path)  # warm

        def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            captured.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", grab)
        status = client.get(path).status_code
        event.remove(db.engine, "before_cursor_execute", grab)
        raw = db.engine.raw_connection()
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            cursor = raw.cursor()
            for statement, parameters in captured:
                if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
            cursor.close()
            raw.rollback()
            times.append((time.perf_counter() - started) * 1000)
        raw.close()
        db.session.remove()
        db.engine.dispose()
    return {
        "status": status,
        "statements": len(captured),
        "p50": round(statistics.median(times), 3),
        "p95": round(percentile(times, 95), 3),
    }


def profiles(database_url: str, email: str, paths: dict[str, str], rounds: int) -> dict[str, Any]:
    """Each page profiled in process (cProfile, ``rounds`` requests after a warm-up): the
    top frames of cop's own code and templates by cumulative time, ms per request."""
    import cProfile
    import pstats

    app, client = logged_in_client(database_url, email)
    out: dict[str, Any] = {}
    for name, path in paths.items():
        for _ in range(3):
            client.get(path)
        started = time.perf_counter()
        for _ in range(rounds):
            client.get(path)
        plain = (time.perf_counter() - started) * 1000 / rounds
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        frames = []
        for (filename, line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
            mine = "/cop/" in filename or "/templates/" in filename
            if mine or function in {"execute", "render_template"}:
                where = filename.split("/work/")[-1].split("site-packages/")[-1]
                frames.append((cumulative * 1000 / rounds, f"{where}:{line}({function})"))
        frames.sort(reverse=True)
        out[name] = {
            "ms_per_request_unprofiled": round(plain, 2),
            "top_frames": [f"{ms:7.2f} ms  {frame}" for ms, frame in frames[:14]],
        }
    with app.app_context():
        from cop.extensions import db

        db.session.remove()
        db.engine.dispose()
    return out


def statements_per_reply(database_url: str, data: dict[str, Any]) -> dict[str, int]:
    """Statements one reply costs on a topic with 16 watchers and on one with one.

    The fewest of three replies each, taken in turns: a reply that happens to cross a
    badge's threshold or a points cap writes a row more, once, whichever topic it is in.
    """
    from sqlalchemy import event

    from cop import create_app
    from cop.auth.models import User
    from cop.discussions import services
    from cop.discussions.models import Topic
    from cop.extensions import db

    app = create_app("testing", {"DATABASE_URL": database_url, "REDIS_URL": None})
    counts: dict[str, int] = {}
    topics = (("watched", data["write_topics"][0]), ("unwatched", data["write_topics"][-1]))
    with app.app_context(), app.test_request_context():
        author = db.session.get(User, 2)
        for _label, topic_id in topics:
            services.reply(author, db.session.get(Topic, topic_id), "Pemanasan sebelum dihitung.")
        for _round in range(3):
            for label, topic_id in topics:
                seen: list[str] = []

                def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
                    seen.append(statement)  # noqa: B023 - listened to within this turn only

                topic = db.session.get(Topic, topic_id)
                event.listen(db.engine, "before_cursor_execute", count)
                services.reply(author, topic, f"Satu balasan yang dihitung ({label}).")
                event.remove(db.engine, "before_cursor_execute", count)
                counts[label] = min(counts.get(label, len(seen)), len(seen))
        db.session.remove()
        db.engine.dispose()
    return counts


# --- WebSockets -----------------------------------------------------------------------


def _hold_socket(url: str, token: str | None) -> Any:
    """One Socket.IO connection over a WebSocket, spoken by hand (Engine.IO 4): the
    open packet, then the namespace connect with the token; it then stays idle."""
    import websocket  # websocket-client: no second event loop in the measuring process

    ws = websocket.create_connection(
        url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket", timeout=30
    )
    assert ws.recv().startswith("0"), "no Engine.IO open packet"
    ws.send("40" + (json.dumps({"token": token}) if token else ""))
    answer = ws.recv()
    assert answer.startswith("40"), f"the namespace refused the connection: {answer[:80]}"
    return ws


def socket_rss(servers: dict[str, Server], tokens: list[str], n: int) -> dict[str, Any]:
    """RSS growth per idle WebSocket: cop (authenticated) and the bare server."""
    out: dict[str, Any] = {}
    for name, token_list in (("bare", None), ("cop", tokens)):
        server = servers[f"{name}-sockets"]
        time.sleep(0.5)
        before = server.rss_mb()
        sockets = [
            _hold_socket(server.url, token_list[i % len(token_list)] if token_list else None)
            for i in range(n)
        ]
        time.sleep(2)
        after = server.rss_mb()
        out[name] = {"before_mb": round(before, 1), "after_mb": round(after, 1)}
        out[name]["per_socket_kb"] = round((after - before) * 1024 / n, 1)
        for ws in sockets:
            ws.close()
    bare = out["bare"]["per_socket_kb"]
    out["ratio"] = round(out["cop"]["per_socket_kb"] / bare, 2) if bare > 0 else None
    out["sockets"] = n
    return out


# --- summary --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


@dataclass
class Run:
    database: str
    shape: str
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, name: str, figures: dict[str, Any]) -> None:
        self.runs.setdefault(name, []).append(figures)

    def med(self, name: str, key: str) -> float:
        return float(statistics.median(r[key] for r in self.runs[name]))


def targets(run: Run, extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of issue #19 with the measured figure: met or missed."""
    db = run.database
    limit_topic = 10 if db == "sqlite" else 15
    rows = []

    def add(what: str, value: float | None, limit: str, met: bool) -> None:
        rows.append({"target": what, "value": value, "limit": limit, "met": bool(met)})

    for page in ("topic first page", "topic middle page", "topic last page"):
        p95 = run.med(page, "p95")
        add(f"{page}: p95 at concurrency 1 (ms)", p95, f"<= {limit_topic}", p95 <= limit_topic)
    share = run.med("topic first page, 8 concurrent", "rps") / run.med("hello, 8 concurrent", "rps")
    add(
        "topic page at concurrency 8: throughput / hello's",
        round(share, 3),
        ">= 0.10",
        share >= 0.10,
    )
    last = run.med("topic last page", "p95") / run.med("topic first page", "p95")
    add("topic last page p95 / first page p95", round(last, 2), "<= 1.2", last <= 1.2)
    for page in ("topic list", "community home"):
        p95 = run.med(page, "p95")
        add(f"{page}: p95 (ms)", p95, "<= 10", p95 <= 10)
    common = run.med(f"search common ({COMMON})", "p95")
    add("search for a word in a third of the posts: p95 (ms)", common, "<= 25", common <= 25)
    rare = run.med(f"search rare ({RARE})", "p95")
    add("search for a rare word: p95 (ms)", rare, "<= 10", rare <= 10)
    errors = sum(r["errors"] for r in run.runs["16 writers"])
    add("16 writers: errors", errors, "0", errors == 0)
    wps = run.med("16 writers", "rps")
    add("16 writers: writes/s", wps, ">= 250", wps >= 250)
    p99 = run.med("16 writers", "p99")
    add("16 writers: p99 (ms)", p99, "<= 150", p99 <= 150)
    counts = extra["statements_per_reply"]
    add(
        "statements per reply, 16 watchers vs 1",
        counts["watched"] - counts["unwatched"],
        "0 more",
        counts["watched"] == counts["unwatched"],
    )
    fair = run.med("topic first page, 8 concurrent", "p99") / run.med("topic first page", "p95")
    add("fairness: p99 at 8 / p95 at 1", round(fair, 2), "<= 5", fair <= 5)
    rss = extra["rss"]["cop_mb"] / extra["rss"]["hello_mb"]
    add("worker RSS idle / hello's", round(rss, 2), "<= 2.5", rss <= 2.5)
    ratio = extra["sockets"]["ratio"]
    add(
        "RSS per idle WebSocket / bare python-socketio",
        ratio,
        "<= 1.1",
        ratio is not None and ratio <= 1.1,
    )
    return rows


def bench_database(
    database: str,
    url: str,
    scale: Scale,
    shapes: list[str],
    repeats: int,
    seconds: float,
    write_seconds: float,
    sockets: int,
    work: Path,
    redis_url: str | None = None,
) -> dict[str, Any]:
    smoke = scale is SMOKE
    print(f"== {database}: seeding {scale}", flush=True)
    data = seed(url, scale)
    port = free_port()
    env = server_env(url, work, shapes[0], port, redis_url)
    data["reindex_seconds"] = reindex(env)
    print(f"   seeded in {data['seconds']} s, indexed in {data['reindex_seconds']} s", flush=True)
    extra: dict[str, Any] = {
        "seed_seconds": data["seconds"],
        "reindex_seconds": data["reindex_seconds"],
    }
    runs = []
    for shape in shapes:
        port, hello_port = free_port(), free_port()
        env = server_env(url, work, shape, port, redis_url)
        cop = start(f"cop-{database}-{shape}", "wsgi:app", shape, env, port, work)
        hello = start(f"hello-{shape}", "bench.hello_app:app", shape, env, hello_port, work)
        worker = start_worker(env, work) if shape != "serve" else None
        try:
            cookie = login(cop.url, data["reader"])
            plan = scenarios(data, scale)
            for scenario in plan:  # warm every page, and the write path
                if scenario.post:  # (its first replies are slow: on a busy machine a
                    # 1-second smoke of 16 writers could otherwise end with none answered)
                    wrk(cop.url + "/", connections=1, seconds=1, args=write_args(data))
                elif smoke:  # the smoke judges no timing: one request is warm enough
                    warm(cop.url + scenario.path, cookie)
                else:
                    wrk(cop.url + scenario.path, connections=1, seconds=1, cookie=cookie)
            run = Run(database, shape)
            drains: list[dict[str, Any]] = []
            for r in range(repeats):
                print(f"   {shape}: repeat {r + 1}/{repeats}", flush=True)
                for scenario in plan:
                    conns = scenario.connections
                    label = "hello" if conns == 1 else f"hello, {conns} concurrent"
                    # the baseline runs just before each scenario (the smoke, which
                    # judges no ratio, once for each concurrency)
                    if not smoke or label not in run.runs:
                        run.add(label, wrk(hello.url + "/", connections=conns, seconds=seconds))
                    if scenario.post:
                        figures = wrk(
                            cop.url + "/",
                            connections=conns,
                            seconds=write_seconds,
                            args=write_args(data),
                        )
                    else:
                        figures = wrk(
                            cop.url + scenario.path,
                            connections=conns,
                            seconds=seconds,
                            cookie=cookie if scenario.login else None,
                        )
                    run.add(scenario.name, figures)
                    if scenario.post:
                        drains.append(drain_jobs(url))
            time.sleep(2)
            shape_extra = dict(extra)
            shape_extra["jobs_drained_after_writes"] = drains
            shape_extra["rss"] = {
                "cop_mb": round(cop.rss_mb(), 1),
                "hello_mb": round(hello.rss_mb(), 1),
            }
        finally:
            cop.stop()
            hello.stop()
            if worker is not None:
                worker.send_signal(signal.SIGINT)
                worker.wait(30)
        sockets_env = server_env(url, work, shape, 0, redis_url)
        sock = {
            "bare-sockets": start(
                "bare-sockets",
                "bench.bare_socketio_server:app",
                shape,
                sockets_env,
                free_port(),
                work,
            ),
        }
        p = free_port()
        sock["cop-sockets"] = start(
            f"cop-sockets-{shape}", "wsgi:app", shape, server_env(url, work, shape, p), p, work
        )
        try:
            shape_extra["sockets"] = socket_rss(sock, data["tokens"], sockets)
        finally:
            for server in sock.values():
                server.stop()
        shape_extra["statements_per_reply"] = statements_per_reply(url, data)
        shape_extra["sql_floor"] = {
            s.name: sql_floor(url, data["reader"], s.path, 5 if smoke else 50)
            for s in plan
            if not s.post and s.connections == 1
        }
        shape_extra["profiles"] = profiles(
            url,
            data["reader"],
            {s.name: s.path for s in plan if not s.post and s.connections == 1},
            3 if smoke else 40,
        )
        runs.append(
            {"shape": shape, "run": run, "extra": shape_extra, "targets": targets(run, shape_extra)}
        )
    return {
        "database": database,
        "scale": scale.__dict__,
        "data": {k: v for k, v in data.items() if k != "tokens"},
        "runs": runs,
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for package in ("flask", "sqlalchemy", "gunicorn", "gevent", "flask-socketio", "psycopg"):
        try:
            out[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
            out[package] = "-"
    out["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]  # noqa: S607
    return out


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "load_average": os.getloadavg()}


def serialise(result: dict[str, Any]) -> dict[str, Any]:
    out = dict(result)
    out["runs"] = []
    for item in result["runs"]:
        run: Run = item["run"]
        out["runs"].append(
            {
                "shape": item["shape"],
                "scenarios": run.runs,
                "summary": {
                    name: {
                        key: spread([r[key] for r in rows]) for key in ("p50", "p95", "p99", "rps")
                    }
                    | {"errors": sum(r["errors"] for r in rows)}
                    for name, rows in run.runs.items()
                },
                "extra": item["extra"],
                "targets": item["targets"],
            }
        )
    return out


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        f"# Pages under load: {result['database']} ({meta['when']})",
        "",
        f"Machine: {meta['machine']['cpu']}, {meta['machine']['cores']} cores, load average "
        f"at start {', '.join(f'{x:.1f}' for x in meta['machine']['load_average'])}. "
        f"Versions: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}.",
        f"Data: {result['scale']['users']} members, {result['scale']['posts']} posts, one topic "
        f"of {result['scale']['big_topic']}; seeded in {result['data']['seconds']} s, indexed in "
        f"{result['data']['reindex_seconds']} s. Repeats: {meta['repeats']}, "
        f"{meta['seconds']} s a read scenario, {meta['write_seconds']} s of writes.",
        "",
    ]
    for run in result["runs"]:
        summary = run["summary"]
        lines += [
            f"## Shape: gunicorn, one worker, {run['shape']}",
            "",
            "Medians of the repeats (min-max in brackets); the baseline is the bare Flask "
            "hello at the same concurrency, run just before each scenario.",
            "",
            "| scenario | p50 ms | p95 ms | p99 ms | req/s | errors | hello req/s | share of hello |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, figures in summary.items():
            if name.startswith("hello"):
                continue
            conns = 16 if name == "16 writers" else 8 if "8 concurrent" in name else 1
            base = summary["hello" if conns == 1 else f"hello, {conns} concurrent"]["rps"]["median"]

            def cell(key: str, f: dict[str, Any] = figures) -> str:
                return f"{f[key]['median']} ({f[key]['min']}-{f[key]['max']})"

            share = figures["rps"]["median"] / base if base else 0
            lines.append(
                f"| {name} | {cell('p50')} | {cell('p95')} | {cell('p99')} | {cell('rps')} | "
                f"{figures['errors']} | {base} | {share:.1%} |"
            )
        floor = run["extra"]["sql_floor"]
        lines += [
            "",
            "The page's own SQL replayed through the driver (the floor under ORM, templates "
            "and framework), 50 rounds:",
            "",
            "| page | statements | SQL p50 ms | SQL p95 ms |",
            "|---|---|---|---|",
        ]
        for name, f in floor.items():
            lines.append(f"| {name} | {f['statements']} | {f['p50']} | {f['p95']} |")
        extra = run["extra"]
        lines += [
            "",
            "Jobs the writes queued (badge evaluation), drained before the next scenario: "
            + ", ".join(f"{d['seconds']} s" for d in extra.get("jobs_drained_after_writes", []))
            + ". "
            f"Statements per reply: {extra['statements_per_reply']}. Worker RSS after the run, "
            f"idle: cop {extra['rss']['cop_mb']} MB, hello {extra['rss']['hello_mb']} MB. "
            f"Idle WebSockets ({extra['sockets']['sockets']}): cop "
            f"{extra['sockets']['cop']['per_socket_kb']} KB each, bare python-socketio "
            f"{extra['sockets']['bare']['per_socket_kb']} KB each (ratio {extra['sockets']['ratio']}).",
            "",
            "| target | measured | limit | |",
            "|---|---|---|---|",
        ]
        for t in run["targets"]:
            lines.append(
                f"| {t['target']} | {t['value']} | {t['limit']} | {'met' if t['met'] else '**missed**'} |"
            )
        lines += [
            "",
            "### Where the time goes (cProfile in process, ms per request; cumulative)",
            "",
        ]
        for name, prof in extra["profiles"].items():
            lines += [
                f"**{name}** ({prof['ms_per_request_unprofiled']} ms a request in process, "
                "unprofiled):",
                "",
                "```",
                *prof["top_frames"],
                "```",
                "",
            ]
        lines.append("")
    return "\n".join(lines)


def reachable_redis(url: str) -> str | None:
    """The Redis to use, when one answers there (else PostgreSQL runs without, and says so)."""
    if url == "none":
        return None
    try:
        import redis

        client = redis.Redis.from_url(url)
        client.ping()
        client.flushdb()  # the bench's own database number: old queues and limits go
    except Exception:  # noqa: BLE001 - no Redis is a shape, not an error
        print(f"   no Redis at {url}: PostgreSQL runs without one", flush=True)
        return None
    return url


def prepare_database(database: str, pg_url: str, work: Path) -> str:
    if database == "sqlite":
        return f"sqlite:///{work / 'bench.sqlite'}"
    import psycopg

    base, name = pg_url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("COP_BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("COP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
        help="Redis for PostgreSQL's scaled-out shape (jobs, limits); 'none' to run without",
    )
    parser.add_argument("--shapes", default="", help="e.g. gevent,threads (default: per database)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--write-seconds", type=float, default=20)
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one short repeat")
    parser.add_argument("--out", default=None, help="where results go (default bench/results)")
    args = parser.parse_args(argv)
    scale = FULL
    if args.smoke:
        scale, args.repeats, args.seconds, args.write_seconds, args.sockets = SMOKE, 1, 1, 2, 5
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    out = Path(args.out) if args.out else (None if args.smoke else RESULTS)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    meta = {
        "when": when,
        "machine": machine(),
        "versions": versions(),
        "repeats": args.repeats,
        "seconds": args.seconds,
        "write_seconds": args.write_seconds,
    }
    results = []
    for database in [d for d in args.databases.split(",") if d]:
        with tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp:
            work = Path(tmp)
            url = prepare_database(database, args.pg_url, work)
            shapes = [s for s in args.shapes.split(",") if s] or [DEFAULT_SHAPE[database]]
            result = serialise(
                bench_database(
                    database,
                    url,
                    scale,
                    shapes,
                    args.repeats,
                    args.seconds,
                    args.write_seconds,
                    args.sockets,
                    work,
                    reachable_redis(args.redis_url),
                )
            )
            results.append(result)
            text = markdown(result, meta)
            print(text, flush=True)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                stem = out / f"pages_{when}_{database}"
                stem.with_suffix(".json").write_text(
                    json.dumps(result | {"meta": meta}, indent=1, default=str)
                )
                stem.with_suffix(".md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
