"""The search page (the header's search box sends its GET form here)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from cop.communities import queries as community_queries
from cop.communities import services as community_services
from cop.core import web
from cop.core.errors import NotFound
from cop.search import services
from cop.search.forms import SearchForm

bp = Blueprint("search", __name__)

#: results are shown in these sections, in this order
SECTIONS = (
    ("discussion", ("topic", "post")),
    ("resource", ("resource",)),
    ("meeting", ("meeting",)),
)


def _filters(form: SearchForm) -> tuple[str, Any, str]:
    """The query, the community (visible to the viewer, else none) and the kind."""
    viewer = web.viewer()
    community = None
    slug = (form.community.data or "").strip() if "community" not in form.errors else ""
    if slug:
        try:
            community = community_services.visible_community(viewer, slug, "community.view_content")
        except NotFound:
            community = None
    q = (form.q.data or "").strip() if "q" not in form.errors else ""
    kind = form.kind.data if form.kind.data in services.KIND_FILTERS else ""
    return q, community, kind


@bp.get("/search")
def index() -> ResponseReturnValue:
    """Search what the viewer may see: grouped by kind, one hit per topic and series."""
    form = SearchForm(formdata=request.args)
    form.validate()
    q, community, kind = _filters(form)
    viewer = web.viewer()
    hits = services.grouped(
        viewer, q, community_id=community.id if community else None, limit=30, kind=kind or None
    )
    sections = [(name, [h for h in hits if h.type in types]) for name, types in SECTIONS]
    memberships = community_queries.my_memberships(viewer) if viewer else []
    return render_template(
        "search/index.html",
        form=form,
        q=q,
        kind=kind,
        hits=hits,
        sections=[(name, items) for name, items in sections if items],
        community=community,
        communities=[m.community for m in memberships if m.status == "active"],
        community_names=services.community_names({h.community_id for h in hits}),
    )
