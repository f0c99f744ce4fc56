"""JSON shapes of accounts: a user and a new API token (API and sockets share them).

Field names are part of the contract (DESIGN.md): add, never rename. Each shape
has a matching component schema in ``cop.api.openapi``.
"""

from __future__ import annotations

from typing import Any

from cop.auth.models import ApiToken, User
from cop.core import permissions
from cop.core.types import iso


def user_json(user: User, viewer: User | None) -> dict[str, Any]:
    """A user; the email only for those the policy lets see it (themselves, site admins)."""
    data: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "locale": user.locale,
        "timezone": user.timezone,
    }
    if permissions.can(viewer, "user.view_private", user):
        data["email"] = user.email
    return data


def token_json(token: ApiToken, raw: str) -> dict[str, Any]:
    """A new API token; ``token`` is the secret, shown this one time only."""
    return {
        "token": raw,
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": iso(token.created_at),
    }
