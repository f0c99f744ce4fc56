"""API: meetings (schedule with recurrence, read, edit, cancel), RSVP, check-in,
attendance, minutes, iCalendar feeds and a teacher's participation record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import (
    DATE_TIME,
    NULLABLE_DATE_TIME,
    PARAMETERS,
    ZONES,
    add_schemas,
    list_of,
    obj,
)
from cop.api.views import ID, Body, bp, cursor_arg, list_json
from cop.auth.models import User
from cop.communities import services as community_services
from cop.core import permissions
from cop.core.errors import NotFound, ValidationError
from cop.core.pagination import parse_limit
from cop.core.timezones import is_known_zone
from cop.core.types import iso, utcnow
from cop.core.web import current, viewer
from cop.extensions import db
from cop.meetings import queries, services
from cop.meetings.models import KINDS, MODES, RSVP_STATUSES, Meeting
from cop.meetings.views import ics_response

AGENDA_ITEM = obj(
    {
        "id": {"type": "integer"},
        "position": {"type": "integer"},
        "title": {"type": "string"},
        "presenter_id": {"type": ["integer", "null"]},
        "duration_min": {"type": "integer"},
        "notes": {"type": "string"},
        "planned_start": DATE_TIME,
    }
)

add_schemas(
    {
        "Meeting": obj(
            {
                "id": {"type": "integer"},
                "community": {"type": "string", "description": "The community's slug."},
                "title": {"type": "string"},
                "kind": {"type": "string", "enum": list(KINDS)},
                "starts_at": DATE_TIME,
                "ends_at": DATE_TIME,
                "timezone": {"type": "string", "enum": ZONES, "description": "Planned in."},
                "mode": {"type": "string", "enum": list(MODES)},
                "location": {"type": "string"},
                "online_url": {"type": "string"},
                "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
                "cancel_reason": {"type": "string"},
                "capacity": {"type": ["integer", "null"]},
                "pkb_hours": {"type": "integer"},
                "description": {"type": "string"},
                "series_id": {"type": ["integer", "null"]},
                "sequence": {"type": "integer"},
                "agenda": {"type": "array", "items": AGENDA_ITEM},
                "rsvp_counts": obj(
                    {
                        "yes": {"type": "integer"},
                        "no": {"type": "integer"},
                        "maybe": {"type": "integer"},
                        "waitlist": {"type": "integer"},
                    }
                ),
                "my_rsvp": {"type": ["string", "null"], "enum": [*RSVP_STATUSES, None]},
                "my_waitlisted": {"type": "boolean"},
                "checkin_code": {"type": "string", "description": "Coordinators only."},
                "url": {"type": "string"},
                "occurrences": {
                    "type": "array",
                    "description": "Only in the reply to scheduling: every meeting created.",
                    "items": obj({"id": {"type": "integer"}, "starts_at": DATE_TIME}),
                },
            },
            required=[
                "id",
                "community",
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "timezone",
                "mode",
                "location",
                "online_url",
                "status",
                "cancel_reason",
                "capacity",
                "pkb_hours",
                "description",
                "series_id",
                "sequence",
                "agenda",
                "rsvp_counts",
                "my_rsvp",
                "my_waitlisted",
                "url",
            ],
        ),
        "MeetingList": list_of("Meeting", "Meetings, upcoming first (past=1: newest past first)."),
        "MeetingCreate": {
            "type": "object",
            "required": ["title", "starts_at", "ends_at", "timezone", "mode"],
            "properties": {
                "title": {"type": "string"},
                "starts_at": {
                    "type": "string",
                    "description": "ISO 8601; without an offset it is read in `timezone`.",
                },
                "ends_at": {"type": "string"},
                "timezone": {"type": "string", "enum": ZONES},
                "kind": {"type": "string", "enum": list(KINDS)},
                "mode": {"type": "string", "enum": list(MODES)},
                "location": {"type": "string"},
                "online_url": {"type": "string"},
                "capacity": {"type": ["integer", "null"]},
                "pkb_hours": {"type": "integer"},
                "description": {"type": "string"},
                "agenda": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title"],
                        "properties": {
                            "title": {"type": "string"},
                            "presenter_id": {"type": ["integer", "null"]},
                            "duration_min": {"type": "integer"},
                            "notes": {"type": "string"},
                        },
                    },
                },
                "recurrence": {
                    "type": "string",
                    "description": "RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2SA;COUNT=6 "
                    "(weekly or monthly, COUNT or UNTIL, at most 60).",
                },
            },
        },
        "MeetingUpdate": {
            "type": "object",
            "description": "Any of the MeetingCreate fields except agenda and recurrence; "
            "status cancelled with cancel_reason cancels; scope following edits the rest "
            "of the series too.",
            "properties": {
                "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
                "cancel_reason": {"type": "string"},
                "scope": {"type": "string", "enum": ["one", "following"]},
            },
        },
        "RsvpRequest": {
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"type": "string", "enum": list(RSVP_STATUSES)}},
        },
        "Rsvp": obj(
            {
                "meeting_id": {"type": "integer"},
                "status": {"type": "string", "enum": list(RSVP_STATUSES)},
                "waitlisted": {"type": "boolean"},
            }
        ),
        "CheckinRequest": {
            "type": "object",
            "description": "A member sends {code}; a coordinator sends {user_id} (and excused).",
            "properties": {
                "code": {"type": "string"},
                "user_id": {"type": "integer"},
                "excused": {"type": "boolean"},
            },
        },
        "AttendanceEntry": obj(
            {
                "user_id": {"type": "integer"},
                "name": {"type": "string"},
                "rsvp": {"type": ["string", "null"]},
                "waitlisted": {"type": "boolean"},
                "attended": {"type": "boolean"},
                "checked_in_at": NULLABLE_DATE_TIME,
                "method": {"type": ["string", "null"]},
                "excused": {"type": "boolean"},
            }
        ),
        "Checkin": obj(
            {
                "created": {"type": "boolean", "description": "false when already checked in."},
                "attendance": {"$ref": "#/components/schemas/AttendanceEntry"},
            }
        ),
        "AttendanceList": obj(
            {"items": {"type": "array", "items": {"$ref": "#/components/schemas/AttendanceEntry"}}}
        ),
        "MinutesUpdate": {
            "type": "object",
            "properties": {
                "body": {"type": "string", "description": "Markdown."},
                "publish": {"type": "boolean"},
                "autosave": {"type": "boolean", "description": "A draft save: no revision."},
                "action_items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title"],
                        "properties": {
                            "title": {"type": "string"},
                            "assignee_id": {"type": ["integer", "null"]},
                            "due_on": {"type": ["string", "null"], "format": "date"},
                        },
                    },
                },
            },
        },
        "Minutes": obj(
            {
                "meeting_id": {"type": "integer"},
                "body": {"type": "string"},
                "html": {"type": "string"},
                "published": {"type": "boolean"},
                "published_at": NULLABLE_DATE_TIME,
                "updated_at": DATE_TIME,
                "action_items": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": {"type": "integer"},
                            "title": {"type": "string"},
                            "assignee_id": {"type": ["integer", "null"]},
                            "due_on": {"type": ["string", "null"], "format": "date"},
                            "done": {"type": "boolean"},
                        }
                    ),
                },
            }
        ),
        "Participation": obj(
            {
                "user_id": {"type": "integer"},
                "total_hours": {"type": "integer"},
                "meetings": {
                    "type": "array",
                    "items": obj(
                        {
                            "meeting_id": {"type": "integer"},
                            "community": {"type": "string"},
                            "community_name": {"type": "string"},
                            "title": {"type": "string"},
                            "starts_at": DATE_TIME,
                            "hours": {"type": "integer"},
                            "roles": {"type": "array", "items": {"type": "string"}},
                            "presented": {"type": "array", "items": {"type": "string"}},
                        }
                    ),
                },
            }
        ),
    }
)
PARAMETERS["past"] = {
    "name": "past",
    "in": "query",
    "description": "1 for meetings that have ended, newest first.",
    "schema": {"type": "string", "enum": ["0", "1"]},
}
PARAMETERS["year"] = {
    "name": "year",
    "in": "query",
    "description": "Only this calendar year (in the user's zone).",
    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
}


_UNSET: Any = object()


def meeting_json(
    meeting: Meeting,
    user: User | None,
    counts: dict[str, int] | None = None,
    mine: Any = _UNSET,
) -> dict[str, Any]:
    """The meeting shape (checkin_code only for coordinators)."""
    counts = counts or queries.rsvp_counts([meeting.id])[meeting.id]
    if mine is _UNSET:
        mine = services.my_rsvp(user, meeting)
    start = meeting.starts_at
    agenda = []
    for item in meeting.agenda:
        agenda.append(
            {
                "id": item.id,
                "position": item.position,
                "title": item.title,
                "presenter_id": item.presenter_id,
                "duration_min": item.duration_min,
                "notes": item.notes,
                "planned_start": iso(start),
            }
        )
        start = start + timedelta(minutes=item.duration_min or 0)
    out: dict[str, Any] = {
        "id": meeting.id,
        "community": meeting.community.slug,
        "title": meeting.title,
        "kind": meeting.kind,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.ends_at),
        "timezone": meeting.timezone,
        "mode": meeting.mode,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "status": meeting.status,
        "cancel_reason": meeting.cancel_reason,
        "capacity": meeting.capacity,
        "pkb_hours": meeting.pkb_hours,
        "description": meeting.description,
        "series_id": meeting.series_id,
        "sequence": meeting.sequence,
        "agenda": agenda,
        "rsvp_counts": counts,
        "my_rsvp": mine.status if mine else None,
        "my_waitlisted": bool(mine and mine.waitlisted),
        "url": url_for("meetings.show", meeting_id=meeting.id),
    }
    if permissions.can(user, "meeting.manage", meeting):
        out["checkin_code"] = meeting.checkin_code
    return out


def _meeting_request(meeting_id: int, action: str) -> tuple[Meeting, User, Body]:
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


def _int(body: Body, name: str, *, nullable_: bool = False) -> int | None:
    value = body.data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not -(2**31) < value < 2**31:
        body.errors[name] = _l("Must be a whole number.")
        return None
    return value


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
        presenter = _int(sub, "presenter_id")
        duration = _int(sub, "duration_min")
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


@bp.post("/communities/<slug>/meetings")
@documented(
    "Schedule a meeting or a recurring series (coordinators)",
    tag="meetings",
    status=201,
    body="MeetingCreate",
    response="Meeting",
    errors=(400, 403, 404),
    description="With `recurrence` the reply is the first meeting, with series_id and "
    "occurrences (every meeting created).",
)
def create_meeting(slug: str) -> ResponseReturnValue:
    """Schedule; 400 for an end before the start, the past, an unknown zone, a bad rule."""
    community = community_services.visible_community(viewer(), slug, "community.manage")
    user = current()
    body = Body.from_request()
    zone = body.required("timezone")
    if zone and not is_known_zone(zone):
        body.errors["timezone"] = _l("Choose WIB, WITA or WIT.")
    data = services.MeetingData(
        title=body.required("title"),
        starts_at=_time(body, "starts_at", zone),
        ends_at=_time(body, "ends_at", zone),
        timezone=zone,
        kind=body.text("kind") or "routine",
        mode=body.required("mode"),
        location=body.text("location") or "",
        online_url=body.text("online_url") or "",
        capacity=_int(body, "capacity"),
        pkb_hours=_int(body, "pkb_hours") or 0,
        description=body.text("description") or "",
        agenda=_agenda(body),
    )
    recurrence = body.text("recurrence")
    body.done()
    first, meetings = services.schedule(user, community, data, recurrence or None)
    out = meeting_json(first, user)
    out["occurrences"] = [{"id": m.id, "starts_at": iso(m.starts_at)} for m in meetings]
    return out, 201


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
    return meeting_json(services.visible_meeting(user, meeting_id), user)


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
    meeting, user, body = _meeting_request(meeting_id, "meeting.manage")
    changes: dict[str, Any] = {}
    zone = body.text("timezone") or meeting.timezone
    if "timezone" in body.data:
        changes["timezone"] = body.text("timezone")
    for name in (
        "title",
        "kind",
        "mode",
        "location",
        "online_url",
        "description",
        "status",
        "cancel_reason",
    ):
        if name in body.data:
            changes[name] = body.text(name)
    for name in ("capacity", "pkb_hours"):
        if name in body.data:
            changes[name] = _int(body, name)
    for name in ("starts_at", "ends_at"):
        if name in body.data:
            changes[name] = _time(body, name, zone)
    scope = body.text("scope") or "one"
    unknown = set(body.data) - {*changes, "scope"}
    for name in unknown:
        body.errors[name] = _l("This field cannot be changed.")
    body.done()
    services.update(user, meeting, changes, scope=scope)
    db.session.refresh(meeting)
    return meeting_json(meeting, user)


@bp.post(f"/meetings/<{ID}:meeting_id>/rsvp")
@documented(
    "Answer yes, no or maybe",
    tag="meetings",
    body="RsvpRequest",
    response="Rsvp",
    errors=(400, 403, 404, 409),
    description="yes on a full meeting puts the caller on the waitlist (waitlisted true); "
    "409 for a cancelled or ended meeting.",
)
def rsvp_meeting(meeting_id: int) -> ResponseReturnValue:
    """Save the caller's answer."""
    meeting, user, body = _meeting_request(meeting_id, "meeting.rsvp")
    status = body.required("status")
    body.done()
    row = services.rsvp(user, meeting, status)
    return {"meeting_id": meeting.id, "status": row.status, "waitlisted": row.waitlisted}


def _entry(row: queries.AttendanceRow) -> dict[str, Any]:
    a = row.attendance
    return {
        "user_id": row.user.id,
        "name": row.user.name,
        "rsvp": row.rsvp,
        "waitlisted": row.waitlisted,
        "attended": row.attended,
        "checked_in_at": iso(a.checked_in_at) if a else None,
        "method": a.method if a else None,
        "excused": row.excused,
    }


@bp.post(f"/meetings/<{ID}:meeting_id>/checkin")
@documented(
    "Check in: a member with the code, or a coordinator marks someone",
    tag="meetings",
    body="CheckinRequest",
    response="Checkin",
    errors=(400, 403, 404, 409),
    description="Members send {code} during the window (1 h before the start to 2 h after "
    "the end); checking in twice answers created false. Coordinators send {user_id} "
    "(optionally excused true) for anyone in the community.",
)
def checkin_meeting(meeting_id: int) -> ResponseReturnValue:
    """Record attendance."""
    meeting, user, body = _meeting_request(meeting_id, "meeting.rsvp")
    target = _int(body, "user_id")
    code = body.text("code")
    excused = body.data.get("excused", False)
    if not isinstance(excused, bool):
        body.errors["excused"] = _l("Must be true or false.")
    if target is None and not code:
        body.errors.setdefault("code", _l("This field is required."))
    body.done()
    if target is not None:
        row, created = services.mark(user, meeting, target, excused=excused)
    else:
        row, created = services.check_in(user, meeting, code or "")
    entry = next(r for r in queries.attendance(meeting) if r.user.id == row.user_id)
    return {"created": created, "attendance": _entry(entry)}


@bp.get(f"/meetings/<{ID}:meeting_id>/attendance")
@documented(
    "Who answered and who came (coordinators)",
    tag="meetings",
    response="AttendanceList",
    errors=(403, 404),
)
def meeting_attendance(meeting_id: int) -> ResponseReturnValue:
    """RSVP vs came, by name."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    return {"items": [_entry(r) for r in queries.attendance(meeting)]}


def minutes_json(meeting: Meeting) -> dict[str, Any]:
    """The minutes with their action items."""
    from cop.core.markdown import render_markdown

    minutes = services.minutes_of(meeting)
    return {
        "meeting_id": meeting.id,
        "body": minutes.body if minutes else "",
        "html": render_markdown(minutes.body) if minutes else "",
        "published": bool(minutes and minutes.published),
        "published_at": iso(minutes.published_at) if minutes else None,
        "updated_at": iso(minutes.updated_at if minutes else meeting.updated_at),
        "action_items": [
            {
                "id": a.id,
                "title": a.title,
                "assignee_id": a.assignee_id,
                "due_on": a.due_on.isoformat() if a.due_on else None,
                "done": a.done,
            }
            for a in queries.action_items_of(meeting)
        ],
    }


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
    meeting, user, body = _meeting_request(meeting_id, "meeting.manage")
    text = body.text("body")
    publish = body.data.get("publish", False)
    autosave = body.data.get("autosave", False)
    for name, value in (("publish", publish), ("autosave", autosave)):
        if not isinstance(value, bool):
            body.errors[name] = _l("Must be true or false.")
    items: list[services.ActionItemData] = []
    raw = body.data.get("action_items")
    if raw is not None:
        if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
            body.errors["action_items"] = _l("Must be a list of objects.")
        else:
            for entry in raw:
                sub = Body(entry)
                title = sub.required("title")
                assignee = _int(sub, "assignee_id")
                due_raw = sub.text("due_on")
                due = None
                if due_raw:
                    try:
                        due = date.fromisoformat(due_raw)
                    except ValueError:
                        sub.errors["due_on"] = _l("Use YYYY-MM-DD.")
                if sub.errors:
                    body.errors["action_items"] = _l(
                        "Each item needs a title; assignee_id is a number, due_on YYYY-MM-DD."
                    )
                    break
                items.append(services.ActionItemData(title, assignee, due))
    if text is None and not items and not publish:
        body.errors["body"] = _l("This field is required.")
    body.done()
    services.save_minutes(
        user, meeting, text, action_items=items, publish=publish, autosave=autosave
    )
    return minutes_json(meeting)


@bp.get(f"/meetings/<{ID}:meeting_id>/ics")
@documented(
    "The meeting as iCalendar (text/calendar)",
    tag="meetings",
    errors=(404,),
    auth="optional",
)
def meeting_ics(meeting_id: int) -> ResponseReturnValue:
    """One VEVENT with its time zone, status and sequence."""
    meeting = services.visible_meeting(viewer(), meeting_id)
    return ics_response([meeting], meeting.title, f"pertemuan-{meeting.id}.ics")


@bp.get("/communities/<slug>/calendar.ics")
@documented(
    "The community's meetings as an iCalendar feed (text/calendar)",
    tag="meetings",
    errors=(404,),
    auth="optional",
)
def community_ics(slug: str) -> ResponseReturnValue:
    """From 90 days ago on; cancelled meetings stay in with STATUS:CANCELLED."""
    community = community_services.visible_community(viewer(), slug, "community.view_content")
    meetings = queries.feed_meetings([community.id], utcnow())
    return ics_response(meetings, community.name, f"{community.slug}.ics")


@bp.get(f"/users/<{ID}:user_id>/participation")
@documented(
    "Meetings a teacher attended, with hours and roles (PKB evidence)",
    tag="meetings",
    response="Participation",
    errors=(400, 404),
    query=("year",),
    description="The user themselves and site admins only (404 for anyone else).",
)
def participation(user_id: int) -> ResponseReturnValue:
    """Attended meetings, newest first, and the total PKB hours."""
    caller = current()
    if caller.id != user_id and not permissions.is_admin(caller):
        raise NotFound()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    year = None
    raw = request.args.get("year")
    if raw:
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise ValidationError(fields={"year": _l("A year from 2000 to 2100.")})
        year = int(raw)
    rows = queries.participation(user, year)
    return {
        "user_id": user.id,
        "total_hours": sum(r.hours for r in rows),
        "meetings": [
            {
                "meeting_id": r.meeting.id,
                "community": r.community.slug,
                "community_name": r.community.name,
                "title": r.meeting.title,
                "starts_at": iso(r.meeting.starts_at),
                "hours": r.hours,
                "roles": ["presenter"] if r.presented else ["participant"],
                "presented": r.presented,
            }
            for r in rows
        ],
    }
