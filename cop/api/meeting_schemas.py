"""OpenAPI components of the meetings API: the shapes of cop/meetings/serializers.py
and the request bodies and query parameters of the meetings routes."""

from __future__ import annotations

from typing import Any

from cop.api.schemas import (
    AT_LEAST_3_VISIBLE,
    DATE_TIME,
    ID_SCHEMA,
    NULLABLE_DATE_TIME,
    PARAMETERS,
    SCHEMAS,
    VISIBLE,
    ZONES,
    add_schemas,
    list_of,
    obj,
)
from cop.meetings import limits
from cop.meetings.models import ATTENDANCE_STATUSES, KINDS, MODES, RSVP_STATUSES

#: a start or end time in a request (read by cop.meetings.services.parse_local)
PLANNED_TIME = {"type": "string", "format": "date-time"}
#: the fields a meeting is scheduled and edited with, besides its title and times
MEETING_FIELDS: dict[str, Any] = {
    "location": {"type": "string", "maxLength": limits.LOCATION_MAX},
    "online_url": {"type": "string", "maxLength": limits.ONLINE_URL_MAX},
    "capacity": {
        "type": ["integer", "null"],
        "minimum": limits.CAPACITY_MIN,
        "maximum": limits.CAPACITY_MAX,
    },
    "pkb_hours": {"type": "integer", "minimum": 0, "maximum": limits.PKB_HOURS_MAX},
    "description": {"type": "string", "maxLength": limits.DESCRIPTION_MAX},
}


def _titled_items(properties: dict[str, Any], most: int, title_max: int) -> dict[str, Any]:
    """A request body's list of objects that each need a title (agenda, action items)."""
    return {
        "type": "array",
        "maxItems": most,
        "items": {
            "type": "object",
            "required": ["title"],
            "properties": {
                "title": {"type": "string", "maxLength": title_max, "pattern": VISIBLE},
                **properties,
            },
        },
    }


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
                "going": {
                    "type": ["array", "null"],
                    "description": "Only on GET /meetings/{id}: who said yes or maybe, for "
                    "members of the community (null for everyone else, who see the counts).",
                    "items": obj(
                        {
                            "user_id": {"type": "integer"},
                            "name": {"type": "string"},
                            "status": {"type": "string"},
                            "waitlisted": {"type": "boolean"},
                        }
                    ),
                },
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
                "title": {
                    "type": "string",
                    "minLength": limits.TITLE_MIN,
                    "maxLength": limits.TITLE_MAX,
                    "pattern": AT_LEAST_3_VISIBLE,
                },
                "starts_at": {
                    **PLANNED_TIME,
                    "description": "ISO 8601; without an offset it is read in `timezone`. "
                    "Years 1970 to 2199; not in the past (400).",
                },
                "ends_at": {**PLANNED_TIME, "description": "After starts_at (400)."},
                "timezone": {"type": "string", "enum": ZONES},
                "kind": {"type": "string", "enum": list(KINDS)},
                "mode": {"type": "string", "enum": list(MODES)},
                **MEETING_FIELDS,
                "agenda": _titled_items(
                    {
                        "presenter_id": {**ID_SCHEMA, "type": ["integer", "null"]},
                        "duration_min": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": limits.AGENDA_DURATION_MAX,
                        },
                        "notes": {"type": "string", "maxLength": limits.AGENDA_NOTES_MAX},
                    },
                    limits.AGENDA_ITEMS_MAX,
                    limits.AGENDA_TITLE_MAX,
                ),
                "recurrence": {
                    "type": "string",
                    "description": "RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2SA;COUNT=6 "
                    "(weekly or monthly, COUNT or UNTIL, at most 60).",
                },
                "allow_clash": {
                    "type": "boolean",
                    "description": "Schedule even when another meeting of the community "
                    "overlaps (otherwise 409, code clash).",
                },
                "recorded": {
                    "type": "boolean",
                    "description": "Record a meeting that has already ended (coordinators).",
                },
            },
        },
        "MeetingUpdate": {
            "type": "object",
            "description": "Any of the MeetingCreate fields except agenda and recurrence; "
            "status cancelled with cancel_reason cancels; scope following edits the rest "
            "of the series too.",
            "additionalProperties": False,
            "properties": {
                "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
                "cancel_reason": {"type": "string", "maxLength": limits.CANCEL_REASON_MAX},
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
                "user_id": {"type": ["integer", "null"], "description": "null for a guest"},
                "name": {"type": "string"},
                "rsvp": {"type": ["string", "null"]},
                "waitlisted": {"type": "boolean"},
                "attended": {"type": "boolean"},
                "checked_in_at": NULLABLE_DATE_TIME,
                "method": {"type": ["string", "null"]},
                "excused": {"type": "boolean", "description": "excused or sick"},
                "status": {"type": ["string", "null"], "enum": [*ATTENDANCE_STATUSES, None]},
                "guest": {"type": "boolean"},
                "guest_id": {"type": ["integer", "null"]},
                "certificate_number": {
                    "type": ["string", "null"],
                    "description": "once the meeting has ended, for everyone present",
                },
            }
        ),
        "AttendanceStatusRequest": {
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"type": "string", "enum": list(ATTENDANCE_STATUSES)}},
        },
        "AttendanceStatus": obj(
            {
                "created": {"type": "boolean", "description": "false for a repeated tap."},
                "attendance": {"$ref": "#/components/schemas/AttendanceEntry"},
            }
        ),
        "GuestCreate": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": limits.GUEST_NAME_MAX},
                "school": {"type": "string", "maxLength": limits.GUEST_SCHOOL_MAX},
                "role": {"type": "string", "maxLength": limits.GUEST_ROLE_MAX},
                "nip": {"type": "string", "description": "18 digits"},
                "nuptk": {"type": "string", "description": "16 digits"},
                "client_id": {
                    "type": "string",
                    "maxLength": limits.CLIENT_ID_MAX,
                    "description": "Sent again on a retry: the guest is recorded once.",
                },
            },
        },
        "Dashboard": obj(
            {
                "community": {"type": "string"},
                "months": {
                    "type": "array",
                    "items": obj(
                        {
                            "month": {"type": "string", "examples": ["2026-12"]},
                            "members_active": {"type": "integer"},
                            "posts": {"type": "integer"},
                            "resources": {"type": "integer"},
                        }
                    ),
                },
                "meetings": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": {"type": "integer"},
                            "title": {"type": "string"},
                            "starts_at": DATE_TIME,
                            "members": {"type": "integer"},
                            "said_yes": {"type": "integer"},
                            "came": {"type": "integer"},
                            "guests": {"type": "integer"},
                            "attendance_rate": {"type": "integer", "description": "0-100"},
                        }
                    ),
                },
                "quiet_members": {
                    "type": "array",
                    "items": obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
                },
                "pending_join_requests": {"type": "integer"},
                "sessions_held_this_year": {"type": "integer"},
                "yearly_target": {"type": "integer"},
            }
        ),
        "CertificateVerification": obj(
            {
                "number": {"type": "string", "examples": ["0007/KKG-G3T/XII/2026"]},
                "name": {
                    "type": ["string", "null"],
                    "description": "null for an anonymous record (the holder deleted their "
                    "account and kept it): send ?name= to check the printed name.",
                },
                "name_matches": {
                    "type": ["boolean", "null"],
                    "description": "With ?name=: whether it is the certificate's name.",
                },
                "meeting": obj(
                    {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "starts_at": DATE_TIME,
                        "community": {"type": "string"},
                    }
                ),
                "hours": {"type": "integer", "description": "PKB hours in JP"},
                "issued_at": DATE_TIME,
                "status": {"type": "string", "enum": ["valid", "revoked"]},
                "revoked_at": NULLABLE_DATE_TIME,
                "revoke_reason": {"type": "string"},
            }
        ),
        "Guest": obj(
            {
                "id": {"type": "integer"},
                "meeting_id": {"type": "integer"},
                "name": {"type": "string"},
                "school": {"type": "string"},
                "role": {"type": "string"},
                "nip": {"type": "string"},
                "nuptk": {"type": "string"},
                "created_at": DATE_TIME,
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
            "description": "At least one of: body, action_items (not empty), publish: true.",
            "anyOf": [
                {"required": ["body"]},
                {"required": ["action_items"], "properties": {"action_items": {"minItems": 1}}},
                {"required": ["publish"], "properties": {"publish": {"const": True}}},
            ],
            "properties": {
                "body": {
                    "type": "string",
                    "maxLength": limits.MINUTES_MAX,
                    "description": "Markdown.",
                },
                "publish": {"type": "boolean"},
                "autosave": {"type": "boolean", "description": "A draft save: no revision."},
                "action_items": _titled_items(
                    {
                        "assignee_id": {**ID_SCHEMA, "type": ["integer", "null"]},
                        "due_on": {"type": ["string", "null"], "format": "date"},
                    },
                    limits.ACTION_ITEMS_MAX,
                    limits.ACTION_TITLE_MAX,
                ),
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
                "cycle_hours": {
                    "type": "integer",
                    "description": "Of total_hours, what learning cycles credit.",
                },
                "cycles": {
                    "type": "array",
                    "description": "Parts in learning cycles that count: a lesson study with "
                    "a published reflection, a pair's logged sessions, a PTK with a cycle.",
                    "items": obj(
                        {
                            "kind": {
                                "type": "string",
                                "enum": ["lesson_study", "mentoring", "ptk"],
                            },
                            "role": {
                                "type": "string",
                                "enum": [
                                    "model_teacher",
                                    "observer",
                                    "mentor",
                                    "mentee",
                                    "ptk_author",
                                    "ptk_member",
                                    "reviewer",
                                ],
                            },
                            "title": {"type": "string"},
                            "community": {"type": "string"},
                            "community_name": {"type": "string"},
                            "at": DATE_TIME,
                            "hours": {"type": "integer"},
                            "id": {"type": "integer"},
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
PARAMETERS["holder_name"] = {
    "name": "name",
    "in": "query",
    "description": "The name printed on the certificate, to check it (name_matches).",
    "schema": {"type": "string", "maxLength": 200},
}
PARAMETERS["year"] = {
    "name": "year",
    "in": "query",
    "description": "Only this calendar year (in the user's zone).",
    "schema": {"type": "integer", "minimum": limits.YEAR_MIN, "maximum": limits.YEAR_MAX},
}

# An edit takes the fields of a schedule request but the agenda and the rule (the
# server refuses any other field: "This field cannot be changed").
_update = SCHEMAS["MeetingUpdate"]
_update["properties"] = {
    **{
        name: schema
        for name, schema in SCHEMAS["MeetingCreate"]["properties"].items()
        if name not in ("agenda", "recurrence")
    },
    **_update["properties"],
}
