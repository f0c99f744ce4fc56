"""The PushSubscription table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db


class PushSubscription(db.Model):  # type: ignore[name-defined]
    """One browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys).

    The endpoint is unique: a browser that subscribes again (or for another member
    on a shared phone) replaces the old row. Removed when the push service answers
    404 or 410 (the subscription expired or was revoked in the browser).
    """

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(120))
    auth: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
