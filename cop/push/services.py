"""Web Push: register and remove a browser's subscription, send a payload to it.

The server signs each push with its VAPID key (RFC 8292), kept in the instance
folder (``flask --app wsgi cop push keys`` writes it) or named by
``VAPID_PRIVATE_KEY_FILE``. The payload is encrypted for the browser (RFC 8291,
aes128gcm) by pywebpush. Sending is the job ``push.send`` (cop/core/jobs): a
push service that answers 404 or 410 has forgotten the subscription, so the row
is deleted and the job dropped; any other failure is retried with backoff.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from cop.auth.models import User
from cop.core import jobs
from cop.core.db import unit_of_work
from cop.core.errors import NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.push.models import PushSubscription

#: a push subscription's keys: a P-256 point (uncompressed) and a 16-byte secret
P256DH_BYTES = 65
AUTH_BYTES = 16


def key_path() -> Path:
    """Where the VAPID private key (PEM) lives."""
    configured = current_app.config.get("VAPID_PRIVATE_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "vapid.pem"


def generate_keys(path: Path, *, force: bool = False) -> str:
    """Write a new VAPID key pair's private half to ``path``; the public key (base64url)."""
    if path.exists() and not force:
        raise FileExistsError(str(path))
    private = ec.generate_private_key(ec.SECP256R1())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return _public_of(private)


def _public_of(private: ec.EllipticCurvePrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_key() -> str | None:
    """The application server key the browser subscribes with (None: push is off)."""
    path = key_path()
    if not path.is_file():
        return None
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return _public_of(private)


def _b64(value: Any, field: str, size: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size or (size == P256DH_BYTES and raw[:1] != b"\x04"):
        raise ValidationError(fields={field: [_l("This key is not a valid push key.")]})
    return text


def push_host_allowed(host: str | None) -> bool:
    """True when ``host`` is one of PUSH_HOSTS (``*.example.com``: any subdomain of it)."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    for allowed in current_app.config["PUSH_HOSTS"]:
        allowed = str(allowed).lower()
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]) and len(host) > len(allowed) - 1:
                return True
        elif host == allowed:
            return True
    return False


def _endpoint(value: Any) -> str:
    endpoint = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
    except ValueError:  # a malformed address (an unclosed [ or a bad port)
        host = None
    allowed = {"https"} | ({"http"} if current_app.config["PUSH_ALLOW_HTTP"] else set())
    if not host or parts.scheme not in allowed or len(endpoint) > 1000:
        raise ValidationError(
            fields={"endpoint": [_l("The push endpoint must be an https:// address.")]}
        )
    if not push_host_allowed(host):
        raise ValidationError(
            fields={
                "endpoint": [
                    _l("The push endpoint must be an address of a browser's push service.")
                ]
            }
        )
    return endpoint


def subscribe(user: User, endpoint: Any, p256dh: Any, auth: Any) -> PushSubscription:
    """Register (or move to ``user``) the browser subscription at ``endpoint``."""
    endpoint = _endpoint(endpoint)
    p256dh = _b64(p256dh, "keys.p256dh", P256DH_BYTES)
    auth = _b64(auth, "keys.auth", AUTH_BYTES)
    with unit_of_work():
        row = db.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        if row is None:
            row = PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth)
            db.session.add(row)
        else:
            row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
    return row


def unsubscribe(user: User, endpoint: Any) -> None:
    """Remove the member's subscription at ``endpoint`` (404 when they have none there)."""
    with unit_of_work():
        result = db.session.execute(
            delete(PushSubscription).where(
                PushSubscription.user_id == user.id,
                PushSubscription.endpoint == (endpoint if isinstance(endpoint, str) else ""),
            )
        )
    if not getattr(result, "rowcount", 0):
        raise NotFound(_l("No such push subscription."))


def subscriptions_of(user_id: int) -> list[PushSubscription]:
    """The member's browsers that take pushes."""
    return list(
        db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user_id))
    )


def has_subscriptions(user_id: int) -> bool:
    """True when at least one of the member's browsers takes pushes."""
    found = db.session.scalar(
        select(PushSubscription.id).where(PushSubscription.user_id == user_id).limit(1)
    )
    return found is not None


def subscribed(user_ids: list[int]) -> set[int]:
    """Which of these members have a browser taking pushes (one query for all)."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(PushSubscription.user_id)
            .where(PushSubscription.user_id.in_(user_ids))
            .distinct()
        )
    )


def enqueue_push(user_id: int, payload: dict[str, Any], key: str, run_after: Any = None) -> int:
    """Queue one ``push.send`` job per subscription of the member; how many."""
    subscriptions = subscriptions_of(user_id)
    for subscription in subscriptions:
        jobs.enqueue(
            "push.send",
            key=f"push:{key}:{subscription.id}",
            run_after=run_after,
            subscription_id=subscription.id,
            payload=json.dumps(payload, ensure_ascii=False),
        )
    return len(subscriptions)


@jobs.handler("push.send")
def send(subscription_id: int, payload: str) -> None:
    """The job: encrypt ``payload`` for the browser and post it to its push service."""
    from pywebpush import WebPushException, webpush

    subscription = db.session.get(PushSubscription, subscription_id)
    if subscription is None:
        raise jobs.Gone(f"push subscription {subscription_id} was removed")
    if not push_host_allowed(urlsplit(subscription.endpoint).hostname):
        # stored before the allow-list, or the list changed since: never post to it
        with unit_of_work():
            db.session.delete(subscription)
        raise jobs.Gone(f"push subscription {subscription_id}: its host is not allowed")
    path = key_path()
    if not path.is_file():
        raise jobs.Gone("no VAPID key: run `flask --app wsgi cop push keys`")
    try:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=str(path),
            vapid_claims={"sub": str(current_app.config["VAPID_SUBJECT"])},
            timeout=float(current_app.config["PUSH_TIMEOUT"]),
            ttl=int(current_app.config["PUSH_TTL"]),
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            with unit_of_work():
                db.session.execute(
                    delete(PushSubscription).where(PushSubscription.id == subscription_id)
                )
            raise jobs.Gone(f"push subscription {subscription_id} expired ({status})") from None
        raise
    with unit_of_work():
        subscription.last_sent_at = utcnow()
