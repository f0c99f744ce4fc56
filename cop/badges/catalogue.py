"""The badge catalogue: every badge as data (docs/recognition.md lists them with the anchors).

A badge is decided by ONE metric of cop/badges/metrics.py (with its parameters)
and a threshold: a member holds it in a community when the metric's value for
them there reaches the threshold. A repeatable badge counts how many times it is
held (``value // threshold``); the others are held once.
``family`` says which events re-evaluate it (see cop/badges/handlers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

TIERS = ("bronze", "silver", "gold")
FAMILIES = ("discussions", "meetings", "resources", "community")


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


def _b(
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


BADGES: tuple[Badge, ...] = (
    # --- meetings ---
    _b(
        "first-meeting",
        _l("First meeting"),
        _l("Attended a meeting of the community."),
        "bronze",
        "meetings",
        "meetings_attended",
        1,
        "meeting",
        "no anchor",
    ),
    _b(
        "regular",
        _l("Regular"),
        _l("Attended 6 meetings."),
        "bronze",
        "meetings",
        "meetings_attended",
        6,
        "meeting",
        "no anchor",
    ),
    _b(
        "faithful",
        _l("Faithful participant"),
        _l("Attended 12 meetings."),
        "silver",
        "meetings",
        "meetings_attended",
        12,
        "meeting",
        "no anchor",
    ),
    _b(
        "pillar",
        _l("Pillar of the community"),
        _l("Attended 24 meetings."),
        "gold",
        "meetings",
        "meetings_attended",
        24,
        "meeting",
        "no anchor",
    ),
    _b(
        "streak-3",
        _l("Three in a row"),
        _l("Attended 3 meetings in a row."),
        "bronze",
        "meetings",
        "attendance_streak",
        3,
        "meeting",
        "Stack Exchange Enthusiast: 30 consecutive days",
    ),
    _b(
        "streak-6",
        _l("Six in a row"),
        _l("Attended 6 meetings in a row."),
        "silver",
        "meetings",
        "attendance_streak",
        6,
        "meeting",
        "Stack Exchange Fanatic: 100 consecutive days",
    ),
    _b(
        "streak-12",
        _l("A year without missing"),
        _l("Attended 12 meetings in a row."),
        "gold",
        "meetings",
        "attendance_streak",
        12,
        "meeting",
        "no anchor",
    ),
    _b(
        "presenter",
        _l("Speaker"),
        _l("Presented an agenda item at a meeting."),
        "bronze",
        "meetings",
        "presentations",
        1,
        "meeting",
        "no anchor",
    ),
    _b(
        "presenter-3",
        _l("Experienced speaker"),
        _l("Presented at 3 meetings."),
        "silver",
        "meetings",
        "presentations",
        3,
        "meeting",
        "no anchor",
    ),
    _b(
        "presenter-10",
        _l("Resource person"),
        _l("Presented at 10 meetings."),
        "gold",
        "meetings",
        "presentations",
        10,
        "meeting",
        "no anchor",
    ),
    _b(
        "note-taker",
        _l("Note taker"),
        _l("Wrote minutes that were published."),
        "bronze",
        "meetings",
        "minutes_written",
        1,
        "meeting",
        "no anchor",
    ),
    _b(
        "secretary",
        _l("Secretary"),
        _l("Wrote the published minutes of 5 meetings."),
        "silver",
        "meetings",
        "minutes_written",
        5,
        "meeting",
        "no anchor",
    ),
    _b(
        "chronicler",
        _l("Chronicler"),
        _l("Wrote the published minutes of 12 meetings."),
        "gold",
        "meetings",
        "minutes_written",
        12,
        "meeting",
        "no anchor",
    ),
    _b(
        "follow-through",
        _l("Follow-through"),
        _l("Finished an action item."),
        "bronze",
        "meetings",
        "action_items_done",
        1,
        "action_item",
        "no anchor",
    ),
    _b(
        "doer",
        _l("Gets things done"),
        _l("Finished 10 action items."),
        "silver",
        "meetings",
        "action_items_done",
        10,
        "action_item",
        "no anchor",
    ),
    # --- discussions ---
    _b(
        "first-post",
        _l("First word"),
        _l("Wrote a first post in the community's discussions."),
        "bronze",
        "discussions",
        "posts_written",
        1,
        "post",
        "Discourse First Post? (none: Basic)",
    ),
    _b(
        "nice-post",
        _l("Nice post"),
        _l("A post that 5 colleagues liked (each such post counts)."),
        "bronze",
        "discussions",
        "posts_with_likes",
        1,
        "post",
        "Discourse Nice Post: 10 likes",
        repeatable=True,
        likes=5,
    ),
    _b(
        "good-post",
        _l("Good post"),
        _l("A post that 10 colleagues liked (each such post counts)."),
        "silver",
        "discussions",
        "posts_with_likes",
        1,
        "post",
        "Discourse Good Post: 25 likes",
        repeatable=True,
        likes=10,
    ),
    _b(
        "great-post",
        _l("Great post"),
        _l("A post that 20 colleagues liked (each such post counts)."),
        "gold",
        "discussions",
        "posts_with_likes",
        1,
        "post",
        "Discourse Great Post: 50 likes",
        repeatable=True,
        likes=20,
    ),
    _b(
        "appreciated",
        _l("Appreciated"),
        _l("10 posts that each got at least one like."),
        "bronze",
        "discussions",
        "posts_with_likes",
        10,
        "post",
        "Discourse Appreciated: 1 like on 20 posts",
        likes=1,
    ),
    _b(
        "respected",
        _l("Respected"),
        _l("30 posts that each got at least 2 likes."),
        "silver",
        "discussions",
        "posts_with_likes",
        30,
        "post",
        "Discourse Respected: 2 likes on 100 posts",
        likes=2,
    ),
    _b(
        "admired",
        _l("Admired"),
        _l("60 posts that each got at least 5 likes."),
        "gold",
        "discussions",
        "posts_with_likes",
        60,
        "post",
        "Discourse Admired: 5 likes on 300 posts",
        likes=5,
    ),
    _b(
        "thanked",
        _l("Thanked"),
        _l("Colleagues said thank you 10 times for your posts."),
        "bronze",
        "discussions",
        "thanks_received",
        10,
        "post",
        "no anchor",
    ),
    _b(
        "solver",
        _l("Solver"),
        _l("An answer accepted as the solution of a colleague's question."),
        "bronze",
        "discussions",
        "solutions",
        1,
        "topic",
        "Stack Exchange: +15 per accepted answer",
    ),
    _b(
        "problem-solver",
        _l("Problem solver"),
        _l("5 answers accepted as solutions."),
        "silver",
        "discussions",
        "solutions",
        5,
        "topic",
        "no anchor",
    ),
    _b(
        "expert",
        _l("Expert"),
        _l("15 answers accepted as solutions."),
        "gold",
        "discussions",
        "solutions",
        15,
        "topic",
        "no anchor",
    ),
    _b(
        "welcomer",
        _l("Welcomer"),
        _l("Gave the first answer to a newcomer's first topic."),
        "bronze",
        "discussions",
        "newcomer_welcomes",
        1,
        "topic",
        "Discourse Welcome: none",
    ),
    _b(
        "mentor",
        _l("Helping hand"),
        _l("Gave the first answer to 5 newcomers' first topics."),
        "silver",
        "discussions",
        "newcomer_welcomes",
        5,
        "topic",
        "no anchor",
    ),
    # --- resources ---
    _b(
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
    _b(
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
    _b(
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
    _b(
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
    _b(
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
    _b(
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
    # --- community ---
    _b(
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
    _b(
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
    _b(
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

BY_SLUG: dict[str, Badge] = {badge.slug: badge for badge in BADGES}


def get(slug: str) -> Badge | None:
    """The badge with this slug, or None."""
    return BY_SLUG.get(slug)


def of_family(*families: str) -> list[Badge]:
    """The badges re-evaluated by events of these families."""
    return [badge for badge in BADGES if badge.family in families]
