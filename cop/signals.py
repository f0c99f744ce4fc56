"""Blinker signals: how a feature causes something in another without importing it.

The rule (docs/development.md, "Effects"): a service that causes something
elsewhere (a notification, a search index entry, a live broadcast, a badge)
sends a named signal *after its transaction commits*, with
``send_after_commit(signal, sender, **kwargs)``; receivers live in the
listening feature's ``handlers.py`` and are connected by ``create_app``.
Senders pass the acting or changed object as ``sender`` and the details as the
keyword arguments documented beside each signal. Receivers take ``**_kwargs``
so a signal can gain arguments without breaking them.

Signals are grouped by the domain that sends them.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal

_signals = Namespace()


def send_after_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` once the current unit of work has committed (at once outside one).

    A rollback drops it, so no receiver ever acts on something that was not saved.
    """
    from cop.core.db import after_commit

    after_commit(lambda: signal.send(sender, **kwargs))


# --- accounts -------------------------------------------------------------------

#: A user account was created. kwargs: user
user_registered = _signals.signal("user-registered")
#: A user logged out or changed their password: their live sockets must go. kwargs: user
user_sessions_revoked = _signals.signal("user-sessions-revoked")
#: A user logged out of one browser (their live sockets close). kwargs: user
user_logged_out = _signals.signal("user-logged-out")

# --- communities ----------------------------------------------------------------

#: A membership changed (joined, approved, role, banned, left). kwargs: membership, actor, change
membership_changed = _signals.signal("membership-changed")
#: A community was created. kwargs: community, creator
community_created = _signals.signal("community-created")

# --- discussions ----------------------------------------------------------------

#: A topic's first post or a reply was committed. kwargs: post, topic, community
post_created = _signals.signal("post-created")

# --- chat -----------------------------------------------------------------------

# --- meetings -------------------------------------------------------------------
# Receivers link to cop/meetings/serializers.py meeting_url(meeting) and index
# cop/meetings/queries.py search_text(meeting). ``actor`` is the coordinator who acted.

#: Meetings were scheduled: one, or every occurrence of a series.
#: kwargs: meeting (the first), meetings (all of them), community, actor
meeting_scheduled = _signals.signal("meeting-scheduled")
#: A meeting's details or time changed, or it was scheduled again after a cancellation
#: (sent once per meeting of the series that changed). kwargs: meeting, actor
meeting_changed = _signals.signal("meeting-changed")
#: A meeting was cancelled (once per meeting). kwargs: meeting, actor, reason
meeting_cancelled = _signals.signal("meeting-cancelled")
#: An agenda item was added to or removed from a meeting. kwargs: meeting, actor
meeting_agenda_changed = _signals.signal("meeting-agenda-changed")
#: People on the waitlist got a seat that freed up. kwargs: meeting, users
waitlist_promoted = _signals.signal("waitlist-promoted")
#: A meeting's minutes were published. kwargs: meeting, minutes, actor
minutes_published = _signals.signal("minutes-published")
#: An action item with an assignee was agreed in a meeting. kwargs: item, meeting, actor
action_item_assigned = _signals.signal("action-item-assigned")
#: A reminder was claimed for one person (it goes out once).
#: kwargs: meeting, user, kind ("day": 24 h ahead, "hour": 1 h ahead)
meeting_reminder_due = _signals.signal("meeting-reminder-due")

# --- resources ------------------------------------------------------------------
# cop/resources/queries.py search_text(resource) gives the text to index.

#: A resource was shared (committed). kwargs: resource, actor
resource_shared = _signals.signal("resource-shared")
#: A resource changed: featured, hidden, unhidden. kwargs: resource, actor, change
resource_updated = _signals.signal("resource-updated")
#: A resource was deleted (the row is gone). kwargs: resource_id, community_id, actor
resource_removed = _signals.signal("resource-removed")

# --- notifications --------------------------------------------------------------

#: A notification row was committed (live delivery listens). kwargs: notification
notification_created = _signals.signal("notification-created")
