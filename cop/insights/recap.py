"""The yearly recap a coordinator hands in: per member the meetings attended and the PKB
hours, per month the sessions held against the 12 a year expected, and the member list.
Reads only (other features' models); the year runs in the viewer's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.extensions import db
from cop.insights.queries import YEARLY_TARGET, guest_counts, present_counts
from cop.meetings.models import Attendance, Meeting

#: the most rows one export holds (a KKG has tens of members, a big MGMP hundreds)
ROWS_MAX = 5000


@dataclass
class MemberRecap:
    """One member's year in the community."""

    user: User
    role: str
    meetings: int
    hours: int


@dataclass
class MonthRecap:
    """The sessions one month held: how many, who came, the year's count so far."""

    month: date
    sessions: int
    present: int
    guests: int
    so_far: int


def year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """1 January of ``year`` and of the next, midnight in ``zone``, in UTC."""
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)


def _held(community: Community, year: int, zone: ZoneInfo, now: datetime) -> list[Meeting]:
    """The community's sessions of ``year`` that took place (not cancelled, ended)."""
    start, end = year_bounds(year, zone)
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.community_id == community.id,
                Meeting.status == "scheduled",
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
                Meeting.ends_at <= now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(ROWS_MAX)
        )
    )


def members(community: Community, year: int, zone: ZoneInfo, now: datetime) -> list[MemberRecap]:
    """Every active member (by name) with the sessions of ``year`` they attended and the
    hours those count for; members who came to none are listed with 0."""
    held = _held(community, year, zone, now)
    hours = {m.id: m.pkb_hours for m in held}
    attended: dict[int, list[int]] = {}
    if held:
        for user_id, meeting_id in db.session.execute(
            select(Attendance.user_id, Attendance.meeting_id).where(
                Attendance.meeting_id.in_(list(hours)),
                Attendance.status == "present",
                Attendance.checked_in_at.is_not(None),
            )
        ):
            attended.setdefault(user_id, []).append(meeting_id)
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.status == "active")
        .order_by(User.name, User.id)
        .limit(ROWS_MAX)
    ).all()
    return [
        MemberRecap(
            user=user,
            role=role,
            meetings=len(attended.get(user.id, [])),
            hours=sum(hours[m] for m in attended.get(user.id, [])),
        )
        for user, role in rows
    ]


def months(community: Community, year: int, zone: ZoneInfo, now: datetime) -> list[MonthRecap]:
    """The twelve months of ``year``: sessions held, members present, guests, and the
    sessions held so far (to read against YEARLY_TARGET)."""
    held = _held(community, year, zone, now)
    ids = [m.id for m in held]
    present: dict[int, int] = {}
    guests: dict[int, int] = {}
    if ids:
        present = present_counts(ids)
        guests = guest_counts(ids)
    out: list[MonthRecap] = []
    so_far = 0
    for number in range(1, 13):
        in_month = [m for m in held if m.starts_at.astimezone(zone).month == number]
        so_far += len(in_month)
        out.append(
            MonthRecap(
                month=date(year, number, 1),
                sessions=len(in_month),
                present=sum(present.get(m.id, 0) for m in in_month),
                guests=sum(guests.get(m.id, 0) for m in in_month),
                so_far=so_far,
            )
        )
    return out


def target() -> int:
    """Sessions a KKG/MGMP is expected to hold in a year."""
    return YEARLY_TARGET


def member_list(community: Community) -> list[tuple[User, Membership]]:
    """The community's members (active and waiting; not the banned), by name."""
    return [
        (user, membership)
        for user, membership in db.session.execute(
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community.id,
                Membership.status.in_(("active", "pending")),
            )
            .order_by(User.name, User.id)
            .limit(ROWS_MAX)
        ).all()
    ]
