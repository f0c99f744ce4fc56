"""The coordinator dashboard's figures over the last 12 months, bucketed by month in the
viewer's zone: members active, posts and resources, attendance rate and RSVP vs came per
meeting, members gone quiet, pending join requests, sessions held against the target.

Reads only (other features' models, never their services)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.cycles.models import LessonStudy, MentoringPair, MentoringSession, Observation
from cop.discussions.models import Post, Topic
from cop.extensions import db
from cop.meetings.models import RSVP, Attendance, Guest, Meeting
from cop.resources.models import Resource

#: a member with no post, resource, attendance or cycle part for this long has gone quiet
QUIET_AFTER = timedelta(days=60)
#: meetings a KKG/MGMP is expected to hold in a year (DOMAIN-ID: older guidance)
YEARLY_TARGET = 12


@dataclass
class MeetingFigure:
    """One ended meeting: who was expected, who said yes, who came."""

    meeting: Meeting
    members: int
    said_yes: int
    came: int
    guests: int

    @property
    def rate(self) -> int:
        """Members present as a percentage of the active members (0-100)."""
        return round(100 * self.came / self.members) if self.members else 0


@dataclass
class Figures:
    """Everything the dashboard shows."""

    months: list[date]
    active: list[int]
    posts: list[int]
    resources: list[int]
    meetings: list[MeetingFigure]
    quiet: list[tuple[User, datetime | None]]
    pending: int
    held_this_year: int
    target: int = YEARLY_TARGET
    members: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def last_months(now: datetime, zone: ZoneInfo, count: int = 12) -> list[date]:
    """The first days of the last ``count`` months, oldest first (this month last)."""
    first = now.astimezone(zone).date().replace(day=1)
    out = [first]
    for _ in range(count - 1):
        out.append((out[-1] - timedelta(days=1)).replace(day=1))
    return list(reversed(out))


def _bucket(moments: list[datetime], months: list[date], zone: ZoneInfo) -> list[int]:
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts = [0] * len(months)
    for moment in moments:
        local = moment.astimezone(zone)
        i = index.get((local.year, local.month))
        if i is not None:
            counts[i] += 1
    return counts


def _activity(community: Community, since: datetime) -> list[tuple[int, datetime, str]]:
    """(user id, when, what) of every post, resource, attendance and learning-cycle part
    since ``since``."""
    posts = db.session.execute(
        select(Post.author_id, Post.created_at)
        .join(Topic, Topic.id == Post.topic_id)
        .where(
            Topic.community_id == community.id,
            Post.created_at >= since,
            Post.deleted_at.is_(None),
            Post.author_id.is_not(None),
        )
    ).all()
    resources = db.session.execute(
        select(Resource.uploader_id, Resource.created_at).where(
            Resource.community_id == community.id,
            Resource.created_at >= since,
            Resource.uploader_id.is_not(None),
        )
    ).all()
    attended = db.session.execute(
        select(Attendance.user_id, Meeting.starts_at)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Meeting.community_id == community.id,
            Meeting.starts_at >= since,
            Attendance.status == "present",
            Attendance.checked_in_at.is_not(None),
        )
    ).all()
    return (
        [(u, t, "post") for u, t in posts if u is not None]
        + [(u, t, "resource") for u, t in resources if u is not None]
        + [(u, t, "attendance") for u, t in attended]
        + _cycle_activity(community, since)
    )


def _cycle_activity(community: Community, since: datetime) -> list[tuple[int, datetime, str]]:
    """(user id, when, "cycle") of each observation and mentoring session since ``since``:
    taking part in a learning cycle makes a member active too."""
    observed = db.session.execute(
        select(Observation.observer_id, Observation.created_at)
        .join(LessonStudy, LessonStudy.id == Observation.lesson_study_id)
        .where(LessonStudy.community_id == community.id, Observation.created_at >= since)
    ).all()
    mentored = db.session.execute(
        select(MentoringPair.mentor_id, MentoringSession.created_at)
        .join(MentoringPair, MentoringPair.id == MentoringSession.pair_id)
        .where(MentoringPair.community_id == community.id, MentoringSession.created_at >= since)
    ).all()
    return [(u, t, "cycle") for u, t in [*observed, *mentored] if u is not None]


def _meeting_figures(community: Community, since: datetime, now: datetime) -> list[MeetingFigure]:
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.community_id == community.id,
                Meeting.status == "scheduled",
                Meeting.starts_at >= since,
                Meeting.ends_at <= now,
            )
            .order_by(Meeting.starts_at)
            .limit(60)
        )
    )
    ids = [m.id for m in meetings]
    yes: dict[int, int] = defaultdict(int)
    came: dict[int, int] = defaultdict(int)
    guests: dict[int, int] = defaultdict(int)
    if ids:
        for mid, n in db.session.execute(
            select(RSVP.meeting_id, func.count())
            .where(RSVP.meeting_id.in_(ids), RSVP.status == "yes")
            .group_by(RSVP.meeting_id)
        ):
            yes[mid] = n
        came.update(present_counts(ids))
        guests.update(guest_counts(ids))
    members = community.member_count or 0
    return [MeetingFigure(m, members, yes[m.id], came[m.id], guests[m.id]) for m in meetings]


def present_counts(meeting_ids: list[int]) -> dict[int, int]:
    """Per meeting: the members recorded present (and checked in)."""
    rows = db.session.execute(
        select(Attendance.meeting_id, func.count())
        .where(
            Attendance.meeting_id.in_(meeting_ids),
            Attendance.status == "present",
            Attendance.checked_in_at.is_not(None),
        )
        .group_by(Attendance.meeting_id)
    )
    return {mid: n for mid, n in rows}


def guest_counts(meeting_ids: list[int]) -> dict[int, int]:
    """Per meeting: the guests recorded."""
    rows = db.session.execute(
        select(Guest.meeting_id, func.count())
        .where(Guest.meeting_id.in_(meeting_ids))
        .group_by(Guest.meeting_id)
    )
    return {mid: n for mid, n in rows}


def _quiet(
    community: Community, activity: list[tuple[int, datetime, str]], now: datetime
) -> list[tuple[User, datetime | None]]:
    """Active members with nothing in the last 60 days, with their last activity."""
    last: dict[int, datetime] = {}
    for user_id, moment, _what in activity:
        if user_id not in last or moment > last[user_id]:
            last[user_id] = moment
    members = db.session.execute(
        select(User, Membership.joined_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.status == "active")
        .order_by(User.name, User.id)
        .limit(2000)
    ).all()
    cutoff = now - QUIET_AFTER
    return [
        (user, last.get(user.id))
        for user, joined in members
        if (last.get(user.id) or datetime.min.replace(tzinfo=UTC)) < cutoff
        and (joined is None or joined < cutoff)
    ]


def quiet_members(community: Community, now: datetime) -> list[tuple[User, datetime | None]]:
    """The community's members gone quiet at ``now`` (what the dashboard lists)."""
    return _quiet(community, _activity(community, now - QUIET_AFTER), now)


def figures(community: Community, now: datetime, zone: ZoneInfo) -> Figures:
    """The dashboard of ``community`` as seen from ``zone`` at ``now``."""
    months = last_months(now, zone)
    since = datetime.combine(months[0], datetime.min.time(), zone).astimezone(UTC)
    activity = _activity(community, since)
    active_sets: list[set[int]] = [set() for _ in months]
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    for user_id, moment, _what in activity:
        local = moment.astimezone(zone)
        i = index.get((local.year, local.month))
        if i is not None:
            active_sets[i].add(user_id)
    meetings = _meeting_figures(community, since, now)
    year_start = datetime(now.astimezone(zone).year, 1, 1, tzinfo=zone)
    pending = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.community_id == community.id, Membership.status == "pending"
        )
    )
    return Figures(
        months=months,
        active=[len(s) for s in active_sets],
        posts=_bucket([t for _u, t, w in activity if w == "post"], months, zone),
        resources=_bucket([t for _u, t, w in activity if w == "resource"], months, zone),
        meetings=meetings,
        quiet=_quiet(community, activity, now),
        pending=pending or 0,
        held_this_year=sum(1 for f in meetings if f.meeting.starts_at >= year_start),
        members=community.member_count or 0,
    )
