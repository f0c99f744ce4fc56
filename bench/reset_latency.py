"""Password-reset page latency with the mail server live, refusing, or hanging.

Three cop servers (``cop serve``, the embedded shape: SQLite, the job consumer in
the same process, SMTP mail) run at once, each with its own database and a mail
server of its own:

- ``live``: a real SMTP server (aiosmtpd, in this process) that accepts - the baseline;
- ``refused``: nothing listens on the port (a stopped mail server);
- ``hanging``: a port that accepts the connection and never says a word (a mail
  server that is down behind a firewall, the worst case: before the job queue
  every reset waited for the 30 s SMTP timeout).

The benchmark submits the reset form (GET for the CSRF token, then the timed
POST for an existing account, which is the case that sends mail) to the three
servers in turn, rotating who goes first, so the machine's load is the same for
each; it reports p50/p95/p99 per server and each ratio to ``live`` measured in
the same run. Results: ``bench/results/reset_latency_<UTC time>.json``.

    .venv/bin/pip install -e '.[dev]'
    .venv/bin/python bench/reset_latency.py --requests 300
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
EMAIL = "guru.bench@sekolah.id"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Accepting:
    """aiosmtpd handler that accepts and counts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def hanging_server(port: int, stop: threading.Event) -> threading.Thread:
    """Accept TCP connections on ``port`` and never answer (held until ``stop``)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    listener.settimeout(0.2)
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
        for conn in held:
            conn.close()
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


class Server:
    """One ``cop serve`` process with its own database, queue and mail server port."""

    def __init__(self, name: str, folder: Path, mail_port: int) -> None:
        self.name = name
        self.port = free_port()
        self.folder = folder / name
        self.folder.mkdir()
        self.env = {
            **os.environ,
            "COP_CONFIG": "development",
            "COP_INSTANCE_PATH": str(self.folder),
            "COP_DATABASE_URL": f"sqlite:///{self.folder / 'cop.sqlite'}",
            "COP_MAIL_BACKEND": "smtp",
            "COP_MAIL_SERVER": "127.0.0.1",
            "COP_MAIL_PORT": str(mail_port),
            "COP_RESET_RATE_LIMIT": "1000000 per hour",
            "COP_RATELIMIT_ENABLED": "0",
        }
        for key in [k for k in self.env if k.startswith("COP_") and "REDIS" in k]:
            del self.env[key]
        self.process: subprocess.Popen[bytes] | None = None

    def flask(self, *args: str) -> None:
        subprocess.run(
            [FLASK, "--app", "wsgi", *args], cwd=ROOT, env=self.env, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self) -> None:
        self.flask("db", "upgrade")
        self.flask("cop", "create-user", "--email", EMAIL, "--name", "Guru Bench",
                   "--password", "kata-sandi-panjang-1")  # fmt: skip
        self.process = subprocess.Popen(
            [FLASK, "--app", "wsgi", "cop", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name}: cop serve did not come up")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def reset_once(self) -> float:
        """GET the form (untimed), then the timed POST; seconds."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        base = f"http://127.0.0.1:{self.port}"
        page = opener.open(f"{base}/auth/reset", timeout=60).read().decode()
        token = CSRF.search(page)
        assert token, "the form carries a CSRF token"
        data = urllib.parse.urlencode({"email": EMAIL, "csrf_token": token.group(1)}).encode()
        started = time.perf_counter()
        try:
            opener.open(f"{base}/auth/reset", data=data, timeout=60)
        except urllib.error.HTTPError as redirect:
            if redirect.code != 302:
                raise
        return time.perf_counter() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed resets per server")
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    live_port, refused_port, hanging_port = free_port(), free_port(), free_port()
    accepting = Accepting()
    controller = Controller(accepting, hostname="127.0.0.1", port=live_port)
    controller.start()
    stop_hanging = threading.Event()
    hanging_server(hanging_port, stop_hanging)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp:
        servers = [
            Server("live", Path(tmp), live_port),
            Server("refused", Path(tmp), refused_port),
            Server("hanging", Path(tmp), hanging_port),
        ]
        try:
            for server in servers:
                server.start()
            for turn in range(args.warmup):
                for server in servers:
                    server.reset_once()
            times: dict[str, list[float]] = {server.name: [] for server in servers}
            for turn in range(args.requests):
                order = servers[turn % 3 :] + servers[: turn % 3]
                for server in order:
                    times[server.name].append(server.reset_once())
            time.sleep(2)
            delivered = accepting.count
        finally:
            for server in servers:
                server.stop()
            controller.stop()
            stop_hanging.set()

    def summary(name: str) -> dict[str, float]:
        values = times[name]
        return {
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p95_ms": round(percentile(values, 95) * 1000, 2),
            "p99_ms": round(percentile(values, 99) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
        }

    figures = {name: summary(name) for name in times}
    for name in ("refused", "hanging"):
        for key in ("p50_ms", "p95_ms", "p99_ms"):
            figures[name][f"{key[:3]}_ratio_to_live"] = round(
                figures[name][key] / figures["live"][key], 3
            )
    result = {
        "benchmark": "reset_latency",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in load_before],
        },
        "requests_per_server": args.requests,
        "mails_accepted_by_live_server": delivered,
        "figures": figures,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"reset_latency_{datetime.now(UTC).strftime('%Y-%m-%dT%H%M')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
