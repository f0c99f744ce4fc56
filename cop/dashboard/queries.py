"""What the "Hari ini" (today) dashboard shows a member, read in a fixed number of queries.

:func:`today` gathers, for one user: today's and the next meetings of their
communities (with their RSVP, the counts and whether check-in is open now),
their open action items, unread mentions, watched topics with new posts and
new resources in their communities. Each part is one query (two for meetings:
the meetings, then answers, counts and attendance for all of them at once), so
the page costs the same with one community or twenty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.communities.models import Membership
from cop.discussions.models import Topic, TopicRead, TopicSubscription
from cop.extensions import db
from cop.meetings import queries as meeting_queries
from cop.meetings import services as meeting_services
from cop.meetings.models import RSVP, ActionItem, Attendance, Meeting
from cop.notifications.models import Notification
from cop.resources.models import Resource

#: how far ahead "next meetings" looks, and how many it lists
AHEAD = timedelta(days=45)
MEETINGS_MAX = 6
ITEMS_MAX = 5
#: a resource is "new" for this long
NEW_RESOURCES = timedelta(days=14)


@dataclass
class MeetingCard:
    """One meeting on the dashboard with the viewer's answer and attendance."""

    meeting: Meeting
    rsvp: RSVP | None
    counts: dict[str, int]
    attendance: Attendance | None
    checkin_open: bool
    today: bool

    @property
    def checked_in(self) -> bool:
        """True once the viewer's arrival is recorded."""
        return bool(self.attendance is not None and self.attendance.checked_in_at is not None)


@dataclass
class Today:
    """Everything on the dashboard; empty lists when there is nothing to show."""

    meetings: list[MeetingCard] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    mentions: list[Notification] = field(default_factory=list)
    watched: list[Topic] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)

    @property
    def today_meetings(self) -> list[MeetingCard]:
        """Meetings that start (or are going on) today in the viewer's zone."""
        return [card for card in self.meetings if card.today]

    @property
    def next_meetings(self) -> list[MeetingCard]:
        """Meetings after today."""
        return [card for card in self.meetings if not card.today]


def _my_communities(user: User) -> Any:
    return select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )


def _end_of_day(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight


def meeting_cards(user: User, now: datetime) -> list[MeetingCard]:
    """Today's and the next meetings (not cancelled, not over) of the user's communities."""
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.community_id.in_(_my_communities(user)),
                Meeting.status != "cancelled",
                Meeting.ends_at >= now,
                Meeting.starts_at < now + AHEAD,
            )
            .options(joinedload(Meeting.community))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(MEETINGS_MAX)
        )
    )
    if not meetings:
        return []
    ids = [m.id for m in meetings]
    answers = meeting_queries.my_rsvps(user, ids)
    counts = meeting_queries.rsvp_counts(ids)
    attended = {
        row.meeting_id: row
        for row in db.session.scalars(
            select(Attendance).where(Attendance.user_id == user.id, Attendance.meeting_id.in_(ids))
        )
    }
    day_ends = _end_of_day(now, user.timezone)
    return [
        MeetingCard(
            meeting=m,
            rsvp=answers.get(m.id),
            counts=counts[m.id],
            attendance=attended.get(m.id),
            checkin_open=meeting_services.checkin_open(m, now),
            today=m.starts_at < day_ends,
        )
        for m in meetings
    ]


def unread_mentions(user: User) -> list[Notification]:
    """The user's unread @mentions, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind == "mention",
                Notification.read_at.is_(None),
            )
            .order_by(Notification.id.desc())
            .limit(ITEMS_MAX)
        )
    )


def watched_with_news(user: User) -> list[Topic]:
    """Topics the user watches that have posts they have not read, latest activity first.

    Only topics of communities the user is an active member of (a watcher who left
    the community no longer reads it).
    """
    read = TopicRead.__table__.alias("r")
    return list(
        db.session.scalars(
            select(Topic)
            .join(
                TopicSubscription,
                and_(
                    TopicSubscription.topic_id == Topic.id,
                    TopicSubscription.user_id == user.id,
                    TopicSubscription.level == "watch",
                ),
            )
            .outerjoin(read, and_(read.c.topic_id == Topic.id, read.c.user_id == user.id))
            .where(
                Topic.deleted_at.is_(None),
                Topic.community_id.in_(_my_communities(user)),
                Topic.last_post_id.is_not(None),
                or_(
                    read.c.last_read_post_id.is_(None),
                    read.c.last_read_post_id < Topic.last_post_id,
                ),
            )
            .options(joinedload(Topic.community))
            .order_by(Topic.last_post_at.desc(), Topic.id.desc())
            .limit(ITEMS_MAX)
        )
    )


def new_resources(user: User, now: datetime) -> list[Resource]:
    """Resources shared in the user's communities lately (not hidden), newest first."""
    return list(
        db.session.scalars(
            select(Resource)
            .where(
                Resource.community_id.in_(_my_communities(user)),
                Resource.hidden.is_(False),
                Resource.created_at >= now - NEW_RESOURCES,
            )
            .options(joinedload(Resource.community), joinedload(Resource.uploader))
            .order_by(Resource.created_at.desc(), Resource.id.desc())
            .limit(ITEMS_MAX)
        )
    )


def today(user: User, now: datetime) -> Today:
    """The whole dashboard for ``user`` at ``now``."""
    return Today(
        meetings=meeting_cards(user, now),
        action_items=meeting_queries.open_action_items_for(user, limit=ITEMS_MAX),
        mentions=unread_mentions(user),
        watched=watched_with_news(user),
        resources=new_resources(user, now),
    )
