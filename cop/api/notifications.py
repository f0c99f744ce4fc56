"""API: the caller's notifications."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.schemas import (
    DATE_TIME,
    ID_SCHEMA,
    NULLABLE_DATE_TIME,
    PARAMETERS,
    add_schemas,
    list_of,
    obj,
)
from cop.api.views import Body, bp, cursor_arg, list_json
from cop.core.pagination import parse_limit
from cop.core.web import current
from cop.notifications import queries, services
from cop.notifications.serializers import notification_json

add_schemas(
    {
        "Notification": obj(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "description": "mention, reply, meeting_changed, ..."},
                "title": {"type": "string", "description": "In the recipient's language."},
                "url": {"type": "string", "description": "Where it points (a path on this site)."},
                "created_at": DATE_TIME,
                "read_at": NULLABLE_DATE_TIME,
            }
        ),
        "NotificationList": list_of("Notification", "The caller's notifications, newest first."),
        "NotificationsRead": {
            "type": "object",
            "properties": {"ids": {"type": "array", "items": ID_SCHEMA, "maxItems": 500}},
            "description": "Ids to mark read; without ids every notification is marked read "
            "(`null` is a 400, not 'all').",
        },
        "NotificationsReadResult": obj({"marked": {"type": "integer"}}),
    }
)
PARAMETERS["unread"] = {
    "name": "unread",
    "in": "query",
    "description": "1 for unread notifications only.",
    "schema": {"type": "string", "enum": ["0", "1"]},
}


@bp.get("/notifications")
@documented(
    "The caller's notifications",
    tag="notifications",
    response="NotificationList",
    errors=(400,),
    query=("unread", "limit", "cursor"),
)
def list_notifications() -> ResponseReturnValue:
    """Newest first, keyset-paged."""
    user = current()
    page = queries.for_user(
        user,
        unread_only=request.args.get("unread") == "1",
        cursor=cursor_arg(),
        limit=parse_limit(request.args.get("limit")),
    )
    return list_json(page, notification_json)


@bp.post("/notifications/read")
@documented(
    "Mark notifications read",
    tag="notifications",
    body="NotificationsRead",
    response="NotificationsReadResult",
    errors=(400,),
)
def read_notifications() -> ResponseReturnValue:
    """Mark the given ids (or all) read; returns how many changed."""
    user = current()
    body = Body.from_request()
    ids = body.id_list("ids")
    body.done()
    return {"marked": services.mark_read(user, ids)}
