"""API: search what the caller may see (posts, topics, resources, meetings)."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import PARAMETERS, add_schemas, list_of, obj
from cop.api.views import bp, query_text
from cop.communities import services as community_services
from cop.core.errors import ValidationError
from cop.core.pagination import parse_limit
from cop.core.web import viewer
from cop.search import services as search
from cop.search.serializers import hit_json

add_schemas(
    {
        "SearchHit": obj(
            {
                "type": {"type": "string", "description": "topic, post, resource, meeting"},
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "snippet": {
                    "type": "string",
                    "description": "Escaped text; the only markup is <mark> around matches.",
                },
                "url": {"type": "string"},
                "community": {"type": ["string", "null"]},
                "more": {
                    "type": "integer",
                    "description": "With grouped=1: how many more hits of the same topic or "
                    "meeting series this one stands for.",
                },
            }
        ),
        "SearchResults": list_of("SearchHit", "Best match first; next is always null."),
    }
)
PARAMETERS["search_q"] = {
    "name": "q",
    "in": "query",
    "required": True,
    "description": "Words to find (operators and punctuation are ignored).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
}
PARAMETERS["search_kind"] = {
    "name": "kind",
    "in": "query",
    "description": "Only one kind: discussion (topics and posts), resource, meeting.",
    "schema": {"type": "string", "enum": sorted(search.KIND_FILTERS)},
}
PARAMETERS["search_grouped"] = {
    "name": "grouped",
    "in": "query",
    "description": "1: one hit per topic and per meeting series, with `more`.",
    "schema": {"type": "string", "enum": ["0", "1"]},
}
PARAMETERS["search_community"] = {
    "name": "community",
    "in": "query",
    "description": "Only this community (its slug).",
    "schema": {"type": "string", "maxLength": 80},
}


@bp.get("/search")
@documented(
    "Search what the caller may see",
    tag="search",
    response="SearchResults",
    errors=(400, 404),
    auth="optional",
    query=("search_q", "search_community", "search_kind", "search_grouped", "limit"),
)
def search_api() -> ResponseReturnValue:
    """Ranked hits with highlighted snippets; ``community`` narrows to one community."""
    user = viewer()
    q = query_text("q")
    if not q:
        raise ValidationError(fields={"q": _l("Enter words to search for.")})
    slug = query_text("community", 80)
    community_id = None
    if slug:
        community = community_services.visible_community(user, slug, "community.view_content")
        community_id = community.id
    kind = query_text("kind", 20) or None
    if kind is not None and kind not in search.KIND_FILTERS:
        raise ValidationError(fields={"kind": _l("Choose discussion, resource or meeting.")})
    grouped = request.args.get("grouped", "0")
    if grouped not in ("0", "1"):
        raise ValidationError(fields={"grouped": _l("Choose 0 or 1.")})
    find = search.grouped if grouped == "1" else search.search
    hits = find(
        user, q, community_id=community_id, limit=parse_limit(request.args.get("limit")), kind=kind
    )
    slugs = search.community_slugs({h.community_id for h in hits})
    return {"items": [hit_json(h, slugs) for h in hits], "next": None}
