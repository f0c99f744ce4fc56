"""Rules about people and the site: the admin area, a person's private details."""

from __future__ import annotations

from typing import Any

from cop.core.permissions.base import _is_user, is_admin, register


def _site_admin(user: Any, _target: Any) -> bool:
    """The admin area: site admins only."""
    return is_admin(user)


def _user_view_private(user: Any, person: Any) -> bool:
    """A person's email address and participation record: themselves and site admins."""
    return _is_user(user) and (user.id == person.id or is_admin(user))


register(
    {
        "site.admin": (_site_admin, None),
        "user.view_private": (_user_view_private, None),
    },
    {"user.view_private"},
)
