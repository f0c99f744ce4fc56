"""JSON shapes of recognition (the API): badges, awards, leaderboard entries."""

from __future__ import annotations

from typing import Any

from cop.badges.catalogue import Badge
from cop.badges.points import Entry
from cop.badges.queries import Held
from cop.core.types import iso
from cop.core.urls import external_url


def badge_json(badge: Badge) -> dict[str, Any]:
    """A badge of the catalogue, in the caller's language."""
    return {
        "slug": badge.slug,
        "name": str(badge.name),
        "description": str(badge.description),
        "tier": badge.tier,
        "family": badge.family,
        "repeatable": badge.repeatable,
        "threshold": badge.threshold,
        "image_url": external_url("badges.image", badge_slug=badge.slug),
    }


def award_json(held: Held) -> dict[str, Any]:
    """An award: ``{badge: {slug, name, tier}, awarded_at, reason, assertion_url, ...}``."""
    award, badge = held.award, held.badge
    return {
        "id": award.id,
        "badge": {"slug": badge.slug, "name": str(badge.name), "tier": badge.tier},
        "community": {"slug": award.community.slug, "name": award.community.name},
        "awarded_at": iso(award.awarded_at),
        "reason": str(badge.description),
        "count": award.count,
        "private": award.private,
        "assertion_url": external_url("badges.assertion", award_id=award.id),
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    """A leaderboard line: ``{user: {id, name}, points, rank}``."""
    return {
        "user": {"id": entry.user_id, "name": entry.name},
        "points": entry.points,
        "rank": entry.rank,
    }
