"""The badge rules' metrics: one SQL count query per rule.

Each metric returns a SELECT of ``(user_id, community_id, value, subject_id)``
rows, one per (user, community) it counts something for; ``subject_id`` is the
latest thing counted (what the award links to). The same function serves live
awarding (filtered to one user and community) and the backfill (every member
of a community), which is why both give the same awards.

Things done to one's own content never count (a like on one's own post, a
download of one's own file, accepting one's own answer); deleted, hidden and
cancelled things never count either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, distinct, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from cop.communities.models import Membership
from cop.core.types import utcnow
from cop.discussions.models import Post, Reaction, Topic
from cop.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesRevision,
)
from cop.resources.models import Resource, ResourceDownload, ResourceLike

Metric = Callable[..., Any]
METRICS: dict[str, Metric] = {}


def metric(fn: Metric) -> Metric:
    """Register a metric under its function name."""
    METRICS[fn.__name__] = fn
    return fn


def _where(
    stmt: Any,
    user_col: Any,
    community_col: Any,
    user_id: int | None,
    community_id: int | None,
) -> Any:
    if user_id is not None:
        stmt = stmt.where(user_col == user_id)
    if community_id is not None:
        stmt = stmt.where(community_col == community_id)
    return stmt


def _visible_post() -> Any:
    return and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None), Topic.deleted_at.is_(None))


def _likes_from_others(kind: str = "like") -> Any:
    """Per post: how many members other than its author reacted with ``kind``."""
    return (
        select(Reaction.post_id, func.count(Reaction.id).label("n"))
        .join(Post, Post.id == Reaction.post_id)
        .where(Reaction.kind == kind, Reaction.user_id != Post.author_id)
        .group_by(Reaction.post_id)
        .subquery()
    )


# --- discussions ----------------------------------------------------------------


@metric
def posts_written(user_id: int | None, community_id: int | None) -> Any:
    """Visible posts (topics' first posts and replies) the user wrote."""
    stmt = (
        select(Post.author_id, Topic.community_id, func.count(Post.id), func.max(Post.id))
        .join(Topic, Topic.id == Post.topic_id)
        .where(_visible_post(), Post.author_id.is_not(None))
        .group_by(Post.author_id, Topic.community_id)
    )
    return _where(stmt, Post.author_id, Topic.community_id, user_id, community_id)


@metric
def posts_with_likes(user_id: int | None, community_id: int | None, *, likes: int) -> Any:
    """Visible posts of the user that at least ``likes`` other members liked."""
    liked = _likes_from_others()
    stmt = (
        select(Post.author_id, Topic.community_id, func.count(Post.id), func.max(Post.id))
        .join(Topic, Topic.id == Post.topic_id)
        .join(liked, liked.c.post_id == Post.id)
        .where(_visible_post(), liked.c.n >= likes)
        .group_by(Post.author_id, Topic.community_id)
    )
    return _where(stmt, Post.author_id, Topic.community_id, user_id, community_id)


@metric
def thanks_received(user_id: int | None, community_id: int | None) -> Any:
    """Thanks given by other members to the user's visible posts."""
    stmt = (
        select(Post.author_id, Topic.community_id, func.count(Reaction.id), func.max(Post.id))
        .join(Post, Post.id == Reaction.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(_visible_post(), Reaction.kind == "thanks", Reaction.user_id != Post.author_id)
        .group_by(Post.author_id, Topic.community_id)
    )
    return _where(stmt, Post.author_id, Topic.community_id, user_id, community_id)


@metric
def solutions(user_id: int | None, community_id: int | None) -> Any:
    """Topics of other members whose accepted solution is the user's visible post."""
    stmt = (
        select(Post.author_id, Topic.community_id, func.count(Topic.id), func.max(Topic.id))
        .join(Post, Post.id == Topic.solution_post_id)
        .where(
            _visible_post(),
            or_(Topic.author_id.is_(None), Topic.author_id != Post.author_id),
        )
        .group_by(Post.author_id, Topic.community_id)
    )
    return _where(stmt, Post.author_id, Topic.community_id, user_id, community_id)


@metric
def newcomer_welcomes(user_id: int | None, community_id: int | None) -> Any:
    """Newcomers' topics (an author's first in the community) the user answered first."""
    earlier = aliased(Topic)
    reply = aliased(Post)
    first_reply = (
        select(func.min(reply.id))
        .where(
            reply.topic_id == Topic.id,
            reply.id != Topic.first_post_id,
            reply.author_id != Topic.author_id,
            reply.deleted_at.is_(None),
            reply.hidden_at.is_(None),
        )
        .correlate(Topic)
        .scalar_subquery()
    )
    stmt = (
        select(Post.author_id, Topic.community_id, func.count(Topic.id), func.max(Topic.id))
        .select_from(Topic)
        .join(Post, Post.id == first_reply)
        .where(
            Topic.deleted_at.is_(None),
            Topic.author_id.is_not(None),
            ~exists().where(
                earlier.community_id == Topic.community_id,
                earlier.author_id == Topic.author_id,
                earlier.id < Topic.id,
            ),
        )
        .group_by(Post.author_id, Topic.community_id)
    )
    if user_id is not None:
        # live awarding asks for one member: start from the topics they posted in (an
        # index search) rather than every topic of the community (a scan that grows)
        mine = aliased(Post)
        stmt = stmt.where(Topic.id.in_(select(mine.topic_id).where(mine.author_id == user_id)))
    return _where(stmt, Post.author_id, Topic.community_id, user_id, community_id)


# --- meetings -------------------------------------------------------------------


def _present() -> Any:
    return and_(
        Attendance.excused.is_(False),
        Attendance.checked_in_at.is_not(None),
        Meeting.status != "cancelled",
    )


@metric
def meetings_attended(user_id: int | None, community_id: int | None) -> Any:
    """Meetings (not cancelled) the user was present at."""
    stmt = (
        select(
            Attendance.user_id, Meeting.community_id, func.count(Meeting.id), func.max(Meeting.id)
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(_present())
        .group_by(Attendance.user_id, Meeting.community_id)
    )
    return _where(stmt, Attendance.user_id, Meeting.community_id, user_id, community_id)


@metric
def attendance_streak(user_id: int | None, community_id: int | None) -> Any:
    """The longest run of the community's held meetings the user attended in a row.

    A held meeting is one that was not cancelled and that somebody attended; they
    are numbered in the order they took place, and a run is a gaps-and-islands
    group of consecutive numbers.
    """
    held_where = [
        Meeting.status != "cancelled",
        exists().where(
            Attendance.meeting_id == Meeting.id,
            Attendance.excused.is_(False),
            Attendance.checked_in_at.is_not(None),
        ),
    ]
    if community_id is not None:
        held_where.append(Meeting.community_id == community_id)
    held = (
        select(
            Meeting.id.label("meeting_id"),
            Meeting.community_id.label("community_id"),
            func.row_number()
            .over(partition_by=Meeting.community_id, order_by=(Meeting.starts_at, Meeting.id))
            .label("seq"),
        )
        .where(*held_where)
        .subquery()
    )
    attended = (
        select(
            Attendance.user_id.label("user_id"),
            held.c.community_id,
            held.c.meeting_id,
            (
                held.c.seq
                - func.row_number().over(
                    partition_by=(Attendance.user_id, held.c.community_id), order_by=held.c.seq
                )
            ).label("grp"),
        )
        .join(held, held.c.meeting_id == Attendance.meeting_id)
        .where(Attendance.excused.is_(False), Attendance.checked_in_at.is_not(None))
    )
    if user_id is not None:
        attended = attended.where(Attendance.user_id == user_id)
    att = attended.subquery()
    runs = (
        select(
            att.c.user_id,
            att.c.community_id,
            func.count().label("n"),
            func.max(att.c.meeting_id).label("last"),
        )
        .group_by(att.c.user_id, att.c.community_id, att.c.grp)
        .subquery()
    )
    return select(
        runs.c.user_id, runs.c.community_id, func.max(runs.c.n), func.max(runs.c.last)
    ).group_by(runs.c.user_id, runs.c.community_id)


@metric
def presentations(user_id: int | None, community_id: int | None) -> Any:
    """Meetings where the user presented an agenda item and was present."""
    stmt = (
        select(
            AgendaItem.presenter_id,
            Meeting.community_id,
            func.count(distinct(Meeting.id)),
            func.max(Meeting.id),
        )
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(
            Attendance,
            and_(
                Attendance.meeting_id == Meeting.id, Attendance.user_id == AgendaItem.presenter_id
            ),
        )
        .where(_present())
        .group_by(AgendaItem.presenter_id, Meeting.community_id)
    )
    return _where(stmt, AgendaItem.presenter_id, Meeting.community_id, user_id, community_id)


@metric
def minutes_written(user_id: int | None, community_id: int | None) -> Any:
    """Published minutes (of meetings not cancelled) the user wrote a version of."""
    stmt = (
        select(
            MinutesRevision.author_id,
            Meeting.community_id,
            func.count(distinct(Minutes.id)),
            func.max(Meeting.id),
        )
        .join(Minutes, Minutes.id == MinutesRevision.minutes_id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(
            Minutes.published.is_(True),
            Meeting.status != "cancelled",
            MinutesRevision.author_id.is_not(None),
        )
        .group_by(MinutesRevision.author_id, Meeting.community_id)
    )
    return _where(stmt, MinutesRevision.author_id, Meeting.community_id, user_id, community_id)


@metric
def action_items_done(user_id: int | None, community_id: int | None) -> Any:
    """Action items assigned to the user and ticked off as done."""
    stmt = (
        select(
            ActionItem.assignee_id,
            ActionItem.community_id,
            func.count(ActionItem.id),
            func.max(ActionItem.id),
        )
        .where(ActionItem.done.is_(True), ActionItem.assignee_id.is_not(None))
        .group_by(ActionItem.assignee_id, ActionItem.community_id)
    )
    return _where(stmt, ActionItem.assignee_id, ActionItem.community_id, user_id, community_id)


# --- resources ------------------------------------------------------------------


@metric
def resources_shared(user_id: int | None, community_id: int | None) -> Any:
    """Resources the user shared in the community (not hidden by a moderator)."""
    stmt = (
        select(
            Resource.uploader_id,
            Resource.community_id,
            func.count(Resource.id),
            func.max(Resource.id),
        )
        .where(
            Resource.hidden.is_(False),
            Resource.community_id.is_not(None),
            Resource.uploader_id.is_not(None),
        )
        .group_by(Resource.uploader_id, Resource.community_id)
    )
    return _where(stmt, Resource.uploader_id, Resource.community_id, user_id, community_id)


@metric
def resources_used(user_id: int | None, community_id: int | None, *, users: int) -> Any:
    """The user's resources that at least ``users`` other members downloaded."""
    used = (
        select(
            ResourceDownload.resource_id, func.count(distinct(ResourceDownload.user_id)).label("n")
        )
        .join(Resource, Resource.id == ResourceDownload.resource_id)
        .where(
            ResourceDownload.user_id.is_not(None), ResourceDownload.user_id != Resource.uploader_id
        )
        .group_by(ResourceDownload.resource_id)
        .subquery()
    )
    stmt = (
        select(
            Resource.uploader_id,
            Resource.community_id,
            func.count(Resource.id),
            func.max(Resource.id),
        )
        .join(used, used.c.resource_id == Resource.id)
        .where(Resource.hidden.is_(False), Resource.community_id.is_not(None), used.c.n >= users)
        .group_by(Resource.uploader_id, Resource.community_id)
    )
    return _where(stmt, Resource.uploader_id, Resource.community_id, user_id, community_id)


@metric
def resources_liked(user_id: int | None, community_id: int | None, *, likes: int) -> Any:
    """The user's resources that at least ``likes`` other members liked."""
    liked = (
        select(ResourceLike.resource_id, func.count(ResourceLike.id).label("n"))
        .join(Resource, Resource.id == ResourceLike.resource_id)
        .where(ResourceLike.user_id != Resource.uploader_id)
        .group_by(ResourceLike.resource_id)
        .subquery()
    )
    stmt = (
        select(
            Resource.uploader_id,
            Resource.community_id,
            func.count(Resource.id),
            func.max(Resource.id),
        )
        .join(liked, liked.c.resource_id == Resource.id)
        .where(Resource.hidden.is_(False), Resource.community_id.is_not(None), liked.c.n >= likes)
        .group_by(Resource.uploader_id, Resource.community_id)
    )
    return _where(stmt, Resource.uploader_id, Resource.community_id, user_id, community_id)


# --- community ------------------------------------------------------------------


@metric
def membership_years(user_id: int | None, community_id: int | None, *, years: int) -> Any:
    """1 when the user has been an active member for at least ``years`` years."""
    cutoff = utcnow() - timedelta(days=365 * years)
    joined = func.coalesce(Membership.joined_at, Membership.created_at)
    stmt = select(Membership.user_id, Membership.community_id, literal(1), Membership.id).where(
        Membership.status == "active", joined <= cutoff
    )
    return _where(stmt, Membership.user_id, Membership.community_id, user_id, community_id)


@metric
def leads_community(user_id: int | None, community_id: int | None) -> Any:
    """1 when the user is one of the community's coordinators or moderators."""
    stmt = select(Membership.user_id, Membership.community_id, literal(1), Membership.id).where(
        Membership.status == "active", Membership.role.in_(("moderator", "coordinator"))
    )
    return _where(stmt, Membership.user_id, Membership.community_id, user_id, community_id)


# The learning cycles' metrics register themselves in METRICS when imported.
from cop.badges import cycle_metrics as _cycle_metrics  # noqa: E402,F401
