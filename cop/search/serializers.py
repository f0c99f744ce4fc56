"""JSON shape of a search hit ``{type, id, title, snippet, url, community}``."""

from __future__ import annotations

from typing import Any

from cop.search.services import Hit


def hit_json(hit: Hit, slugs: dict[int, str]) -> dict[str, Any]:
    """One hit; ``slugs`` maps community ids to slugs (``services.community_slugs``)."""
    return {
        "type": hit.type,
        "id": hit.id,
        "title": hit.title,
        "snippet": hit.snippet,
        "url": hit.url,
        "community": slugs.get(hit.community_id),
        "more": hit.more,
    }
