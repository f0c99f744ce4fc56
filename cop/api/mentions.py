"""API: whom the caller may @mention in a community (the editors' autocomplete)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import PARAMETERS, add_schemas, list_of, obj
from cop.api.views import bp
from cop.communities import services as community_services
from cop.core.errors import ValidationError
from cop.core.mentions import MAX_QUERY, MAX_SUGGESTIONS, mentionable
from cop.core.pagination import parse_limit
from cop.core.web import current

add_schemas(
    {
        "Mentionable": obj(
            {
                "id": {"type": "integer"},
                "username": {"type": "string", "description": "The handle, without the @."},
                "name": {"type": "string", "description": "The display name."},
            }
        ),
        "MentionableList": list_of(
            "Mentionable",
            "Members the caller may mention, by name; at most `limit` (no further pages: "
            "`next` is always null, type more to narrow).",
        ),
    }
)
PARAMETERS["mention_q"] = {
    "name": "q",
    "in": "query",
    "description": "The start of a handle or of a word of the name, with or without @ "
    "(empty: nobody).",
    "schema": {"type": "string", "maxLength": MAX_QUERY},
}
PARAMETERS["mention_limit"] = {
    "name": "limit",
    "in": "query",
    "description": f"At most this many people, 1 to {MAX_SUGGESTIONS}.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS, "default": 8},
}


def mentionable_json(user: Any) -> dict[str, Any]:
    """A person to mention ``{id, username, name}``."""
    return {"id": user.id, "username": user.username, "name": user.name}


def _query() -> str:
    """``?q=``: trimmed, without a leading "@"; 400 when too long or not text."""
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        message = _l("Type at most %(n)d characters to find someone.", n=MAX_QUERY)
        raise ValidationError(message, fields={"q": message}, code="bad_query")
    if "\x00" in q:
        raise ValidationError(fields={"q": _l("Contains a character that is not allowed.")})
    return q.lstrip("@").strip()


@bp.get("/communities/<slug>/mentionable")
@documented(
    "Members the caller may @mention",
    tag="communities",
    response="MentionableList",
    errors=(400, 401, 403, 404),
    query=("mention_q", "mention_limit"),
    description="Active members of the community (not the caller) whose handle or a word of "
    "whose name starts with `q`. Only members may mention: 403 for others who see the "
    "community's content, 404 for those who do not.",
)
def list_mentionable(slug: str) -> ResponseReturnValue:
    """People to suggest after "@" in the post editor and the chat box."""
    q = _query()
    limit = parse_limit(request.args.get("limit"), default=8)
    if limit > MAX_SUGGESTIONS:
        raise ValidationError(
            fields={"limit": _l("limit must be between 1 and %(max)d.", max=MAX_SUGGESTIONS)},
            code="bad_limit",
        )
    user = current()
    community = community_services.visible_community(user, slug, "community.mention")
    people = mentionable(user, community, q, limit)
    return {"items": [mentionable_json(person) for person in people], "next": None}
