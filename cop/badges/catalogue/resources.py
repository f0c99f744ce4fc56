"""The resources badges (thresholds and anchors: docs/recognition.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cop.badges.catalogue.badge import Badge, define

BADGES: tuple[Badge, ...] = (
    define(
        "first-share",
        _l("First share"),
        _l("Shared a teaching resource with the community."),
        "bronze",
        "resources",
        "resources_shared",
        1,
        "resource",
        "no anchor",
    ),
    define(
        "contributor",
        _l("Contributor"),
        _l("Shared 10 teaching resources."),
        "silver",
        "resources",
        "resources_shared",
        10,
        "resource",
        "no anchor",
    ),
    define(
        "useful",
        _l("Useful material"),
        _l("A resource that 5 colleagues downloaded (each counts)."),
        "bronze",
        "resources",
        "resources_used",
        1,
        "resource",
        "no anchor",
        repeatable=True,
        users=5,
    ),
    define(
        "popular",
        _l("Popular material"),
        _l("A resource that 20 colleagues downloaded."),
        "silver",
        "resources",
        "resources_used",
        1,
        "resource",
        "no anchor",
        users=20,
    ),
    define(
        "library-builder",
        _l("Library builder"),
        _l("10 resources that each at least 3 colleagues downloaded."),
        "gold",
        "resources",
        "resources_used",
        10,
        "resource",
        "no anchor",
        users=3,
    ),
    define(
        "liked-material",
        _l("Liked material"),
        _l("A resource that 5 colleagues liked."),
        "bronze",
        "resources",
        "resources_liked",
        1,
        "resource",
        "no anchor",
        likes=5,
    ),
)
