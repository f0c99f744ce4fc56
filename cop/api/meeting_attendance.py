"""API: RSVP, check-in, the attendance list and a teacher's participation record."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.meetings import meeting_request
from cop.api.openapi import documented
from cop.api.views import ID, bp
from cop.core.errors import ValidationError
from cop.core.ratelimit import ip_key
from cop.core.web import current, viewer
from cop.cycles import queries as cycle_queries
from cop.cycles.serializers import participation_json as cycle_participation_json
from cop.meetings import limits, queries, services
from cop.meetings.serializers import (
    attendance_entry_json,
    guest_entry_json,
    participation_json,
    rsvp_json,
)


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
    meeting, user, body = meeting_request(meeting_id, "meeting.rsvp")
    status = body.required("status")
    body.done()
    return rsvp_json(meeting, services.rsvp(user, meeting, status))


@bp.post(f"/meetings/<{ID}:meeting_id>/checkin")
@documented(
    "Check in: a member with the code, or a coordinator marks someone",
    tag="meetings",
    body="CheckinRequest",
    response="Checkin",
    errors=(400, 403, 404, 409),
    rate_limited=True,
    description="Members send {code} during the window (1 h before the start to 2 h after "
    "the end); checking in twice answers created false. Coordinators send {user_id} "
    "(optionally excused true) for anyone in the community.",
)
def checkin_meeting(meeting_id: int) -> ResponseReturnValue:
    """Record attendance."""
    meeting, user, body = meeting_request(meeting_id, "meeting.rsvp")
    target = body.optional_id("user_id")
    code = body.text("code")
    excused = body.boolean("excused")
    if target is None and not code:
        body.errors.setdefault("code", _l("This field is required."))
    body.done()
    if target is not None:
        row, created = services.mark(user, meeting, target, excused=excused)
    else:
        row, created = services.check_in(user, meeting, code or "", source=ip_key())
    entry = queries.attendance_row(meeting, row.user_id)
    assert entry is not None  # just recorded
    return {"created": created, "attendance": attendance_entry_json(entry)}


@bp.get(f"/meetings/<{ID}:meeting_id>/attendance")
@documented(
    "Who answered and who came (coordinators)",
    tag="meetings",
    response="AttendanceList",
    errors=(403, 404),
)
def meeting_attendance(meeting_id: int) -> ResponseReturnValue:
    """RSVP vs came, by name; then the guests; certificate numbers once it has ended."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    issued = [c for c in services.certificates_for_manager(current(), meeting) if c.is_valid]
    by_user = {c.user_id: c.number for c in issued if c.user_id is not None}
    by_guest = {c.guest_id: c.number for c in issued if c.guest_id is not None}
    members = [
        attendance_entry_json(r, by_user.get(r.user.id)) for r in queries.attendance(meeting)
    ]
    guests = [guest_entry_json(g, by_guest.get(g.id)) for g in queries.guests(meeting)]
    return {"items": members + guests}


def _year_arg() -> int | None:
    """``?year=``: a year from 2000 to 2100, or None when absent."""
    raw = request.args.get("year")
    if not raw:
        return None
    if not raw.isdigit() or not limits.YEAR_MIN <= int(raw) <= limits.YEAR_MAX:
        raise ValidationError(fields={"year": _l("A year from 2000 to 2100.")})
    return int(raw)


@bp.get(f"/users/<{ID}:user_id>/participation")
@documented(
    "Meetings attended and parts in learning cycles, with hours and roles (PKB evidence)",
    tag="meetings",
    response="Participation",
    errors=(400, 404),
    query=("year",),
    description="The user themselves and site admins only (404 for anyone else).",
)
def participation(user_id: int) -> ResponseReturnValue:
    """Attended meetings and learning-cycle parts, newest first, and the total PKB hours
    (meetings' and cycles' together)."""
    person = services.visible_participant(current(), user_id)
    year = _year_arg()
    record = participation_json(person, queries.participation(person, year))
    cycles = cycle_queries.participation(person, year)
    record["cycles"] = cycle_participation_json(cycles)
    record["cycle_hours"] = sum(row.hours for row in cycles)
    record["total_hours"] += record["cycle_hours"]
    return record
