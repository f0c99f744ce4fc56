"""The community badges (thresholds and anchors: docs/recognition.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cop.badges.catalogue.badge import Badge, define

BADGES: tuple[Badge, ...] = (
    define(
        "anniversary",
        _l("Anniversary"),
        _l("A member for a year."),
        "bronze",
        "community",
        "membership_years",
        1,
        "membership",
        "Discourse Anniversary: 1 year",
        years=1,
    ),
    define(
        "veteran",
        _l("Veteran"),
        _l("A member for three years."),
        "silver",
        "community",
        "membership_years",
        1,
        "membership",
        "no anchor",
        years=3,
    ),
    define(
        "officer",
        _l("Officer"),
        _l("Serves as a coordinator or moderator of the community."),
        "silver",
        "community",
        "leads_community",
        1,
        "membership",
        "no anchor",
    ),
)
