"""Discussion rules: Topic and Post targets.

Each rule asks the community rules of the topic's community, so visibility,
bans and roles work as everywhere else. A community's topic list has no
visibility WHERE of its own: its caller authorizes ``community.view_content``.
"""

from __future__ import annotations

from typing import Any

from cop.core.permissions.base import can, register


def _topic_view(user: Any, topic: Any) -> bool:
    """See a topic: whoever may see the community's content."""
    return can(user, "community.view_content", topic.community)


def _topic_reply(user: Any, topic: Any) -> bool:
    """Reply: active members (a locked topic is refused by the service, with a reason)."""
    return can(user, "community.participate", topic.community)


def _topic_moderate(user: Any, topic: Any) -> bool:
    """Pin, lock, move, hide posts, handle flags: the community's moderators."""
    return can(user, "community.moderate", topic.community)


def _topic_solve(user: Any, topic: Any) -> bool:
    """Mark the solution: the topic's author (still a member) or a moderator."""
    if _topic_moderate(user, topic):
        return True
    return _topic_reply(user, topic) and topic.author_id == user.id


def _post_view(user: Any, post: Any) -> bool:
    """See a post: as for its topic."""
    return _topic_view(user, post.topic)


def _post_edit(user: Any, post: Any) -> bool:
    """Edit: the author alone, while still a member and the post is not hidden.

    Moderators do not edit other people's words (the page offers them no such
    action, and neither do the API or the policy): they hide or delete a post,
    and the author, told why, may write it again. Words in a teacher's name stay
    the teacher's (docs/security.md, "Moderation").
    """
    return _topic_reply(user, post.topic) and post.author_id == user.id and post.hidden_at is None


def _post_delete(user: Any, post: Any) -> bool:
    """Delete (soft): the author (as for editing) or a moderator."""
    return _topic_moderate(user, post.topic) or _post_edit(user, post)


def _post_participate(user: Any, post: Any) -> bool:
    """React or flag: active members."""
    return _topic_reply(user, post.topic)


def _post_flag(user: Any, post: Any) -> bool:
    """Flag for the moderators: active members, about someone else's post."""
    return _post_participate(user, post) and post.author_id != user.id


def _post_history(user: Any, post: Any) -> bool:
    """Earlier versions of a post: moderators."""
    return _topic_moderate(user, post.topic)


register(
    {
        "topic.view": (_topic_view, None),
        "topic.reply": (_topic_reply, "topic.view"),
        "topic.moderate": (_topic_moderate, "topic.view"),
        "topic.solve": (_topic_solve, "topic.view"),
        "post.view": (_post_view, None),
        "post.edit": (_post_edit, "post.view"),
        "post.delete": (_post_delete, "post.view"),
        "post.react": (_post_participate, "post.view"),
        "post.flag": (_post_flag, "post.view"),
        "post.history": (_post_history, "post.view"),
    },
    {"topic.view", "post.view"},
)
