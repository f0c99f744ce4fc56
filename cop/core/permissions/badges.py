"""Recognition rules: who sees an award, its verification, a leaderboard.

The target of ``award.*`` is an Award (cop.badges.models); of
``leaderboard.*`` a Community. An award is seen by its earner and site admins;
by others when the earner has not made it private, it is not revoked, and they
may see the content of its community. Its Open Badges verification is public
unless it is private (a revoked one answers 410 with the reason).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from cop.badges.models import Award, LeaderboardSetting
from cop.communities.models import Community
from cop.core.permissions.base import (
    _has_role,
    _is_user,
    admin_sql,
    is_admin,
    is_self_sql,
    register,
)
from cop.core.permissions.communities import _community_view_content, community_content_filter
from cop.extensions import db


def _is_earner(user: Any, award: Any) -> bool:
    return _is_user(user) and user.id == award.user_id


def _award_view(user: Any, award: Any) -> bool:
    """The earner and admins always; others: not private, not revoked, community content seen."""
    return (
        _is_earner(user, award)
        or is_admin(user)
        or (
            not award.private
            and award.revoked_at is None
            and _community_view_content(user, award.community)
        )
    )


def award_visible_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``award.view``: the awards ``user`` may see (profiles, badge pages, API)."""
    return or_(
        is_self_sql(user, Award.user_id),
        admin_sql(user),
        and_(
            Award.private.is_(False),
            Award.revoked_at.is_(None),
            Award.community_id.in_(select(Community.id).where(community_content_filter(user))),
        ),
    )


def _award_verify(user: Any, award: Any) -> bool:
    """The Open Badges assertion and its page: public, unless the earner made it private."""
    return not award.private or _is_earner(user, award)


def _award_manage(user: Any, award: Any) -> bool:
    """Make an award private or public again: its earner."""
    return _is_earner(user, award)


def leaderboard_hidden(community: Community) -> bool:
    """Whether the coordinators hid the community's leaderboard from members."""
    return bool(
        db.session.scalar(
            select(LeaderboardSetting.hidden).where(LeaderboardSetting.community_id == community.id)
        )
    )


def _leaderboard_view(user: Any, community: Any) -> bool:
    """Who sees the community's content; when hidden, its coordinators and admins only."""
    return (
        not leaderboard_hidden(community)
        or is_admin(user)
        or _has_role(user, community, "coordinator")
    )


def _leaderboard_manage(user: Any, community: Any) -> bool:
    """Hide or show the leaderboard: the community's coordinators (and admins)."""
    return is_admin(user) or _has_role(user, community, "coordinator")


register(
    {
        "award.view": (_award_view, None),
        "award.verify": (_award_verify, None),
        "award.manage": (_award_manage, "award.view"),
        "leaderboard.view": (_leaderboard_view, "community.view_content"),
        "leaderboard.manage": (_leaderboard_manage, "community.view_content"),
    },
    {"award.view", "award.verify"},
)
