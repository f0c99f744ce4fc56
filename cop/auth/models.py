"""User accounts and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

LEVELS = ("SD", "SMP", "SMA", "SMK")


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    """A teacher, coordinator or site admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Rotated on password change and "log out everywhere": every session and
    # remember-me cookie carries it, so old ones stop working at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(8), default="id")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    school: Mapped[str] = mapped_column(String(160), default="")
    subjects: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str | None] = mapped_column(String(8), nullable=True)
    province: Mapped[str] = mapped_column(String(80), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot log in (Flask-Login reads this)."""
        return self.active

    def get_id(self) -> str:
        """Sessions store the rotating session token, not the primary key."""
        return self.session_token

    @property
    def region(self) -> str:
        """'Kota Makassar, Sulawesi Selatan' for display."""
        return ", ".join(part for part in (self.city, self.province) if part)

    @property
    def subject_list(self) -> list[str]:
        """The comma-separated subjects as a list."""
        return [s.strip() for s in self.subjects.split(",") if s.strip()]

    def __repr__(self) -> str:
        return f"<User {self.id} @{self.username}>"


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A named personal token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        """True once the owner revoked it."""
        return self.revoked_at is not None
