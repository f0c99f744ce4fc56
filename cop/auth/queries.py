"""Read helpers for account pages: public profiles and API token lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop.auth.models import ApiToken, User
from cop.communities import queries as community_queries
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.extensions import db


def active_user_by_username(username: str) -> User | None:
    """The active account with this @handle (case-insensitive), else None."""
    handle = username.strip().lower().lstrip("@")
    return db.session.scalar(select(User).where(User.username == handle, User.active.is_(True)))


def profile_memberships(user: User, viewer: Any) -> list[Membership]:
    """``user``'s active memberships in communities whose members ``viewer`` may see.

    A membership of a private or hidden community is only shown to people who
    may see that community's member list, so a profile does not leak it.
    """
    rows = list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.community))
            .join(Community)
            .where(Membership.user_id == user.id, Membership.status == "active")
            .order_by(Community.name)
        ).all()
    )
    # Load the viewer's own memberships in one query before asking the policy.
    community_queries.memberships_of(viewer, [m.community for m in rows])
    return [m for m in rows if permissions.can(viewer, "community.view_members", m.community)]


def tokens_of(user: User) -> list[ApiToken]:
    """The user's API tokens: active ones first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
            )
        ).all()
    )
