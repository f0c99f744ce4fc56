"""A member's notification preferences: per kind, per community, and quiet hours.

Read by delivery (cop/notifications/delivery.py) and the digests, written by the
preferences page and ``PUT /api/v1/me/preferences``. Only what differs from a
kind's defaults is stored (cop/notifications/kinds.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core.db import unit_of_work
from cop.core.errors import ValidationError
from cop.core.timezones import DEFAULT_ZONE, is_known_zone
from cop.extensions import db
from cop.notifications.kinds import BY_NAME, EMAIL_MODES, KINDS, Kind
from cop.notifications.models import (
    CommunityMute,
    MailBounce,
    NotificationPreference,
    NotificationSettings,
)


@dataclass(frozen=True)
class Choice:
    """How one kind reaches a member."""

    inapp: bool
    push: bool
    email: str

    def as_json(self) -> dict[str, Any]:
        """``{inapp, push, email}``."""
        return {"inapp": self.inapp, "push": self.push, "email": self.email}


@dataclass(frozen=True)
class Preferences:
    """Everything the preferences page shows and delivery reads, for one member."""

    choices: dict[str, Choice]
    quiet_start: int | None
    quiet_end: int | None
    muted: frozenset[int]

    def choice(self, kind: Kind) -> Choice:
        """The member's choice for ``kind`` (its defaults when unchanged or unknown)."""
        return self.choices.get(kind.name) or default_choice(kind)

    @property
    def has_quiet_hours(self) -> bool:
        """True when both ends are set and differ."""
        return (
            self.quiet_start is not None
            and self.quiet_end is not None
            and self.quiet_start != self.quiet_end
        )


def default_choice(kind: Kind) -> Choice:
    """What a member who never changed ``kind`` gets."""
    return Choice(inapp=kind.inapp, push=kind.push, email=kind.email)


def preferences_of(user: User) -> Preferences:
    """The member's preferences, defaults filled in."""
    return preferences_for([user.id])[user.id]


def preferences_for(user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Several members' preferences in three queries, whatever their number (the
    fan-out of one post to its watchers reads them all at once)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    defaults = {kind.name: default_choice(kind) for kind in KINDS}
    choices: dict[int, dict[str, Choice]] = {i: dict(defaults) for i in ids}
    for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(ids))
    ):
        if row.kind in defaults:
            choices[row.user_id][row.kind] = Choice(inapp=row.inapp, push=row.push, email=row.email)
    settings = {
        row.user_id: row
        for row in db.session.scalars(
            select(NotificationSettings).where(NotificationSettings.user_id.in_(ids))
        )
    }
    muted: dict[int, set[int]] = {i: set() for i in ids}
    for user_id, community_id in db.session.execute(
        select(CommunityMute.user_id, CommunityMute.community_id).where(
            CommunityMute.user_id.in_(ids)
        )
    ):
        muted[user_id].add(community_id)
    return {
        i: Preferences(
            choices=choices[i],
            quiet_start=settings[i].quiet_start if i in settings else None,
            quiet_end=settings[i].quiet_end if i in settings else None,
            muted=frozenset(muted[i]),
        )
        for i in ids
    }


def parse_clock(value: str | None, field: str) -> int | None:
    """``"21:30"`` -> minutes of the day (1290); empty -> None; else a ValidationError."""
    if value is None or not str(value).strip():
        return None
    try:
        parsed = time.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(fields={field: [_l("Write a time as HH:MM, e.g. 21:00.")]}) from None
    return parsed.hour * 60 + parsed.minute


def clock(minutes: int | None) -> str:
    """Minutes of the day -> ``"21:30"`` ('' for None)."""
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def save_preferences(
    user: User,
    choices: Mapping[str, Mapping[str, Any]],
    *,
    quiet_start: int | None,
    quiet_end: int | None,
    muted: Iterable[int] | None = None,
) -> Preferences:
    """Store the member's choices (only those that differ from the defaults).

    ``choices`` maps a kind to ``{inapp, push, email}`` (missing keys keep the
    current value); an unknown kind or mode is a ValidationError naming it.
    ``muted`` (community ids) replaces the muted set when given.
    """
    current = preferences_of(user)
    merged = _merge(current, choices)
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(
            fields={"quiet_hours": [_l("Give both the start and the end of your quiet hours.")]}
        )
    with unit_of_work():
        db.session.execute(
            delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
        for name, choice in merged.items():
            if choice != default_choice(BY_NAME[name]):
                db.session.add(
                    NotificationPreference(
                        user_id=user.id,
                        kind=name,
                        inapp=choice.inapp,
                        push=choice.push,
                        email=choice.email,
                    )
                )
        settings = db.session.get(NotificationSettings, user.id) or NotificationSettings(
            user_id=user.id
        )
        settings.quiet_start, settings.quiet_end = quiet_start, quiet_end
        db.session.add(settings)
        if muted is not None:
            _replace_mutes(user, set(muted))
    return preferences_of(user)


def _merge(current: Preferences, choices: Mapping[str, Mapping[str, Any]]) -> dict[str, Choice]:
    merged = dict(current.choices)
    errors: dict[str, list[Any]] = {}
    for name, given in choices.items():
        kind = BY_NAME.get(name)
        if kind is None or not isinstance(given, Mapping):
            errors[name] = [_l("Unknown notification kind.")]
            continue
        if set(given) - {"inapp", "push", "email"}:  # the document's closed shape
            errors[name] = [_l("Unknown field.")]
            continue
        old = merged[name]
        email = given.get("email", old.email)
        if email not in EMAIL_MODES:
            errors[name] = [_l("E-mail must be one of: off, immediate, daily, weekly.")]
            continue
        inapp, push = given.get("inapp", old.inapp), given.get("push", old.push)
        if not isinstance(inapp, bool) or not isinstance(push, bool):
            errors[name] = [_l("In-app and push are true or false.")]
            continue
        merged[name] = Choice(inapp=inapp, push=push, email=email)
    if errors:
        raise ValidationError(fields=errors)
    return merged


def _replace_mutes(user: User, wanted: set[int]) -> None:
    known = set(
        db.session.scalars(
            select(Membership.community_id).where(
                Membership.community_id.in_(wanted), Membership.user_id == user.id
            )
        ).all()
    )
    db.session.execute(delete(CommunityMute).where(CommunityMute.user_id == user.id))
    for community_id in sorted(known):
        db.session.add(CommunityMute(user_id=user.id, community_id=community_id))


def community_ids(user: User, slugs: Iterable[str]) -> list[int]:
    """The ids of the member's communities with these slugs (any other is a ValidationError:
    a member mutes only what they belong to, and a hidden community's slug stays unknown)."""
    wanted = set(slugs)
    rows = db.session.execute(
        select(Community.slug, Community.id)
        .join(Membership, Membership.community_id == Community.id)
        .where(Community.slug.in_(wanted), Membership.user_id == user.id)
    ).all()
    found = {slug: community_id for slug, community_id in rows}
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ValidationError(
            fields={"muted_communities": [_l("Unknown community: %(slug)s", slug=unknown[0])]}
        )
    return list(found.values())


def community_slugs(ids: Iterable[int]) -> list[str]:
    """The slugs of the communities ``ids``, sorted."""
    wanted = list(ids)
    if not wanted:
        return []
    return sorted(db.session.scalars(select(Community.slug).where(Community.id.in_(wanted))))


def set_muted(user: User, community: Community, muted: bool) -> None:
    """Mute (or unmute) one community for the member."""
    with unit_of_work():
        row = db.session.get(CommunityMute, (user.id, community.id))
        if muted and row is None:
            db.session.add(CommunityMute(user_id=user.id, community_id=community.id))
        elif not muted and row is not None:
            db.session.delete(row)


def turn_off_email(user: User, kind_names: Iterable[str]) -> list[Kind]:
    """Set e-mail to off for these kinds (the unsubscribe link); the kinds changed."""
    prefs = preferences_of(user)
    names = [name for name in kind_names if name in BY_NAME]
    changes = {name: {"email": "off"} for name in names if prefs.choices[name].email != "off"}
    save_preferences(
        user, changes, quiet_start=prefs.quiet_start, quiet_end=prefs.quiet_end, muted=None
    )
    return [BY_NAME[name] for name in names]


def quiet_until(user: User, prefs: Preferences, now: datetime) -> datetime | None:
    """When the member's quiet hours end, if ``now`` falls inside them (else None)."""
    if not prefs.has_quiet_hours:
        return None
    assert prefs.quiet_start is not None and prefs.quiet_end is not None
    zone = ZoneInfo(user.timezone if is_known_zone(user.timezone) else DEFAULT_ZONE)
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    start, end = prefs.quiet_start, prefs.quiet_end
    inside = start <= minute < end if start < end else minute >= start or minute < end
    if not inside:
        return None
    day = local.date() if minute < end else local.date() + timedelta(days=1)
    ends = datetime.combine(day, time(end // 60, end % 60), tzinfo=zone)
    return ends.astimezone(now.tzinfo)


def bounce_of(address: str) -> MailBounce | None:
    """The recorded refusal of ``address``, if any."""
    return db.session.get(MailBounce, address.strip().lower())


def record_bounce(address: str, reason: str) -> None:
    """Remember that the mail server refused ``address`` for good."""
    with unit_of_work():
        row = db.session.get(MailBounce, address.strip().lower())
        if row is None:
            db.session.add(MailBounce(address=address.strip().lower(), reason=reason[:300]))
        else:
            row.reason = reason[:300]


def clear_bounce(user: User) -> None:
    """The member says their address works again: mail it again."""
    with unit_of_work():
        db.session.execute(delete(MailBounce).where(MailBounce.address == user.email.lower()))
