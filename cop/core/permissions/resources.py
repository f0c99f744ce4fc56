"""Resource rules, each "can see" rule beside its SQL listing twin.

The target is a Resource (cop.resources.models); its community may be None
for a resource shared with everyone outside any community. ``public``
resources are seen by everyone; the others follow their community's content
visibility. A hidden one (hidden by a moderator) stays visible to its
uploader, the community's moderators and site admins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from cop.communities.models import Community
from cop.core.permissions.base import (
    _has_role,
    _is_user,
    admin_sql,
    has_role_sql,
    is_admin,
    is_self_sql,
    register,
)
from cop.core.permissions.communities import _community_view_content, community_content_filter
from cop.resources.models import Resource


def _resource_moderates(user: Any, resource: Any) -> bool:
    """Hide and unhide: the community's moderators (and site admins)."""
    return is_admin(user) or (
        resource.community is not None and _has_role(user, resource.community, "moderator")
    )


def _moderates_sql(user: Any) -> ColumnElement[bool]:
    """SQL twin of :func:`_resource_moderates` (no community: NULL, never a match)."""
    return or_(admin_sql(user), has_role_sql(user, Resource.community_id, "moderator"))


def _resource_unhidden(user: Any, resource: Any) -> bool:
    """Not hidden, or hidden but seen by its moderators and its uploader."""
    return (
        not resource.hidden
        or _resource_moderates(user, resource)
        or (_is_user(user) and resource.uploader_id == user.id)
    )


def unhidden_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of :func:`_resource_unhidden`: hidden resources only for who may see them."""
    return or_(
        _moderates_sql(user),
        Resource.hidden.is_(False),
        is_self_sql(user, Resource.uploader_id),
    )


def _resource_view(user: Any, resource: Any) -> bool:
    """Public resources: everyone; others: who sees the community's content (none: admins)."""
    return _resource_unhidden(user, resource) and (
        resource.public
        or (resource.community is None and is_admin(user))
        or (resource.community is not None and _community_view_content(user, resource.community))
    )


def visible_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``resource.view``: the resources ``user`` may see (search, other lists)."""
    return and_(
        unhidden_filter(user),
        or_(
            Resource.public.is_(True),
            and_(Resource.community_id.is_(None), admin_sql(user)),
            Resource.community_id.in_(select(Community.id).where(community_content_filter(user))),
        ),
    )


def community_library_filter(user: Any, community: Community) -> ColumnElement[bool]:
    """A community's library: its resources that ``user`` sees, for a caller that
    checked ``community.view_content`` (then this is ``resource.view`` on them)."""
    return and_(Resource.community_id == community.id, unhidden_filter(user))


def public_library_filter() -> ColumnElement[bool]:
    """The shared library: public resources nobody hid. Every one of them is
    ``resource.view`` to everyone; hidden ones stay in their community's library."""
    return and_(Resource.public.is_(True), Resource.hidden.is_(False))


def _resource_like(user: Any, resource: Any) -> bool:
    """Any logged-in user who can see it."""
    return _is_user(user)


def _resource_feature(user: Any, resource: Any) -> bool:
    """Coordinators pick "pilihan pengurus" (site admins too)."""
    return is_admin(user) or (
        resource.community is not None and _has_role(user, resource.community, "coordinator")
    )


def _resource_remove(user: Any, resource: Any) -> bool:
    """The uploader (while still an active member), moderators and admins."""
    if _resource_moderates(user, resource):
        return True
    if not (_is_user(user) and resource.uploader_id == user.id):
        return False
    return resource.community is None or _has_role(user, resource.community, "member")


register(
    {
        "resource.view": (_resource_view, None),
        "resource.download": (_resource_view, "resource.view"),
        "resource.like": (_resource_like, "resource.view"),
        "resource.feature": (_resource_feature, "resource.view"),
        "resource.hide": (_resource_moderates, "resource.view"),
        "resource.remove": (_resource_remove, "resource.view"),
    },
    {"resource.view", "resource.download"},
)
