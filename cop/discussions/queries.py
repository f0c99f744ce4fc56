"""Read helpers for discussions: topic lists with unread counts, pages of posts, and
what the listeners of its signals ask (links, the text to index, who hears of a post)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.ids import is_id
from cop.core.mentions import mentioned_users
from cop.core.pagination import Page, SortKey, keyset_page
from cop.discussions.models import Flag, Post, Topic, TopicRead, TopicSubscription
from cop.extensions import db

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 20
#: pinned topics shown above the list (on its first page)
MAX_PINNED = 10


@dataclass
class ReadState:
    """Where a user is in a topic: last post read and how many are newer."""

    last_read_post_id: int | None
    unread: int

    @property
    def is_new(self) -> bool:
        """Never opened."""
        return self.last_read_post_id is None


def topics(community: Community, *, cursor: str | None, limit: int) -> Page[Topic]:
    """Unpinned topics, newest activity first (keyset-paged); authors loaded with them."""
    stmt = (
        select(Topic)
        .options(joinedload(Topic.author))
        .where(
            Topic.community_id == community.id,
            Topic.deleted_at.is_(None),
            Topic.pinned.is_(False),
        )
    )
    return keyset_page(
        stmt,
        [SortKey(Topic.last_post_at, descending=True), SortKey(Topic.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda t: (t.last_post_at, t.id),
    )


def pinned_topics(community: Community) -> list[Topic]:
    """Pinned topics, newest activity first."""
    return list(
        db.session.scalars(
            select(Topic)
            .options(joinedload(Topic.author))
            .where(
                Topic.community_id == community.id,
                Topic.deleted_at.is_(None),
                Topic.pinned.is_(True),
            )
            .order_by(Topic.last_post_at.desc(), Topic.id.desc())
            .limit(MAX_PINNED)
        )
    )


def read_states(user: Any, topic_list: list[Topic]) -> dict[int, ReadState]:
    """Each listed topic's read state for ``user``, in one query (empty for visitors)."""
    if not getattr(user, "is_authenticated", False) or not topic_list:
        return {}
    ids = [t.id for t in topic_list]
    # Only the posts after the reader's place are counted, from the (topic_id, id)
    # index: the cost follows what is unread, not how long the listed topics are.
    # A topic never opened has no row here and shows as new (no count needed).
    rows = db.session.execute(
        select(
            TopicRead.topic_id,
            TopicRead.last_read_post_id,
            select(func.count(Post.id))
            .where(
                Post.topic_id == TopicRead.topic_id,
                Post.id > TopicRead.last_read_post_id,
                Post.deleted_at.is_(None),
            )
            .correlate(TopicRead)
            .scalar_subquery(),
        ).where(TopicRead.user_id == user.id, TopicRead.topic_id.in_(ids))
    ).all()
    states = {topic_id: ReadState(last, unread or 0) for topic_id, last, unread in rows}
    for topic in topic_list:
        states.setdefault(topic.id, ReadState(None, topic.post_count))
    return states


#: built once (as the other statements every topic page runs): building one took
#: longer than running it
_READ_POSITION = select(TopicRead.last_read_post_id).where(
    TopicRead.user_id == bindparam("user_id"), TopicRead.topic_id == bindparam("topic_id")
)


def read_position(user: Any, topic: Topic) -> int | None:
    """The id of the last post ``user`` read in ``topic`` (None: never opened)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(_READ_POSITION, {"user_id": user.id, "topic_id": topic.id})


def posts(topic: Topic, *, cursor: str | None, limit: int = POSTS_PER_PAGE) -> Page[Post]:
    """The topic's posts in order (keyset-paged by id), authors loaded with them."""
    stmt = select(Post).options(joinedload(Post.author)).where(Post.topic_id == topic.id)
    return keyset_page(
        stmt, [SortKey(Post.id)], cursor=cursor, limit=limit, key_of=lambda p: (p.id,)
    )


def parents_of(page_posts: list[Post]) -> dict[int, Post]:
    """The posts that listed posts reply to, with their authors (one query at most)."""
    wanted = {p.parent_id for p in page_posts if p.parent_id is not None}
    if not wanted:
        return {}
    return {
        p.id: p
        for p in db.session.scalars(
            select(Post).options(joinedload(Post.author)).where(Post.id.in_(wanted))
        )
    }


def post_by_id(topic: Topic, post_id: int) -> Post | None:
    """One post of this topic (for quoting and reply-to)."""
    if not is_id(post_id):
        return None
    post = db.session.get(Post, post_id)
    return post if post is not None and post.topic_id == topic.id else None


def open_flags(community: Community | None, *, cursor: str | None, limit: int = 50) -> Page[Flag]:
    """Unresolved flags of a community (None: of every community, the site admins'
    queue), oldest first, with their posts, flaggers and communities."""
    stmt = (
        select(Flag)
        .options(
            joinedload(Flag.post).joinedload(Post.author),
            joinedload(Flag.user),
            joinedload(Flag.community),
        )
        .where(Flag.resolved_at.is_(None))
    )
    if community is not None:
        stmt = stmt.where(Flag.community_id == community.id)
    return keyset_page(
        stmt, [SortKey(Flag.id)], cursor=cursor, limit=limit, key_of=lambda f: (f.id,)
    )


def open_flag_count(community: Community) -> int:
    """How many flags wait for the moderators."""
    return (
        db.session.scalar(
            select(func.count(Flag.id)).where(
                Flag.community_id == community.id, Flag.resolved_at.is_(None)
            )
        )
        or 0
    )


# --- for the listeners of the discussion signals (search, notifications) ----------


def topic_url(topic: Topic) -> str:
    """Where a topic is read."""
    return f"/t/{topic.id}"


def post_url(post: Post) -> str:
    """Where a post is read (it redirects to its place in the topic)."""
    return f"/p/{post.id}"


def flags_url(community: Community, flag: Flag) -> str:
    """The community's flag queue, at this flag."""
    return f"/c/{community.slug}/flags#flag-{flag.id}"


def plain_text(body: str) -> str:
    """What the search index keeps of a post: its Markdown source."""
    return body


def mentioned_readers(post: Post, topic: Topic, author: User) -> list[User]:
    """The people named with @ in the post whom the author may mention in the topic's
    community (``user.be_mentioned``: active members) and who may read the topic.

    Someone named who may not be mentioned there (an outsider of a public community,
    a banned or pending member) is not notified, as in chat.
    """
    community = topic.community

    def may_hear(user: User) -> bool:
        mentionee = permissions.Mentionee(user, community)
        return permissions.can(author, "user.be_mentioned", mentionee) and permissions.can(
            user, "topic.view", topic
        )

    return mentioned_users(post.body, author, may_hear)


def parent_author_id(post: Post) -> int | None:
    """The author of the post ``post`` answers (None for a reply to the topic)."""
    if post.parent_id is None:
        return None
    parent = db.session.get(Post, post.parent_id)
    return parent.author.id if parent is not None and parent.author is not None else None


def reply_audience(post: Post, topic: Topic, told: set[int]) -> list[User]:
    """Who hears of a reply: the topic's watchers and the author of the post it answers,
    not those who muted the topic, may not see it, or are in ``told`` (already told)."""
    subscriptions = db.session.scalars(
        select(TopicSubscription)
        .options(joinedload(TopicSubscription.user))  # one query, not one per watcher
        .where(TopicSubscription.topic_id == topic.id)
    ).all()
    muted = {s.user_id for s in subscriptions if s.level == "mute"}
    recipients = {s.user_id: s.user for s in subscriptions if s.level == "watch"}
    if post.parent_id is not None:
        parent = db.session.get(Post, post.parent_id)
        if parent is not None and parent.author is not None:
            recipients.setdefault(parent.author.id, parent.author)
    return [
        user
        for user_id, user in recipients.items()
        if user_id not in told
        and user_id not in muted
        and permissions.can(user, "topic.view", topic)
    ]
