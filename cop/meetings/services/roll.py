"""The roll in one pass: a status per member (hadir, izin, sakit, tidak hadir), one
tap each, saved idempotently; and guests who are not members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import ATTENDANCE_STATUSES, Attendance, Guest, Meeting
from cop.meetings.services.attendance import active_member, check_open, record_attendance


def roll_open(meeting: Meeting, now: datetime) -> bool:
    """The roll opens when check-in does (an hour before the start) and stays open."""
    return now >= meeting.starts_at - limits.CHECKIN_OPENS


def _check_roll_open(meeting: Meeting, now: datetime, status: str = "present") -> None:
    """Present and absent from an hour before the start on; excused (izin) and sick may
    be recorded ahead, when a teacher sends word."""
    check_open(meeting)
    if status in ("present", "absent") and not roll_open(meeting, now):
        raise Conflict(
            _l("The roll opens one hour before the meeting starts."), code="roll_not_open"
        )


def set_status(
    actor: User, meeting: Meeting, user_id: int, status: str, *, now: datetime | None = None
) -> tuple[Attendance, bool]:
    """A coordinator records one member's status; the same tap twice changes nothing."""
    permissions.authorize(actor, "meeting.manage", meeting)
    now = now or utcnow()
    if status not in ATTENDANCE_STATUSES:
        raise ValidationError(
            fields={"status": _l("Choose present, excused, sick or absent.")}, code="bad_status"
        )
    _check_roll_open(meeting, now, status)
    active_member(meeting.community, user_id)
    return record_attendance(meeting, user_id, "coordinator", now, marked_by=actor, status=status)


def mark(
    actor: User,
    meeting: Meeting,
    user_id: int,
    *,
    excused: bool = False,
    now: datetime | None = None,
) -> tuple[Attendance, bool]:
    """A coordinator marks anyone in the community present (or excused)."""
    return set_status(actor, meeting, user_id, "excused" if excused else "present", now=now)


@dataclass
class GuestData:
    """A guest as typed in the form or sent to the API."""

    name: str
    school: str = ""
    role: str = ""
    nip: str = ""
    nuptk: str = ""
    client_id: str = ""


def _digits(value: str, length: int, field: str, errors: dict[str, object]) -> str:
    cleaned = "".join((value or "").split())
    if cleaned and (not cleaned.isdigit() or len(cleaned) != length):
        errors[field] = _l("Enter exactly %(n)d digits, or leave it empty.", n=length)
    return cleaned


def validate_guest(data: GuestData) -> GuestData:
    """``data`` stripped, or one ValidationError naming every wrong field."""
    errors: dict[str, object] = {}
    data.name = (data.name or "").strip()
    data.school = (data.school or "").strip()
    data.role = (data.role or "").strip()
    data.client_id = (data.client_id or "").strip()
    if not 1 <= len(data.name) <= limits.GUEST_NAME_MAX:
        errors["name"] = _l(
            "Enter the guest's name (at most %(n)d characters).", n=limits.GUEST_NAME_MAX
        )
    if len(data.school) > limits.GUEST_SCHOOL_MAX:
        errors["school"] = _l("At most %(n)d characters.", n=limits.GUEST_SCHOOL_MAX)
    if len(data.role) > limits.GUEST_ROLE_MAX:
        errors["role"] = _l("At most %(n)d characters.", n=limits.GUEST_ROLE_MAX)
    if len(data.client_id) > limits.CLIENT_ID_MAX:
        errors["client_id"] = _l("At most %(n)d characters.", n=limits.CLIENT_ID_MAX)
    data.nip = _digits(data.nip, limits.NIP_DIGITS, "nip", errors)
    data.nuptk = _digits(data.nuptk, limits.NUPTK_DIGITS, "nuptk", errors)
    if errors:
        raise ValidationError(fields=errors)
    return data


def _guest_by_client_id(meeting: Meeting, client_id: str) -> Guest | None:
    if not client_id:
        return None
    return db.session.scalar(
        select(Guest).where(Guest.meeting_id == meeting.id, Guest.client_id == client_id)
    )


def add_guest(
    actor: User, meeting: Meeting, data: GuestData, *, now: datetime | None = None
) -> tuple[Guest, bool]:
    """Record a guest who came; returns (guest, created). A retried submit (same
    ``client_id``) returns the guest recorded the first time."""
    permissions.authorize(actor, "meeting.manage", meeting)
    now = now or utcnow()
    data = validate_guest(data)
    _check_roll_open(meeting, now)
    existing = _guest_by_client_id(meeting, data.client_id)
    if existing is not None:
        return existing, False
    count = db.session.scalar(select(func.count(Guest.id)).where(Guest.meeting_id == meeting.id))
    if (count or 0) >= limits.GUESTS_MAX:
        raise Conflict(_l("At most %(n)d guests per meeting.", n=limits.GUESTS_MAX))
    try:
        with unit_of_work():
            guest = Guest(
                meeting_id=meeting.id,
                name=data.name,
                school=data.school,
                role=data.role,
                nip=data.nip,
                nuptk=data.nuptk,
                client_id=data.client_id or None,
                created_by_id=actor.id,
                created_at=now,
            )
            db.session.add(guest)
    except IntegrityError:  # the same submit raced itself: the first one stands
        db.session.rollback()
        again = _guest_by_client_id(meeting, data.client_id)
        assert again is not None
        return again, False
    return guest, True


def remove_guest(actor: User, meeting: Meeting, guest_id: int) -> None:
    """Take a guest off the roll (recorded by mistake)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.meeting_id != meeting.id:
        raise NotFound(_l("That guest is not on this meeting's roll."))
    with unit_of_work():
        db.session.delete(guest)
