"""Attendance: RSVP with a waitlist, check-in with the code, coordinators marking people."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, TooManyAttempts, ValidationError
from cop.core.ratelimit import Budget
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits, queries
from cop.meetings.models import RSVP, RSVP_STATUSES, Attendance, Meeting


def active_member(community: Community, user_id: int) -> User:
    """The active member ``user_id`` of ``community``, or a ValidationError on user_id."""
    user = db.session.scalar(queries.active_members_stmt(community.id).where(User.id == user_id))
    if user is None:
        raise ValidationError(fields={"user_id": _l("That person is not a member.")})
    return user


def visible_participant(caller: User, user_id: int) -> User:
    """The user whose participation record ``caller`` may read (themselves, or as a site
    admin); one 404 for unknown ids and for other people."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound()
    permissions.authorize(caller, "user.view_private", person)
    return person


# --- RSVP ----------------------------------------------------------------------------


def _seats_taken(meeting: Meeting) -> int:
    return (
        db.session.scalar(
            select(func.count(RSVP.id)).where(
                RSVP.meeting_id == meeting.id, RSVP.status == "yes", RSVP.waitlisted.is_(False)
            )
        )
        or 0
    )


def promote_waitlist(meeting: Meeting) -> None:
    """Move people from the waitlist into free seats, first come first served."""
    if meeting.capacity is None:
        waiting = db.session.scalars(
            select(RSVP).where(RSVP.meeting_id == meeting.id, RSVP.waitlisted.is_(True))
        )
    else:
        free = meeting.capacity - _seats_taken(meeting)
        if free <= 0:
            return
        waiting = db.session.scalars(
            select(RSVP)
            .where(RSVP.meeting_id == meeting.id, RSVP.waitlisted.is_(True))
            .order_by(RSVP.updated_at, RSVP.id)
            .limit(free)
        )
    promoted = []
    for row in waiting:
        row.waitlisted = False
        promoted.append(row.user)
    if promoted:
        signals.send_after_commit(
            signals.waitlist_promoted, meeting, meeting=meeting, users=promoted
        )


def rsvp(user: User, meeting: Meeting, status: str, *, now: datetime | None = None) -> RSVP:
    """Answer yes, no or maybe; yes on a full meeting puts the user on the waitlist."""
    permissions.authorize(user, "meeting.rsvp", meeting)
    now = now or utcnow()
    if status not in RSVP_STATUSES:
        raise ValidationError(fields={"status": _l("Answer yes, no or maybe.")})
    check_open(meeting)
    if meeting.ends_at < now:
        raise Conflict(_l("This meeting is over."), code="meeting_over")
    try:
        with unit_of_work():
            # Lock the meeting so two last-seat answers are counted one after the other.
            db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
            row = my_rsvp(user, meeting)
            had_seat = row is not None and row.status == "yes" and not row.waitlisted
            if row is None:
                row = RSVP(meeting_id=meeting.id, user_id=user.id, status=status, created_at=now)
                db.session.add(row)
            elif row.status == status:
                return row
            row.status = status
            row.updated_at = now
            row.waitlisted = False
            if status == "yes" and not had_seat and meeting.capacity is not None:
                db.session.flush()
                row.waitlisted = _seats_taken(meeting) > meeting.capacity
            if had_seat and status != "yes":
                db.session.flush()
                promote_waitlist(meeting)
    except IntegrityError as exc:  # a double submit raced us: the first answer stands
        raise Conflict(_l("Your answer was already saved.")) from exc
    return row


def my_rsvp(user: User | None, meeting: Meeting) -> RSVP | None:
    """The user's answer, if any."""
    if user is None:
        return None
    return db.session.scalar(
        select(RSVP).where(RSVP.meeting_id == meeting.id, RSVP.user_id == user.id)
    )


# --- check-in ----------------------------------------------------------------------


def check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise Conflict(_l("This meeting was cancelled."), code="meeting_cancelled")


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When members may check in with the code."""
    return meeting.starts_at - limits.CHECKIN_OPENS, meeting.ends_at + limits.CHECKIN_CLOSES


def checkin_open(meeting: Meeting, now: datetime) -> bool:
    """True while members may check in with the code."""
    opens, closes = checkin_window(meeting)
    return opens <= now <= closes


#: wrong codes per person and meeting (CHECKIN_ATTEMPTS), and per address
#: (CHECKIN_ATTEMPTS_IP); past either the code is not even compared
WRONG_CODES = Budget("checkin", "CHECKIN_ATTEMPTS")
WRONG_CODES_FROM = Budget("checkin-ip", "CHECKIN_ATTEMPTS_IP")


def check_in(
    user: User,
    meeting: Meeting,
    code: str,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> tuple[Attendance, bool]:
    """Check in with the meeting's code; returns (attendance, created). Twice is harmless.

    A person gets a few wrong tries per meeting, an address (``source``, the
    caller's) a few more across meetings; then TooManyAttempts (429) until the
    window passes, and the coordinator can still mark them present. With codes of
    CHECKIN_CODE_LENGTH characters that makes guessing hopeless (docs/security.md).
    """
    permissions.authorize(user, "meeting.rsvp", meeting)
    now = now or utcnow()
    check_open(meeting)
    existing = attendance_of(meeting, user.id)
    if existing is not None and existing.attended:
        return existing, False
    if not checkin_open(meeting, now):
        raise ValidationError(
            _l("Check-in is open from one hour before the start to two hours after the end."),
            code="checkin_closed",
            fields={"code": _l("Check-in is not open now.")},
        )
    person = (f"user:{user.id}", f"meeting:{meeting.id}")
    if WRONG_CODES.exhausted(*person) or (source and WRONG_CODES_FROM.exhausted(source)):
        raise TooManyAttempts(
            _l("Too many wrong codes. Ask the coordinator to check you in."),
            fields={"code": _l("Too many wrong codes. Ask the coordinator to check you in.")},
        )
    given = (code or "").strip().upper()
    if not secrets.compare_digest(given.encode(), meeting.checkin_code.encode()):
        WRONG_CODES.spend(*person)
        if source:
            WRONG_CODES_FROM.spend(source)
        raise ValidationError(
            _l("That check-in code is not right."),
            code="wrong_code",
            fields={"code": _l("That check-in code is not right.")},
        )
    return record_attendance(meeting, user.id, "code", now, marked_by=None, status="present")


def attendance_of(meeting: Meeting, user_id: int) -> Attendance | None:
    """The user's attendance record at the meeting, if any."""
    return db.session.scalar(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.user_id == user_id)
    )


def record_attendance(
    meeting: Meeting,
    user_id: int,
    method: str,
    now: datetime,
    *,
    marked_by: User | None,
    status: str,
) -> tuple[Attendance, bool]:
    """Write the user's line of the roll (the same status twice changes nothing)."""
    try:
        with unit_of_work():
            row = attendance_of(meeting, user_id)
            created = row is None
            if row is None:
                row = Attendance(meeting_id=meeting.id, user_id=user_id, method=method)
                db.session.add(row)
            elif row.status == status and (status != "present" or row.checked_in_at is not None):
                return row, False
            row.status = status
            row.excused = status in ("excused", "sick")
            if status != "present":
                row.checked_in_at = None
            elif row.checked_in_at is None:
                # Marked after the meeting (a recorded one): it started when they came.
                row.checked_in_at = now if now <= meeting.ends_at else meeting.starts_at
            row.method = method
            row.marked_by_id = marked_by.id if marked_by else None
            signals.send_after_commit(
                signals.attendance_recorded,
                meeting,
                meeting=meeting,
                user_id=user_id,
                actor=marked_by,
            )
    except IntegrityError:  # the same person checked in twice at once: one row stands
        db.session.rollback()
        existing = attendance_of(meeting, user_id)
        assert existing is not None
        return existing, False
    return row, created
