"""@mentions in user Markdown: who is named, and links to their profiles.

Discussions and chat both use this: the body's ``@username`` words name users;
the rendered (already sanitised) HTML gets profile links for the ones that exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, or_, select

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.markdown import render_markdown
from cop.extensions import db

#: ``@rina``, ``@rina.marlina`` (a dot only between words: "@rina." ends at "rina"),
#: and older handles with underscores; 3-32 characters (HANDLE_RE)
MENTION_RE = re.compile(r"(?<![\w@/.])@([a-z0-9_]+(?:\.[a-z0-9_]+)*)")
#: at most this many people are notified of one post's or message's mentions
MAX_MENTIONS = 10

_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_NO_LINK_TAGS = ("a", "code", "pre")


def mentioned_names(body: str) -> list[str]:
    """The distinct usernames named in ``body``, in order of first mention."""
    names: list[str] = []
    for name in MENTION_RE.findall(body.lower()):
        if 3 <= len(name) <= 32 and name not in names:
            names.append(name)
    return names


def link_mentions(html: str, usernames: set[str]) -> str:
    """Turn ``@name`` of existing members into profile links, outside code and links.

    Works on the sanitised HTML: only text between tags changes, and the inserted
    markup is an ``<a>`` with a fixed, escaped-safe href (usernames are [a-z0-9_.]).
    """
    if not usernames:
        return html
    depth = 0
    parts = _TAG_SPLIT.split(html)
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_LINK_TAGS:
                depth += -1 if part.startswith("</") else 1
            continue
        if depth == 0 and "@" in part:
            parts[i] = MENTION_RE.sub(
                lambda m: (
                    f'<a class="mention" href="/auth/users/{m.group(1)}">@{m.group(1)}</a>'
                    if m.group(1) in usernames
                    else m.group(0)
                ),
                part,
            )
    return "".join(parts)


def render_with_mentions(body: str) -> str:
    """Sanitised HTML of ``body`` with mentions of existing users linked."""
    html = render_markdown(body)
    names = mentioned_names(body)
    if not names:
        return html
    known = set(db.session.scalars(select(User.username).where(User.username.in_(names[:50]))))
    return link_mentions(html, known)


def mentioned_users(body: str, author: User, may_see: Callable[[User], bool]) -> list[User]:
    """The users ``body`` mentions (not the author), at most MAX_MENTIONS, who may see
    where they were mentioned."""
    names = [n for n in mentioned_names(body) if n != author.username][:MAX_MENTIONS]
    if not names:
        return []
    users = db.session.scalars(select(User).where(User.username.in_(names))).all()
    return [u for u in users if may_see(u)]


#: the longest autocomplete query (a name is at most 120 characters)
MAX_QUERY = 100
#: most people one autocomplete answer lists
MAX_SUGGESTIONS = 20


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def mentionable(user: Any, community: Community, q: str, limit: int = 8) -> list[User]:
    """Members ``user`` may mention in ``community`` (the policy's SQL twin
    ``mentionable_filter``) whose handle or a word of whose name starts with ``q``
    ("@andi", "andi", "prat" find Andi Pratama), by name; at most ``limit``.

    The caller checks ``community.mention`` first; ``q`` is already trimmed and
    without its "@" (an empty one lists nobody).
    """
    from cop.core.permissions import mentionable_filter  # the policy imports this module's models

    if not q:
        return []
    prefix = _like_escape(q.lower()) + "%"
    name = func.lower(User.name)
    matches = or_(
        User.username.like(prefix, escape="\\"),
        name.like(prefix, escape="\\"),
        name.like("% " + prefix, escape="\\"),
    )
    stmt = (
        select(User)
        .where(mentionable_filter(user, community), matches)
        .order_by(User.name, User.id)
        .limit(max(1, min(limit, MAX_SUGGESTIONS)))
    )
    return list(db.session.scalars(stmt))
