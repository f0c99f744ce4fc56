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

import logging
from typing import Any

from blinker import Namespace, Signal

_signals = Namespace()
log = logging.getLogger(__name__)


def send_after_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` once the current unit of work has committed (at once outside one).

    A rollback drops it, so no receiver ever acts on something that was not saved.
    """
    from cop.core.db import after_commit

    after_commit(lambda: _deliver(signal, sender, kwargs))


def _deliver(signal: Signal, sender: Any, kwargs: dict[str, Any]) -> None:
    """Call every receiver of ``signal``; one that fails is logged and the others still run.

    The change that caused the signal is already committed: a failed effect (a search
    index entry, a notification) must neither hide the others nor turn the caller's
    success into an error.
    """
    for receiver in signal.receivers_for(sender):
        try:
            receiver(sender, **kwargs)
        except Exception:
            log.exception("%s: a receiver failed (%r)", getattr(signal, "name", signal), receiver)


# --- accounts -------------------------------------------------------------------

#: A user logged out or changed their password: their live sockets must go. kwargs: user
user_sessions_revoked = _signals.signal("user-sessions-revoked")
#: A user logged out of one browser (their live sockets close). kwargs: user
user_logged_out = _signals.signal("user-logged-out")

# --- communities ----------------------------------------------------------------

#: A membership changed (joined, approved, role, banned, left). kwargs: membership, actor, change
membership_changed = _signals.signal("membership-changed")
#: A community was created. kwargs: community, creator
community_created = _signals.signal("community-created")
#: A site admin approved, rejected, archived or restored a community.
#: kwargs: community, actor, decision ("approved", "rejected", "archived", "restored"), note
community_reviewed = _signals.signal("community-reviewed")

# --- discussions ----------------------------------------------------------------

# cop/discussions/queries.py says where a post or topic links to and who hears of it.

#: A topic's first post or a reply was committed (search indexes it; mentioned members,
#: watchers and the parent's author are notified). kwargs: post, topic, community,
#: author, new_topic (True for the first post of a new topic: index the topic too,
#: and nobody watches it yet)
post_created = _signals.signal("post-created")
#: A post's text changed (search re-indexes it). kwargs: post, topic, actor
post_edited = _signals.signal("post-edited")
#: A post was soft-deleted (it leaves the search index). kwargs: post, topic, actor
post_deleted = _signals.signal("post-deleted")
#: A moderator hid a post or restored it (the index follows). kwargs: post, topic, actor,
#: hidden
post_hidden = _signals.signal("post-hidden")
#: A member flagged a post (the community's moderators are told). kwargs: flag, post,
#: topic, flagger
post_flagged = _signals.signal("post-flagged")
#: A topic moved to another community (its index entries follow). kwargs: topic,
#: post_ids, source_id, target (the community), actor
topic_moved = _signals.signal("topic-moved")
#: A like or a thanks was added to a post or taken back (badges and points follow).
#: kwargs: post, topic, actor, kind ("like", "thanks"), active (False: taken back)
post_reacted = _signals.signal("post-reacted")
#: A topic's accepted solution changed. kwargs: topic, post_id (None: cleared),
#: previous_post_id, actor
solution_marked = _signals.signal("solution-marked")

# --- chat -----------------------------------------------------------------------
# Whichever edge acted (socket, page, API, a script), the channel's listeners hear it.
# The send fast path (cop/chat/fastsend.py) broadcasts through the same function as
# the receiver, without blinker; it only takes messages that name nobody.

#: A chat message was stored (broadcast as message:new; members named with @ are
#: notified). kwargs: message, channel, author
message_sent = _signals.signal("message-sent")
#: A chat message's text changed (broadcast as message:updated). kwargs: message, actor
message_edited = _signals.signal("message-edited")
#: A chat message was deleted, its tombstone stays (broadcast as message:deleted).
#: kwargs: message, actor
message_deleted = _signals.signal("message-deleted")

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
#: Someone's attendance was recorded or changed (checked in, marked present or
#: excused). kwargs: meeting, user_id, actor (None when they checked in themselves)
attendance_recorded = _signals.signal("attendance-recorded")
#: An action item was ticked off as done, or reopened. kwargs: item, meeting, actor, done
action_item_done = _signals.signal("action-item-done")

# --- resources ------------------------------------------------------------------
# cop/resources/queries.py search_text(resource) gives the text to index.

#: A resource was shared (committed). kwargs: resource, actor
resource_shared = _signals.signal("resource-shared")
#: A resource changed: featured, hidden, unhidden. kwargs: resource, actor, change
resource_updated = _signals.signal("resource-updated")
#: A resource was deleted (the row is gone). kwargs: resource_id, community_id, actor
resource_removed = _signals.signal("resource-removed")
#: A download of a resource was counted (not the uploader's own). kwargs: resource, actor
resource_downloaded = _signals.signal("resource-downloaded")
#: A resource was liked or the like taken back. kwargs: resource, actor, liked
resource_liked = _signals.signal("resource-liked")

# --- learning cycles ------------------------------------------------------------
# cop/cycles/serializers.py says where each thing lives (lesson_study_url, pair_url,
# ptk_url). ``actor`` is who acted.

#: A lesson study was opened. kwargs: study, actor
lesson_study_opened = _signals.signal("lesson-study-opened")
#: A lesson study moved to another stage. kwargs: study, actor, stage, previous
lesson_stage_changed = _signals.signal("lesson-stage-changed")
#: An observation was stored (not a resubmission): the reflection page shows it live.
#: kwargs: observation, study, observer
observation_recorded = _signals.signal("observation-recorded")
#: The lessons learned of a lesson study were published (the model teacher and the
#: observers are credited). kwargs: study, actor
reflection_published = _signals.signal("reflection-published")
#: A mentoring pair was made or a mentee's request approved. kwargs: pair, actor
mentoring_pair_started = _signals.signal("mentoring-pair-started")
#: A mentoring session was logged (the mentees are told, the pair is credited).
#: kwargs: session, pair, actor
mentoring_session_logged = _signals.signal("mentoring-session-logged")
#: A session's next step falls due (claimed once): the pair is reminded.
#: kwargs: session, pair, users
mentoring_step_due = _signals.signal("mentoring-step-due")
#: A PTK's cycle was added or changed (its author's badges follow).
#: kwargs: ptk, cycle, actor, new (False: an existing cycle was edited)
ptk_cycle_added = _signals.signal("ptk-cycle-added")
#: Someone commented on a PTK (its group hears of it; a reviewer is credited).
#: kwargs: ptk, comment, actor
ptk_commented = _signals.signal("ptk-commented")
#: A guest reviewer accepted an invite to a PTK. kwargs: ptk, reviewer, user
ptk_reviewer_joined = _signals.signal("ptk-reviewer-joined")

# --- recognition ----------------------------------------------------------------

#: A badge was awarded (or a repeatable one held once more): the earner is told.
#: kwargs: award_id, badge (cop.badges.catalogue.Badge), user_id, community_id, count,
#: again (True when a repeatable badge's count went up)
badge_awarded = _signals.signal("badge-awarded")

# --- the coordinator dashboard ---------------------------------------------------

#: A coordinator reminded members gone quiet (each at most once in 30 days: only those
#: the database let through are named). kwargs: community, users, actor
quiet_members_reminded = _signals.signal("quiet-members-reminded")

# --- notifications --------------------------------------------------------------

#: A notification row was committed (live delivery listens). kwargs: notification
notification_created = _signals.signal("notification-created")

# --- mail -----------------------------------------------------------------------

#: The mail server refused a recipient for good (a 5xx answer): the message is dropped,
#: not retried, and the address is recorded so cop stops mailing it.
#: kwargs: address, reason
mail_refused = _signals.signal("mail-refused")
