"""API: the roll (a status per member, idempotent) and guests."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from cop.api.meetings import meeting_request
from cop.api.openapi import documented
from cop.api.views import ID, bp
from cop.meetings import queries, services
from cop.meetings.serializers import attendance_entry_json, guest_json


@bp.put(f"/meetings/<{ID}:meeting_id>/attendance/<{ID}:user_id>")
@documented(
    "Record one member's status on the roll (coordinators)",
    tag="meetings",
    body="AttendanceStatusRequest",
    response="AttendanceStatus",
    errors=(400, 403, 404, 409),
    description="present, excused (izin), sick (sakit) or absent (tidak hadir). The same "
    "status twice changes nothing (created false): safe to retry. 400 for someone who is "
    "not a member; 409 before the roll opens (an hour before the start) or when cancelled.",
)
def put_attendance(meeting_id: int, user_id: int) -> ResponseReturnValue:
    """One tap of the attendance sheet."""
    meeting, user, body = meeting_request(meeting_id, "meeting.manage")
    status = body.required("status")
    body.done()
    _row, created = services.set_status(user, meeting, user_id, status)
    entry = queries.attendance_row(meeting, user_id)
    assert entry is not None  # just recorded
    return {"created": created, "attendance": attendance_entry_json(entry)}


@bp.post(f"/meetings/<{ID}:meeting_id>/guests")
@documented(
    "Record a guest who is not a member (coordinators)",
    tag="meetings",
    status=201,
    body="GuestCreate",
    response="Guest",
    errors=(400, 403, 404, 409),
    description="The guest is listed present in the attendance and gets a certificate. "
    "A retry with the same client_id answers the guest recorded the first time (no second "
    "guest).",
)
def create_guest(meeting_id: int) -> ResponseReturnValue:
    """Add a guest to the roll."""
    meeting, user, body = meeting_request(meeting_id, "meeting.manage")
    data = services.GuestData(
        name=body.required("name"),
        school=body.text("school") or "",
        role=body.text("role") or "",
        nip=body.text("nip") or "",
        nuptk=body.text("nuptk") or "",
        client_id=body.text("client_id") or "",
    )
    body.done()
    guest, _created = services.add_guest(user, meeting, data)
    return guest_json(guest), 201
