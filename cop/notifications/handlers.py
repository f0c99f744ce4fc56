"""Signal receivers: what other features cause, told to the people concerned.

Each receiver runs after the sender's transaction committed (the senders use
``signals.send_after_commit``) and writes its notifications in a unit of work
of its own. Receivers are connected when this module is imported
(``create_app`` -> ``_register_handlers``).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from cop import signals
from cop.core.mail import send_mail
from cop.meetings import queries as meeting_queries
from cop.meetings.serializers import meeting_url
from cop.notifications.services import notify, notify_many

# --- meetings -------------------------------------------------------------------


@signals.meeting_scheduled.connect
def _meeting_scheduled(_sender: Any, meeting: Any, community: Any, actor: Any, **_kw: Any) -> None:
    """Every active member hears of a new meeting (of a series: its first one)."""
    notify_many(
        meeting_queries.active_members(community),
        "meeting_scheduled",
        _l("New meeting: %(title)s", title=meeting.title),
        meeting_url(meeting),
        actor=actor,
        community_id=community.id,
    )


@signals.meeting_changed.connect
def _meeting_changed(_sender: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """Who answered yes or maybe hears that the meeting changed."""
    notify_many(
        meeting_queries.answered_yes_or_maybe(meeting),
        "meeting_changed",
        _l("Meeting changed: %(title)s", title=meeting.title),
        meeting_url(meeting),
        actor=actor,
        community_id=meeting.community_id,
    )


@signals.meeting_cancelled.connect
def _meeting_cancelled(_sender: Any, meeting: Any, actor: Any, reason: str, **_kw: Any) -> None:
    """Who answered yes or maybe hears that the meeting is cancelled, and why."""
    notify_many(
        meeting_queries.answered_yes_or_maybe(meeting),
        "meeting_cancelled",
        _l("Cancelled: %(title)s (%(reason)s)", title=meeting.title, reason=reason),
        meeting_url(meeting),
        actor=actor,
        community_id=meeting.community_id,
    )


@signals.waitlist_promoted.connect
def _waitlist_promoted(_sender: Any, meeting: Any, users: list[Any], **_kw: Any) -> None:
    """People who got a seat from the waitlist hear that they are coming."""
    notify_many(
        users,
        "meeting_promoted",
        _l("A seat freed up: you are coming to %(title)s", title=meeting.title),
        meeting_url(meeting),
        community_id=meeting.community_id,
    )


@signals.minutes_published.connect
def _minutes_published(_sender: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """Who attended hears that the minutes are published."""
    notify_many(
        meeting_queries.attendees(meeting),
        "minutes_published",
        _l("Minutes published: %(title)s", title=meeting.title),
        meeting_url(meeting),
        actor=actor,
        community_id=meeting.community_id,
    )


@signals.action_item_assigned.connect
def _action_item_assigned(_sender: Any, item: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """The assignee hears of their new action item."""
    if item.assignee is None:
        return
    notify(
        item.assignee,
        "action_item",
        _l("New action item for you: %(title)s", title=item.title),
        meeting_url(meeting),
        actor=actor,
        community_id=meeting.community_id,
    )


@signals.meeting_reminder_due.connect
def _meeting_reminder(_sender: Any, meeting: Any, user: Any, kind: str, **_kw: Any) -> None:
    """A reminder a day or an hour ahead: in the app and, with an address, by e-mail."""
    title = (
        _l("Tomorrow: %(title)s", title=meeting.title)
        if kind == "day"
        else _l("In one hour: %(title)s", title=meeting.title)
    )
    notify(
        user,
        f"meeting_reminder_{kind}",
        title,
        meeting_url(meeting),
        community_id=meeting.community_id,
    )
    if user.email:
        send_mail(
            user.email,
            title,
            "meeting_reminder",
            user.locale or "id",
            user=user,
            meeting=meeting,
            kind=kind,
            url=url_for("meetings.show", meeting_id=meeting.id, _external=True),
        )
