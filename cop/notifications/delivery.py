"""Delivering a notification beyond the bell: e-mail now, push to the phone, later a digest.

``plan`` runs inside ``notify``'s unit of work: it reads the recipient's
preferences, keeps a muted community's or an in-app-off kind's notification
silent (stored, read, not announced), and queues the job
``notifications.deliver`` when the kind goes out by push or immediate mail. The
job renders the mail in the recipient's language (at that moment), with a
signed one-click unsubscribe (RFC 8058), and queues ``mail.deliver`` and
``push.send``: inside the member's quiet hours both are held until they end
(``run_after``), not dropped. Digests (cop/notifications/digests.py) take the
kinds whose mail is daily or weekly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import jobs, signing
from cop.core.mail import send_mail
from cop.core.types import utcnow
from cop.core.urls import external_url
from cop.extensions import db
from cop.meetings.models import Meeting
from cop.notifications import preferences
from cop.notifications.kinds import Kind, kind_of
from cop.notifications.models import Notification
from cop.push import services as push_services

UNSUBSCRIBE_SALT = "cop.unsubscribe"


def plan(notification: Notification, recipient: User) -> bool:
    """Decide how ``notification`` reaches ``recipient``; False when it stays silent.

    Silent (a muted community, or the kind's in-app switch off): the row is kept
    for the record and the digests' sake, but marked read and never announced live.
    """
    prefs = preferences.preferences_of(recipient)
    silent, sends = decide(prefs, notification.kind, notification.community_id)
    if silent:
        notification.read_at = utcnow()
    if sends(push_services.has_subscriptions(recipient.id)):
        db.session.flush()
        send_later(notification)
    return not silent


def decide(
    prefs: preferences.Preferences, notification_kind: str, community_id: int | None
) -> tuple[bool, Any]:
    """(silent, sends): whether the bell stays quiet (stored read), and a function of
    "has a browser taking pushes" telling whether the deliver job is needed."""
    choice = prefs.choice(kind_of(notification_kind))
    muted = community_id in prefs.muted

    def sends(pushes: bool) -> bool:
        return not muted and ((choice.push and pushes) or choice.email == "immediate")

    return muted or not choice.inapp, sends


def send_later(notification: Notification) -> None:
    """Queue the job that mails and pushes a stored notification (once per notification)."""
    jobs.enqueue(
        "notifications.deliver",
        key=f"notification:{notification.id}",
        notification_id=notification.id,
    )


def unsubscribe_token(user: User, kinds: list[str]) -> str:
    """A signed token that turns off e-mail for ``kinds`` of ``user`` (no login needed)."""
    return _serializer().dumps({"u": user.id, "k": kinds})


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    """(user id, kinds) from a token, or None when it is tampered with or too old."""
    try:
        data = _serializer().loads(token, max_age=int(current_app.config["UNSUBSCRIBE_MAX_AGE"]))
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kinds = data.get("k")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        return None
    return data["u"], kinds


def _serializer() -> URLSafeTimedSerializer:
    return signing.timed(UNSUBSCRIBE_SALT)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST ``List-Unsubscribe=One-Click``."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_url(user: User, kinds: list[str]) -> str:
    """The absolute one-click unsubscribe link for ``kinds``."""
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user, kinds))


def mailable(user: User) -> bool:
    """True when the member has an address the mail server has not refused."""
    return bool(user.email) and user.active and preferences.bounce_of(user.email) is None


@contextmanager
def public_links() -> Iterator[None]:
    """A request context on ``BASE_URL`` unless one is active, so url_for and external_url
    builds the links a mail or a push carries (a job may run outside any request)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=str(current_app.config["BASE_URL"])):
        yield


@jobs.handler("notifications.deliver")
def deliver(notification_id: int) -> None:
    """The job: send one notification by immediate mail and push, as the member chose."""
    with public_links():
        _deliver(notification_id)


def _deliver(notification_id: int) -> None:
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise jobs.Gone(f"notification {notification_id} was deleted")
    user = db.session.get(User, notification.user_id)
    if user is None or not user.active:
        raise jobs.Gone(f"the recipient of notification {notification_id} is gone")
    prefs = preferences.preferences_of(user)
    if notification.community_id in prefs.muted:
        return
    kind = kind_of(notification.kind)
    choice = prefs.choice(kind)
    held_until = preferences.quiet_until(user, prefs, utcnow())
    link = external_url("notifications.open", notification_id=notification.id)
    if choice.email == "immediate" and mailable(user):
        _mail(notification, user, kind, link, held_until)
    if choice.push:
        push_services.enqueue_push(
            user.id,
            push_payload(notification, link, user.locale or "id"),
            key=f"notification:{notification.id}",
            run_after=held_until,
        )


def push_payload(notification: Notification, link: str, locale: str) -> dict[str, Any]:
    """What the service worker shows on the lock screen (cop/pwa: static/sw.js), in
    the recipient's language of the moment."""
    with force_locale(locale):
        title = notification.text
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": title,
        "url": link,
        "tag": f"cop-{notification.id}",
    }


def _mail(notification: Notification, user: User, kind: Kind, link: str, held_until: Any) -> None:
    community = (
        db.session.get(Community, notification.community_id) if notification.community_id else None
    )
    meeting_id = (notification.data or {}).get("meeting_id")
    meeting = db.session.get(Meeting, meeting_id) if isinstance(meeting_id, int) else None
    unsubscribe = unsubscribe_url(user, [kind.name])
    locale = user.locale or "id"
    with force_locale(locale):
        kind_label = str(kind.label)
        subject = notification.text
    send_mail(
        user.email,
        subject,
        f"notify_{kind.name}",
        locale,
        headers=unsubscribe_headers(unsubscribe),
        key=f"mail:notification:{notification.id}",
        run_after=held_until,
        user=user,
        notification=notification,
        community=community,
        meeting=meeting,
        kind_label=kind_label,
        url=link,
        unsubscribe_url=unsubscribe,
        preferences_url=external_url("notifications.preferences_page"),
    )
