"""API: meetings of a community (listed, scheduled with recurrence), one meeting (read,
edited, cancelled). RSVP, check-in and attendance are in ``meeting_attendance``, the
minutes in ``meeting_minutes``, iCalendar feeds in ``meeting_calendar``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api import meeting_schemas as _schemas  # noqa: F401 (registers the components)
from cop.api.openapi import documented
from cop.api.views import ID, Body, bp, cursor_arg, list_json
from cop.auth.models import User
from cop.communities import services as community_services
from cop.core.pagination import parse_limit
from cop.core.timezones import is_known_zone
from cop.core.types import utcnow
from cop.core.web import current, viewer
from cop.meetings import queries, services
from cop.meetings.models import Meeting
from cop.meetings.serializers import meeting_json, occurrences_json

#: fields PATCH takes as strings
TEXT_CHANGES = (
    "title",
    "kind",
    "mode",
    "location",
    "online_url",
    "description",
    "status",
    "cancel_reason",
)


def meeting_request(meeting_id: int, action: str) -> tuple[Meeting, User, Body]:
    """A write to a meeting: the meeting if the caller may ``action`` it, the caller,
    the JSON body; checked in that order (404, then 401 or 403, then 400)."""
    meeting = services.visible_meeting(viewer(), meeting_id, action)
    return meeting, current(), Body.from_request()


def _time(body: Body, name: str, zone: str | None) -> datetime | None:
    raw = body.required(name)
    if not raw:
        return None
    try:
        return services.parse_local(raw, zone if zone and is_known_zone(zone) else "UTC")
    except ValueError:
        body.errors[name] = _l("Use ISO 8601, e.g. 2027-01-09T08:00:00+08:00.")
        return None


def _agenda(body: Body) -> list[services.AgendaData]:
    raw = body.data.get("agenda")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        body.errors["agenda"] = _l("Must be a list of objects.")
        return []
    items = []
    for entry in raw:
        sub = Body(entry)
        title = sub.required("title")
        presenter = sub.optional_id("presenter_id")
        duration = sub.integer("duration_min")
        notes = sub.text("notes") or ""
        if sub.errors:
            body.errors["agenda"] = _l("Each item needs a title; ids and minutes are numbers.")
            return []
        items.append(services.AgendaData(title, presenter, duration or 0, notes))
    return items


@bp.get("/communities/<slug>/meetings")
@documented(
    "Meetings of a community",
    tag="meetings",
    response="MeetingList",
    errors=(400, 404),
    auth="optional",
    query=("past", "limit", "cursor"),
)
def list_meetings(slug: str) -> ResponseReturnValue:
    """Upcoming first (keyset-paged); ?past=1 for ended ones."""
    user = viewer()
    community = community_services.visible_community(user, slug, "community.view_content")
    limit = parse_limit(request.args.get("limit"))
    page = queries.upcoming(
        community,
        cursor=cursor_arg(),
        limit=limit,
        now=utcnow(),
        past=request.args.get("past") == "1",
    )
    ids = [m.id for m in page.items]
    counts = queries.rsvp_counts(ids)
    mine = queries.my_rsvps(user, ids)
    return list_json(page, lambda m: meeting_json(m, user, counts[m.id], mine.get(m.id)))


def _meeting_data(body: Body) -> services.MeetingData:
    """The MeetingData a schedule request's body describes (problems noted on ``body``)."""
    zone = body.required("timezone")
    if zone and not is_known_zone(zone):
        body.errors["timezone"] = _l("Choose WIB, WITA or WIT.")
    return services.MeetingData(
        title=body.required("title"),
        starts_at=_time(body, "starts_at", zone),
        ends_at=_time(body, "ends_at", zone),
        timezone=zone,
        kind=body.text("kind") or "routine",
        mode=body.required("mode"),
        location=body.text("location") or "",
        online_url=body.text("online_url") or "",
        capacity=body.integer("capacity"),
        pkb_hours=body.integer("pkb_hours") or 0,
        description=body.text("description") or "",
        agenda=_agenda(body),
        recorded=body.boolean("recorded"),
    )


@bp.post("/communities/<slug>/meetings")
@documented(
    "Schedule a meeting or a recurring series (coordinators)",
    tag="meetings",
    status=201,
    body="MeetingCreate",
    response="Meeting",
    errors=(400, 403, 404, 409),
    description="With `recurrence` the reply is the first meeting, with series_id and "
    "occurrences (every meeting created). 409 (code clash) when a meeting overlaps "
    "another of the community; send allow_clash true to schedule it anyway. "
    "`recorded: true` records a meeting that has already ended.",
)
def create_meeting(slug: str) -> ResponseReturnValue:
    """Schedule; 400 for an end before the start, the past, an unknown zone, a bad rule."""
    community = community_services.visible_community(viewer(), slug, "community.manage")
    user = current()
    body = Body.from_request()
    data = _meeting_data(body)
    recurrence = body.text("recurrence")
    allow_clash = body.boolean("allow_clash")
    body.done()
    first, meetings = services.schedule(
        user, community, data, recurrence or None, allow_clash=allow_clash
    )
    return {**meeting_json(first, user), "occurrences": occurrences_json(meetings)}, 201


@bp.get(f"/meetings/<{ID}:meeting_id>")
@documented(
    "One meeting with agenda, RSVP counts and the caller's answer",
    tag="meetings",
    response="Meeting",
    errors=(404,),
    auth="optional",
)
def show_meeting(meeting_id: int) -> ResponseReturnValue:
    """A meeting the caller may see."""
    user = viewer()
    return meeting_json(services.visible_meeting(user, meeting_id), user, with_going=True)


def _changes(body: Body, meeting: Meeting) -> dict[str, Any]:
    """The fields a PATCH body changes (problems, and unknown fields, noted on ``body``)."""
    changes: dict[str, Any] = {}
    zone = body.text("timezone") or meeting.timezone
    if "timezone" in body.data:
        changes["timezone"] = body.text("timezone")
    for name in TEXT_CHANGES:
        if name in body.data:
            changes[name] = body.text(name)
    for name in ("capacity", "pkb_hours"):
        if name in body.data:
            changes[name] = body.integer(name)
    for name in ("starts_at", "ends_at"):
        if name in body.data:
            changes[name] = _time(body, name, zone)
    for name in set(body.data) - {*changes, "scope"}:
        body.errors[name] = _l("This field cannot be changed.")
    return changes


@bp.patch(f"/meetings/<{ID}:meeting_id>")
@documented(
    "Edit or cancel a meeting (coordinators)",
    tag="meetings",
    body="MeetingUpdate",
    response="Meeting",
    errors=(400, 403, 404),
)
def update_meeting(meeting_id: int) -> ResponseReturnValue:
    """Change fields, move it, or cancel it with a reason; members who answered are told."""
    meeting, user, body = meeting_request(meeting_id, "meeting.manage")
    changes = _changes(body, meeting)
    scope = body.text("scope") or "one"
    body.done()
    return meeting_json(services.update(user, meeting, changes, scope=scope), user)
