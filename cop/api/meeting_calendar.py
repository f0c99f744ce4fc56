"""API: iCalendar (RFC 5545) for one meeting and a community's feed."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.views import ID, bp
from cop.communities import services as community_services
from cop.core.types import utcnow
from cop.core.web import viewer
from cop.meetings import queries, services
from cop.meetings.ics import ics_response


@bp.get(f"/meetings/<{ID}:meeting_id>/ics")
@documented(
    "The meeting as iCalendar (text/calendar)",
    tag="meetings",
    errors=(404,),
    auth="optional",
)
def meeting_ics(meeting_id: int) -> ResponseReturnValue:
    """One VEVENT with its time zone, status and sequence."""
    meeting = services.visible_meeting(viewer(), meeting_id)
    return ics_response([meeting], meeting.title, f"pertemuan-{meeting.id}.ics")


@bp.get("/communities/<slug>/calendar.ics")
@documented(
    "The community's meetings as an iCalendar feed (text/calendar)",
    tag="meetings",
    errors=(404,),
    auth="optional",
)
def community_ics(slug: str) -> ResponseReturnValue:
    """From 90 days ago on; cancelled meetings stay in with STATUS:CANCELLED."""
    community = community_services.visible_community(viewer(), slug, "community.view_content")
    meetings = queries.feed_meetings([community.id], utcnow())
    return ics_response(meetings, community.name, f"{community.slug}.ics")
