"""API: the badge catalogue, a user's awards, a community's leaderboard."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import DATE_TIME, PARAMETERS, add_schemas, obj
from cop.api.views import ID, bp
from cop.badges import catalogue, points, queries, services
from cop.badges.serializers import award_json, badge_json, entry_json
from cop.communities import services as community_services
from cop.core.errors import NotFound
from cop.core.types import utcnow
from cop.core.web import viewer

_NAME_TIER = {
    "slug": {"type": "string"},
    "name": {"type": "string", "description": "In the caller's language."},
    "tier": {"type": "string", "enum": list(catalogue.TIERS)},
}


def _items(item: str, description: str, **extra: dict) -> dict:
    return obj(
        {
            **extra,
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "next": {"type": "null", "description": "Always null: the list is complete."},
        },
        description=description,
    )


add_schemas(
    {
        "Badge": obj(
            {
                **_NAME_TIER,
                "description": {"type": "string"},
                "family": {"type": "string", "enum": list(catalogue.FAMILIES)},
                "repeatable": {"type": "boolean"},
                "threshold": {"type": "integer"},
                "image_url": {"type": "string", "description": "The medal (SVG)."},
            }
        ),
        "BadgeList": _items("Badge", "The badge catalogue."),
        "Award": obj(
            {
                "id": {"type": "integer"},
                "badge": obj(_NAME_TIER),
                "community": obj({"slug": {"type": "string"}, "name": {"type": "string"}}),
                "awarded_at": DATE_TIME,
                "reason": {"type": "string", "description": "What earned it."},
                "count": {"type": "integer", "description": "Times held (repeatable badges)."},
                "private": {"type": "boolean", "description": "Only its earner sees it."},
                "assertion_url": {
                    "type": "string",
                    "description": "The Open Badges 2.0 hosted assertion (JSON-LD).",
                },
            }
        ),
        "AwardList": _items("Award", "The user's awards the caller may see, newest first."),
        "LeaderboardEntry": obj(
            {
                "user": obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
                "points": {"type": "integer"},
                "rank": {"type": "integer", "description": "Equal points share a rank."},
            }
        ),
        "Leaderboard": _items(
            "LeaderboardEntry",
            "Active members by points in the period, best first (top 50).",
            period={"type": "string", "enum": list(points.PERIODS)},
        ),
    }
)
PARAMETERS["period"] = {
    "name": "period",
    "in": "query",
    "description": "month (default), semester (Jul-Dec, Jan-Jun) or all.",
    "schema": {"type": "string", "enum": list(points.PERIODS)},
}


@bp.get("/badges")
@documented("The badge catalogue", tag="badges", response="BadgeList", auth="optional")
def list_badges() -> ResponseReturnValue:
    """Every badge with its tier and what earns it."""
    return {"items": [badge_json(b) for b in catalogue.BADGES], "next": None}


@bp.get(f"/users/<{ID}:user_id>/badges")
@documented("A user's awards", tag="badges", response="AwardList", errors=(404,), auth="optional")
def user_badges(user_id: int) -> ResponseReturnValue:
    """The awards of a user that the caller may see (private ones only to the earner)."""
    person = queries.active_user(user_id)
    if person is None:
        raise NotFound(_l("There is no such user."))
    return {"items": [award_json(h) for h in queries.user_awards(person, viewer())], "next": None}


@bp.get("/communities/<slug>/leaderboard")
@documented(
    "A community's leaderboard",
    tag="badges",
    response="Leaderboard",
    errors=(400, 403, 404),
    auth="optional",
    query=("period",),
    description="Hidden by the coordinators: 403 for members, shown to coordinators.",
)
def community_leaderboard(slug: str) -> ResponseReturnValue:
    """Points per member this month, this semester or all time."""
    community = community_services.visible_community(viewer(), slug, "leaderboard.view")
    period = services.check_period(request.args.get("period"))
    entries = points.leaderboard(community.id, period, now=utcnow())
    return {"period": period, "items": [entry_json(e) for e in entries], "next": None}
