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
#: A user logged out of one browser (their live sockets close). kwargs: user
user_logged_out = _signals.signal("user-logged-out")
