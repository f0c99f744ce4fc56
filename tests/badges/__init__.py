"""Recognition tests: helpers to build history directly and to read awards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cop.badges.models import Award
from cop.extensions import db


def held(app: Any, user_id: int | None = None, slug: str | None = None) -> list[tuple[Any, ...]]:
    """(user_id, badge_slug, community_id, count) of active awards, sorted."""
    with app.app_context():
        stmt = select(Award.user_id, Award.badge_slug, Award.community_id, Award.count).where(
            Award.revoked_at.is_(None)
        )
        if user_id is not None:
            stmt = stmt.where(Award.user_id == user_id)
        if slug is not None:
            stmt = stmt.where(Award.badge_slug == slug)
        return sorted(tuple(r) for r in db.session.execute(stmt).all())


def slugs(app: Any, user_id: int) -> set[str]:
    """The badge slugs a user holds (active)."""
    return {row[1] for row in held(app, user_id)}
