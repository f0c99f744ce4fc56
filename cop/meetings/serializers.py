"""The meetings' JSON shapes (meeting, agenda item, RSVP, attendance entry, minutes,
participation), used by the API; and the meeting page's URL, used by the receivers."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, url_for

from cop.auth.models import User
from cop.core import permissions
from cop.core.markdown import render_markdown
from cop.core.types import iso
from cop.meetings import queries, services
from cop.meetings.models import RSVP, Certificate, Guest, Meeting, MeetingPhoto

_UNSET: Any = object()


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page (a path; also outside requests, e.g. from the CLI)."""
    if has_request_context():
        return url_for("meetings.show", meeting_id=meeting.id)
    return f"/meetings/{meeting.id}"


def meeting_json(
    meeting: Meeting,
    user: User | None,
    counts: dict[str, int] | None = None,
    mine: Any = _UNSET,
    *,
    with_going: bool = False,
) -> dict[str, Any]:
    """The meeting shape (checkin_code only for coordinators).

    ``with_going`` (one meeting, not a list) adds ``going``, who said yes or maybe,
    for those the policy lets see names (``meeting.view_attendees``); others get
    ``going: null`` and the counts only.
    """
    counts = counts or queries.rsvp_counts([meeting.id])[meeting.id]
    if mine is _UNSET:
        mine = services.my_rsvp(user, meeting)
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
        "agenda": [
            {
                "id": item.id,
                "position": item.position,
                "title": item.title,
                "presenter_id": item.presenter_id,
                "duration_min": item.duration_min,
                "notes": item.notes,
                "planned_start": iso(start),
            }
            for item, start in meeting.planned_agenda
        ],
        "rsvp_counts": counts,
        "my_rsvp": mine.status if mine else None,
        "my_waitlisted": bool(mine and mine.waitlisted),
        "url": url_for("meetings.show", meeting_id=meeting.id),
    }
    if permissions.can(user, "meeting.manage", meeting):
        out["checkin_code"] = meeting.checkin_code
    if with_going:
        out["going"] = (
            [
                {
                    "user_id": r.user_id,
                    "name": r.user.name,
                    "status": r.status,
                    "waitlisted": r.waitlisted,
                }
                for r in queries.going(meeting)
            ]
            if permissions.can(user, "meeting.view_attendees", meeting)
            else None
        )
    return out


def occurrences_json(meetings: list[Meeting]) -> list[dict[str, Any]]:
    """Every meeting a schedule call created: ``[{id, starts_at}]``."""
    return [{"id": m.id, "starts_at": iso(m.starts_at)} for m in meetings]


def rsvp_json(meeting: Meeting, row: RSVP) -> dict[str, Any]:
    """A saved answer."""
    return {"meeting_id": meeting.id, "status": row.status, "waitlisted": row.waitlisted}


def attendance_entry_json(
    row: queries.AttendanceRow, certificate_number: str | None = None
) -> dict[str, Any]:
    """One line of the attendance list: what they answered, whether and how they came."""
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
        "status": row.status,
        "guest": False,
        "guest_id": None,
        "certificate_number": certificate_number,
    }


def guest_json(guest: Guest) -> dict[str, Any]:
    """A guest as recorded (coordinators only: NIP/NUPTK included)."""
    return {
        "id": guest.id,
        "meeting_id": guest.meeting_id,
        "name": guest.name,
        "school": guest.school,
        "role": guest.role,
        "nip": guest.nip,
        "nuptk": guest.nuptk,
        "created_at": iso(guest.created_at),
    }


def guest_entry_json(guest: Guest, certificate_number: str | None = None) -> dict[str, Any]:
    """A guest's line of the attendance list: present, with no user id."""
    return {
        "user_id": None,
        "name": guest.name,
        "rsvp": None,
        "waitlisted": False,
        "attended": True,
        "checked_in_at": iso(guest.created_at),
        "method": "coordinator",
        "excused": False,
        "status": "present",
        "guest": True,
        "guest_id": guest.id,
        "certificate_number": certificate_number,
    }


def minutes_json(meeting: Meeting) -> dict[str, Any]:
    """The minutes with their action items."""
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


def participation_json(user: User, rows: list[queries.ParticipationRow]) -> dict[str, Any]:
    """A teacher's attended meetings with hours and roles, and the total (PKB evidence)."""
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


def certificate_json(certificate: Certificate, *, name: str | None = None) -> dict[str, Any]:
    """What anyone who verifies a certificate's number is told (with ``name``: whether
    it is the certificate's)."""
    meeting = certificate.meeting
    return {
        "number": certificate.number,
        "name": None if certificate.is_anonymous else certificate.name,
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "starts_at": iso(meeting.starts_at),
            "community": meeting.community.name,
        },
        "hours": certificate.hours,
        "issued_at": iso(certificate.issued_at),
        "status": "valid" if certificate.is_valid else "revoked",
        "revoked_at": iso(certificate.revoked_at) if certificate.revoked_at else None,
        "revoke_reason": certificate.reason_text if not certificate.is_valid else "",
        "name_matches": None if name is None else certificate.name_matches(name),
    }


def photo_json(photo: MeetingPhoto) -> dict[str, Any]:
    """A meeting photo ``{id, caption, content_type, size, width, height, created_at, url,
    thumb_url}``; the urls are the meeting page's (access-checked on every request)."""
    url = url_for("meetings.photo", meeting_id=photo.meeting_id, photo_id=photo.id)
    return {
        "id": photo.id,
        "caption": photo.caption,
        "content_type": photo.content_type,
        "size": photo.size,
        "width": photo.width,
        "height": photo.height,
        "created_at": iso(photo.created_at),
        "url": url,
        "thumb_url": f"{url}?size=thumb",
    }
