"""The one permissions policy: may this user do that to this object?

Pages, the JSON API and Socket.IO handlers all ask here, so a rule changes in
one place: ``can(user, action, target)`` / ``authorize(user, action, target)``.

- ``base``: the standing every rule starts from (active user, site admin,
  active membership of at least a role) in Python and as SQL, the membership
  cache, ``RULES``, ``can`` and ``authorize``;
- one module per feature (``communities``, ``users``, ``meetings``,
  ``resources``, ``discussions``, ``chat``, ``mentions``, ``cycles``) adds its rules when imported
  here; each "can see" rule that a listing also decides in SQL has its twin
  (a WHERE clause builder) beside it, and tests/core/test_policy_sql.py proves
  the two agree.

Visibility comes first: an object the user may not even see raises NotFound
(404), so private and hidden communities do not leak their existence.
"""

from __future__ import annotations

from cop.core.permissions import (
    badges,
    chat,
    communities,
    cycles,
    discussions,
    meetings,
    resources,
    users,
)
from cop.core.permissions import mentions as mentions
from cop.core.permissions.badges import award_visible_filter, leaderboard_hidden
from cop.core.permissions.base import (
    RULES,
    VISIBILITY_ACTIONS,
    Rule,
    admin_sql,
    authorize,
    can,
    has_role_sql,
    is_admin,
    membership_of,
    prime_membership,
    prime_memberships,
    register,
    role_in,
    roles_at_least,
    visible,
)
from cop.core.permissions.communities import community_content_filter, visible_community_filter
from cop.core.permissions.mentions import Mentionee, mentionable_filter
from cop.core.permissions.resources import (
    community_library_filter,
    public_library_filter,
)
from cop.core.permissions.resources import visible_filter as resource_visible_filter

__all__ = [
    "RULES",
    "VISIBILITY_ACTIONS",
    "Mentionee",
    "Rule",
    "admin_sql",
    "authorize",
    "award_visible_filter",
    "badges",
    "can",
    "chat",
    "communities",
    "community_content_filter",
    "community_library_filter",
    "cycles",
    "discussions",
    "has_role_sql",
    "is_admin",
    "leaderboard_hidden",
    "meetings",
    "membership_of",
    "mentionable_filter",
    "mentions",
    "prime_membership",
    "prime_memberships",
    "public_library_filter",
    "register",
    "resource_visible_filter",
    "resources",
    "role_in",
    "roles_at_least",
    "users",
    "visible",
    "visible_community_filter",
]
