"""The search page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from cop.communities import services as community_services
from cop.core import web
from cop.core.errors import NotFound
from cop.discussions.forms import SearchForm
from cop.search import services

bp = Blueprint("search", __name__)


@bp.get("/search")
def index() -> ResponseReturnValue:
    """Search topics and posts the viewer may see, optionally in one community."""
    form = SearchForm(formdata=request.args)
    form.validate()
    viewer = web.viewer()
    community = None
    slug = (form.community.data or "").strip() if "community" not in form.errors else ""
    if slug:
        try:
            community = community_services.visible_community(viewer, slug, "community.view_content")
        except NotFound:
            community = None
    q = (form.q.data or "").strip() if "q" not in form.errors else ""
    hits = (
        services.search(viewer, q, community_id=community.id if community else None, limit=30)
        if q
        else []
    )
    return render_template(
        "search/index.html",
        form=form,
        q=q,
        hits=hits,
        community=community,
        slugs=services.community_slugs({h.community_id for h in hits}),
    )
