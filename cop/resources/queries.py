"""Read helpers: library listings with filters and sorts, likes, search text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload

from cop.communities.models import Community
from cop.core import permissions
from cop.core.pagination import Page, SortKey, keyset_page
from cop.extensions import db
from cop.resources.models import Resource, ResourceLike

SORTS = ("newest", "downloads", "likes")


@dataclass
class LibraryFilters:
    """What a library can be narrowed by, and its order."""

    q: str = ""
    kind: str = ""
    subject: str = ""
    level: str = ""
    tag: str = ""
    featured: bool = False
    sort: str = "newest"


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _sort_keys(sort: str) -> list[SortKey]:
    if sort == "downloads":
        return [SortKey(Resource.download_count, True), SortKey(Resource.id, True)]
    if sort == "likes":
        return [SortKey(Resource.like_count, True), SortKey(Resource.id, True)]
    return [SortKey(Resource.id, True)]  # ids grow with time: newest first


def _key_of(sort: str) -> Any:
    if sort == "downloads":
        return lambda r: (r.download_count, r.id)
    if sort == "likes":
        return lambda r: (r.like_count, r.id)
    return lambda r: (r.id,)


def _filtered(stmt: Any, filters: LibraryFilters) -> Any:
    if filters.kind:
        stmt = stmt.where(Resource.kind == filters.kind)
    if filters.level:
        stmt = stmt.where(Resource.level == filters.level)
    if filters.subject:
        stmt = stmt.where(Resource.subject.ilike(_like(filters.subject.strip()), escape="\\"))
    if filters.tag:
        stmt = stmt.where(Resource.tags_text.like(_like(f",{filters.tag},"), escape="\\"))
    if filters.featured:
        stmt = stmt.where(Resource.featured.is_(True))
    if filters.q:
        for word in filters.q.split()[:8]:
            pattern = _like(word)
            stmt = stmt.where(
                or_(
                    Resource.title.ilike(pattern, escape="\\"),
                    Resource.description.ilike(pattern, escape="\\"),
                    Resource.subject.ilike(pattern, escape="\\"),
                    Resource.tags_text.ilike(pattern, escape="\\"),
                )
            )
    return stmt


def _page(stmt: Any, filters: LibraryFilters, cursor: str | None, limit: int) -> Page[Resource]:
    sort = filters.sort if filters.sort in SORTS else "newest"
    stmt = _filtered(stmt, filters).options(
        joinedload(Resource.uploader), joinedload(Resource.community)
    )
    return keyset_page(stmt, _sort_keys(sort), cursor=cursor, limit=limit, key_of=_key_of(sort))


def community_library(
    viewer: Any, community: Community, filters: LibraryFilters, *, cursor: str | None, limit: int
) -> Page[Resource]:
    """A community's resources (the caller checked the viewer may see its content)."""
    stmt = select(Resource).where(permissions.community_library_filter(viewer, community))
    return _page(stmt, filters, cursor, limit)


def public_library(
    viewer: Any, filters: LibraryFilters, *, cursor: str | None, limit: int
) -> Page[Resource]:
    """Resources shared with everyone, from every community."""
    stmt = select(Resource).where(permissions.public_library_filter())
    return _page(stmt, filters, cursor, limit)


def liked_ids(viewer: Any, resources: list[Resource]) -> set[int]:
    """Which of ``resources`` the viewer liked (one query)."""
    if not getattr(viewer, "is_authenticated", False) or not resources:
        return set()
    return set(
        db.session.scalars(
            select(ResourceLike.resource_id).where(
                ResourceLike.user_id == viewer.id,
                ResourceLike.resource_id.in_([r.id for r in resources]),
            )
        )
    )


def visible_filter(viewer: Any) -> ColumnElement[bool]:
    """A WHERE clause for resources ``viewer`` may see (the policy's twin of resource.view)."""
    return permissions.resource_visible_filter(viewer)


def search_text(resource: Resource) -> dict[str, Any]:
    """What a search index should hold for a resource (the search feature's integration point).

    ``title`` and ``body`` are the text; ``community_id`` and ``public`` decide who
    may see a hit (see ``visible_filter``); ``url`` is where a hit points.
    """
    parts = [resource.description, resource.subject, " ".join(resource.tags)]
    if resource.filename:
        parts.append(resource.filename)
    return {
        "type": "resource",
        "id": resource.id,
        "title": resource.title,
        "body": "\n".join(part for part in parts if part),
        "community_id": resource.community_id,
        "public": resource.public,
        "hidden": resource.hidden,
        "url": f"/resources/{resource.id}",
        "created_at": resource.created_at,
    }
