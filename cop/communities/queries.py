"""Read helpers for communities: the directory, my communities, member lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.core.pagination import Page, SortKey, keyset_page
from cop.core.types import utcnow
from cop.extensions import db


@dataclass
class DirectoryFilters:
    """What the directory can be narrowed by."""

    q: str = ""
    kind: str = ""
    subject: str = ""
    level: str = ""
    region: str = ""


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def directory(
    viewer: Any, filters: DirectoryFilters, *, cursor: str | None, limit: int
) -> Page[Community]:
    """Communities the viewer may see listed, filtered, by name (keyset-paged)."""
    stmt = select(Community).where(permissions.visible_community_filter(viewer))
    if filters.kind:
        stmt = stmt.where(Community.kind == filters.kind)
    if filters.level:
        stmt = stmt.where(Community.level == filters.level)
    if filters.subject:
        stmt = stmt.where(Community.subject.ilike(_like(filters.subject.strip()), escape="\\"))
    if filters.region:
        pattern = _like(filters.region.strip())
        stmt = stmt.where(
            or_(
                Community.province.ilike(pattern, escape="\\"),
                Community.city.ilike(pattern, escape="\\"),
            )
        )
    if filters.q:
        pattern = _like(filters.q.strip())
        stmt = stmt.where(
            or_(
                Community.name.ilike(pattern, escape="\\"),
                Community.description.ilike(pattern, escape="\\"),
                Community.subject.ilike(pattern, escape="\\"),
            )
        )
    return keyset_page(
        stmt,
        [SortKey(Community.name), SortKey(Community.id)],
        cursor=cursor,
        limit=limit,
        key_of=lambda c: (c.name, c.id),
    )


def memberships_of(user: Any, communities: list[Community]) -> dict[int, Membership]:
    """The viewer's membership in each listed community, in one query."""
    if not getattr(user, "is_authenticated", False) or not communities:
        return {}
    rows = db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.community_id.in_([c.id for c in communities]),
        )
    ).all()
    permissions.prime_memberships(user, list(rows))
    return {m.community_id: m for m in rows}


def my_memberships(user: Any) -> list[Membership]:
    """The user's active and pending memberships with their communities (one query)."""
    rows = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.community))
        .join(Community)
        .where(Membership.user_id == user.id, Membership.status.in_(("active", "pending")))
        .order_by(Community.name)
    ).all()
    permissions.prime_memberships(user, list(rows))
    return list(rows)


_ROLE_ORDER = case(
    (Membership.role == "coordinator", 0), (Membership.role == "moderator", 1), else_=2
)


def leaders(community: Community) -> list[Membership]:
    """Coordinators and moderators, coordinators first."""
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(
                Membership.community_id == community.id,
                Membership.status == "active",
                Membership.role.in_(("coordinator", "moderator")),
            )
            .order_by(_ROLE_ORDER, Membership.id)
        ).all()
    )


def members(
    community: Community, *, status: str = "active", cursor: str | None, limit: int
) -> Page[Membership]:
    """Memberships with the given status, oldest first, users loaded (keyset-paged)."""
    stmt = (
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.community_id == community.id, Membership.status == status)
    )
    return keyset_page(
        stmt, [SortKey(Membership.id)], cursor=cursor, limit=limit, key_of=lambda m: (m.id,)
    )


def pending_count(community: Community) -> int:
    """How many requests to join wait for a coordinator."""
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.community_id == community.id, Membership.status == "pending"
            )
        )
        or 0
    )


def subjects_and_regions() -> tuple[list[str], list[str]]:
    """Distinct subjects and provinces of listed communities, for filter dropdowns."""
    # What the directory lists to everyone: the same for every viewer, and no
    # hidden community's subject or region leaks through a dropdown.
    listed = permissions.visible_community_filter(None)
    subjects = db.session.scalars(
        select(Community.subject)
        .where(Community.subject != "", listed)
        .distinct()
        .order_by(Community.subject)
    ).all()
    provinces = db.session.scalars(
        select(Community.province)
        .where(Community.province != "", listed)
        .distinct()
        .order_by(Community.province)
    ).all()
    return list(subjects), list(provinces)


def recent_duplicate(creator: Any, name: str, window: timedelta) -> Community | None:
    """A community ``creator`` made with exactly this name within ``window`` (a double submit)."""
    return db.session.scalar(
        select(Community)
        .where(
            Community.created_by_id == creator.id,
            Community.name == name.strip(),
            Community.created_at >= utcnow() - window,
        )
        .order_by(Community.id.desc())
        .limit(1)
    )


def by_invite_token(token: str) -> Community | None:
    """The community whose current invite link carries ``token``."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Community).where(Community.invite_token == token))


#: built once: the header asks it on every page of a logged-in member
_JOIN_REQUESTS_WAITING = (
    select(Community.slug, func.count(Membership.id))
    .join(Membership, Membership.community_id == Community.id)
    .where(
        Membership.status == "pending",
        Community.id.in_(
            select(Membership.community_id).where(
                Membership.user_id == bindparam("user_id"),
                Membership.status == "active",
                Membership.role == "coordinator",
            )
        ),
    )
    .group_by(Community.slug)
    .order_by(func.count(Membership.id).desc())
)


def join_requests_waiting(user: User) -> tuple[int, str | None]:
    """Requests to join the communities ``user`` coordinates: how many, and the slug of
    the community with the most of them (the header's count links there)."""
    rows = db.session.execute(_JOIN_REQUESTS_WAITING, {"user_id": user.id}).all()
    return sum(n for _slug, n in rows), (rows[0][0] if rows else None)


def members_url(community: Community) -> str:
    """The members page (a path: also outside requests, e.g. from the CLI's demo)."""
    return f"/c/{community.slug}/members"


def home_url(community: Community) -> str:
    """The community's home page (a path, like ``members_url``)."""
    return f"/c/{community.slug}"
