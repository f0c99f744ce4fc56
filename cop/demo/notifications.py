"""Demo notification preferences: every account keeps the kinds' defaults (cop/notifications/
kinds.py), and the teachers have quiet hours at night in their own zone, as most would."""

from __future__ import annotations

from cop.demo._common import Demo
from cop.notifications import preferences

#: 21.00 to 05.30 local time: the evening and the night stay quiet
QUIET = ("21:00", "05:30")


def add_notification_preferences(demo: Demo) -> None:
    """Quiet hours for every demo teacher (the admin keeps none)."""
    start, end = (preferences.parse_clock(value, "quiet") for value in QUIET)
    for user in demo.users.values():
        if not user.is_admin:
            preferences.save_preferences(user, {}, quiet_start=start, quiet_end=end)
