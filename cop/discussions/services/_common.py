"""What the discussion services share: topic and post lookups, input checks and
rendering. (Links and the text to index are in ``cop.discussions.queries``, for
the listeners of the discussion signals.)
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from cop.core import permissions
from cop.core.errors import NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.markdown import render_markdown
from cop.core.mentions import render_with_mentions
from cop.discussions.models import (
    MAX_BODY,
    MAX_TAGS,
    MAX_TITLE,
    Post,
    Topic,
)
from cop.discussions.queries import plain_text as plain_text  # re-exported: services.plain_text
from cop.extensions import db

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
CLIENT_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


TOPIC_UNKNOWN = _l("That topic does not exist.")
POST_UNKNOWN = _l("That post does not exist.")


def _find_topic(topic_id: int) -> Topic | None:
    topic = db.session.get(Topic, topic_id) if is_id(topic_id) else None
    return None if topic is None or topic.deleted_at is not None else topic


def _find_post(post_id: int) -> Post | None:
    post = db.session.get(Post, post_id) if is_id(post_id) else None
    return None if post is None or post.topic.deleted_at is not None else post


def get_topic(topic_id: int) -> Topic:
    """The topic (not deleted), or NotFound."""
    topic = _find_topic(topic_id)
    if topic is None:
        raise NotFound(TOPIC_UNKNOWN)
    return topic


def get_post(post_id: int) -> Post:
    """The post, or NotFound (its topic must exist too)."""
    post = _find_post(post_id)
    if post is None:
        raise NotFound(POST_UNKNOWN)
    return post


def visible_topic(user: Any, topic_id: int, action: str = "topic.view") -> Topic:
    """The topic if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    return permissions.visible(user, action, _find_topic(topic_id), missing=TOPIC_UNKNOWN)


def visible_post(user: Any, post_id: int, action: str | None = None) -> Post:
    """The post if ``user`` may see its topic (and ``action`` the post, when given).

    One 404 for unknown and invisible; a visible post the user may not
    ``action`` is a 401 or 403.
    """
    post = _find_post(post_id)
    permissions.visible(user, "topic.view", post and post.topic, missing=POST_UNKNOWN)
    assert post is not None  # visible() raised otherwise
    if action is not None:
        permissions.authorize(user, action, post)
    return post


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
