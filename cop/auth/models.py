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
    #: when the owner proved the address is theirs (the link in the welcome mail); until
    #: then they read but do not post, chat, answer or share (the policy's participate)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot log in (Flask-Login reads this)."""
        return self.active

    def attach_login(self, key: str, session_id: int, seen_at: datetime | None = None) -> None:
        """Remember which login session this object was loaded or logged in with, and
        when that session was last seen (the user loader and
        ``auth.services.start_session`` call it; not stored)."""
        self.__dict__["_login"] = (key, session_id, seen_at)

    @property
    def session_key(self) -> str | None:
        """The raw key of this object's login session (None outside one)."""
        login = self.__dict__.get("_login")
        return login[0] if login else None

    @property
    def session_id(self) -> int | None:
        """That login session's row id (API tokens made in it remember it)."""
        login = self.__dict__.get("_login")
        return login[1] if login else None

    @property
    def session_seen_at(self) -> datetime | None:
        """When that login session was last seen (its start until a request moves it)."""
        login = self.__dict__.get("_login")
        return login[2] if login else None

    def get_id(self) -> str:
        """Cookies (session and remember-me) carry the login session's random key, not
        the primary key: ending the session on the server makes every copy worthless.
        A user object without a session gives an id that loads nobody."""
        return self.session_key or ""

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


class LoginSession(db.Model):  # type: ignore[name-defined]
    """One browser's login, kept on the server: its cookies hold a random key whose
    SHA-256 is stored here. Logout, password change and "log out everywhere" revoke
    rows, and a revoked (or missing) row loads nobody, whatever cookie is presented."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: the last request made with it, moved at most every few minutes (None: none since
    #: it started); a session unseen for longer than any of its cookies lasts has ended
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


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
    #: the login session it was created in (the tokens page): ending that session
    #: revokes the token too; None for tokens made with the password (POST /api/v1/tokens)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("login_sessions.id", ondelete="SET NULL"), nullable=True, index=True
    )

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        """True once the owner revoked it."""
        return self.revoked_at is not None
