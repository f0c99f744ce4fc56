"""Channels, messages and read markers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

KINDS = ("general", "meeting", "topic")
#: the longest message body, in characters
MAX_BODY = 4000
#: the longest client_id (a UUID is 36)
MAX_CLIENT_ID = 64
#: characters of the replied-to message quoted in a reply
QUOTE_LENGTH = 140


class Channel(db.Model):  # type: ignore[name-defined]
    """A chat room of a community: the general one, one per meeting, or a topic."""

    __tablename__ = "chat_channels"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default="general")
    # Meetings are another feature: a plain column, linked when that feature lands.
    meeting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Highest message id, kept by send_message (the row lock orders the ids).
    last_message_id: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()

    def __repr__(self) -> str:
        return f"<Channel {self.id} {self.name}>"


class Message(db.Model):  # type: ignore[name-defined]
    """One chat message; deleting keeps the row (ids stay gap-free for catch-up)."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_chat_messages_channel_id_id", "channel_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channels.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str] = mapped_column(String(MAX_CLIENT_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The message this one replies to (same channel; shown quoted, also in catch-up).
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="SET NULL"), nullable=True
    )

    author: Mapped[User | None] = relationship()
    channel: Mapped[Channel] = relationship()
    reply_to: Mapped[Message | None] = relationship(remote_side=[id])
    attachments: Mapped[list[Attachment]] = relationship(
        "Attachment", order_by="Attachment.id", viewonly=True
    )


class ChannelRead(db.Model):  # type: ignore[name-defined]
    """How far a user has read in a channel (for unread counts)."""

    __tablename__ = "chat_channel_reads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("chat_channels.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_id: Mapped[int] = mapped_column(Integer, default=0)


class Attachment(db.Model):  # type: ignore[name-defined]
    """A photo or file sent in a channel (cop/chat/attachments.py).

    Uploaded first (``message_id`` empty, seen only by its uploader), then sent
    with a message. Photos are stored re-encoded (resized, without EXIF) with a
    thumbnail; files as received, after the resource library's checks. The
    uploader's ``client_id`` makes a retried upload one row.
    """

    __tablename__ = "chat_attachments"
    __table_args__ = (UniqueConstraint("uploader_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("chat_channels.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), nullable=True, index=True
    )
    client_id: Mapped[str] = mapped_column(String(MAX_CLIENT_ID))
    kind: Mapped[str] = mapped_column(String(10))  # image, file
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80))
    thumb_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    channel: Mapped[Channel] = relationship()
