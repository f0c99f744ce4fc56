"""API: chat channels and message history (catch-up with after_id, scroll-back with before_id)."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import (
    DATE_TIME,
    NULLABLE_DATE_TIME,
    PARAMETERS,
    add_schemas,
    list_of,
    obj,
)
from cop.api.views import ID, bp
from cop.chat import attachments, queries, services
from cop.chat.models import MAX_BODY
from cop.chat.serializers import attachment_json, channel_json, chat_message_json
from cop.communities import services as community_services
from cop.core import permissions
from cop.core.errors import ValidationError
from cop.core.ids import MAX_ID, is_id
from cop.core.pagination import decode_cursor, encode_cursor, parse_limit
from cop.core.ratelimit import per_account_and_ip
from cop.core.web import current
from cop.resources import services as resource_services

add_schemas(
    {
        "Channel": obj(
            {
                "id": {"type": "integer"},
                "community": {"type": "string", "description": "The community's slug."},
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["general", "meeting", "topic"]},
                "meeting_id": {"type": ["integer", "null"]},
                "last_message_id": {"type": "integer", "description": "0 when empty."},
                "unread": {"type": "integer", "description": "Unread messages for the caller."},
            }
        ),
        "ChannelList": list_of("Channel", "The community's chat channels, general first."),
        "ChatMessage": obj(
            {
                "id": {"type": "integer"},
                "channel_id": {"type": "integer"},
                "author": {
                    "anyOf": [
                        obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
                        {"type": "null"},
                    ]
                },
                "body": {"type": "string", "maxLength": MAX_BODY, "description": "Markdown."},
                "html": {"type": "string", "description": "Sanitised HTML of the body."},
                "created_at": DATE_TIME,
                "edited_at": NULLABLE_DATE_TIME,
                "deleted_at": {
                    **NULLABLE_DATE_TIME,
                    "description": "Set when deleted; body and html are then empty.",
                },
                "client_id": {"type": "string", "description": "The sender's idempotency key."},
                "attachments": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ChatAttachment"},
                    "description": "Photos and files sent with the message (empty once deleted).",
                },
                "reply_to_id": {
                    "type": ["integer", "null"],
                    "description": "The message this one replies to (same channel).",
                },
                "reply_to": {
                    "anyOf": [
                        obj(
                            {
                                "id": {"type": "integer"},
                                "author": {
                                    "anyOf": [
                                        obj(
                                            {
                                                "id": {"type": "integer"},
                                                "name": {"type": "string"},
                                            }
                                        ),
                                        {"type": "null"},
                                    ]
                                },
                                "excerpt": {
                                    "type": "string",
                                    "description": "The start of its text (empty once deleted).",
                                },
                                "deleted": {"type": "boolean"},
                            }
                        ),
                        {"type": "null"},
                    ],
                    "description": "The quoted message; null when not a reply.",
                },
            }
        ),
        "ChatUnread": obj(
            {
                "total": {
                    "type": "integer",
                    "description": "Unread messages over all the caller's channels, counted "
                    "up to 100 (shown as 99+).",
                },
                "items": {
                    "type": "array",
                    "description": "The channels with unread messages.",
                    "items": obj(
                        {"channel_id": {"type": "integer"}, "unread": {"type": "integer"}}
                    ),
                },
            }
        ),
        "ChatMessageList": list_of(
            "ChatMessage", "Messages oldest first; `next` continues in the same direction."
        ),
    }
)
for _name, _text in (
    ("after_id", "Messages after this id, oldest first (catch-up after a reconnect)."),
    (
        "before_id",
        "The messages just before this id (scroll-back); without either, the latest. "
        "Not together with after_id (400).",
    ),
):
    PARAMETERS[_name] = {
        "name": _name,
        "in": "query",
        "description": _text,
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    }


@bp.get("/communities/<slug>/channels")
@documented(
    "A community's chat channels",
    tag="chat",
    response="ChannelList",
    errors=(404,),
)
def list_channels(slug: str) -> ResponseReturnValue:
    """Members (and site admins) see the channels with their unread counts."""
    user = current()
    community = community_services.visible_community(user, slug, "chat.view_community")
    services.ensure_general_channel(community)
    channels = queries.channels_of(community.id)
    unread = queries.unread_counts(user.id, [c.id for c in channels])
    return {
        "items": [channel_json(c, community.slug, unread.get(c.id)) for c in channels],
        "next": None,
    }


@bp.get("/chat/unread")
@documented(
    "The caller's unread chat messages, in all and per channel",
    tag="chat",
    response="ChatUnread",
    errors=(401,),
)
def chat_unread() -> ResponseReturnValue:
    """What the header and the channel tabs show; pages refresh it while visible."""
    user = current()
    channel_ids = [c.id for c in queries.channels_of_user(user.id)]
    unread = queries.unread_counts(user.id, channel_ids)
    return {
        # the same count as the header's unread_total, capped the same way
        "total": min(sum(unread.values()), queries.UNREAD_CAP + 1),
        "items": [{"channel_id": c, "unread": n} for c, n in sorted(unread.items()) if n],
    }


def _id_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    # plain ASCII digits only: int() would also read "1_0", " 7 " and other scripts' digits
    value = int(raw) if raw.isascii() and raw.isdigit() else -1
    if not is_id(value, allow_zero=True):
        raise ValidationError(fields={name: _l("Must be a whole number.")})
    return value


@bp.get(f"/channels/<{ID}:channel_id>/messages")
@documented(
    "A channel's message history",
    tag="chat",
    response="ChatMessageList",
    errors=(400, 404),
    query=("after_id", "before_id", "limit", "cursor"),
)
def list_messages(channel_id: int) -> ResponseReturnValue:
    """Keyset by id: ``after_id`` for catch-up, ``before_id`` for scroll-back."""
    user = current()
    channel = permissions.visible(
        user, "chat.view", queries.channel(channel_id), missing=queries.CHANNEL_UNKNOWN
    )
    limit = parse_limit(request.args.get("limit"), default=50)
    after_id, before_id = _id_arg("after_id"), _id_arg("before_id")
    cursor = request.args.get("cursor")
    if cursor:
        direction, anchor = decode_cursor(cursor[:200], 2)
        if direction not in ("after", "before") or not isinstance(anchor, int):
            raise ValidationError(_l("The page cursor is not valid."), code="bad_cursor")
        after_id, before_id = (anchor, None) if direction == "after" else (None, anchor)
    if after_id is not None and before_id is not None:
        raise ValidationError(
            fields={"before_id": _l("Use either after_id or before_id, not both.")}
        )
    if after_id is not None:
        rows = queries.messages_after(channel.id, after_id, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(["after", rows[-1].id]) if more else None
    else:
        rows = queries.messages_before(channel.id, before_id, limit + 1)
        more = len(rows) > limit
        rows = rows[1:] if more else rows
        next_cursor = encode_cursor(["before", rows[0].id]) if more else None
    return {"items": [chat_message_json(m) for m in rows], "next": next_cursor}


add_schemas(
    {
        "ChatAttachment": obj(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "enum": ["image", "file"]},
                "filename": {"type": "string"},
                "content_type": {"type": "string"},
                "size": {"type": "integer", "description": "Bytes, as stored."},
                "width": {"type": ["integer", "null"]},
                "height": {"type": ["integer", "null"]},
                "url": {"type": "string", "description": "The photo or file (access-checked)."},
                "thumb_url": {"type": ["string", "null"], "description": "Photos: a thumbnail."},
            }
        ),
        "ChatAttachmentUpload": {
            "type": "object",
            "required": ["file", "client_id"],
            "description": "Send multipart/form-data with `file` and `client_id` (a retry with "
            "the same client_id answers with the first upload). Then send a message with "
            "`attachment_id` over the socket (`message:send`).",
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "client_id": {"type": "string", "maxLength": 64},
            },
        },
    }
)


@bp.post(f"/channels/<{ID}:channel_id>/attachments")
@documented(
    "Upload a photo or file to send in a channel",
    tag="chat",
    status=201,
    body="ChatAttachmentUpload",
    media="multipart/form-data",
    response="ChatAttachment",
    errors=(400, 403, 404, 413),
    also=((200, "The first upload with this client_id (a retry)."),),
    description="The resource library's checks (types, content sniffing, COP_MAX_UPLOAD_MB). "
    "Photos are resized to at most 1600 px, stored without EXIF (no GPS location) and get "
    "a thumbnail. 200 with the first upload when `client_id` repeats.",
    rate_limited=True,
)
@per_account_and_ip("upload", "UPLOAD_RATE_LIMIT")
def upload_attachment(channel_id: int) -> ResponseReturnValue:
    """Members who may write in the channel."""
    user = current()
    channel = permissions.visible(
        user, "chat.send", queries.channel(channel_id), missing=queries.CHANNEL_UNKNOWN
    )
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(fields={"file": _l("Choose a photo or file to send.")})
    attachment, created = attachments.receive(
        user,
        channel,
        resource_services.Upload(upload.stream, upload.filename),
        request.form.get("client_id"),
    )
    return attachment_json(attachment), 201 if created else 200
