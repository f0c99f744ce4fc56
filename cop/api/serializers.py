"""Model -> JSON shapes of the API. Field names are part of the contract: add, never rename.

Each shape has a matching component schema in ``cop.api.openapi``; the tests
validate real responses against those schemas.
"""

from __future__ import annotations

from typing import Any

from cop.auth.models import ApiToken, User
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.core.types import iso
from cop.notifications.models import Notification


def user_json(user: User, viewer: User | None) -> dict[str, Any]:
    """A user; the email only for the user themselves and site admins."""
    data: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "locale": user.locale,
        "timezone": user.timezone,
    }
    if viewer is not None and (viewer.id == user.id or permissions.is_admin(viewer)):
        data["email"] = user.email
    return data


def token_json(token: ApiToken, raw: str) -> dict[str, Any]:
    """A new API token; ``token`` is the secret, shown this one time only."""
    return {
        "token": raw,
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": iso(token.created_at),
    }


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


def notification_json(notification: Notification) -> dict[str, Any]:
    """A notification ``{id, kind, title, url, created_at, read_at}``."""
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "url": notification.url,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


# --- chat ----------------------------------------------------------------------


def channel_json(channel: Any, community_slug: str, unread: int | None = None) -> dict[str, Any]:
    """A chat channel ``{id, community, name, kind, meeting_id, last_message_id, unread}``."""
    return {
        "id": channel.id,
        "community": community_slug,
        "name": channel.name,
        "kind": channel.kind,
        "meeting_id": channel.meeting_id,
        "last_message_id": channel.last_message_id or 0,
        "unread": unread or 0,
    }


def chat_message_json(message: Any) -> dict[str, Any]:
    """A chat message ``{id, channel_id, author: {id, name}, body, html, created_at,
    edited_at, deleted_at, client_id}``; a deleted one keeps its id with no text."""
    author = message.author
    return {
        "id": message.id,
        "channel_id": message.channel_id,
        "author": {"id": author.id, "name": author.name} if author is not None else None,
        "body": message.body,
        "html": message.html,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "deleted_at": iso(message.deleted_at),
        "client_id": message.client_id,
    }
