"""Chat rules: Channel and Message targets.

Chat is the members' room, in public communities too: outsiders do not see it.
"""

from __future__ import annotations

from typing import Any

from cop.communities.models import Community
from cop.core.permissions.base import _has_role, _is_user, is_admin, register
from cop.core.permissions.communities import _community_manage, _community_moderate


def _chat_view_community(user: Any, community: Community) -> bool:
    """A community's chat (its channel list): active members (and site admins)."""
    return is_admin(user) or _has_role(user, community, "member")


def _chat_view(user: Any, channel: Any) -> bool:
    """Read a channel and listen to it live: as for its community's chat."""
    return _chat_view_community(user, channel.community)


def _chat_send(user: Any, channel: Any) -> bool:
    """Write in a channel (and show typing): active members."""
    return _has_role(user, channel.community, "member")


def _chat_view_message(user: Any, message: Any) -> bool:
    """A message is visible with its channel."""
    return _chat_view(user, message.channel)


def _chat_edit_message(user: Any, message: Any) -> bool:
    """Edit: the author, while still a member."""
    return _is_user(user) and message.author_id == user.id and _chat_send(user, message.channel)


def _chat_delete_message(user: Any, message: Any) -> bool:
    """Delete: the author while a member, or the community's moderators."""
    return _chat_edit_message(user, message) or _community_moderate(user, message.channel.community)


def _chat_view_attachment(user: Any, attachment: Any) -> bool:
    """A photo or file: with its channel once sent; before that, only its uploader."""
    if not _chat_view(user, attachment.channel):
        return False
    return attachment.message_id is not None or (
        _is_user(user) and attachment.uploader_id == user.id
    )


register(
    {
        "chat.view_community": (_chat_view_community, "community.view"),
        "chat.view": (_chat_view, None),
        "chat.send": (_chat_send, "chat.view"),
        "chat.view_message": (_chat_view_message, None),
        "chat.edit_message": (_chat_edit_message, "chat.view_message"),
        "chat.delete_message": (_chat_delete_message, "chat.view_message"),
        "chat.manage_channels": (_community_manage, "community.view_content"),
        "chat.view_attachment": (_chat_view_attachment, None),
    },
    {"chat.view_community", "chat.view", "chat.view_message", "chat.view_attachment"},
)
