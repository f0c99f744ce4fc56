"""Web Push end to end: a local push service stand-in on 127.0.0.1 checks the VAPID
signature (RFC 8292) and decrypts the payload (RFC 8291) with the same libraries."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt as vapid_jwt
from sqlalchemy import select

from cop.core.jobs.models import Job
from cop.extensions import db
from cop.push import services as push_services
from cop.push.models import PushSubscription
from tests.conftest import close_app, csrf_token, make_app
from tests.factories import Factory


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """A browser's side of a subscription: its key pair and auth secret."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.p256dh = _b64(
            self.private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def keys(self) -> dict[str, str]:
        return {"p256dh": self.p256dh, "auth": _b64(self.auth)}


class PushService:
    """What the stand-in received (decrypted), and the status it answers with."""

    def __init__(self, browser: Browser, server_key: str) -> None:
        self.browser = browser
        self.server_key = server_key
        self.received: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.status = 201
        self.url = ""

    def handle(self, headers: Any, body: bytes) -> int:
        scheme, _, params = headers.get("Authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        if scheme != "vapid" or fields.get("k") != self.server_key:
            self.problems.append(f"not signed with the server's VAPID key: {headers}")
            return 401
        claims = vapid_jwt.decode(fields["t"], fields["k"])  # raises on a bad signature
        if claims.get("aud") != self.url or not str(claims.get("sub", "")).startswith("mailto:"):
            self.problems.append(f"bad claims {claims}")
            return 403
        if headers.get("Content-Encoding") != "aes128gcm":
            self.problems.append(f"encoding {headers.get('Content-Encoding')}")
            return 400
        plain = http_ece.decrypt(
            body, private_key=self.browser.private, auth_secret=self.browser.auth,
            version="aes128gcm",
        )  # fmt: skip
        if self.status < 300:
            self.received.append(json.loads(plain))
        return self.status


@pytest.fixture
def push_app(database_template, tmp_path) -> Iterator[Any]:
    application = make_app(
        database_template, tmp_path, VAPID_PRIVATE_KEY_FILE=str(tmp_path / "vapid.pem")
    )
    result = application.test_cli_runner().invoke(args=["cop", "push", "keys"])
    assert result.exit_code == 0, result.output
    yield application
    close_app(application, database_template)


@pytest.fixture
def push_service(push_app) -> Iterator[PushService]:
    with push_app.app_context():
        service = PushService(Browser(), push_services.public_key() or "")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                status = service.handle(self.headers, body)
            except Exception as error:
                service.problems.append(repr(error))
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def people(push_app):
    factory = Factory(push_app)
    coordinator = factory.user(name="Bu Koordinator")
    community = factory.community(coordinator)
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    topic = factory.topic(community, coordinator, title="Asesmen diagnostik")
    return factory, coordinator, member, topic


def _login(app, user):
    client = app.test_client()
    client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": "pelangi-senja-42",
            "csrf_token": csrf_token(client),
        },
    )
    return client


def _subscribe(client, body):
    return client.post(
        "/api/v1/me/push-subscriptions", json=body, headers={"X-CSRFToken": csrf_token(client)}
    )


def test_a_mention_reaches_the_subscribed_browser_once_decrypted(push_app, push_service, people):
    factory, coordinator, member, topic = people
    client = _login(push_app, member)
    endpoint = f"{push_service.url}/push/abc123"
    response = _subscribe(client, {"endpoint": endpoint, "keys": push_service.browser.keys()})
    assert response.status_code == 201, response.get_json()
    factory.post(topic, coordinator, f"Halo @{member.username}, coba lihat.")
    assert push_service.problems == []
    [payload] = push_service.received
    assert payload["title"] == "Bu Koordinator mentioned you in “Asesmen diagnostik”"
    assert payload["kind"] == "mention"
    assert payload["url"].endswith(f"/notifications/{payload['id']}")


def test_pushes_wait_for_the_end_of_quiet_hours(push_app, push_service, people):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from cop.auth.models import User
    from cop.core import jobs
    from cop.core.types import utcnow
    from cop.notifications import preferences

    factory, coordinator, member, topic = people
    _subscribe(
        _login(push_app, member),
        {"endpoint": f"{push_service.url}/push/q", "keys": push_service.browser.keys()},
    )
    local = utcnow().astimezone(ZoneInfo(member.timezone))
    with push_app.app_context():
        preferences.save_preferences(
            db.session.get(User, member.id),
            {},
            quiet_start=preferences.parse_clock(
                (local - timedelta(hours=1)).strftime("%H:%M"), "s"
            ),
            quiet_end=preferences.parse_clock((local + timedelta(hours=1)).strftime("%H:%M"), "e"),
        )
    factory.post(topic, coordinator, f"Halo @{member.username}")
    assert push_service.received == []
    with push_app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "push.send"))
        assert jobs.run(job.id, now=job.run_after + timedelta(seconds=1)) == "done"
    assert len(push_service.received) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_subscription_is_removed(push_app, push_service, people, status):
    factory, coordinator, member, topic = people
    client = _login(push_app, member)
    _subscribe(
        client, {"endpoint": f"{push_service.url}/push/old", "keys": push_service.browser.keys()}
    )
    push_service.status = status
    factory.post(topic, coordinator, f"Halo @{member.username}")
    with push_app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []
        job = db.session.scalar(select(Job).where(Job.kind == "push.send"))
        assert job.state == "dropped" and job.attempts == 1


def test_a_failing_push_service_is_retried(push_app, push_service, people):
    factory, coordinator, member, topic = people
    client = _login(push_app, member)
    _subscribe(
        client, {"endpoint": f"{push_service.url}/push/busy", "keys": push_service.browser.keys()}
    )
    push_service.status = 503
    factory.post(topic, coordinator, f"Halo @{member.username}")
    with push_app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "push.send"))
        assert job.state == "queued" and job.attempts == 1
        assert len(db.session.scalars(select(PushSubscription)).all()) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endpoint": "ftp://fcm.googleapis.com/x", "keys": None}, "endpoint"),
        ({"endpoint": "not a url", "keys": None}, "endpoint"),
        ({"endpoint": None, "keys": None}, "endpoint"),
        (
            {
                "endpoint": "https://fcm.googleapis.com/fcm/send/x",
                "keys": {"p256dh": "abc", "auth": None},
            },
            "keys.p256dh",
        ),
        (
            {
                "endpoint": "https://fcm.googleapis.com/fcm/send/x",
                "keys": {"p256dh": None, "auth": "%%%"},
            },
            "keys.auth",
        ),
    ],
)
def test_a_malformed_subscription_is_refused(push_app, people, body, field):
    _factory, _coordinator, member, _topic = people
    browser = Browser()
    keys = browser.keys()
    if body["keys"] is not None:
        keys.update({k: v for k, v in body["keys"].items() if v is not None})
    response = _subscribe(_login(push_app, member), {"endpoint": body["endpoint"], "keys": keys})
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    with push_app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []


def test_an_http_endpoint_is_refused_outside_development(push_app, people):
    _factory, _coordinator, member, _topic = people
    push_app.config["PUSH_ALLOW_HTTP"] = False  # as in production
    response = _subscribe(
        _login(push_app, member),
        {"endpoint": "http://fcm.googleapis.com/fcm/send/x", "keys": Browser().keys()},
    )
    assert response.status_code == 400 and "endpoint" in response.get_json()["error"]["fields"]


def test_a_browser_unsubscribes_and_a_second_delete_is_404(push_app, people):
    _factory, _coordinator, member, _topic = people
    client = _login(push_app, member)
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/sub1"
    assert _subscribe(client, {"endpoint": endpoint, "keys": Browser().keys()}).status_code == 201
    again = _subscribe(client, {"endpoint": endpoint, "keys": Browser().keys()})
    assert again.status_code == 201  # the same browser again: one row, new keys
    with push_app.app_context():
        assert len(db.session.scalars(select(PushSubscription)).all()) == 1

    def delete():
        return client.delete(
            "/api/v1/me/push-subscriptions",
            json={"endpoint": endpoint},
            headers={"X-CSRFToken": csrf_token(client)},
        )

    assert delete().status_code == 204
    assert delete().status_code == 404


def test_the_keys_command_will_not_overwrite_without_force(push_app):
    runner = push_app.test_cli_runner()
    refused = runner.invoke(args=["cop", "push", "keys"])
    assert refused.exit_code != 0 and "--force" in refused.output
    with push_app.app_context():
        before = push_services.public_key()
    forced = runner.invoke(args=["cop", "push", "keys", "--force"])
    assert forced.exit_code == 0
    with push_app.app_context():
        assert push_services.public_key() not in (None, before)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://api.push.apple.com/3/device/abc",
    ],
)
def test_the_browsers_push_services_are_accepted(push_app, people, endpoint):
    _factory, _coordinator, member, _topic = people
    response = _subscribe(
        _login(push_app, member), {"endpoint": endpoint, "keys": Browser().keys()}
    )
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/push",  # anyone's server
        "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://10.0.0.5:6379/",  # a service inside the network
        "https://fcm.googleapis.com.evil.example/fcm/send/x",  # a look-alike suffix
        "https://notify.windows.com/w/x",  # "*." is a subdomain, not the domain itself
        "https://evilnotify.windows.com/w/x",
        "https://[::1/x",  # malformed
    ],
)
def test_an_endpoint_outside_the_push_services_is_refused(push_app, people, endpoint):
    _factory, coordinator, member, _topic = people
    english = _subscribe(_login(push_app, member), {"endpoint": endpoint, "keys": Browser().keys()})
    assert english.status_code == 400
    [message] = english.get_json()["error"]["fields"]["endpoint"]
    assert "push service" in message or "https://" in message
    indonesian = _subscribe(
        _login(push_app, coordinator), {"endpoint": endpoint, "keys": Browser().keys()}
    )
    assert indonesian.status_code == 400
    [pesan] = indonesian.get_json()["error"]["fields"]["endpoint"]
    assert "push" in pesan and pesan != message
    with push_app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []


def test_the_push_hosts_are_configurable(push_app, people):
    _factory, _coordinator, member, _topic = people
    push_app.config["PUSH_HOSTS"] = ["push.sekolah.example"]
    client = _login(push_app, member)
    allowed = {"endpoint": "https://push.sekolah.example/s/1", "keys": Browser().keys()}
    assert _subscribe(client, allowed).status_code == 201
    default = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": Browser().keys()}
    assert _subscribe(client, default).status_code == 400


def test_a_stored_endpoint_outside_the_list_is_never_posted_to(push_app, push_service, people):
    factory, coordinator, member, topic = people
    client = _login(push_app, member)
    endpoint = f"{push_service.url}/push/lama"
    assert (
        _subscribe(client, {"endpoint": endpoint, "keys": push_service.browser.keys()}).status_code
        == 201
    )
    push_app.config["PUSH_HOSTS"] = ["fcm.googleapis.com"]  # the list changed since
    factory.post(topic, coordinator, f"Halo @{member.username}")
    assert push_service.received == [] and push_service.problems == []
    with push_app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []
        job = db.session.scalar(select(Job).where(Job.kind == "push.send"))
        assert job.state == "dropped"
