"""JSON shapes: a notification (the API and the live push over Socket.IO), preferences."""

from __future__ import annotations

from typing import Any

from cop.auth.models import User
from cop.core.types import iso
from cop.notifications import preferences
from cop.notifications.kinds import KINDS
from cop.notifications.models import Notification


def notification_json(notification: Notification, *, live: bool = False) -> dict[str, Any]:
    """A notification ``{id, kind, title, url, created_at, read_at}``.

    Built from the row alone (no SQL): the live push runs in the session's
    after_commit hook, where no statement may run. The title is in the caller's
    language; ``live`` (sent to the recipient from someone else's request) keeps it
    as it was rendered for the recipient.
    """
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title if live else notification.text,
        "url": notification.url,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


def preferences_json(user: User, prefs: preferences.Preferences) -> dict[str, Any]:
    """``{kinds: {kind: {inapp, push, email}}, quiet_hours, timezone, muted_communities}``."""
    quiet = (
        {"start": preferences.clock(prefs.quiet_start), "end": preferences.clock(prefs.quiet_end)}
        if prefs.has_quiet_hours
        else None
    )
    return {
        "kinds": {kind.name: prefs.choice(kind).as_json() for kind in KINDS},
        "quiet_hours": quiet,
        "timezone": user.timezone,
        "muted_communities": preferences.community_slugs(prefs.muted),
    }
