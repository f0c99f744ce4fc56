"""The policy's machinery: who the user is in a community, ``can`` and ``authorize``.

Each feature module of this package adds its rules with :func:`register` when
the package imports it. A rule names the visibility action that must pass
first by name, and names are looked up when a check runs, so the order in
which the modules register does not matter.

The standing every rule starts from is defined here once, in Python and as
SQL, so a rule and its listing twin ask the same questions: an *active* user
(a deactivated account has no rights at all), a site admin (an active user
with the admin flag), and an *active* membership of at least a role
(member < moderator < coordinator, ``ROLE_RANK``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_app_context
from sqlalchemy import ColumnElement, bindparam, false, select, true

from cop import signals
from cop.auth.models import User
from cop.communities.models import ROLE_RANK, Community, Membership
from cop.core.errors import Forbidden, NotAuthenticated, NotFound
from cop.extensions import db

Rule = Callable[[Any, Any], bool]

#: action -> (rule, visibility action that must pass first, or None)
RULES: dict[str, tuple[Rule, str | None]] = {}

#: actions about seeing a thing at all: failing one is a 404, never a 403
VISIBILITY_ACTIONS: set[str] = set()

T = TypeVar("T")


def register(rules: dict[str, tuple[Rule, str | None]], visibility: set[str]) -> None:
    """Add a feature module's rows to RULES and VISIBILITY_ACTIONS (each action once)."""
    taken = RULES.keys() & rules.keys()
    if taken:
        raise ValueError(f"permission actions registered twice: {sorted(taken)}")
    RULES.update(rules)
    VISIBILITY_ACTIONS.update(visibility)


# --- standing: Python, then its SQL twin -------------------------------------------


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def is_admin(user: Any) -> bool:
    """A logged-in, active site admin."""
    return _is_user(user) and bool(user.is_admin)


def admin_sql(user: Any) -> ColumnElement[bool]:
    """SQL twin of :func:`is_admin`: TRUE for an active site admin, else FALSE.

    The user is known when the statement is built, so this is a constant that
    SQLAlchemy folds away (``or_(true(), x)`` is ``true()``).
    """
    return true() if is_admin(user) else false()


def is_self_sql(user: Any, user_id_column: Any) -> ColumnElement[bool]:
    """SQL twin of ``_is_user(user) and <row's user id> == user.id``."""
    if not _is_user(user):
        return false()
    return user_id_column == user.id


#: built once: nearly every page asks the policy about one community
_MEMBERSHIP = select(Membership).where(
    Membership.user_id == bindparam("user_id"),
    Membership.community_id == bindparam("community_id"),
)


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
    found = db.session.scalar(_MEMBERSHIP, {"user_id": user.id, "community_id": community.id})
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
    """An active user with an active membership of at least ``role`` in ``community``."""
    membership = membership_of(user, community)
    return bool(membership and membership.has_role(role))


def roles_at_least(role: str) -> tuple[str, ...]:
    """The roles that rank at least ``role`` ("moderator": moderator, coordinator)."""
    return tuple(r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role])


def has_role_sql(user: Any, community_id_column: Any, role: str) -> ColumnElement[bool]:
    """SQL twin of :func:`_has_role`: the row's community is one where ``user`` is an
    active member of at least ``role`` (FALSE for anonymous and deactivated users)."""
    if not _is_user(user):
        return false()
    communities = select(Membership.community_id).where(
        Membership.user_id == user.id,
        Membership.status == "active",
        Membership.role.in_(roles_at_least(role)),
    )
    return community_id_column.in_(communities)


# --- asking the policy ---------------------------------------------------------------


def can(user: Any, action: str, target: Any) -> bool:
    """True when ``user`` (possibly anonymous) may do ``action`` to ``target``."""
    rule, needs = RULES[action]
    if needs is not None and not can(user, needs, target):
        return False
    return rule(user, target)


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


def visible(user: Any, action: str, target: T | None, *, missing: Any = None) -> T:
    """``target`` if ``user`` may ``action`` it: the one way a lookup ends.

    A target that does not exist (None) and one the user may not see raise the
    same NotFound with the same ``missing`` message, so no 404 tells whether a
    hidden thing exists; a visible one the user may not ``action`` is a 401 or 403.
    """
    if target is None:
        raise NotFound(missing)
    authorize(user, action, target, not_found=missing)
    return target
