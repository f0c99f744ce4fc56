"""JSON shapes of the chat: a channel and a message, the same for the API, the
socket acks and the live broadcasts (DESIGN.md: add fields, never rename)."""

from __future__ import annotations

from typing import Any

from cop.core.types import iso


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
