"""Helpers for the meetings tests: make meetings directly (bypassing the clock check)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from cop.meetings.models import Meeting
from tests.factories import Factory


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
    """A meeting starting ``starts_in`` from now (negative for one under way or past).

    ``factory.meeting`` (tests/factories.py) with this signature.
    """
    return Factory(app).meeting(
        community, creator, starts_in=starts_in, hours=hours, agenda=list(agenda or []), **fields
    )
