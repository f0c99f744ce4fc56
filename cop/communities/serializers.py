"""JSON shapes of communities and memberships (API and sockets share them).

Field names are part of the contract (DESIGN.md): add, never rename. Each shape
has a matching component schema in ``cop.api.openapi``.
"""

from __future__ import annotations

from typing import Any

from cop.communities.models import Community, Membership
from cop.core.types import iso


def my_membership_json(membership: Membership | None) -> dict[str, Any] | None:
    """The caller's own place in a community: ``{role, status}`` or None."""
    if membership is None:
        return None
    return {"role": membership.role, "status": membership.status}


def community_json(community: Community, membership: Membership | None) -> dict[str, Any]:
    """A community, with the caller's membership (None when not a member or anonymous)."""
    return {
        "id": community.id,
        "slug": community.slug,
        "name": community.name,
        "kind": community.kind,
        "visibility": community.visibility,
        "subject": community.subject,
        "level": community.level,
        "region": community.region,
        "province": community.province,
        "city": community.city,
        "description": community.description,
        "member_count": community.member_count,
        "created_at": iso(community.created_at),
        "my_membership": my_membership_json(membership),
    }


def membership_json(membership: Membership, community: Community) -> dict[str, Any]:
    """A membership: who, where, which role and status."""
    return {
        "user_id": membership.user_id,
        "community": community.slug,
        "role": membership.role,
        "status": membership.status,
        "joined_at": iso(membership.joined_at),
    }


def member_json(membership: Membership) -> dict[str, Any]:
    """An entry of a member list (``membership.user`` must be loaded with it)."""
    user = membership.user
    return {
        "user_id": membership.user_id,
        "name": user.name,
        "username": user.username,
        "role": membership.role,
        "status": membership.status,
        "joined_at": iso(membership.joined_at),
    }
