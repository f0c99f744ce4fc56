"""Read helpers: library listings with filters and sorts, likes, search text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import joinedload

from cop.communities.models import Community, Membership
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


def _hidden_filter(viewer: Any, moderates: bool) -> ColumnElement[bool]:
    if moderates:
        return true()
    if getattr(viewer, "is_authenticated", False):
        return or_(Resource.hidden.is_(False), Resource.uploader_id == viewer.id)
    return Resource.hidden.is_(False)


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
    moderates = permissions.can(viewer, "community.moderate", community)
    stmt = select(Resource).where(
        Resource.community_id == community.id, _hidden_filter(viewer, moderates)
    )
    return _page(stmt, filters, cursor, limit)


def public_library(
    viewer: Any, filters: LibraryFilters, *, cursor: str | None, limit: int
) -> Page[Resource]:
    """Resources shared with everyone, from every community."""
    stmt = select(Resource).where(Resource.public.is_(True), Resource.hidden.is_(False))
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
    """A WHERE clause for resources ``viewer`` may see (for search and other lists)."""
    if permissions.is_admin(viewer):
        return true()
    public = Resource.public.is_(True)
    open_communities = select(Community.id).where(Community.visibility == "public")
    if getattr(viewer, "is_authenticated", False):
        mine = select(Membership.community_id).where(
            Membership.user_id == viewer.id, Membership.status == "active"
        )
        moderated = select(Membership.community_id).where(
            Membership.user_id == viewer.id,
            Membership.status == "active",
            Membership.role.in_(("moderator", "coordinator")),
        )
        seen = or_(
            public, Resource.community_id.in_(open_communities), Resource.community_id.in_(mine)
        )
        not_hidden = or_(
            Resource.hidden.is_(False),
            Resource.uploader_id == viewer.id,
            Resource.community_id.in_(moderated),
        )
        return seen & not_hidden
    return or_(public, Resource.community_id.in_(open_communities)) & Resource.hidden.is_(False)


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
