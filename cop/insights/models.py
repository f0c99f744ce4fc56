"""The dashboard's one table: when a quiet member was last reminded by a coordinator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db


class QuietReminder(db.Model):  # type: ignore[name-defined]
    """The last "we miss you" reminder a member of a community was sent: one row per
    member and community, so the database decides "at most once in 30 days"."""

    __tablename__ = "insights_quiet_reminders"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
