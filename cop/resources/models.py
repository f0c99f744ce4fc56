"""Resources (shared files and links), their likes and their downloads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

KINDS = ("modul_ajar", "lkpd", "media", "asesmen", "artikel", "lainnya")
LEVELS = ("SD", "SMP", "SMA", "SMK")
#: Kurikulum Merdeka phases (fase A-F)
PHASES = ("A", "B", "C", "D", "E", "F")
LICENSES = ("cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "cc0", "all-rights-reserved")


class Resource(db.Model):  # type: ignore[name-defined]
    """A teaching material: a stored file or a link, shared in a community.

    ``public`` resources are visible to everyone (and listed in the global
    library); the others follow their community's visibility. Hidden ones
    (by a moderator) are seen only by moderators, admins and the uploader.
    """

    __tablename__ = "resources"
    __table_args__ = (
        # A file is shared once per community (double submits, re-uploads).
        UniqueConstraint("community_id", "sha256"),
        Index("ix_resources_community_created", "community_id", "created_at"),
        Index("ix_resources_public_created", "public", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), nullable=True
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(80), default="")
    level: Mapped[str | None] = mapped_column(String(8), nullable=True)
    phase: Mapped[str] = mapped_column(String(20), default="")
    # Tags as ",pecahan,kelas-4," so one LIKE finds a tag on every database.
    tags_text: Mapped[str] = mapped_column(String(500), default="")
    license: Mapped[str] = mapped_column(String(24), default="cc-by")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Either a link ...
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    # ... or a stored file (key in the storage backend, never a user-given name).
    storage_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(120), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # The discussion topic about this resource (set by the discussions feature;
    # no foreign key here because that table lives in another feature).
    topic_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    community: Mapped[Community | None] = relationship()
    uploader: Mapped[User | None] = relationship()

    @property
    def tags(self) -> list[str]:
        """The tags as a list."""
        return [tag for tag in self.tags_text.split(",") if tag]

    @property
    def is_file(self) -> bool:
        """True for a stored file, False for a link."""
        return self.storage_key is not None

    @property
    def previewable(self) -> str | None:
        """'image' or 'pdf' when the browser may show it inline, else None."""
        if not self.content_type:
            return None
        if self.content_type.startswith("image/"):
            return "image"
        if self.content_type == "application/pdf":
            return "pdf"
        return None

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.title!r}>"


class ResourceLike(db.Model):  # type: ignore[name-defined]
    """One user's like of one resource."""

    __tablename__ = "resource_likes"
    __table_args__ = (UniqueConstraint("resource_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ResourceDownload(db.Model):  # type: ignore[name-defined]
    """A counted download (a repeat by the same user within a minute is not counted)."""

    __tablename__ = "resource_downloads"
    __table_args__ = (
        Index("ix_resource_downloads_resource_user", "resource_id", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
