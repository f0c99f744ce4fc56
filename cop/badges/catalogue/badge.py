"""One badge of the catalogue, and the shorthand the family modules define them with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TIERS = ("bronze", "silver", "gold")
FAMILIES = ("discussions", "meetings", "resources", "cycles", "community")


@dataclass(frozen=True)
class Badge:
    """One badge of the catalogue."""

    slug: str
    name: Any
    description: Any
    tier: str
    family: str
    metric: str
    threshold: int
    subject_type: str
    params: dict[str, int] = field(default_factory=dict)
    repeatable: bool = False
    #: the anchor's number (Discourse, Stack Exchange) beside cop's, for the docs
    anchor: str = ""

    def times(self, value: int) -> int:
        """How many times a metric value earns the badge (0: not held)."""
        if value < self.threshold:
            return 0
        return value // self.threshold if self.repeatable else 1


def define(
    slug: str,
    name: Any,
    description: Any,
    tier: str,
    family: str,
    metric: str,
    threshold: int,
    subject_type: str,
    anchor: str = "",
    repeatable: bool = False,
    **params: int,
) -> Badge:
    return Badge(
        slug,
        name,
        description,
        tier,
        family,
        metric,
        threshold,
        subject_type,
        dict(params),
        repeatable,
        anchor,
    )
