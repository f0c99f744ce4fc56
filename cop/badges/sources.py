"""Where points come from: one SQL query per scored kind over the features' tables.

Each source yields the actions of its kind that score *now*:
``(community_id, user_id, subject_id, other_id, occurred_at)``, and names the
columns to filter it by community and by subject (the post, topic, meeting,
action item or resource the action is about). Nothing done to one's own
content scores; deleted, hidden and cancelled things score nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from cop.discussions.models import Post, Reaction, Topic
from cop.meetings.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes
from cop.resources.models import Resource, ResourceDownload, ResourceLike


def _visible_post(post: Any = Post) -> Any:
    return and_(post.deleted_at.is_(None), post.hidden_at.is_(None), Topic.deleted_at.is_(None))


def _present() -> Any:
    return and_(
        Attendance.excused.is_(False),
        Attendance.checked_in_at.is_not(None),
        Meeting.status != "cancelled",
    )


def _src_post_liked() -> tuple[Any, Any, Any]:
    stmt = (
        select(Topic.community_id, Post.author_id, Post.id, Reaction.user_id, Reaction.created_at)
        .join(Post, Post.id == Reaction.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Reaction.kind == "like", Reaction.user_id != Post.author_id, _visible_post())
    )
    return stmt, Topic.community_id, Post.id


def _src_post() -> tuple[Any, Any, Any]:
    stmt = (
        select(Topic.community_id, Post.author_id, Post.id, Post.id, Post.created_at)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.author_id.is_not(None), _visible_post())
    )
    return stmt, Topic.community_id, Post.id


def _src_solution() -> tuple[Any, Any, Any]:
    stmt = (
        select(Topic.community_id, Post.author_id, Topic.id, Post.id, Post.created_at)
        .join(Post, Post.id == Topic.solution_post_id)
        .where(
            _visible_post(),
            Post.author_id.is_not(None),
            or_(Topic.author_id.is_(None), Topic.author_id != Post.author_id),
        )
    )
    return stmt, Topic.community_id, Topic.id


def _src_welcome() -> tuple[Any, Any, Any]:
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
        select(Topic.community_id, Post.author_id, Topic.id, Post.id, Post.created_at)
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
    )
    return stmt, Topic.community_id, Topic.id


def _src_attended() -> tuple[Any, Any, Any]:
    stmt = (
        select(
            Meeting.community_id,
            Attendance.user_id,
            Meeting.id,
            Attendance.user_id,
            Attendance.checked_in_at,
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(_present())
    )
    return stmt, Meeting.community_id, Meeting.id


def _src_presented() -> tuple[Any, Any, Any]:
    stmt = (
        select(
            Meeting.community_id,
            AgendaItem.presenter_id,
            Meeting.id,
            AgendaItem.id,
            Meeting.starts_at,
        )
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(
            Attendance,
            and_(
                Attendance.meeting_id == Meeting.id, Attendance.user_id == AgendaItem.presenter_id
            ),
        )
        .where(_present())
    )
    return stmt, Meeting.community_id, Meeting.id


def _src_minutes() -> tuple[Any, Any, Any]:
    stmt = (
        select(
            Meeting.community_id,
            Minutes.updated_by_id,
            Meeting.id,
            Minutes.id,
            Minutes.published_at,
        )
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(
            Minutes.published.is_(True),
            Minutes.updated_by_id.is_not(None),
            Minutes.published_at.is_not(None),
            Meeting.status != "cancelled",
        )
    )
    return stmt, Meeting.community_id, Meeting.id


def _src_action_done() -> tuple[Any, Any, Any]:
    stmt = select(
        ActionItem.community_id,
        ActionItem.assignee_id,
        ActionItem.id,
        ActionItem.id,
        func.coalesce(ActionItem.done_at, ActionItem.created_at),
    ).where(ActionItem.done.is_(True), ActionItem.assignee_id.is_not(None))
    return stmt, ActionItem.community_id, ActionItem.id


def _src_resource_shared() -> tuple[Any, Any, Any]:
    stmt = select(
        Resource.community_id, Resource.uploader_id, Resource.id, Resource.id, Resource.created_at
    ).where(
        Resource.hidden.is_(False),
        Resource.community_id.is_not(None),
        Resource.uploader_id.is_not(None),
    )
    return stmt, Resource.community_id, Resource.id


def _src_resource_used() -> tuple[Any, Any, Any]:
    stmt = (
        select(
            Resource.community_id,
            Resource.uploader_id,
            Resource.id,
            ResourceDownload.user_id,
            func.min(ResourceDownload.created_at),
        )
        .join(Resource, Resource.id == ResourceDownload.resource_id)
        .where(
            Resource.hidden.is_(False),
            Resource.community_id.is_not(None),
            Resource.uploader_id.is_not(None),
            ResourceDownload.user_id.is_not(None),
            ResourceDownload.user_id != Resource.uploader_id,
        )
        .group_by(
            Resource.community_id, Resource.uploader_id, Resource.id, ResourceDownload.user_id
        )
    )
    return stmt, Resource.community_id, Resource.id


def _src_resource_liked() -> tuple[Any, Any, Any]:
    stmt = (
        select(
            Resource.community_id,
            Resource.uploader_id,
            Resource.id,
            ResourceLike.user_id,
            ResourceLike.created_at,
        )
        .join(Resource, Resource.id == ResourceLike.resource_id)
        .where(
            Resource.hidden.is_(False),
            Resource.community_id.is_not(None),
            Resource.uploader_id.is_not(None),
            ResourceLike.user_id != Resource.uploader_id,
        )
    )
    return stmt, Resource.community_id, Resource.id


SOURCES = {
    "post_liked": _src_post_liked,
    "post": _src_post,
    "solution": _src_solution,
    "welcome": _src_welcome,
    "attended": _src_attended,
    "presented": _src_presented,
    "minutes": _src_minutes,
    "action_done": _src_action_done,
    "resource_shared": _src_resource_shared,
    "resource_used": _src_resource_used,
    "resource_liked": _src_resource_liked,
}
#: the kinds each family of events may change
FAMILY_KINDS = {
    "discussions": ("post_liked", "post", "solution", "welcome"),
    "meetings": ("attended", "presented", "minutes", "action_done"),
    "resources": ("resource_shared", "resource_used", "resource_liked"),
}
