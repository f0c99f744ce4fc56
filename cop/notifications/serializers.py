"""JSON shape of a notification, shared by the API and the live push over Socket.IO."""

from __future__ import annotations

from typing import Any

from cop.core.types import iso
from cop.notifications.models import Notification


def notification_json(notification: Notification) -> dict[str, Any]:
    """A notification ``{id, kind, title, url, created_at, read_at}``.

    Built from the row alone (no SQL): the live push runs in the session's
    after_commit hook, where no statement may run.
    """
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "url": notification.url,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }
