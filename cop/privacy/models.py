"""Data exports and pending account deletions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

EXPORT_STATES = ("queued", "ready", "expired")


class DataExport(db.Model):  # type: ignore[name-defined]
    """A ZIP of one member's data, built in the background, downloadable until it expires."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: the file under the instance's exports folder (a random name)
    filename: Mapped[str] = mapped_column(String(80), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class AccountDeletion(db.Model):  # type: ignore[name-defined]
    """A requested deletion, carried out when its grace period ends unless cancelled."""

    __tablename__ = "account_deletions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: keep posts, messages and materials under "Mantan anggota" (else they are removed)
    keep_content: Mapped[bool] = mapped_column(Boolean, default=True)
    #: keep certificates as anonymous records that still verify (else they are revoked)
    keep_certificates: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    #: who asked: the member, or a site admin on their request
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class PrivacyAcceptance(db.Model):  # type: ignore[name-defined]
    """A member accepted a version of the privacy policy (at registration, or later)."""

    __tablename__ = "privacy_acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "builtin-1" for the built-in text, else "site-" and the first 12 hex of its sha256
    version: Mapped[str] = mapped_column(String(40))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
