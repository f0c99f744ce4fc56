"""JSON shapes of the chat: a channel and a message, the same for the API, the
socket acks and the live broadcasts (DESIGN.md: add fields, never rename)."""

from __future__ import annotations

from typing import Any

from cop.chat.models import QUOTE_LENGTH
from cop.core.types import iso


def quote_json(parent: Any) -> dict[str, Any]:
    """The replied-to message as a reply quotes it ``{id, author: {id, name} | null,
    excerpt, deleted}``: the first QUOTE_LENGTH characters of its text."""
    author = parent.author
    deleted = parent.deleted_at is not None
    body = " ".join((parent.body or "").split())
    excerpt = "" if deleted else body[:QUOTE_LENGTH] + ("…" if len(body) > QUOTE_LENGTH else "")
    return {
        "id": parent.id,
        "author": {"id": author.id, "name": author.name} if author is not None else None,
        "excerpt": excerpt,
        "deleted": deleted,
    }


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


def attachment_json(attachment: Any) -> dict[str, Any]:
    """A photo or file ``{id, kind, filename, content_type, size, width, height, url,
    thumb_url}`` (thumb_url null for files); the urls check access on every request."""
    url = f"/chat/attachments/{attachment.id}"
    return {
        "id": attachment.id,
        "kind": attachment.kind,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "width": attachment.width,
        "height": attachment.height,
        "url": url,
        "thumb_url": f"{url}/thumb" if attachment.thumb_key else None,
    }


def chat_message_json(message: Any) -> dict[str, Any]:
    """A chat message ``{id, channel_id, author: {id, name}, body, html, created_at,
    edited_at, deleted_at, client_id, reply_to_id, reply_to}``; a deleted one keeps its id
    with no text. ``reply_to`` quotes the message replied to (null when none, or when the
    original is gone)."""
    author = message.author
    reply_to_id = message.reply_to_id
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
        "reply_to_id": reply_to_id,
        "attachments": []
        if message.deleted_at
        else [attachment_json(a) for a in message.attachments],
        "reply_to": quote_json(message.reply_to)
        if reply_to_id is not None and message.reply_to is not None
        else None,
    }
