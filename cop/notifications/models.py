"""The Notification table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

#: the rows the "one unread notification per dedup key" index covers; ``notify``
#: repeats it in its ON CONFLICT clause, which must name the same partial index
UNREAD_DEDUP_WHERE = "read_at IS NULL AND dedup_key IS NOT NULL"


class Notification(db.Model):  # type: ignore[name-defined]
    """Something a user should know about; ``title`` is in the recipient's language.

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
    def is_read(self) -> bool:
        """True once the user opened or dismissed it."""
        return self.read_at is not None
