"""Writing chat: channels, messages (idempotent on client_id), edits, deletes, read markers.

A stored, edited or deleted message sends its chat signal after the commit: the
channel's sockets hear of it (cop/chat/handlers.py) and members named with @ are
notified (cop/notifications/handlers.py), whichever edge acted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Result, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from cop import signals
from cop.auth.models import User
from cop.chat import queries
from cop.chat.models import MAX_BODY, MAX_CLIENT_ID, Attachment, Channel, ChannelRead, Message
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, ValidationError
from cop.core.mentions import render_with_mentions
from cop.core.types import utcnow
from cop.extensions import db

CLIENT_ID_RE = re.compile(rf"^[A-Za-z0-9._:-]{{1,{MAX_CLIENT_ID}}}$")
MAX_NAME = 80
GENERAL_NAME = "umum"


def check_body(body: Any, *, allow_empty: bool = False) -> str:
    """A message body: a non-blank string of at most MAX_BODY characters (blank is
    allowed for a photo or file sent alone)."""
    if allow_empty and body is None:
        body = ""
    if not isinstance(body, str) or "\x00" in body:
        raise ValidationError(_l("The message must be text."), code="bad_body")
    body = body.strip()
    if not body and not allow_empty:
        raise ValidationError(_l("The message is empty."), code="empty_body")
    if len(body) > MAX_BODY:
        raise ValidationError(
            _l("A message can have at most %(n)d characters.", n=MAX_BODY), code="body_too_long"
        )
    return body


def check_client_id(client_id: Any) -> str:
    """The sender's idempotency key: 1-64 letters, digits and ``._:-`` (a UUID fits)."""
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise ValidationError(
            _l("client_id must be 1-%(n)d letters, digits or ._:- characters.", n=MAX_CLIENT_ID),
            code="bad_client_id",
        )
    return client_id


def ensure_general_channel(community: Community) -> Channel:
    """The community's general channel, created on first need (old communities too)."""
    found = db.session.scalar(
        select(Channel).where(Channel.community_id == community.id, Channel.kind == "general")
    )
    if found is not None:
        return found
    try:
        with unit_of_work():
            channel = Channel(community_id=community.id, name=GENERAL_NAME, kind="general")
            db.session.add(channel)
    except IntegrityError:
        # Another request created it at the same moment.
        found = db.session.scalar(
            select(Channel).where(Channel.community_id == community.id, Channel.kind == "general")
        )
        if found is None:
            raise
        return found
    return channel


def meeting_channel(actor: User, community: Community, meeting_id: int, title: str) -> Channel:
    """The channel of one meeting, created on first need by any member."""
    permissions.authorize(actor, "community.participate", community)

    def find() -> Channel | None:
        return db.session.scalar(
            select(Channel).where(
                Channel.community_id == community.id,
                Channel.kind == "meeting",
                Channel.meeting_id == meeting_id,
            )
        )

    found = find()
    if found is not None:
        return found
    name = f"{title.strip()[: MAX_NAME - 8]} #{meeting_id}"
    try:
        with unit_of_work():
            channel = Channel(
                community_id=community.id, name=name, kind="meeting", meeting_id=meeting_id
            )
            db.session.add(channel)
    except IntegrityError:
        # A second click raced the first one: use the channel it made.
        found = find()
        if found is None:
            raise
        return found
    return channel


def create_channel(actor: User, community: Community, name: str, kind: str = "topic") -> Channel:
    """Add a channel (coordinators); names are unique within the community."""
    permissions.authorize(actor, "chat.manage_channels", community)
    name = (name or "").strip().lstrip("#").strip()
    if not name or len(name) > MAX_NAME or "\x00" in name:
        raise ValidationError(
            fields={"name": _l("Give the channel a name of at most %(n)d characters.", n=MAX_NAME)}
        )
    exists = db.session.scalar(
        select(Channel.id).where(Channel.community_id == community.id, Channel.name == name)
    )
    if exists:
        raise Conflict(_l("A channel with this name already exists."), code="channel_exists")
    try:
        with unit_of_work():
            channel = Channel(community_id=community.id, name=name, kind=kind)
            db.session.add(channel)
    except IntegrityError as exc:
        raise Conflict(
            _l("A channel with this name already exists."), code="channel_exists"
        ) from exc
    return channel


# Built once: sending is the hottest write (statement building costs more than SQLite).
_LOCK_CHANNEL = select(Channel.id).where(Channel.id == bindparam("channel_id")).with_for_update()
_MESSAGES = Message.__table__
#: Plain Core (the ORM's insert machinery costs more than the database's own work).
#: A resend of a client_id inserts nothing and returns no row: no error to recover
#: from, so this also works inside a larger transaction. SQLite: the insert, then
#: the channel's last id.
_INSERT_MESSAGE = (
    sqlite.insert(_MESSAGES)
    .on_conflict_do_nothing(index_elements=["author_id", "client_id"])
    .returning(_MESSAGES.c.id)
)
_SET_LAST_MESSAGE = (
    update(Channel.__table__)
    .where(Channel.__table__.c.id == bindparam("channel_id"))
    .values(last_message_id=bindparam("message_id"))
)
_ROW = ("channel_id", "author_id", "body", "html", "client_id", "created_at", "reply_to_id")
_INSERTED = (
    postgresql.insert(_MESSAGES)
    .values({column: bindparam(f"new_{column}") for column in _ROW})
    .on_conflict_do_nothing(index_elements=["author_id", "client_id"])
    .returning(_MESSAGES.c.id, _MESSAGES.c.channel_id)
    .cte("inserted")
)
#: PostgreSQL: the same insert and the last id in one statement (one round trip)
_INSERT_AND_SET_LAST = (
    update(Channel.__table__)
    .where(Channel.__table__.c.id == _INSERTED.c.channel_id)
    .values(last_message_id=_INSERTED.c.id)
    .returning(_INSERTED.c.id)
)


def prepare_message(
    author: User,
    channel_id: int,
    body: Any,
    client_id: Any,
    reply_to_id: int | None = None,
    *,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """A checked message row, rendered, ready for ``insert_message`` (ValidationError
    for a bad body or client_id). Queries only when the body names someone.
    ``reply_to_id`` is checked by the caller (``check_reply_to``)."""
    body = check_body(body, allow_empty=allow_empty)
    client_id = check_client_id(client_id)
    return {
        "channel_id": channel_id,
        "author_id": author.id,
        "body": body,
        "html": render_with_mentions(body),
        "client_id": client_id,
        "created_at": utcnow(),
        "reply_to_id": reply_to_id,
    }


def insert_message(
    execute: Callable[..., Result[Any]], dialect: str, row: dict[str, Any], *, locked: bool = False
) -> int | None:
    """Store a prepared row in the caller's transaction, through ``execute`` (a Session's
    or a Connection's): the new id, or None when the author already sent this
    client_id (a resend writes nothing). ``locked``: the caller already holds the
    channel row's lock (PostgreSQL)."""
    if dialect == "sqlite":
        # BEGIN IMMEDIATE already lets one writer at a time in, so ids are handed
        # out in commit order.
        message_id = execute(_INSERT_MESSAGE, row).scalar()
        if message_id is not None:
            execute(_SET_LAST_MESSAGE, {"channel_id": row["channel_id"], "message_id": message_id})
        return cast(int | None, message_id)
    if not locked:
        # Lock the channel row first: ids are then handed out in commit order
        # within a channel, so "give me what came after id N" never misses a
        # message that committed later with a smaller id.
        execute(_LOCK_CHANNEL, {"channel_id": row["channel_id"]})
    params = {f"new_{column}": row[column] for column in _ROW}
    return cast(int | None, execute(_INSERT_AND_SET_LAST, params).scalar())


def stored_message(row: dict[str, Any], message_id: int, author: User) -> Message:
    """The message just stored, as an object, without reading it back."""
    message = Message(id=message_id, edited_at=None, deleted_at=None, **row)
    set_committed_value(message, "author", author)
    if row.get("reply_to_id") is None:
        set_committed_value(message, "reply_to", None)
    set_committed_value(message, "attachments", [])
    return message


def check_reply_to(channel: Channel, reply_to_id: Any) -> Message | None:
    """The message a reply quotes: None for no reply; ValidationError (``bad_reply``)
    unless it is a live message of the same channel (a deleted, unknown or other
    channel's message cannot be replied to)."""
    if reply_to_id is None:
        return None
    if type(reply_to_id) is not int or reply_to_id < 1:
        raise ValidationError(_l("reply_to_id must be a message id."), code="bad_reply")
    parent = queries.reply_target(channel.id, reply_to_id)
    if parent is None:
        raise ValidationError(
            _l("That message cannot be replied to: it was deleted or is not in this channel."),
            code="bad_reply",
        )
    return parent


def check_attachment(author: User, channel: Channel, attachment_id: Any) -> Attachment | None:
    """The photo or file to send with a message: None for none; ValidationError
    (``bad_attachment``) unless the author uploaded it to this channel and has not
    sent it yet."""
    if attachment_id is None:
        return None
    if type(attachment_id) is not int or attachment_id < 1:
        raise ValidationError(_l("attachment_id must be an attachment id."), code="bad_attachment")
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.uploader_id != author.id
        or attachment.channel_id != channel.id
        or attachment.message_id is not None
    ):
        raise ValidationError(
            _l("That photo or file cannot be sent here: upload it again."), code="bad_attachment"
        )
    return attachment


def send_message(
    author: User,
    channel: Channel,
    body: Any,
    client_id: Any,
    reply_to_id: Any = None,
    attachment_id: Any = None,
) -> tuple[Message, bool]:
    """Store a message, possibly a reply to ``reply_to_id`` (a message of the same
    channel); returns (message, created). The same client_id again returns the
    first message and stores nothing (a resend after a lost ack).

    The chat's plain messages usually take the fast path (cop/chat/fastsend.py),
    which shares prepare/insert/stored_message; this is the general one.
    """
    permissions.authorize(author, "chat.send", channel)
    # A resend of a reply whose original was deleted since still answers with the
    # first message: look for the client_id before refusing the reply.
    try:
        parent = check_reply_to(channel, reply_to_id)
        attachment = check_attachment(author, channel, attachment_id)
    except ValidationError:
        if isinstance(client_id, str):
            earlier = queries.find_by_client_id(author.id, client_id)
            if earlier is not None and earlier.channel_id == channel.id:
                return earlier, False
        raise
    # No lookup of client_id first: the unique (author_id, client_id) constraint
    # makes a resend insert nothing below, and the common case saves a query.
    row = prepare_message(
        author,
        channel.id,
        body,
        client_id,
        parent.id if parent else None,
        allow_empty=attachment is not None,
    )
    with unit_of_work():
        message_id = insert_message(db.session.execute, db.engine.dialect.name, row)
        if message_id is None:
            # A resend of the same client_id (a lost ack, or a race between two
            # connections): the first message stands and is the answer.
            existing = queries.find_by_client_id(author.id, row["client_id"])
            if existing is None:  # the conflicting row is this author's: a bug if not
                raise RuntimeError(f"client_id {row['client_id']!r} conflicted but has no message")
            return existing, False
        message = stored_message(row, message_id, author)
        set_committed_value(message, "reply_to", parent)
        if attachment is not None:
            claimed = db.session.execute(
                update(Attachment)
                .where(Attachment.id == attachment.id, Attachment.message_id.is_(None))
                .values(message_id=message_id)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(_l("That photo or file was already sent."), code="bad_attachment")
            attachment.message_id = message_id
            set_committed_value(message, "attachments", [attachment])
        signals.send_after_commit(
            signals.message_sent, message, message=message, channel=channel, author=author
        )
    return message, True


def edit_message(actor: User, message: Message, body: Any) -> Message:
    """Change the text of one's own message."""
    permissions.authorize(actor, "chat.edit_message", message)
    body = check_body(body)
    if message.deleted_at is not None:
        raise Conflict(_l("That message was deleted."), code="message_deleted")
    with unit_of_work():
        message.body = body
        message.html = render_with_mentions(body)
        message.edited_at = utcnow()
        db.session.add(message)
        signals.send_after_commit(signals.message_edited, message, message=message, actor=actor)
    return message


def delete_message(actor: User, message: Message) -> Message:
    """Delete one's own message (moderators: any); the row stays as a tombstone."""
    permissions.authorize(actor, "chat.delete_message", message)
    if message.deleted_at is None:
        with unit_of_work():
            message.deleted_at = utcnow()
            message.body = ""
            message.html = ""
            db.session.add(message)
            signals.send_after_commit(
                signals.message_deleted, message, message=message, actor=actor
            )
    return message


def mark_read(user: User, channel: Channel, message_id: int) -> int:
    """Move the user's read marker forward to ``message_id`` (never back); returns it."""
    permissions.authorize(user, "chat.view", channel)
    message_id = min(int(message_id), channel.last_message_id or 0)
    for _attempt in range(2):
        try:
            with unit_of_work():
                marker = db.session.get(ChannelRead, (user.id, channel.id))
                if marker is None:
                    marker = ChannelRead(user_id=user.id, channel_id=channel.id, last_read_id=0)
                    db.session.add(marker)
                if message_id > marker.last_read_id:
                    marker.last_read_id = message_id
                return marker.last_read_id
        except IntegrityError:
            continue  # the marker was created concurrently: update it on the retry
    return message_id
