"""The community's learning cycles tab: lesson studies, the mentoring pairs the viewer
may see, PTKs; each list keyset-paged."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from cop.communities import services as community_services
from cop.core import permissions, web
from cop.core.pagination import parse_limit
from cop.cycles import queries
from cop.cycles.views import bp


@bp.get("/c/<slug>/cycles")
def index(slug: str) -> ResponseReturnValue:
    """Lesson studies, mentoring pairs (only those the viewer may see) and PTKs."""
    user = web.viewer()
    community = community_services.visible_community(user, slug, "community.view_content")
    limit = parse_limit(request.args.get("limit"))
    return render_template(
        "cycles/index.html",
        community=community,
        studies=queries.lesson_studies(community, cursor=request.args.get("ls"), limit=limit),
        pairs=queries.pairs(user, community, cursor=request.args.get("mp"), limit=limit),
        ptks=queries.ptks(user, community, cursor=request.args.get("ptk"), limit=limit),
        participates=permissions.can(user, "community.participate", community),
        manages=permissions.can(user, "community.manage", community),
    )
