"""The one permissions policy: may this user do that to this object?

Pages, the JSON API and Socket.IO handlers all ask here, so a rule changes in
one place. Rules are plain functions keyed by action name; later features add
their own rows to ``RULES`` in this module.

Visibility comes first: an object the user may not even see raises NotFound
(404), so private and hidden communities do not leak their existence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core.errors import Forbidden, NotAuthenticated, NotFound
from cop.extensions import db


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def is_admin(user: Any) -> bool:
    """A logged-in, active site admin."""
    return _is_user(user) and bool(user.is_admin)


def membership_of(user: Any, community: Community) -> Membership | None:
    """The user's membership row in ``community`` (any status), cached per request."""
    if not _is_user(user):
        return None
    cache: dict[tuple[int, int], Membership | None] | None = None
    if has_app_context():
        cache = g.setdefault("_cop_memberships", {})
        key = (user.id, community.id)
        if key in cache:
            return cache[key]
    found = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.community_id == community.id
        )
    )
    if cache is not None:
        cache[(user.id, community.id)] = found
    return found


def prime_memberships(user: Any, memberships: list[Membership]) -> None:
    """Seed the cache from a list already loaded (avoids N+1 on list pages)."""
    if has_app_context() and _is_user(user):
        cache = g.setdefault("_cop_memberships", {})
        for membership in memberships:
            cache[(user.id, membership.community_id)] = membership


def prime_membership(user: Any, community_id: int, membership: Membership | None) -> None:
    """Seed the cache with one community's row, or with None for "not a member"
    (a query that loaded it beside something else saves the policy a round trip)."""
    if has_app_context() and _is_user(user):
        g.setdefault("_cop_memberships", {})[(user.id, community_id)] = membership


@signals.membership_changed.connect
def _forget_memberships(_sender: Any, **_kwargs: Any) -> None:
    if has_app_context():
        g.pop("_cop_memberships", None)


def role_in(user: Any, community: Community) -> str | None:
    """'member', 'moderator' or 'coordinator' for active members, else None."""
    membership = membership_of(user, community)
    return membership.role if membership and membership.is_active else None


def _has_role(user: Any, community: Community, role: str) -> bool:
    membership = membership_of(user, community)
    return bool(membership and membership.has_role(role))


# --- community rules ---------------------------------------------------------


def _community_view(user: Any, community: Community) -> bool:
    """The community's front page: anyone for public and private, members for hidden."""
    if community.visibility in ("public", "private"):
        return True
    return is_admin(user) or _has_role(user, community, "member")


def _community_view_content(user: Any, community: Community) -> bool:
    """Members, discussions, files: public to all, otherwise active members only."""
    if community.visibility == "public":
        return True
    return is_admin(user) or _has_role(user, community, "member")


def _community_join(user: Any, community: Community) -> bool:
    """Join or request to join: public and private communities, not when banned or in."""
    if not _is_user(user) or community.visibility == "hidden":
        return False
    membership = membership_of(user, community)
    return membership is None


def _community_leave(user: Any, community: Community) -> bool:
    """Leave (or withdraw a request); banned members cannot leave their ban."""
    membership = membership_of(user, community)
    return bool(membership and membership.status in ("active", "pending"))


def _community_participate(user: Any, community: Community) -> bool:
    """Post, chat, RSVP, share: active members."""
    return _has_role(user, community, "member")


def _community_moderate(user: Any, community: Community) -> bool:
    """Moderators and coordinators (and site admins)."""
    return is_admin(user) or _has_role(user, community, "moderator")


def _community_manage(user: Any, community: Community) -> bool:
    """Edit the community, set roles, approve, ban: coordinators (and site admins)."""
    return is_admin(user) or _has_role(user, community, "coordinator")


def _site_admin(user: Any, _target: Any) -> bool:
    """The admin area: site admins only."""
    return is_admin(user)


def _user_view_private(user: Any, person: Any) -> bool:
    """A person's email address and participation record: themselves and site admins."""
    return _is_user(user) and (user.id == person.id or is_admin(user))


Rule = Callable[[Any, Any], bool]

#: action -> (rule, visibility action that must pass first, or None)
RULES: dict[str, tuple[Rule, str | None]] = {
    "community.view": (_community_view, None),
    "community.view_content": (_community_view_content, "community.view"),
    "community.view_members": (_community_view_content, "community.view"),
    "community.join": (_community_join, "community.view"),
    "community.leave": (_community_leave, "community.view"),
    "community.participate": (_community_participate, "community.view_content"),
    "community.moderate": (_community_moderate, "community.view_content"),
    "community.manage": (_community_manage, "community.view_content"),
    "community.invite": (_community_manage, "community.view_content"),
    "site.admin": (_site_admin, None),
    "user.view_private": (_user_view_private, None),
}


def can(user: Any, action: str, target: Any) -> bool:
    """True when ``user`` (possibly anonymous) may do ``action`` to ``target``."""
    rule, needs = RULES[action]
    if needs is not None and not can(user, needs, target):
        return False
    return rule(user, target)


#: actions about seeing a thing at all: failing one is a 404, never a 403
VISIBILITY_ACTIONS = {
    "community.view",
    "community.view_content",
    "community.view_members",
    "user.view_private",
}


def authorize(user: Any, action: str, target: Any, *, not_found: Any = None) -> None:
    """Raise unless allowed.

    NotFound when the target (or what the action needs to see) is invisible
    to the user, NotAuthenticated when logging in might help, else Forbidden.
    ``not_found`` is the NotFound's message: callers that fetched the target
    pass the one they give for an unknown id, so both 404s read the same.
    """
    if can(user, action, target):
        return
    chain = [action]
    needs = RULES[action][1]
    while needs is not None:
        chain.append(needs)
        needs = RULES[needs][1]
    for step in reversed(chain):
        if not RULES[step][0](user, target):
            if step in VISIBILITY_ACTIONS:
                raise NotFound(not_found)
            if not _is_user(user):
                raise NotAuthenticated()
            raise Forbidden()
    raise Forbidden()  # pragma: no cover - can() and the chain disagree


def visible_community_filter(user: Any) -> Any:
    """A WHERE clause for communities listed to ``user`` in directories."""
    if is_admin(user):
        return Community.id.is_not(None)
    listed = Community.visibility.in_(("public", "private"))
    if not _is_user(user):
        return listed
    mine = (
        select(Membership.community_id)
        .where(Membership.user_id == user.id, Membership.status == "active")
        .scalar_subquery()
    )
    return listed | Community.id.in_(mine)


# --- meetings rules ---------------------------------------------------------------


def _meeting_view(user: Any, meeting: Any) -> bool:
    """A meeting is content of its community: seen where the community's content is."""
    return _community_view_content(user, meeting.community)


def _meeting_rsvp(user: Any, meeting: Any) -> bool:
    """Answer, check in: active members of the meeting's community."""
    return _community_participate(user, meeting.community)


def _meeting_manage(user: Any, meeting: Any) -> bool:
    """Edit, cancel, agenda, attendance, minutes: coordinators (and site admins)."""
    return _community_manage(user, meeting.community)


def _meeting_view_minutes(user: Any, meeting: Any) -> bool:
    """Members (and anyone on public communities) once published; coordinators always."""
    from cop.meetings.services import minutes_of

    if _meeting_manage(user, meeting):
        return True
    minutes = minutes_of(meeting)
    return bool(minutes and minutes.published)


# --- resources rules ---------------------------------------------------------
# The target is a Resource (cop.resources.models); its community may be None
# for a resource shared with everyone outside any community.


def _resource_moderates(user: Any, resource: Any) -> bool:
    if is_admin(user):
        return True
    return resource.community is not None and _has_role(user, resource.community, "moderator")


def _resource_view(user: Any, resource: Any) -> bool:
    """Public resources: everyone; others: who sees the community's content.

    A hidden resource stays visible to its uploader, moderators and admins.
    """
    if resource.hidden and not (
        _resource_moderates(user, resource) or (_is_user(user) and resource.uploader_id == user.id)
    ):
        return False
    if resource.public:
        return True
    if resource.community is None:
        return is_admin(user)
    return _community_view_content(user, resource.community)


def _resource_like(user: Any, resource: Any) -> bool:
    """Any logged-in user who can see it."""
    return _is_user(user)


def _resource_feature(user: Any, resource: Any) -> bool:
    """Coordinators pick "pilihan pengurus" (site admins too)."""
    if is_admin(user):
        return True
    return resource.community is not None and _has_role(user, resource.community, "coordinator")


def _resource_remove(user: Any, resource: Any) -> bool:
    """The uploader (while still an active member), moderators and admins."""
    if _resource_moderates(user, resource):
        return True
    if not (_is_user(user) and resource.uploader_id == user.id):
        return False
    return resource.community is None or _has_role(user, resource.community, "member")


RULES.update(
    {
        "meeting.view": (_meeting_view, None),
        "meeting.rsvp": (_meeting_rsvp, "meeting.view"),
        "meeting.manage": (_meeting_manage, "meeting.view"),
        "meeting.view_minutes": (_meeting_view_minutes, "meeting.view"),
    }
)
VISIBILITY_ACTIONS.update({"meeting.view"})
RULES.update(
    {
        "resource.view": (_resource_view, None),
        "resource.download": (_resource_view, "resource.view"),
        "resource.like": (_resource_like, "resource.view"),
        "resource.feature": (_resource_feature, "resource.view"),
        "resource.hide": (_resource_moderates, "resource.view"),
        "resource.remove": (_resource_remove, "resource.view"),
    }
)
VISIBILITY_ACTIONS.update({"resource.view", "resource.download"})
# --- discussions rules ---
# Targets are Topic or Post objects; each rule asks the community rules of the
# topic's community, so visibility, bans and roles work as everywhere else.


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
    return _topic_view(user, post.topic)


def _post_edit(user: Any, post: Any) -> bool:
    """Edit or delete: the author while still a member, or a moderator."""
    if _topic_moderate(user, post.topic):
        return True
    return _topic_reply(user, post.topic) and post.author_id == user.id and post.hidden_at is None


def _post_participate(user: Any, post: Any) -> bool:
    """React or flag: active members."""
    return _topic_reply(user, post.topic)


def _post_history(user: Any, post: Any) -> bool:
    """Earlier versions of a post: moderators."""
    return _topic_moderate(user, post.topic)


# --- chat rules ----------------------------------------------------------------
# Chat is the members' room, in public communities too: outsiders do not see it.


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


RULES.update(
    {
        "topic.view": (_topic_view, None),
        "topic.reply": (_topic_reply, "topic.view"),
        "topic.moderate": (_topic_moderate, "topic.view"),
        "topic.solve": (_topic_solve, "topic.view"),
        "post.view": (_post_view, None),
        "post.edit": (_post_edit, "post.view"),
        "post.delete": (_post_edit, "post.view"),
        "post.react": (_post_participate, "post.view"),
        "post.flag": (_post_participate, "post.view"),
        "post.history": (_post_history, "post.view"),
    }
)
VISIBILITY_ACTIONS.update({"topic.view", "post.view"})
RULES.update(
    {
        "chat.view_community": (_chat_view_community, "community.view"),
        "chat.view": (_chat_view, None),
        "chat.send": (_chat_send, "chat.view"),
        "chat.view_message": (_chat_view_message, None),
        "chat.edit_message": (_chat_edit_message, "chat.view_message"),
        "chat.delete_message": (_chat_delete_message, "chat.view_message"),
        "chat.manage_channels": (_community_manage, "community.view_content"),
    }
)
VISIBILITY_ACTIONS.update({"chat.view_community", "chat.view", "chat.view_message"})
