"""API: a meeting's minutes with their action items (write, autosave, publish)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.meetings import meeting_request
from cop.api.openapi import documented
from cop.api.views import ID, Body, bp
from cop.meetings import services
from cop.meetings.serializers import minutes_json


def _action_item(entry: dict[str, Any]) -> services.ActionItemData | None:
    """One action item of the body, or None when it is malformed."""
    sub = Body(entry)
    title = sub.required("title")
    assignee = sub.optional_id("assignee_id")
    due_raw = sub.text("due_on")
    due = None
    if due_raw:
        try:
            due = date.fromisoformat(due_raw)
        except ValueError:
            sub.errors["due_on"] = _l("Use YYYY-MM-DD.")
    return None if sub.errors else services.ActionItemData(title, assignee, due)


def _action_items(body: Body) -> list[services.ActionItemData]:
    """The body's ``action_items`` (a problem noted on ``body``)."""
    raw = body.data.get("action_items")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        body.errors["action_items"] = _l("Must be a list of objects.")
        return []
    items = []
    for entry in raw:
        item = _action_item(entry)
        if item is None:
            body.errors["action_items"] = _l(
                "Each item needs a title; assignee_id is a number, due_on YYYY-MM-DD."
            )
            break
        items.append(item)
    return items


@bp.put(f"/meetings/<{ID}:meeting_id>/minutes")
@documented(
    "Write, autosave or publish the minutes with action items (coordinators)",
    tag="meetings",
    body="MinutesUpdate",
    response="Minutes",
    errors=(400, 403, 404),
)
def put_minutes(meeting_id: int) -> ResponseReturnValue:
    """Save the body (a revision unless autosave), add action items, publish."""
    meeting, user, body = meeting_request(meeting_id, "meeting.manage")
    text = body.text("body")
    publish = body.boolean("publish")
    autosave = body.boolean("autosave")
    items = _action_items(body)
    if text is None and not items and not publish:
        body.errors["body"] = _l("This field is required.")
    body.done()
    services.save_minutes(
        user, meeting, text, action_items=items, publish=publish, autosave=autosave
    )
    return minutes_json(meeting)
