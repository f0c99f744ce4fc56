"""API: the coordinator dashboard's figures (the same as the page and its CSVs)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.views import bp
from cop.communities import services as community_services
from cop.core.types import iso, utcnow
from cop.core.web import current, viewer
from cop.insights import queries


@bp.get("/communities/<slug>/dashboard")
@documented(
    "Participation figures of a community (coordinators)",
    tag="communities",
    response="Dashboard",
    errors=(403, 404),
    description="The last 12 months, bucketed by month in the caller's zone: members "
    "active, posts, resources; per ended meeting the members, who said yes, who came, "
    "guests and the attendance rate; members quiet for 60 days; pending join requests.",
)
def community_dashboard(slug: str) -> ResponseReturnValue:
    """The dashboard's figures."""
    community = community_services.visible_community(viewer(), slug, "community.manage")
    figures = queries.figures(community, utcnow(), ZoneInfo(current().timezone or "Asia/Jakarta"))
    return {
        "community": community.slug,
        "months": [
            {"month": m.strftime("%Y-%m"), "members_active": a, "posts": p, "resources": r}
            for m, a, p, r in zip(
                figures.months, figures.active, figures.posts, figures.resources, strict=True
            )
        ],
        "meetings": [
            {
                "id": f.meeting.id,
                "title": f.meeting.title,
                "starts_at": iso(f.meeting.starts_at),
                "members": f.members,
                "said_yes": f.said_yes,
                "came": f.came,
                "guests": f.guests,
                "attendance_rate": f.rate,
            }
            for f in figures.meetings
        ],
        "quiet_members": [{"id": u.id, "name": u.name} for u, _last in figures.quiet],
        "pending_join_requests": figures.pending,
        "sessions_held_this_year": figures.held_this_year,
        "yearly_target": figures.target,
    }
