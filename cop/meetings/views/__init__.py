"""Meeting pages: calendar, schedule, meeting page, RSVP, check-in (code and QR),
attendance (+CSV), agenda, minutes with autosave, certificates, participation
and the personal calendar feed.

One blueprint, ``bp``; its views are split by activity (``schedule``,
``meeting``, ``attendance``, ``agenda``, ``minutes``, ``participation``, ``roll``,
``seals``, ``photos``),
imported below so that importing ``bp`` registers them all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.types import utcnow
from cop.meetings import queries
from cop.meetings.models import Meeting

bp = Blueprint("meetings", __name__)


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    """``my_action_items()`` and ``next_meetings(community)`` for the dashboard and home page."""

    def my_action_items() -> list[Any]:
        user = web.viewer()
        return queries.open_action_items_for(user) if user else []

    def next_meetings(community: Community, limit: int = 3) -> list[Meeting]:
        if not permissions.can(web.viewer(), "community.view_content", community):
            return []
        return queries.upcoming(community, cursor=None, limit=limit, now=utcnow()).items

    return {"my_action_items": my_action_items, "next_meetings": next_meetings}


# Route modules attach their views to ``bp`` when imported.
from cop.meetings.views import (  # noqa: E402,F401
    agenda,
    attendance,
    certificates,
    meeting,
    minutes,
    participation,
    photos,
    roll,
    schedule,
    seals,
)
