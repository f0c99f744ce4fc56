"""Awards, the scored-actions ledger, its monthly rollup and the leaderboard setting.

The badge catalogue itself is data in code (cop/badges/catalogue.py); awards
name their badge by slug.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db


class Award(db.Model):  # type: ignore[name-defined]
    """A badge held by a user in a community (once; a repeatable one keeps a count)."""

    __tablename__ = "badge_awards"
    __table_args__ = (
        # The database decides under concurrency: one award per (user, badge, community).
        UniqueConstraint("user_id", "badge_slug", "community_id"),
        Index("ix_badge_awards_badge", "badge_slug", "awarded_at"),
        Index("ix_badge_awards_community", "community_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    badge_slug: Mapped[str] = mapped_column(String(40))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    #: how many times a repeatable badge is held (1 for the others)
    count: Mapped[int] = mapped_column(Integer, default=1)
    #: the metric's value when it was awarded or last recomputed
    value: Mapped[int] = mapped_column(Integer, default=0)
    #: what earned it: "post", "topic", "meeting", "resource", "action_item", "membership"
    subject_type: Mapped[str] = mapped_column(String(20), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revocation_reason: Mapped[str] = mapped_column(String(200), default="")
    #: salt of the Open Badges recipient hash (sha256 of email + salt)
    salt: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship()
    community: Mapped[Community] = relationship()

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


class ScoredAction(db.Model):  # type: ignore[name-defined]
    """One points event: who earned how much for what, once per subject key."""

    __tablename__ = "scored_actions"
    __table_args__ = (
        Index("ix_scored_actions_community_time", "community_id", "occurred_at"),
        Index("ix_scored_actions_daily", "community_id", "user_id", "day"),
        Index("ix_scored_actions_subject", "kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    #: the post, topic, meeting, action item or resource it is about (with ``kind``)
    subject_id: Mapped[int] = mapped_column(Integer)
    #: the weight of the kind
    points: Mapped[int] = mapped_column(Integer)
    #: what counted after the daily cap (0..points)
    credited: Mapped[int] = mapped_column(Integer)
    #: e.g. "like:12:7" (post 12 liked by user 7): an action scores once
    subject_key: Mapped[str] = mapped_column(String(80), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the day in WIB (UTC+7), for the daily cap
    day: Mapped[date] = mapped_column(Date)


class MonthlyPoints(db.Model):  # type: ignore[name-defined]
    """Credited points per (community, user, month), kept by the ledger's insert."""

    __tablename__ = "points_monthly"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id", "month"),
        Index("ix_points_monthly_board", "community_id", "month", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the first day of the month (WIB)
    month: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer, default=0)


class LeaderboardSetting(db.Model):  # type: ignore[name-defined]
    """A community's recognition settings: the coordinator may hide the leaderboard."""

    __tablename__ = "leaderboard_settings"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
