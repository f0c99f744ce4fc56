"""Failure injection against real services: throwaway Redis and PostgreSQL instances of a
test module's own, and ``cop serve`` subprocesses that can be killed.

The shared PostgreSQL (5432) and Redis (6379) are used by other workers and other
trees: these tests never stop them. Each module starts its own instances on free
ports instead, from the binaries on the machine; without them the tests skip (or
fail, with ``COP_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.chat.test_scale_out import free_port, wait_until_up
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("COP_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run ``command`` as ``postgres``."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        service_missing("running as root without runuser: cannot start PostgreSQL as postgres")
    return [str(runuser), "-u", "postgres", "--", *command]


@dataclass
class RedisServer:
    """A ``redis-server`` of our own on a free port, nothing kept on disk."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server is not installed (apt-get install redis-server)")
        command = [str(binary), "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                # closed at once: a client left to the garbage collector warns of its
                # socket in whichever later test the collection happens to run
                with redis.Redis(port=self.port, socket_timeout=0.5) as client:
                    if client.ping():
                        return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server on port {self.port} did not come up")

    def kill(self) -> None:
        """Stop it hard (SIGKILL): whatever it held is gone, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster of our own (``initdb`` in a temp dir), on a free port."""

    port: int = field(default_factory=free_port)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cop-pg-")))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(_as_postgres(list(args)), check=True, capture_output=True, timeout=timeout)

    def init(self) -> None:
        if not (PG_BIN / "initdb").exists():
            service_missing(f"no PostgreSQL binaries in {PG_BIN} (apt-get install postgresql)")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "-A", "trust", "--no-sync", "-E", "UTF8")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
            " -c fsync=off -c full_page_writes=off"
        )
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: open connections are terminated, as in a restart."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class CopServer:
    """A real ``flask --app wsgi cop serve`` (HTTP, Socket.IO, the job consumer)."""

    database_url: str
    work: Path
    redis_url: str | None = None
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    channel: str = field(default_factory=lambda: f"cop-resil-{uuid.uuid4().hex}")
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.work / f"server-{self.port}-{self.starts}.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "COP_CONFIG": "testing",
            "COP_DATABASE_URL": self.database_url,
            "COP_INSTANCE_PATH": str(self.work / "instance"),
            "COP_SOCKETIO_CHANNEL": self.channel,
            "COP_SOCKETIO_ASYNC_MODE": "threading",
            "COP_BASE_URL": self.url,
            # jobs go through the real queue (Redis when configured), not inline
            "COP_JOB_IMMEDIATE": "0",
            **self.extra_env,
        }
        env.pop("COP_REDIS_URL", None)
        if self.redis_url:
            env["COP_REDIS_URL"] = self.redis_url
        self.starts += 1
        flask = str(Path(sys.executable).with_name("flask"))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [flask, "--app", "wsgi", "cop", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(self.url, self.process)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        """Every log this server wrote (all its starts), for assertion messages."""
        return "\n".join(
            path.read_text(errors="replace")[-4000:]
            for path in sorted(self.work.glob(f"server-{self.port}-*.log"))
        )
