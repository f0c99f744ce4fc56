"""The notification tables: notifications, preferences, quiet hours, mutes, digests, bounces."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.i18n import render_portable
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

#: the key in ``Notification.data`` that keeps the title as a message (core.i18n.portable)
TITLE_MESSAGE = "title_message"

#: the rows the "one unread notification per dedup key" index covers; ``notify``
#: repeats it in its ON CONFLICT clause, which must name the same partial index
UNREAD_DEDUP_WHERE = "read_at IS NULL AND dedup_key IS NOT NULL"


class Notification(db.Model):  # type: ignore[name-defined]
    """Something a user should know about; ``title`` is in the recipient's language.

    ``title`` is rendered when the notification is made; ``text`` renders it again
    in the language of the moment (a member who switched language reads the bell,
    the digest and later mail in the new one), from the message kept in ``data``.

    ``dedup_key`` (e.g. ``flag:post:7``) names what a notification is about when
    a repeat would tell the user nothing new: the database keeps at most one
    unread notification per user and key, however many transactions try at
    once. Once read, the row leaves the index and the next repeat is news again.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index(
            "ux_notifications_user_id_dedup_key_unread",
            "user_id",
            "dedup_key",
            unique=True,
            sqlite_where=text(UNREAD_DEDUP_WHERE),
            postgresql_where=text(UNREAD_DEDUP_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), nullable=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dedup_key: Mapped[str | None] = mapped_column(String(120), nullable=True)

    @property
    def text(self) -> str:
        """The title in the current language (as stored where it can't be rendered again)."""
        return render_portable((self.data or {}).get(TITLE_MESSAGE), self.title)

    @property
    def is_read(self) -> bool:
        """True once the user opened or dismissed it."""
        return self.read_at is not None


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """How one member hears of one preference kind (cop/notifications/kinds.py).

    Only changed defaults are stored: a member without rows gets the kinds' defaults.
    ``email`` is one of ``off``, ``immediate``, ``daily``, ``weekly``.
    """

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    inapp: Mapped[bool] = mapped_column(Boolean, default=True)
    push: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str] = mapped_column(String(16), default="immediate")


class NotificationSettings(db.Model):  # type: ignore[name-defined]
    """A member's quiet hours, in their own zone (``User.timezone``), as minutes of the day.

    Between ``quiet_start`` and ``quiet_end`` (which may wrap past midnight)
    nothing is pushed or mailed immediately: it waits until the end.
    """

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    quiet_start: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    quiet_end: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class CommunityMute(db.Model):  # type: ignore[name-defined]
    """A member muted a community: its notifications are kept, silently, and sent nowhere."""

    __tablename__ = "community_mutes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DigestSent(db.Model):  # type: ignore[name-defined]
    """The claim of one digest: member, period (daily/weekly) and period key, once.

    The unique constraint is what makes two digest runners send each digest
    once: the loser's INSERT fails and it moves on. ``until`` is where the next
    digest of the same period starts reading.
    """

    __tablename__ = "digests_sent"
    __table_args__ = (UniqueConstraint("user_id", "period", "period_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    period_key: Mapped[str] = mapped_column(String(12))
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    items: Mapped[int] = mapped_column(Integer, default=0)


class MailBounce(db.Model):  # type: ignore[name-defined]
    """An address the mail server refused for good (5xx): cop stops mailing it.

    Kept by address, so a member who fixes their address is mailed again; the
    preferences page shows it with a button to try again.
    """

    __tablename__ = "mail_bounces"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    bounced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
