"""Helpers the learning-cycle services share: field checks and member lookups."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core.ids import is_id
from cop.extensions import db


def text(value: str | None, name: str, errors: dict[str, Any], most: int, *, required: bool) -> str:
    """``value`` stripped; an error on ``name`` when it is missing or too long."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        errors[name] = _l("This field is required.")
    elif len(cleaned) > most:
        errors[name] = _l("At most %(n)d characters.", n=most)
    return cleaned


def hours(value: int | None, name: str, errors: dict[str, Any], most: int) -> int:
    """A whole number of JP between 0 and ``most``."""
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
        errors[name] = _l("A whole number from 0 to %(n)d.", n=most)
        return 0
    return value


def active_members(community: Community, ids: list[int]) -> dict[int, User]:
    """The active members of ``community`` among ``ids`` (by id)."""
    wanted = [i for i in ids if is_id(i)]
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.status == "active",
            User.active.is_(True),
            User.id.in_(wanted),
        )
    )
    return {user.id: user for user in rows}


def member_ids(
    community: Community, ids: list[int], name: str, errors: dict[str, Any], most: int
) -> list[int]:
    """``ids`` without repeats, each an active member of ``community`` (else an error)."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > most:
        errors[name] = _l("At most %(n)d people.", n=most)
        return []
    found = active_members(community, unique)
    if len(found) != len(unique):
        errors[name] = _l("Choose active members of this community.")
        return []
    return unique
