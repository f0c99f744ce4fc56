"""Read helpers for meetings: listings, calendars, RSVP counts, attendance,
participation, action items and the reminders that are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core.pagination import Page, SortKey, keyset_page
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import (
    RSVP,
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesRevision,
    ReminderSent,
)

#: reminders: kind -> how long before the start it goes out
REMINDER_LEADS = {"day": timedelta(hours=24), "hour": timedelta(hours=1)}


def active_members_stmt(community_id: int) -> Select[User]:
    """SELECT the active members of a community (callers add filters and order)."""
    return (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community_id, Membership.status == "active")
    )


def active_members(community: Community) -> list[User]:
    """Everyone who is an active member of ``community`` (told of a new meeting)."""
    return list(db.session.scalars(active_members_stmt(community.id)))


def upcoming(
    community: Community, *, cursor: str | None, limit: int, now: datetime, past: bool = False
) -> Page[Meeting]:
    """The community's meetings that have not ended, soonest first (or past ones, newest first)."""
    stmt = select(Meeting).where(Meeting.community_id == community.id)
    if past:
        stmt = stmt.where(Meeting.ends_at < now)
        keys = [SortKey(Meeting.starts_at, descending=True), SortKey(Meeting.id, descending=True)]
    else:
        stmt = stmt.where(Meeting.ends_at >= now)
        keys = [SortKey(Meeting.starts_at), SortKey(Meeting.id)]
    return keyset_page(
        stmt.options(selectinload(Meeting.agenda), joinedload(Meeting.community)),
        keys,
        cursor=cursor,
        limit=limit,
        key_of=lambda m: (m.starts_at, m.id),
    )


def _of_communities(
    community_ids: list[int], *where: Any, limit: int | None = None
) -> list[Meeting]:
    """Meetings of these communities matching ``where``, in order, with their community
    and agenda loaded."""
    if not community_ids:
        return []
    stmt = (
        select(Meeting)
        .where(Meeting.community_id.in_(community_ids), *where)
        .options(joinedload(Meeting.community), selectinload(Meeting.agenda))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(db.session.scalars(stmt if limit is None else stmt.limit(limit)))


def in_range(community_ids: list[int], start: datetime, end: datetime) -> list[Meeting]:
    """Meetings of these communities starting in [start, end), in order."""
    return _of_communities(community_ids, Meeting.starts_at >= start, Meeting.starts_at < end)


def feed_meetings(community_ids: list[int], now: datetime) -> list[Meeting]:
    """What a calendar feed holds: from 90 days ago on, at most 500 meetings."""
    return _of_communities(community_ids, Meeting.starts_at >= now - timedelta(days=90), limit=500)


def active_community_ids(user: User) -> list[int]:
    """Communities the user is an active member of."""
    return list(
        db.session.scalars(
            select(Membership.community_id).where(
                Membership.user_id == user.id, Membership.status == "active"
            )
        )
    )


def rsvp_counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """meeting id -> {yes, no, maybe, waitlist} in one query."""
    counts = {mid: {"yes": 0, "no": 0, "maybe": 0, "waitlist": 0} for mid in meeting_ids}
    if not meeting_ids:
        return counts
    rows = db.session.execute(
        select(RSVP.meeting_id, RSVP.status, RSVP.waitlisted, func.count(RSVP.id))
        .where(RSVP.meeting_id.in_(meeting_ids))
        .group_by(RSVP.meeting_id, RSVP.status, RSVP.waitlisted)
    )
    for meeting_id, status, waitlisted, n in rows:
        counts[meeting_id]["waitlist" if waitlisted else status] += n
    return counts


def my_rsvps(user: User | None, meeting_ids: list[int]) -> dict[int, RSVP]:
    """meeting id -> the user's answer, in one query."""
    if user is None or not meeting_ids:
        return {}
    rows = db.session.scalars(
        select(RSVP).where(RSVP.user_id == user.id, RSVP.meeting_id.in_(meeting_ids))
    )
    return {row.meeting_id: row for row in rows}


def going(meeting: Meeting) -> list[RSVP]:
    """Who said yes (seated first, then the waitlist) or maybe."""
    return list(
        db.session.scalars(
            select(RSVP)
            .where(RSVP.meeting_id == meeting.id, RSVP.status.in_(("yes", "maybe")))
            .options(joinedload(RSVP.user))
            .order_by(RSVP.status.desc(), RSVP.waitlisted, RSVP.updated_at, RSVP.id)
        )
    )


@dataclass
class AttendanceRow:
    """One person on the attendance list: what they answered and whether they came."""

    user: User
    rsvp: str | None
    waitlisted: bool
    attendance: Attendance | None

    @property
    def attended(self) -> bool:
        """Checked in or marked present."""
        return bool(self.attendance and self.attendance.attended)

    @property
    def excused(self) -> bool:
        """Marked excused (izin) or sick by a coordinator."""
        return bool(self.attendance and self.attendance.excused)

    @property
    def status(self) -> str | None:
        """present, excused, sick or absent once recorded (None before)."""
        if self.attendance is None:
            return None
        return "present" if self.attended else self.attendance.status


def attendance(meeting: Meeting) -> list[AttendanceRow]:
    """Everyone who answered or was recorded, by name: RSVP vs came."""
    rsvps = {
        r.user_id: r
        for r in db.session.scalars(
            select(RSVP).where(RSVP.meeting_id == meeting.id).options(joinedload(RSVP.user))
        )
    }
    records = {
        a.user_id: a
        for a in db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id)
            .options(joinedload(Attendance.user))
        )
    }
    rows = []
    for user_id in set(rsvps) | set(records):
        r = rsvps.get(user_id)
        a = records.get(user_id)
        user = r.user if r else a.user  # type: ignore[union-attr]
        rows.append(
            AttendanceRow(
                user=user,
                rsvp=r.status if r else None,
                waitlisted=bool(r and r.waitlisted),
                attendance=a,
            )
        )
    return sorted(rows, key=lambda row: (row.user.name.lower(), row.user.id))


def members_for_marking(meeting: Meeting) -> list[User]:
    """Active members of the meeting's community, by name (for the 'mark present' list)."""
    stmt = active_members_stmt(meeting.community_id).order_by(User.name, User.id).limit(1000)
    return list(db.session.scalars(stmt))


def open_action_items_for(user: User, limit: int = 20) -> list[ActionItem]:
    """The user's action items not done yet, soonest due first (for the dashboard)."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.assignee_id == user.id, ActionItem.done.is_(False))
            .options(joinedload(ActionItem.meeting).joinedload(Meeting.community))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
            .limit(limit)
        )
    )


def action_items_of(meeting: Meeting) -> list[ActionItem]:
    """Action items agreed in this meeting."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.meeting_id == meeting.id)
            .options(joinedload(ActionItem.assignee))
            .order_by(ActionItem.id)
        )
    )


def carried_action_items(meeting: Meeting) -> list[ActionItem]:
    """Undone action items from the community's earlier meetings (shown on this one)."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .join(Meeting, Meeting.id == ActionItem.meeting_id)
            .where(
                ActionItem.community_id == meeting.community_id,
                ActionItem.done.is_(False),
                Meeting.starts_at < meeting.starts_at,
            )
            .options(joinedload(ActionItem.assignee), joinedload(ActionItem.meeting))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
            .limit(50)
        )
    )


def due_reminders(now: datetime) -> list[tuple[Meeting, str]]:
    """(meeting, kind) pairs whose reminder window contains ``now``.

    day: from 24 h to 1 h before the start; hour: the last hour before it.
    """
    day_lead, hour_lead = REMINDER_LEADS["day"], REMINDER_LEADS["hour"]
    rows = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.status == "scheduled",
            Meeting.starts_at > now,
            Meeting.starts_at <= now + day_lead,
        )
        .options(joinedload(Meeting.community))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    out = []
    for meeting in rows:
        kind = "hour" if meeting.starts_at <= now + hour_lead else "day"
        out.append((meeting, kind))
    return out


def reminder_recipients(meeting: Meeting) -> list[User]:
    """yes/maybe answers; for routine sessions every active member who did not say no."""
    if meeting.kind == "routine":
        said_no = select(RSVP.user_id).where(RSVP.meeting_id == meeting.id, RSVP.status == "no")
        stmt = active_members_stmt(meeting.community_id).where(User.id.not_in(said_no))
    else:
        stmt = (
            select(User)
            .join(RSVP, RSVP.user_id == User.id)
            .join(
                Membership,
                and_(
                    Membership.user_id == User.id,
                    Membership.community_id == meeting.community_id,
                    Membership.status == "active",
                ),
            )
            .where(RSVP.meeting_id == meeting.id, RSVP.status.in_(("yes", "maybe")))
        )
    return list(db.session.scalars(stmt.where(User.active.is_(True)).order_by(User.id)))


def reminders_sent(meeting_id: int | None = None) -> list[ReminderSent]:
    """Claimed reminders (tests and the coordinator view)."""
    stmt = select(ReminderSent).order_by(ReminderSent.id)
    if meeting_id is not None:
        stmt = stmt.where(ReminderSent.meeting_id == meeting_id)
    return list(db.session.scalars(stmt))


@dataclass
class ParticipationRow:
    """One attended meeting on a teacher's participation record."""

    meeting: Meeting
    community: Community
    attendance: Attendance
    presented: list[str]

    @property
    def hours(self) -> int:
        """PKB hours credited."""
        return self.meeting.pkb_hours


def participation(
    user: User, year: int | None = None, *, now: datetime | None = None
) -> list[ParticipationRow]:
    """Meetings the user attended (present, not cancelled) that have ended, newest first:
    PKB hours count only once the meeting is over."""
    now = now or utcnow()
    stmt = (
        select(Attendance, Meeting, Community)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Community, Community.id == Meeting.community_id)
        .where(
            Attendance.user_id == user.id,
            Attendance.excused.is_(False),
            Attendance.status == "present",
            Attendance.checked_in_at.is_not(None),
            Meeting.status == "scheduled",
            Meeting.ends_at <= now,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1000)
    )
    if year is not None:
        stmt = stmt.where(
            Meeting.starts_at >= datetime(year, 1, 1, tzinfo=ZoneInfo(user.timezone)),
            Meeting.starts_at < datetime(year + 1, 1, 1, tzinfo=ZoneInfo(user.timezone)),
        )
    rows = db.session.execute(stmt).all()
    ids = [m.id for _a, m, _c in rows]
    presented: dict[int, list[str]] = {}
    if ids:
        for meeting_id, title in db.session.execute(
            select(AgendaItem.meeting_id, AgendaItem.title).where(
                AgendaItem.meeting_id.in_(ids), AgendaItem.presenter_id == user.id
            )
        ):
            presented.setdefault(meeting_id, []).append(title)
    return [
        ParticipationRow(meeting=m, community=c, attendance=a, presented=presented.get(m.id, []))
        for a, m, c in rows
    ]


def coordinators(community: Community) -> list[User]:
    """The community's coordinators (named on certificates)."""
    stmt = active_members_stmt(community.id).where(Membership.role == "coordinator")
    return list(db.session.scalars(stmt.order_by(User.name)))


def search_text(meeting: Meeting) -> dict[str, str]:
    """What search indexes of a meeting: its title, and its description and agenda titles."""
    agenda = db.session.scalars(
        select(AgendaItem.title)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    body = "\n".join(part for part in (meeting.description, *agenda) if part)
    return {"title": meeting.title, "body": body}


def answered_yes_or_maybe(meeting: Meeting) -> list[User]:
    """Who answered yes or maybe (told when the meeting changes or is cancelled)."""
    return [row.user for row in going(meeting)]


def attendees(meeting: Meeting) -> list[User]:
    """Who was recorded present (not excused): told when the minutes are published."""
    return list(
        db.session.scalars(
            select(User)
            .join(Attendance, Attendance.user_id == User.id)
            .where(Attendance.meeting_id == meeting.id, Attendance.status == "present")
        )
    )


def attendance_row(meeting: Meeting, user_id: int) -> AttendanceRow | None:
    """One person's line of ``attendance(meeting)``."""
    return next((row for row in attendance(meeting) if row.user.id == user_id), None)


def minutes_revisions(minutes: Minutes | None, limit: int = 20) -> list[MinutesRevision]:
    """The latest saved versions of the minutes, newest first."""
    if minutes is None:
        return []
    return list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .order_by(MinutesRevision.id.desc())
            .limit(limit)
        )
    )
