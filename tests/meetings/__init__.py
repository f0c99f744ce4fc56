"""Helpers for the meetings tests: make meetings directly (bypassing the clock check)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import AgendaItem, Meeting


def make_meeting(
    app: Flask,
    community: Any,
    creator: Any,
    *,
    starts_in: timedelta = timedelta(days=7),
    hours: float = 3,
    agenda: list[str] | None = None,
    **fields: Any,
) -> Meeting:
    """A meeting starting ``starts_in`` from now (negative for one under way or past)."""
    start = (utcnow() + starts_in).replace(microsecond=0)
    values: dict[str, Any] = {
        "community_id": community.id,
        "title": "KKG Gugus 3 Tamalate",
        "kind": "routine",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "timezone": "Asia/Makassar",
        "mode": "offline",
        "location": "SD Inpres Tamalate",
        "pkb_hours": 4,
        "checkin_code": "KODE42",
        "created_by_id": creator.id,
    }
    values.update(fields)
    with app.app_context():
        meeting = Meeting(**values)
        meeting.agenda = [
            AgendaItem(position=i, title=title, duration_min=30)
            for i, title in enumerate(agenda or [])
        ]
        db.session.add(meeting)
        db.session.commit()
        meeting = db.session.get(Meeting, meeting.id)
        assert meeting is not None
        _ = meeting.agenda, meeting.community
        return meeting
