"""What a member can choose to hear about, and how: the preference kinds.

A *preference kind* groups the notification kinds the features write
(``Notification.kind``) into what a teacher recognises on the preferences page:
"mentions", "meetings", "reminders"... Each has defaults (what a new account and
the demo get without any row of their own) and a pair of mail templates
``email/notify_<kind>.html|txt``. A stored ``NotificationPreference`` row only
exists where a member changed a default.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: how a kind reaches the member by mail
EMAIL_MODES = ("off", "immediate", "daily", "weekly")
DIGEST_PERIODS = ("daily", "weekly")


@dataclass(frozen=True)
class Kind:
    """One row of the preferences page."""

    name: str
    label: object
    help: object
    sources: tuple[str, ...]
    inapp: bool = True
    push: bool = True
    email: str = "immediate"


KINDS: tuple[Kind, ...] = (
    Kind(
        "mention",
        _l("Mentions"),
        _l("Someone named you with @ in a discussion or the chat."),
        ("mention",),
    ),
    Kind(
        "reply",
        _l("Replies to my posts"),
        _l("Someone answered one of your posts."),
        ("reply_to_me",),
        email="daily",
    ),
    Kind(
        "watched",
        _l("Watched topics"),
        _l("New replies in topics you started, joined or watch."),
        ("reply",),
        push=False,
        email="daily",
    ),
    Kind(
        "meetings",
        _l("Meetings scheduled, changed or cancelled"),
        _l("A new meeting in your communities, or a change to one you are coming to."),
        (
            "meeting_scheduled",
            "meeting_changed",
            "meeting_cancelled",
            "meeting_promoted",
            "action_item",
        ),
    ),
    Kind(
        "reminders",
        _l("Meeting reminders"),
        _l("A day and an hour before a meeting you are coming to."),
        ("meeting_reminder_day", "meeting_reminder_hour"),
    ),
    Kind(
        "minutes",
        _l("Minutes published"),
        _l("The minutes of a meeting you attended are out."),
        ("minutes_published",),
        push=False,
        email="daily",
    ),
    Kind(
        "resources",
        _l("New resources in my communities"),
        _l("A colleague shared teaching material."),
        ("resource_shared",),
        push=False,
        email="weekly",
    ),
    Kind(
        "join_requests",
        _l("Join requests (coordinators)"),
        _l("Someone asks to join a community you coordinate."),
        ("join_request",),
    ),
    Kind(
        "nudges",
        _l("We miss you (from coordinators)"),
        _l("A coordinator of your community invites you back after a quiet while."),
        ("quiet_reminder",),
        push=False,
        email="immediate",
    ),
    Kind(
        "badges",
        _l("Badges"),
        _l("You earned a badge."),
        ("badge_awarded",),
        push=False,
        email="weekly",
    ),
    Kind(
        "moderation",
        _l("Moderation"),
        _l("A post was flagged in a community you moderate."),
        ("flag",),
    ),
    Kind(
        "cycles",
        _l("Learning cycles"),
        _l(
            "Lesson studies you take part in, mentoring sessions and next-step reminders, "
            "feedback on your PTK."
        ),
        (
            "lesson_study_opened",
            "lesson_study_stage",
            "reflection_published",
            "mentoring_pair",
            "mentoring_session",
            "mentoring_step_due",
            "ptk_comment",
            "ptk_reviewer",
        ),
    ),
    Kind(
        "account",
        _l("My account and communities"),
        _l("Your data export is ready; a site admin decided on a community you coordinate."),
        ("data_export", "community_reviewed"),
        push=False,
    ),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
_BY_SOURCE: dict[str, Kind] = {source: kind for kind in KINDS for source in kind.sources}


def kind_of(notification_kind: str) -> Kind:
    """The preference kind a notification of ``notification_kind`` belongs to.

    A kind no row names yet (a feature added one) falls under "meetings" when it
    starts with ``meeting``, else under "mention"'s defaults by name ``other``.
    """
    found = _BY_SOURCE.get(notification_kind)
    if found is not None:
        return found
    if notification_kind.startswith("meeting"):
        return BY_NAME["meetings"]
    return Kind("other", _l("Other"), "", (notification_kind,), push=False, email="off")
