"""Communities and memberships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

KINDS = ("KKG", "MGMP", "KOMBEL", "OTHER")
LEVELS = ("SD", "SMP", "SMA", "SMK")
VISIBILITIES = ("public", "private", "hidden")
ROLES = ("member", "moderator", "coordinator")
STATUSES = ("active", "pending", "banned")

#: a community's standing on the site: ``active``; ``pending`` (waiting for a site admin's
#: approval, when the site asks for it) and ``rejected`` (with the reason): seen by its
#: members and site admins only; ``archived``: read-only for its members, out of listings
COMMUNITY_STATUSES = ("active", "pending", "rejected", "archived")

#: rank of each role, for "at least moderator" checks
ROLE_RANK = {"member": 1, "moderator": 2, "coordinator": 3}


class Community(db.Model):  # type: ignore[name-defined]
    """A teacher community: a KKG gugus, an MGMP, a komunitas belajar..."""

    __tablename__ = "communities"
    __table_args__ = (Index("ix_communities_kind_level", "kind", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(80), default="")
    level: Mapped[str | None] = mapped_column(String(8), nullable=True)
    province: Mapped[str] = mapped_column(String(80), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    # Secret part of the invite link; rotating it kills old links.
    invite_token: Mapped[str] = mapped_column(String(43), unique=True)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the issuer code in certificate numbers (``KKG-G3T``), unique; set at the first issue
    certificate_code: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    #: why a site admin rejected it (told to the creator), or a note on archiving
    review_note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    created_by: Mapped[User | None] = relationship()

    @property
    def region(self) -> str:
        """'Kab. Gowa, Sulawesi Selatan' for display."""
        return ", ".join(part for part in (self.city, self.province) if part)

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Membership(db.Model):  # type: ignore[name-defined]
    """A user's place in a community: role and status (active, pending, banned)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "community_id"),
        Index("ix_memberships_community_status", "community_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12), default="member")
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()
    community: Mapped[Community] = relationship()

    @property
    def is_active(self) -> bool:
        """An approved, not banned member."""
        return self.status == "active"

    def has_role(self, role: str) -> bool:
        """True when active and at least ``role`` (member < moderator < coordinator)."""
        return self.is_active and ROLE_RANK[self.role] >= ROLE_RANK[role]
