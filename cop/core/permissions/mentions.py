"""Mention rules: who may @mention in a community, and whom.

- ``community.mention`` (target: a Community): active members may mention
  others there (the post editor's and the chat box's autocomplete asks this);
- ``user.be_mentioned`` (target: a :class:`Mentionee`, a person in a
  community): the person is an active user with an active membership of that
  community, and not the one mentioning. Its SQL twin
  :func:`mentionable_filter` selects the same people from ``users``, so the
  autocomplete list (``GET /api/v1/communities/{slug}/mentionable``) and the
  rule agree (tests/core/test_policy_mentions.py proves it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core.permissions.base import _has_role, _is_user, membership_of, register


@dataclass(frozen=True)
class Mentionee:
    """A person as someone to mention in a community."""

    person: User
    community: Community


def _community_mention(user: Any, community: Community) -> bool:
    """Mention people in a community: its active members."""
    return _has_role(user, community, "member")


def _user_be_mentioned(user: Any, target: Mentionee) -> bool:
    """The person may be mentioned by ``user`` in the community: ``user`` may mention
    there, and the person is someone else, active, and an active member of it."""
    person = target.person
    if not (_community_mention(user, target.community) and _is_user(person)):
        return False
    if person.id == user.id:
        return False
    membership = membership_of(person, target.community)
    return bool(membership and membership.is_active)


def mentionable_filter(user: Any, community: Community) -> ColumnElement[bool]:
    """SQL twin of ``user.be_mentioned`` over ``users`` rows, for one community."""
    if not _community_mention(user, community):
        return false()
    members = select(Membership.user_id).where(
        Membership.community_id == community.id, Membership.status == "active"
    )
    return and_(User.active.is_(True), User.id != user.id, User.id.in_(members))


register(
    {
        "community.mention": (_community_mention, "community.view_content"),
        "user.be_mentioned": (_user_be_mentioned, None),
    },
    set(),
)
