"""Discussion operations: topics, replies, edits, reactions, solutions, reads,
subscriptions, drafts, flags and moderation.

Each takes the acting user explicitly, asks the permissions policy, owns its
transaction, keeps the counters and the search index in step, and notifies
mentioned members and watchers (and, of flags, the moderators) inside the
same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.communities import queries as community_queries
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, NotFound, ValidationError
from cop.core.markdown import render_markdown
from cop.core.mentions import mentioned_users, render_with_mentions
from cop.core.types import utcnow
from cop.discussions.models import (
    FLAG_REASONS,
    MAX_BODY,
    MAX_TAGS,
    MAX_TITLE,
    REACTION_KINDS,
    SUBSCRIPTION_LEVELS,
    Draft,
    Flag,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicRead,
    TopicSubscription,
)
from cop.extensions import db
from cop.notifications import queries as notification_queries
from cop.notifications.services import notify
from cop.search import services as search

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
CLIENT_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


# --- lookups -----------------------------------------------------------------


def get_topic(topic_id: int) -> Topic:
    """The topic (not deleted), or NotFound."""
    topic = db.session.get(Topic, topic_id) if 0 < topic_id < 2**63 else None
    if topic is None or topic.deleted_at is not None:
        raise NotFound(_l("That topic does not exist."))
    return topic


def get_post(post_id: int) -> Post:
    """The post, or NotFound (its topic must exist too)."""
    post = db.session.get(Post, post_id) if 0 < post_id < 2**63 else None
    if post is None or post.topic.deleted_at is not None:
        raise NotFound(_l("That post does not exist."))
    return post


def visible_topic(user: Any, topic_id: int, action: str = "topic.view") -> Topic:
    """The topic if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    topic = get_topic(topic_id)
    permissions.authorize(user, action, topic)
    return topic


def visible_post(user: Any, post_id: int, action: str | None = None) -> Post:
    """The post if ``user`` may see its topic (and ``action`` the post, when given).

    One 404 for unknown and invisible; a visible post the user may not
    ``action`` is a 401 or 403.
    """
    post = get_post(post_id)
    permissions.authorize(user, "topic.view", post.topic)
    if action is not None:
        permissions.authorize(user, action, post)
    return post


# --- validation --------------------------------------------------------------


def clean_body(body: str | None, field: str = "body") -> str:
    """A post body: not blank, at most MAX_BODY characters, no NUL."""
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(fields={field: _l("Write something first.")}, code="empty_body")
    if len(body) > MAX_BODY:
        raise ValidationError(
            fields={field: _l("At most %(n)d characters.", n=MAX_BODY)}, code="body_too_long"
        )
    return body


def clean_title(title: str | None) -> str:
    """A topic title: 3 to MAX_TITLE characters on one line."""
    title = " ".join((title or "").replace("\x00", "").split())
    if not 3 <= len(title) <= MAX_TITLE:
        raise ValidationError(fields={"title": _l("Enter a title of 3 to 200 characters.")})
    return title


def clean_tags(tags: str | list[str] | None) -> str:
    """Tags as a space-separated string: lowercase words with dashes, at most MAX_TAGS."""
    if tags is None:
        return ""
    raw = tags if isinstance(tags, list) else re.split(r"[\s,]+", tags)
    found: list[str] = []
    for tag in raw:
        if not isinstance(tag, str):
            raise ValidationError(fields={"tags": _l("Tags must be words.")})
        tag = tag.strip().lstrip("#").lower()
        if not tag:
            continue
        if not TAG_RE.match(tag):
            raise ValidationError(
                fields={"tags": _l("Use letters, digits and dashes in tags (at most 30).")}
            )
        if tag not in found:
            found.append(tag)
    if len(found) > MAX_TAGS:
        raise ValidationError(fields={"tags": _l("At most %(n)d tags.", n=MAX_TAGS)})
    return " ".join(found)


def clean_client_token(token: str | None) -> str | None:
    """An optional idempotency key: 8-64 URL-safe characters."""
    if token is None or token == "":
        return None
    if not isinstance(token, str) or not CLIENT_TOKEN_RE.match(token):
        raise ValidationError(fields={"client_token": _l("Use 8 to 64 letters, digits, - or _.")})
    return token


def _render(body: str) -> str:
    """Sanitised HTML with mentions of existing users linked."""
    return render_with_mentions(body)


def preview(body: str) -> str:
    """Sanitised HTML for a body being written (nothing is stored)."""
    return render_markdown((body or "")[:MAX_BODY])


def plain_text(body: str) -> str:
    """What the search index keeps of a post: its Markdown source."""
    return body


# --- helpers -----------------------------------------------------------------


def _existing_post(author: User, client_token: str | None) -> Post | None:
    if client_token is None:
        return None
    return db.session.scalar(
        select(Post).where(Post.author_id == author.id, Post.client_token == client_token)
    )


def _topic_url(topic: Topic) -> str:
    return f"/t/{topic.id}"


def _post_url(post: Post) -> str:
    return f"/p/{post.id}"


def _flags_url(community: Community, flag: Flag) -> str:
    """The community's flag queue, at this flag."""
    return f"/c/{community.slug}/flags#flag-{flag.id}"


def _index_post(post: Post, topic: Topic) -> None:
    if post.is_visible:
        search.index_document(
            "post", post.id, topic.community_id, topic.title, plain_text(post.body), _post_url(post)
        )
    else:
        search.remove_document("post", post.id)


def _index_topic(topic: Topic) -> None:
    search.index_document(
        "topic", topic.id, topic.community_id, topic.title, topic.tags, _topic_url(topic)
    )


def _watch(user: User, topic: Topic) -> None:
    """The author and repliers watch a topic unless they chose otherwise."""
    exists = db.session.scalar(
        select(TopicSubscription.id).where(
            TopicSubscription.user_id == user.id, TopicSubscription.topic_id == topic.id
        )
    )
    if exists is None:
        db.session.add(TopicSubscription(user_id=user.id, topic_id=topic.id, level="watch"))


def _mentioned_users(body: str, topic: Topic, author: User) -> list[User]:
    return mentioned_users(body, author, lambda u: permissions.can(u, "topic.view", topic))


def _notify_for_post(post: Post, topic: Topic, author: User, *, new_topic: bool) -> None:
    mentioned = _mentioned_users(post.body, topic, author)
    done = {author.id}
    for user in mentioned:
        notify(
            user,
            "mention",
            _l("%(name)s mentioned you in “%(title)s”", name=author.name, title=topic.title),
            _post_url(post),
            actor=author,
            community_id=topic.community_id,
            post_id=post.id,
        )
        done.add(user.id)
    if new_topic:
        return
    subscriptions = db.session.scalars(
        select(TopicSubscription).where(TopicSubscription.topic_id == topic.id)
    ).all()
    muted = {s.user_id for s in subscriptions if s.level == "mute"}
    recipients = {s.user_id: s.user for s in subscriptions if s.level == "watch"}
    if post.parent_id is not None:
        parent = db.session.get(Post, post.parent_id)
        if parent is not None and parent.author is not None:
            recipients.setdefault(parent.author.id, parent.author)
    for user_id, user in recipients.items():
        if user_id in done or user_id in muted or not permissions.can(user, "topic.view", topic):
            continue
        notify(
            user,
            "reply",
            _l("%(name)s replied in “%(title)s”", name=author.name, title=topic.title),
            _post_url(post),
            actor=author,
            community_id=topic.community_id,
            post_id=post.id,
        )


def _new_post(
    author: User, topic: Topic, body: str, parent_id: int | None, client_token: str | None
) -> Post:
    now = utcnow()
    post = Post(
        topic_id=topic.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        html=_render(body),
        client_token=client_token,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    topic.post_count = (topic.post_count or 0) + 1
    topic.last_post_at = now
    topic.last_post_id = post.id
    if topic.first_post_id is None:
        topic.first_post_id = post.id
    return post


# --- topics and posts --------------------------------------------------------


@dataclass
class TopicData:
    """What a member fills in to start a topic."""

    title: str
    body: str
    tags: str | list[str] | None = None
    client_token: str | None = None


def create_topic(author: User, community: Community, data: TopicData) -> Topic:
    """Start a topic with its first post; the author watches it."""
    permissions.authorize(author, "community.participate", community)
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    checks: list[tuple[str, Any, Any]] = [
        ("title", clean_title, data.title),
        ("body", clean_body, data.body),
        ("tags", clean_tags, data.tags),
        ("client_token", clean_client_token, data.client_token),
    ]
    for name, check, raw in checks:
        try:
            values[name] = check(raw)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError(fields=errors)
    existing = _existing_post(author, values["client_token"])
    if existing is not None:
        return existing.topic
    try:
        with unit_of_work():
            topic = Topic(
                community_id=community.id,
                author_id=author.id,
                title=values["title"],
                tags=values["tags"],
            )
            db.session.add(topic)
            db.session.flush()
            post = _new_post(author, topic, values["body"], None, values["client_token"])
            _watch(author, topic)
            db.session.add(
                TopicRead(user_id=author.id, topic_id=topic.id, last_read_post_id=post.id)
            )
            _index_topic(topic)
            _index_post(post, topic)
            _notify_for_post(post, topic, author, new_topic=True)
    except IntegrityError as exc:
        existing = _existing_post(author, values["client_token"])
        if existing is not None:
            return existing.topic
        raise Conflict() from exc
    signals.post_created.send(post, post=post, topic=topic, community=community)
    return topic


def reply(
    author: User,
    topic: Topic,
    body: str,
    parent_id: int | None = None,
    client_token: str | None = None,
) -> Post:
    """Add a post to a topic (optionally in reply to one of its posts)."""
    permissions.authorize(author, "topic.reply", topic)
    if topic.locked and not permissions.can(author, "topic.moderate", topic):
        raise Forbidden(_l("This topic is locked: no new replies."), code="topic_locked")
    body = clean_body(body)
    client_token = clean_client_token(client_token)
    existing = _existing_post(author, client_token)
    if existing is not None:
        if existing.topic_id != topic.id:
            raise Conflict(_l("That client token was used for another post."), code="token_reused")
        return existing
    if parent_id is not None:
        parent = db.session.get(Post, parent_id) if 0 < parent_id < 2**63 else None
        if parent is None or parent.topic_id != topic.id:
            raise ValidationError(
                fields={"parent_id": _l("Reply to a post of this topic.")}, code="bad_parent"
            )
    try:
        with unit_of_work():
            post = _new_post(author, topic, body, parent_id, client_token)
            _watch(author, topic)
            _set_read(author, topic, post.id)
            _index_post(post, topic)
            db.session.execute(
                update(Draft)
                .where(Draft.user_id == author.id, Draft.topic_id == topic.id)
                .values(body="", parent_id=None, updated_at=utcnow())
            )
            _notify_for_post(post, topic, author, new_topic=False)
    except IntegrityError as exc:
        existing = _existing_post(author, client_token)
        if existing is not None:
            return existing
        raise Conflict() from exc
    signals.post_created.send(post, post=post, topic=topic, community=topic.community)
    return post


def edit_post(actor: User, post: Post, body: str) -> Post:
    """Change a post's text; the previous text is kept as a revision."""
    permissions.authorize(actor, "post.edit", post)
    body = clean_body(body)
    if body == post.body:
        return post
    with unit_of_work():
        db.session.add(PostRevision(post_id=post.id, editor_id=actor.id, body=post.body))
        post.body = body
        post.html = _render(body)
        post.edited_at = utcnow()
        post.edited_by_id = actor.id
        _index_post(post, post.topic)
        if actor.id != post.author_id:
            record(actor, "post.edit", "post", post.id, community_id=post.topic.community_id)
    return post


def delete_post(actor: User, post: Post) -> Post:
    """Soft-delete a post (the author or a moderator); it leaves the search index."""
    permissions.authorize(actor, "post.delete", post)
    if post.deleted_at is not None:
        return post
    with unit_of_work():
        post.deleted_at = utcnow()
        _index_post(post, post.topic)
        topic = post.topic
        if post.id == topic.solution_post_id:
            topic.solution_post_id = None
        if actor.id != post.author_id:
            record(actor, "post.delete", "post", post.id, community_id=topic.community_id)
    return post


def react(user: User, post: Post, kind: str, active: bool = True) -> Post:
    """Add (or take back) a like or a thanks; the same one twice changes nothing."""
    permissions.authorize(user, "post.react", post)
    if kind not in REACTION_KINDS:
        raise ValidationError(fields={"kind": _l("Choose like or thanks.")})
    if not post.is_visible:
        raise Conflict(_l("This post is not shown any more."), code="post_gone")
    counter = Post.like_count if kind == "like" else Post.thanks_count
    try:
        with unit_of_work():
            existing = db.session.scalar(
                select(Reaction).where(
                    Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind
                )
            )
            if active and existing is None:
                db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
                db.session.flush()
            elif not active and existing is not None:
                db.session.delete(existing)
                db.session.flush()
            count = db.session.scalar(
                select(func.count(Reaction.id)).where(
                    Reaction.post_id == post.id, Reaction.kind == kind
                )
            )
            db.session.execute(update(Post).where(Post.id == post.id).values({counter: count or 0}))
    except IntegrityError:
        pass  # a double click: the first request already added it
    db.session.refresh(post)
    return post


def my_reactions(user: Any, post_ids: list[int]) -> set[tuple[int, str]]:
    """(post_id, kind) pairs the user reacted with, for these posts (one query)."""
    if not getattr(user, "is_authenticated", False) or not post_ids:
        return set()
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind).where(
            Reaction.user_id == user.id, Reaction.post_id.in_(post_ids)
        )
    ).all()
    return {(r[0], r[1]) for r in rows}


def mark_solution(actor: User, topic: Topic, post_id: int | None) -> Topic:
    """The topic's author or a moderator marks the post that solved it (None clears it)."""
    permissions.authorize(actor, "topic.solve", topic)
    if post_id is not None:
        post = db.session.get(Post, post_id) if 0 < post_id < 2**63 else None
        if post is None or post.topic_id != topic.id or not post.is_visible:
            raise ValidationError(fields={"post_id": _l("Choose a post of this topic.")})
    with unit_of_work():
        topic.solution_post_id = post_id
        if actor.id != topic.author_id:
            record(
                actor, "topic.solution", "topic", topic.id,
                community_id=topic.community_id, post_id=post_id,
            )  # fmt: skip
    return topic


# --- reading and subscriptions ----------------------------------------------


def _set_read(user: User, topic: Topic, post_id: int) -> None:
    row = db.session.scalar(
        select(TopicRead).where(TopicRead.user_id == user.id, TopicRead.topic_id == topic.id)
    )
    if row is None:
        db.session.add(TopicRead(user_id=user.id, topic_id=topic.id, last_read_post_id=post_id))
    elif post_id > row.last_read_post_id:
        row.last_read_post_id = post_id
        row.updated_at = utcnow()


def mark_read(user: User, topic: Topic, post_id: int, current: int | None = None) -> None:
    """Remember that ``user`` read ``topic`` up to ``post_id`` (never moves backwards).

    ``current`` is the position already known to the caller: nothing is written
    when it is not behind.
    """
    if current is not None and current >= post_id:
        return
    try:
        with unit_of_work():
            _set_read(user, topic, post_id)
    except IntegrityError:
        pass  # two tabs at once: the other request recorded it


def subscribe(user: User, topic: Topic, level: str | None) -> None:
    """watch, mute, or None to go back to the default."""
    permissions.authorize(user, "topic.view", topic)
    if not getattr(user, "is_authenticated", False):
        raise Forbidden()
    if level is not None and level not in SUBSCRIPTION_LEVELS:
        raise ValidationError(fields={"level": _l("Choose watch or mute.")})
    with unit_of_work():
        row = db.session.scalar(
            select(TopicSubscription).where(
                TopicSubscription.user_id == user.id, TopicSubscription.topic_id == topic.id
            )
        )
        if level is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(TopicSubscription(user_id=user.id, topic_id=topic.id, level=level))
        else:
            row.level = level


def subscription_of(user: Any, topic: Topic) -> str | None:
    """The user's level for the topic (watch, mute or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(TopicSubscription.level).where(
            TopicSubscription.user_id == user.id, TopicSubscription.topic_id == topic.id
        )
    )


# --- drafts ------------------------------------------------------------------


def save_draft(user: User, topic: Topic, body: str, parent_id: int | None = None) -> Draft:
    """Keep an unsent reply on the server (an empty body clears it)."""
    permissions.authorize(user, "topic.reply", topic)
    body = (body or "").replace("\x00", "")[:MAX_BODY]
    try:
        with unit_of_work():
            draft = db.session.scalar(
                select(Draft).where(Draft.user_id == user.id, Draft.topic_id == topic.id)
            )
            if draft is None:
                draft = Draft(user_id=user.id, topic_id=topic.id)
                db.session.add(draft)
            draft.body = body
            draft.parent_id = parent_id
            draft.updated_at = utcnow()
    except IntegrityError:
        return save_draft(user, topic, body, parent_id)  # the other request made the row
    return draft


def draft_of(user: Any, topic: Topic) -> Draft | None:
    """The user's non-empty draft for the topic."""
    if not getattr(user, "is_authenticated", False):
        return None
    draft = db.session.scalar(
        select(Draft).where(Draft.user_id == user.id, Draft.topic_id == topic.id)
    )
    return draft if draft is not None and draft.body else None


# --- flags and moderation ----------------------------------------------------


def flag_post(user: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member asks the moderators to look at a post (once per member and post)."""
    permissions.authorize(user, "post.flag", post)
    if reason not in FLAG_REASONS:
        raise ValidationError(fields={"reason": _l("Choose a reason.")})
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 500:
        raise ValidationError(fields={"note": _l("At most %(n)d characters.", n=500)})
    try:
        with unit_of_work():
            flag = Flag(
                post_id=post.id,
                community_id=post.topic.community_id,
                user_id=user.id,
                reason=reason,
                note=note,
            )
            db.session.add(flag)
            db.session.flush()
            _notify_moderators(flag, post.topic, user)
    except IntegrityError as exc:
        raise Conflict(_l("You already flagged this post."), code="already_flagged") from exc
    return flag


def _notify_moderators(flag: Flag, topic: Topic, flagger: User) -> None:
    """Tell the community's moderators and coordinators, once per post until they look."""
    leaders = [m.user for m in community_queries.leaders(topic.community)]
    told = notification_queries.with_unread([u.id for u in leaders], "flag", post_id=flag.post_id)
    for leader in leaders:
        if leader.id in told or not permissions.can(leader, "topic.moderate", topic):
            continue
        notify(
            leader,
            "flag",
            _l("A post in “%(title)s” was flagged for review", title=topic.title),
            _flags_url(topic.community, flag),
            actor=flagger,
            community_id=topic.community_id,
            post_id=flag.post_id,
            flag_id=flag.id,
        )


def get_flag(flag_id: int) -> Flag:
    """The flag, or NotFound."""
    flag = db.session.get(Flag, flag_id) if 0 < flag_id < 2**63 else None
    if flag is None:
        raise NotFound()
    return flag


def resolve_flag(actor: User, flag: Flag, action: str) -> Flag:
    """A moderator hides the flagged post, or dismisses the flag."""
    permissions.authorize(actor, "topic.moderate", flag.post.topic)
    if action not in ("hide", "dismiss"):
        raise ValidationError(fields={"action": _l("Choose hide or dismiss.")})
    with unit_of_work():
        if action == "hide":
            set_hidden(actor, flag.post, True)
        now = utcnow()
        for other in db.session.scalars(
            select(Flag).where(Flag.post_id == flag.post_id, Flag.resolved_at.is_(None))
        ):
            other.resolved_at = now
            other.resolved_by_id = actor.id
            other.resolution = action
        record(
            actor, f"flag.{action}", "post", flag.post_id,
            community_id=flag.community_id, flag_id=flag.id,
        )  # fmt: skip
    return flag


def set_hidden(actor: User, post: Post, hidden: bool) -> Post:
    """A moderator hides a post (members see a placeholder) or restores it."""
    topic = post.topic
    permissions.authorize(actor, "topic.moderate", topic)
    with unit_of_work():
        if hidden and post.hidden_at is None:
            post.hidden_at = utcnow()
            post.hidden_by_id = actor.id
            if topic.solution_post_id == post.id:
                topic.solution_post_id = None
        elif not hidden and post.hidden_at is not None:
            post.hidden_at = None
            post.hidden_by_id = None
        else:
            return post
        _index_post(post, topic)
        record(
            actor, "post.hide" if hidden else "post.restore", "post", post.id,
            community_id=topic.community_id,
        )  # fmt: skip
    return post


def set_topic_state(
    actor: User, topic: Topic, *, pinned: bool | None = None, locked: bool | None = None
) -> Topic:
    """Pin/unpin, lock/unlock a topic (moderators); each change is audited."""
    permissions.authorize(actor, "topic.moderate", topic)
    with unit_of_work():
        for name, value in (("pinned", pinned), ("locked", locked)):
            if value is None or getattr(topic, name) == value:
                continue
            setattr(topic, name, value)
            action = {
                ("pinned", True): "topic.pin",
                ("pinned", False): "topic.unpin",
                ("locked", True): "topic.lock",
                ("locked", False): "topic.unlock",
            }[(name, value)]
            record(actor, action, "topic", topic.id, community_id=topic.community_id)
    return topic


def move_topic(actor: User, topic: Topic, target: Community) -> Topic:
    """Move a topic to another community the moderator also moderates."""
    permissions.authorize(actor, "topic.moderate", topic)
    if not permissions.can(actor, "community.moderate", target):
        raise Forbidden(_l("You can only move topics to communities you moderate."))
    if target.id == topic.community_id:
        return topic
    source = topic.community_id
    with unit_of_work():
        topic.community_id = target.id
        db.session.execute(
            update(Flag)
            .where(Flag.post_id.in_(select(Post.id).where(Post.topic_id == topic.id)))
            .values(community_id=target.id)
        )
        post_ids = list(db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)))
        search.move_documents(("post",), post_ids, target.id)
        search.move_documents(("topic",), [topic.id], target.id)
        record(actor, "topic.move", "topic", topic.id, community_id=source, to=target.id)
        record(actor, "topic.move", "topic", topic.id, community_id=target.id, source=source)
    db.session.refresh(topic)
    return topic


def revisions(actor: User, post: Post) -> list[PostRevision]:
    """The earlier versions of a post, newest first (moderators only)."""
    permissions.authorize(actor, "post.history", post)
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
        )
    )


def account_is_new(user: Any, age: timedelta = timedelta(days=1)) -> bool:
    """Accounts younger than ``age`` get the stricter posting limit."""
    created = getattr(user, "created_at", None)
    return created is not None and utcnow() - created < age
