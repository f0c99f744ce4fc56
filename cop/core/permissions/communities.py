"""Community rules, each "can see" rule beside its SQL listing twin.

Visibility: public (everyone sees everything), private (everyone sees the
front page, active members the content, joining needs approval), hidden
(invite only: members see it, nobody else knows it exists).

Status (cop.communities.models.COMMUNITY_STATUSES): only an ``active`` community
is shown by its visibility; one waiting for approval, rejected or archived is
seen like a hidden one (its members and site admins). Members of an archived
community read it; nobody writes in it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from cop.communities.models import Community
from cop.core.permissions.base import (
    _has_role,
    _is_user,
    admin_sql,
    has_role_sql,
    is_admin,
    membership_of,
    register,
)

#: visibilities whose front page anyone may see (and find in the directory)
LISTED = ("public", "private")


def _community_view(user: Any, community: Community) -> bool:
    """The front page: anyone for active public and private ones, members for the rest."""
    return (
        is_admin(user)
        or (community.status == "active" and community.visibility in LISTED)
        or _has_role(user, community, "member")
    )


def visible_community_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``community.view``: the communities listed to ``user`` in directories."""
    return or_(
        admin_sql(user),
        and_(Community.status == "active", Community.visibility.in_(LISTED)),
        has_role_sql(user, Community.id, "member"),
    )


def _community_view_content(user: Any, community: Community) -> bool:
    """Members, discussions, files: active public ones to all, otherwise active members."""
    return (
        is_admin(user)
        or (community.status == "active" and community.visibility == "public")
        or _has_role(user, community, "member")
    )


def community_content_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``community.view_content``: the communities whose content ``user`` sees."""
    return or_(
        admin_sql(user),
        and_(Community.status == "active", Community.visibility == "public"),
        has_role_sql(user, Community.id, "member"),
    )


def _community_join(user: Any, community: Community) -> bool:
    """Join or request to join: public and private communities, not when banned or in."""
    if not _is_user(user) or community.visibility == "hidden" or community.status != "active":
        return False
    membership = membership_of(user, community)
    return membership is None


def _community_leave(user: Any, community: Community) -> bool:
    """Leave (or withdraw a request); banned members cannot leave their ban."""
    membership = membership_of(user, community)
    return bool(membership and membership.status in ("active", "pending"))


def _community_participate(user: Any, community: Community) -> bool:
    """Post, chat, RSVP, share: active members whose email address is confirmed, while
    the community is not archived (its coordinators may prepare it while it waits for
    approval)."""
    return (
        community.status != "archived"
        and _has_role(user, community, "member")
        and (getattr(user, "email_confirmed_at", None) is not None or is_admin(user))
    )


def _community_review(user: Any, community: Community) -> bool:
    """Approve, reject, archive or restore a community: site admins."""
    return is_admin(user)


def _community_moderate(user: Any, community: Community) -> bool:
    """Moderators and coordinators (and site admins)."""
    return is_admin(user) or _has_role(user, community, "moderator")


def _community_manage(user: Any, community: Community) -> bool:
    """Edit the community, set roles, approve, ban: coordinators (and site admins)."""
    return is_admin(user) or _has_role(user, community, "coordinator")


register(
    {
        "community.view": (_community_view, None),
        "community.view_content": (_community_view_content, "community.view"),
        "community.view_members": (_community_view_content, "community.view"),
        "community.join": (_community_join, "community.view"),
        "community.leave": (_community_leave, "community.view"),
        "community.participate": (_community_participate, "community.view_content"),
        "community.moderate": (_community_moderate, "community.view_content"),
        "community.manage": (_community_manage, "community.view_content"),
        "community.invite": (_community_manage, "community.view_content"),
        "community.review": (_community_review, None),
    },
    {"community.view", "community.view_content", "community.view_members"},
)
