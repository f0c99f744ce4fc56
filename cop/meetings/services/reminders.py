"""Reminders: each due (meeting, person, kind) is claimed once in the database, then sent.

The notification and the e-mail are sent by the receivers of
``signals.meeting_reminder_due`` (cop/notifications/handlers.py). ``send_reminders``
runs every minute as the periodic job ``periodic.meetings.reminders``
(cop/core/jobs), on whichever worker's turn it is; the claim makes a second run a no-op.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth.models import User
from cop.core import jobs
from cop.core.db import unit_of_work
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import queries
from cop.meetings.models import Meeting, ReminderSent


def _claim(meeting: Meeting, person: User, kind: str, now: datetime) -> bool:
    """Insert the ReminderSent row; False when another runner already claimed it."""
    try:
        with unit_of_work():
            db.session.add(
                ReminderSent(meeting_id=meeting.id, user_id=person.id, kind=kind, sent_at=now)
            )
            signals.send_after_commit(
                signals.meeting_reminder_due, meeting, meeting=meeting, user=person, kind=kind
            )
    except IntegrityError:
        return False
    return True


def due_reminders(now: datetime) -> list[tuple[Meeting, str]]:
    """Meetings whose day (24h) or hour (1h) reminder is due at ``now``."""
    return queries.due_reminders(now)


@jobs.periodic("meetings.reminders", minute="*")
def send_reminders(now: datetime | None = None) -> int:
    """Send every due reminder once (claimed in the database first); returns how many."""
    now = now or utcnow()
    sent = 0
    for meeting, kind in queries.due_reminders(now):
        for person in queries.reminder_recipients(meeting):
            if _claim(meeting, person, kind, now):
                sent += 1
    return sent
