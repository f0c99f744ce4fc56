"""Blinker signals that features use to talk to each other without importing views.

Senders pass the acting object as ``sender`` and details as keyword arguments.
"""

from blinker import Namespace

_signals = Namespace()

#: A user account was created. kwargs: user
user_registered = _signals.signal("user-registered")
#: A user logged out or changed their password: their live sockets must go. kwargs: user
user_sessions_revoked = _signals.signal("user-sessions-revoked")
#: A membership changed (joined, approved, role, banned, left). kwargs: membership, actor, change
membership_changed = _signals.signal("membership-changed")
#: A community was created. kwargs: community, creator
community_created = _signals.signal("community-created")
#: A notification row was committed (live delivery listens). kwargs: notification
notification_created = _signals.signal("notification-created")
#: Someone was marked present at a meeting (badges, points). kwargs: meeting, user_id
meeting_attended = _signals.signal("meeting-attended")

# --- resources ---
# Search indexes and discussions subscribe to these (cop/resources/queries.py
# search_text(resource) gives the text to index).
#: A resource was shared (committed). kwargs: resource, actor
resource_shared = _signals.signal("resource-shared")
#: A resource changed: featured, hidden, unhidden. kwargs: resource, actor, change
resource_updated = _signals.signal("resource-updated")
#: A resource was deleted (the row is gone). kwargs: resource_id, community_id, actor
resource_removed = _signals.signal("resource-removed")

# --- discussions ---
#: A topic's first post or a reply was committed. kwargs: post, topic, community
post_created = _signals.signal("post-created")
#: A user logged out of one browser (their live sockets close). kwargs: user
user_logged_out = _signals.signal("user-logged-out")
