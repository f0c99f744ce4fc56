"""PostgreSQL restarts under a running ``cop serve``: requests fail cleanly, then recover.

The cluster is this module's own (``initdb`` in a temp dir, a free port); the shared
server on 5432 is never touched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
import requests

from cop import create_app
from cop.extensions import db
from tests.chat import general_channel, token_for
from tests.factories import Factory
from tests.resilience import PostgresCluster

#: a request that takes longer than this while the database is away counts as a hang
HANG = 8.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    """A running cluster of the module's own, removed afterwards."""
    own = PostgresCluster()
    own.init()
    own.start()
    try:
        yield own
    finally:
        own.remove()


@dataclass
class Site:
    """The data one test made on the cluster, and its ``cop serve``."""

    url: str
    slug: str
    token: str
    server: Any
    channel_id: int


@pytest.fixture
def site(cluster, tmp_path, cop_servers) -> Iterator[Site]:
    """A fresh database on the cluster with a member and a community, served."""
    name = f"cop_{time.monotonic_ns()}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = cluster.url(name)
    app = create_app("testing", {"DATABASE_URL": url, "REDIS_URL": None})
    with app.app_context():
        db.create_all()
    factory = Factory(app)
    owner = factory.user()
    community = factory.community(owner)
    token = token_for(app, owner)
    channel = general_channel(app, community)
    with app.app_context():
        db.engine.dispose()
    server = cop_servers(url, tmp_path)
    yield Site(server.url, community.slug, token, server, channel.id)


def _request(site: Site, n: int) -> tuple[str, float, requests.Response]:
    """The n-th request of a mix: the API (JSON, Indonesian) and a page (HTML, English)."""
    started = time.monotonic()
    if n % 2:
        kind = "api"
        response = requests.get(
            site.url + "/api/v1/me", headers={"Authorization": f"Bearer {site.token}"}, timeout=30
        )
    else:
        kind = "page"
        response = requests.get(
            f"{site.url}/c/{site.slug}", headers={"Accept-Language": "en"}, timeout=30
        )
    return kind, time.monotonic() - started, response


def _check_unavailable(kind: str, response: requests.Response) -> None:
    """A 503 that says so in the caller's language, and when to come back."""
    assert response.headers["Retry-After"].isdigit()
    if kind == "api":
        error = response.json()["error"]
        assert error["code"] == "unavailable"
        assert "basis data" in error["message"], error  # Indonesian by default
    else:
        assert "text/html" in response.headers["Content-Type"]
        assert "cannot reach its database" in response.text, response.text[:500]


def test_requests_during_a_restart_fail_cleanly_and_recover(cluster, site):
    answers: list[tuple[str, float, requests.Response]] = []
    stop = threading.Event()

    def traffic(offset: int) -> None:
        n = offset
        while not stop.is_set():
            answers.append(_request(site, n))
            n += 1

    threads = [threading.Thread(target=traffic, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        cluster.stop()
        time.sleep(2.0)
        cluster.start()
        time.sleep(1.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    statuses = [response.status_code for _, _, response in answers]
    assert set(statuses) <= {200, 503}, (sorted(set(statuses)), site.server.log())
    assert statuses.count(503) > 0, "the outage was not seen: nothing was tested"
    for kind, _, response in answers:
        if response.status_code == 503:
            _check_unavailable(kind, response)
    slowest = max(elapsed for _, elapsed, _ in answers)
    assert slowest < HANG, f"a request hung for {slowest:.1f}s"
    # by itself, once the database is back: every request is served again
    assert [_request(site, n)[2].status_code for n in range(10)] == [200] * 10


def test_the_first_requests_after_a_quiet_restart_are_served(cluster, site):
    # open a few pooled connections, then restart the database while nobody asks
    with_threads = [threading.Thread(target=_request, args=(site, n)) for n in range(6)]
    for thread in with_threads:
        thread.start()
    for thread in with_threads:
        thread.join(30)
    cluster.stop()
    cluster.start()
    # each pooled connection is dead now; each is tested before use and replaced
    statuses = [_request(site, n)[2].status_code for n in range(10)]
    assert statuses == [200] * 10, (statuses, site.server.log())


def test_chat_and_health_say_so_while_the_database_is_away(cluster, site, clients):
    member = clients().connect(site.url, token=site.token)
    assert member.join(site.channel_id)["ok"]
    assert member.send(site.channel_id, "sebelum", "c-1")["ok"]
    cluster.stop()
    try:
        refused = member.send(site.channel_id, "selama", "c-2")
        assert refused["ok"] is False and refused["error"]["code"] == "unavailable", refused
        assert "basis data" in refused["error"]["message"]
        health = requests.get(site.url + "/healthz", timeout=HANG)
        assert health.status_code == 503
    finally:
        cluster.start()
    # the same socket, no reconnect: the resend is stored once
    again = member.send(site.channel_id, "selama", "c-2")
    assert again["ok"], again
    assert member.send(site.channel_id, "selama", "c-2")["message"]["id"] == again["message"]["id"]
    assert requests.get(site.url + "/healthz", timeout=HANG).status_code == 200
