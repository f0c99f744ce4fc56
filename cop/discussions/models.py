"""Topics, posts and what hangs off them: revisions, reactions, reads, subscriptions,
flags and drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

REACTION_KINDS = ("like", "thanks")
SUBSCRIPTION_LEVELS = ("watch", "mute")
FLAG_REASONS = ("spam", "offensive", "off_topic", "other")
#: longest post body, in characters
MAX_BODY = 32_000
MAX_TITLE = 200
MAX_TAGS = 5


class Topic(db.Model):  # type: ignore[name-defined]
    """A question or conversation in a community; its first post holds the text."""

    __tablename__ = "topics"
    __table_args__ = (
        Index("ix_topics_community_activity", "community_id", "pinned", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    #: space-separated lowercase tags (at most MAX_TAGS)
    tags: Mapped[str] = mapped_column(String(255), default="")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # No foreign key: topics and posts point at each other; the service keeps it valid.
    solution_post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def tag_list(self) -> list[str]:
        """The tags as a list."""
        return [t for t in (self.tags or "").split() if t]


class Post(db.Model):  # type: ignore[name-defined]
    """One message in a topic: Markdown source and the sanitised HTML made from it."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_topic_id_id", "topic_id", "id"),
        # One post per (author, client token): a double submit finds the first.
        UniqueConstraint("author_id", "client_token"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    client_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    thanks_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    topic: Mapped[Topic] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_visible(self) -> bool:
        """Neither deleted by its author nor hidden by a moderator."""
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(db.Model):  # type: ignore[name-defined]
    """The text a post had before an edit (moderators can read them)."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    editor: Mapped[User | None] = relationship()


class Reaction(db.Model):  # type: ignore[name-defined]
    """A like or a thanks; one of each kind per user and post."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TopicRead(db.Model):  # type: ignore[name-defined]
    """How far a user has read a topic (the id of the last post seen)."""

    __tablename__ = "topic_reads"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TopicSubscription(db.Model):  # type: ignore[name-defined]
    """watch (notify me of replies) or mute (never) for one topic."""

    __tablename__ = "topic_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(8), default="watch")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Flag(db.Model):  # type: ignore[name-defined]
    """A member asks the moderators to look at a post."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id"),
        Index("ix_flags_community_open", "community_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    resolution: Mapped[str] = mapped_column(String(20), default="")

    post: Mapped[Post] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    community: Mapped[Community] = relationship()


class Draft(db.Model):  # type: ignore[name-defined]
    """An unsent reply, kept on the server per user and topic."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
