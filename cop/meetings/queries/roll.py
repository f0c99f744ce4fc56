"""Read helpers for the roll: every member with their status, and the guests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings.models import RSVP, Attendance, Guest, Meeting
from cop.meetings.queries.listings import active_members_stmt


@dataclass
class RollRow:
    """One member on the attendance sheet: their answer and what the roll says."""

    user: User
    rsvp: str | None
    attendance: Attendance | None

    @property
    def status(self) -> str | None:
        """present, excused, sick, absent, or None while nobody has tapped."""
        if self.attendance is None:
            return None
        if self.attendance.status == "present" and self.attendance.checked_in_at is None:
            return None
        return self.attendance.status


def roll(meeting: Meeting) -> list[RollRow]:
    """Every active member of the meeting's community (and anyone recorded who has
    left since), by name, in three queries whatever the size."""
    members = list(
        db.session.scalars(
            active_members_stmt(meeting.community_id).order_by(User.name, User.id).limit(2000)
        )
    )
    records = {
        a.user_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    answers = dict(
        db.session.execute(
            select(RSVP.user_id, RSVP.status).where(RSVP.meeting_id == meeting.id)
        ).all()
    )
    known = {user.id for user in members}
    gone = [uid for uid in records if uid not in known]
    if gone:
        members += list(db.session.scalars(select(User).where(User.id.in_(gone))))
    rows = [RollRow(user=u, rsvp=answers.get(u.id), attendance=records.get(u.id)) for u in members]
    return sorted(rows, key=lambda row: (row.user.name.lower(), row.user.id))


def guests(meeting: Meeting) -> list[Guest]:
    """The meeting's guests in the order they were recorded."""
    return list(
        db.session.scalars(select(Guest).where(Guest.meeting_id == meeting.id).order_by(Guest.id))
    )


def status_counts(rows: list[RollRow]) -> dict[str, int]:
    """present / excused / sick / absent / unmarked counts of a roll."""
    counts = {"present": 0, "excused": 0, "sick": 0, "absent": 0, "unmarked": 0}
    for row in rows:
        counts[row.status or "unmarked"] += 1
    return counts


def users_by_id(ids: list[int]) -> list[User]:
    """The users with these ids (any order), in one query."""
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(set(ids)))))
