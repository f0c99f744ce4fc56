"""Reading awards and points for pages and the API (visibility decided by the policy's twin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.badges import catalogue, points
from cop.badges.catalogue import Badge
from cop.badges.metrics import meetings_attended
from cop.badges.models import Award
from cop.communities.models import Community
from cop.core import permissions
from cop.core.types import utcnow
from cop.extensions import db

#: holders listed on a badge's page
HOLDERS_LIMIT = 100


@dataclass(frozen=True)
class Held:
    """An award with its badge."""

    award: Award
    badge: Badge


def _held(rows: list[Award]) -> list[Held]:
    out = []
    for award in rows:
        badge = catalogue.get(award.badge_slug)
        if badge is not None:
            out.append(Held(award, badge))
    return out


def user_awards(user: User, viewer: Any) -> list[Held]:
    """The user's awards ``viewer`` may see, not revoked, newest first (one query)."""
    rows = db.session.scalars(
        select(Award)
        .options(joinedload(Award.community))
        .where(
            Award.user_id == user.id,
            Award.revoked_at.is_(None),
            permissions.award_visible_filter(viewer),
        )
        .order_by(Award.awarded_at.desc(), Award.id.desc())
    ).all()
    return _held(list(rows))


def by_tier(held: list[Held]) -> list[tuple[str, list[Held]]]:
    """Awards grouped gold, silver, bronze (empty tiers left out)."""
    groups = [
        (tier, [h for h in held if h.badge.tier == tier]) for tier in reversed(catalogue.TIERS)
    ]
    return [(tier, items) for tier, items in groups if items]


def holders(badge: Badge, viewer: Any, limit: int = HOLDERS_LIMIT) -> list[Award]:
    """Who holds ``badge`` in communities ``viewer`` may see, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Award)
            .options(joinedload(Award.user), joinedload(Award.community))
            .join(User, User.id == Award.user_id)
            .where(
                Award.badge_slug == badge.slug,
                Award.revoked_at.is_(None),
                User.active.is_(True),
                permissions.award_visible_filter(viewer),
            )
            .order_by(Award.awarded_at.desc(), Award.id.desc())
            .limit(limit)
        ).all()
    )


def holder_counts(viewer: Any) -> dict[str, int]:
    """How many visible awards each badge has (one query)."""
    rows = db.session.execute(
        select(Award.badge_slug, func.count(Award.id))
        .where(Award.revoked_at.is_(None), permissions.award_visible_filter(viewer))
        .group_by(Award.badge_slug)
    ).all()
    return {slug: int(n) for slug, n in rows}


@dataclass(frozen=True)
class CommunityStanding:
    """A member's points and meetings in one community, for their profile."""

    community: Community
    semester: int
    total: int
    meetings: int


def standings(user: User, communities: list[Community]) -> list[CommunityStanding]:
    """Points (this semester, all time) and meetings attended per community (two queries)."""
    if not communities:
        return []
    scored = points.member_points(user.id, now=utcnow())
    attended = {
        row[1]: int(row[2]) for row in db.session.execute(meetings_attended(user.id, None)).all()
    }
    return [
        CommunityStanding(
            c, scored.get(c.id, (0, 0))[0], scored.get(c.id, (0, 0))[1], attended.get(c.id, 0)
        )
        for c in communities
    ]


def subject_url(award: Award) -> str | None:
    """Where the thing that earned the award lives (a path), when it has a page."""
    if award.subject_id is None:
        return None
    paths = {
        "post": f"/p/{award.subject_id}",
        "topic": f"/t/{award.subject_id}",
        "meeting": f"/meetings/{award.subject_id}",
        "resource": f"/resources/{award.subject_id}",
        "action_item": None,
        "membership": None,
        "lesson_study": f"/lesson-studies/{award.subject_id}",
        "ptk": f"/ptk/{award.subject_id}",
        "mentoring": None,  # private to the pair
    }
    return paths.get(award.subject_type)


def active_user(user_id: int) -> User | None:
    """An active account by id (deactivated ones are not shown)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None
