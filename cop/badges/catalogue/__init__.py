"""The badge catalogue: every badge as data (docs/recognition.md lists them with the anchors).

A badge is decided by ONE metric of cop/badges/metrics.py (with its parameters)
and a threshold: a member holds it in a community when the metric's value for
them there reaches the threshold. A repeatable badge counts how many times it is
held (``value // threshold``); the others are held once.
``family`` says which events re-evaluate it (see cop/badges/handlers.py).
"""

from __future__ import annotations

from cop.badges.catalogue import community, cycles, discussions, meetings, resources
from cop.badges.catalogue.badge import FAMILIES, TIERS, Badge

BADGES: tuple[Badge, ...] = (
    meetings.BADGES + discussions.BADGES + resources.BADGES + cycles.BADGES + community.BADGES
)
BY_SLUG: dict[str, Badge] = {badge.slug: badge for badge in BADGES}


def get(slug: str) -> Badge | None:
    """The badge with this slug, or None."""
    return BY_SLUG.get(slug)


def of_family(*families: str) -> list[Badge]:
    """The badges re-evaluated by events of these families."""
    return [badge for badge in BADGES if badge.family in families]


__all__ = ["BADGES", "BY_SLUG", "FAMILIES", "TIERS", "Badge", "get", "of_family"]
