"""Mail through the real queue and a real worker process to a real SMTP server.

Each test runs on both queue backends: the embedded SQLite file and the real
Redis (CI). The worker is ``flask --app wsgi cop worker`` in a subprocess that
shares the test's database, as in production.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from cop.core import jobs
from cop.core.jobs.models import Job
from cop.core.jobs.queue import huey_of
from cop.core.mail import send_mail
from cop.extensions import db
from tests.conftest import REDIS_URL, close_app, make_app, service_missing

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


@pytest.fixture(params=["sqlite", "redis"])
def queue_settings(request, tmp_path) -> dict[str, Any]:
    """The settings of one queue backend, with a queue of this test's own."""
    settings: dict[str, Any] = {
        "JOB_IMMEDIATE": False,
        "JOB_QUEUE_NAME": f"cop-test-{secrets.token_hex(4)}",
        "JOB_QUEUE_PATH": str(tmp_path / "jobs.sqlite"),
        "JOB_RETRY_DELAY": 0.3,
        "JOB_RETRY_MAX_DELAY": 0.6,
        "JOB_LEASE": 3.0,
        "JOB_LOST_AFTER": 0.5,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_TIMEOUT": 10.0,
    }
    if request.param == "redis":
        if not REDIS_URL:
            service_missing("COP_TEST_REDIS_URL is not set: the Redis queue needs a running Redis")
        settings["REDIS_URL"] = REDIS_URL
        settings["SOCKETIO_CHANNEL"] = settings["JOB_QUEUE_NAME"]
    return settings


@pytest.fixture
def queued_app(database_template, tmp_path, queue_settings, smtp_server) -> Iterator[Flask]:
    _handler, port = smtp_server
    application = make_app(database_template, tmp_path, MAIL_PORT=port, **queue_settings)
    yield application
    huey_of(application).storage.flush_all()
    close_app(application, database_template)


@pytest.fixture
def start_worker(queued_app, tmp_path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start ``cop worker`` processes on the test's database and queue; all stopped after."""
    processes: list[subprocess.Popen[bytes]] = []
    config = queued_app.config
    env = {
        **os.environ,
        "COP_CONFIG": "testing",
        "COP_INSTANCE_PATH": str(tmp_path / "instance"),
        "COP_DATABASE_URL": config["DATABASE_URL"],
        "COP_MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "COP_UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    for name in (
        "JOB_IMMEDIATE", "JOB_QUEUE_NAME", "JOB_QUEUE_PATH", "JOB_RETRY_DELAY",
        "JOB_RETRY_MAX_DELAY", "JOB_LEASE", "JOB_LOST_AFTER", "MAIL_BACKEND", "MAIL_SERVER",
        "MAIL_PORT", "MAIL_TIMEOUT", "SOCKETIO_CHANNEL",
    ):  # fmt: skip
        env[f"COP_{name}"] = str(
            int(config[name]) if isinstance(config[name], bool) else config[name]
        )
    env.pop("COP_REDIS_URL", None)
    if config.get("REDIS_URL"):
        env["COP_REDIS_URL"] = config["REDIS_URL"]

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [FLASK, "--app", "wsgi", "cop", "worker", "--workers", "2", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def _send(app: Flask, count: int) -> list[str]:
    """Queue ``count`` mails the way a request does; their Message-IDs."""
    ids = []
    with app.test_request_context():
        for number in range(count):
            message = send_mail(
                f"guru{number}@sekolah.id", "Atur ulang sandi", "reset_password", "id",
                user=SimpleNamespace(name=f"Guru {number}"), url="http://127.0.0.1/auth/reset/x",
            )  # fmt: skip
            ids.append(str(message["Message-ID"]))
    return ids


def _states(app: Flask) -> dict[str, tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(select(Job.key, Job.state, Job.attempts)).all()
        db.session.remove()
    return {key: (state, attempts) for key, state, attempts in rows}


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> str:
    """Stop a worker gracefully (SIGINT) and return its output."""
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output.decode()
    return output.decode()


def test_mail_waits_out_a_refusing_server_and_arrives_exactly_once(
    queued_app, smtp_server, start_worker
):
    server, _port = smtp_server
    server.refusing = True
    ids = _send(queued_app, 5)
    worker = start_worker()
    _wait(lambda: server.refused >= 10, "every mail to be refused at least twice")
    assert server.received == []
    states = _states(queued_app)
    assert all(state == "queued" and attempts >= 1 for state, attempts in states.values())
    server.refusing = False  # the server is back
    _wait(
        lambda: all(state == "done" for state, _ in _states(queued_app).values()),
        "every mail to be delivered",
    )
    assert sorted(server.message_ids()) == sorted(ids)  # each once, none lost
    time.sleep(1.0)  # no late duplicate from a retry still scheduled
    assert len(server.received) == 5
    output = _stop(worker)
    assert "Shutting down gracefully" in output


def test_a_worker_killed_mid_delivery_is_replaced_and_the_mail_arrives_once(
    queued_app, smtp_server, start_worker
):
    server, _port = smtp_server
    server.hold.set()  # the first delivery hangs inside the SMTP conversation
    (message_id,) = _send(queued_app, 1)
    worker = start_worker()
    _wait(server.holding.is_set, "the worker to be inside the delivery")
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=10)
    server.hold.clear()
    server.release.set()  # the server drops the half-sent mail
    ((state, attempts),) = _states(queued_app).values()
    assert (state, attempts) == ("running", 1)  # the ledger still says it is running
    time.sleep(float(queued_app.config["JOB_LEASE"]) + 0.2)  # the dead worker's lease ends
    replacement = start_worker()  # its startup sweep takes the abandoned job
    _wait(lambda: server.message_ids() == [message_id], "the mail to arrive")
    _wait(lambda: next(iter(_states(queued_app).values()))[0] == "done", "the job to be done")
    assert list(_states(queued_app).values()) == [("done", 2)]
    time.sleep(0.5)
    assert server.message_ids() == [message_id]
    _stop(replacement)


def test_jobs_survive_the_queue_losing_everything(queued_app, smtp_server, start_worker):
    """Redis restarted without persistence (or the queue file lost): the ledger still has them."""
    server, _port = smtp_server
    ids = _send(queued_app, 3)
    huey_of(queued_app).storage.flush_all()  # the queue forgets every job id
    assert huey_of(queued_app).pending_count() == 0
    time.sleep(float(queued_app.config["JOB_LOST_AFTER"]) + 0.1)
    worker = start_worker()  # its startup sweep sends what the queue lost
    _wait(lambda: len(server.received) == 3, "the lost mails to arrive")
    assert sorted(server.message_ids()) == sorted(ids)
    _stop(worker)
    with queued_app.app_context():
        assert jobs.stats().as_dict()["queued"] == 0
