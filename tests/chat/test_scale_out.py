"""Two server processes sharing Redis: a message sent to one reaches a client of the other.

Each process is a real ``flask --app wsgi cop serve`` on its own port, on the
test's database, with this test's own Redis channel so parallel runs never
hear each other.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import general_channel, token_for

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/socket.io/?EIO=4&transport=polling", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def two_servers(app, redis_url, tmp_path) -> Iterator[list[str]]:
    """Start two single-worker processes; stop them by PID afterwards."""
    env = {
        **os.environ,
        "COP_CONFIG": "testing",
        "COP_DATABASE_URL": app.config["DATABASE_URL"],
        "COP_REDIS_URL": redis_url,
        "COP_SOCKETIO_CHANNEL": f"cop-test-{uuid.uuid4().hex}",
        "COP_INSTANCE_PATH": str(tmp_path / "instance"),
        "COP_SOCKETIO_ASYNC_MODE": "threading",
    }
    flask = str(Path(sys.executable).with_name("flask"))
    processes: list[subprocess.Popen] = []
    logs = []
    urls = []
    try:
        for n in range(2):
            port = free_port()
            log = open(tmp_path / f"server-{n}.log", "wb")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [flask, "--app", "wsgi", "cop", "serve", "--port", str(port)],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def test_a_message_crosses_processes(app, factory, two_servers, clients):
    owner = factory.user(name="Bu Sari")
    community = factory.community(owner, visibility="private")
    other = factory.user(name="Pak Budi")
    factory.member(community, other)
    channel = general_channel(app, community)
    one = clients().connect(two_servers[0], token=token_for(app, owner))
    two = clients().connect(two_servers[1], token=token_for(app, other))
    assert one.join(channel.id)["ok"] and two.join(channel.id)["ok"]

    sent = one.send(channel.id, "lewat Redis")["message"]
    assert two.wait_for("message:new")["id"] == sent["id"]
    # presence spans both processes
    assert set(two.join(channel.id)["online"]) == {owner.id, other.id}

    # and back the other way
    two.send(channel.id, "balik lagi")
    assert one.wait_for("message:new", where=lambda m: m["body"] == "balik lagi")


def test_a_ban_on_one_process_silences_the_socket_on_the_other(app, factory, two_servers, clients):
    owner = factory.user()
    community = factory.community(owner, visibility="private")
    other = factory.user()
    factory.member(community, other)
    channel = general_channel(app, community)
    owner_token = token_for(app, owner)
    writer = clients().connect(two_servers[0], token=owner_token)
    victim = clients().connect(two_servers[1], token=token_for(app, other))
    writer.join(channel.id)
    victim.join(channel.id)
    # the coordinator bans through process one; only Redis can reach the socket on two
    request = urllib.request.Request(
        f"{two_servers[0]}/api/v1/communities/{community.slug}/members/{other.id}",
        data=json.dumps({"status": "banned"}).encode(),
        method="PATCH",
        headers={"Authorization": f"Bearer {owner_token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    assert victim.wait_for("error")["code"] == "membership_ended"
    writer.send(channel.id, "tidak terdengar")
    assert victim.drain("message:new", wait=0.5) == []
