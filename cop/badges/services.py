"""Awarding badges: evaluate the rules, record awards, backfill, privacy, settings.

An award is made once per (user, badge, community): the INSERT ... ON CONFLICT
DO NOTHING on that unique key lets the database decide when two requests cross
a threshold at once. ``signals.badge_awarded`` fires after the commit for each
award made (or a repeatable one's count going up); the notifications feature
tells the earner.

Revoking (docs/recognition.md): a repeatable badge's count follows its metric
(down to 0, which revokes it); a once-awarded badge stays when its metric falls
(a like withdrawn, a post deleted by its author), unless a moderator removed
what earned it (``revoke_unheld``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cop import signals
from cop.auth.models import User
from cop.badges import catalogue, points
from cop.badges.catalogue import Badge
from cop.badges.metrics import METRICS
from cop.badges.models import Award, LeaderboardSetting
from cop.communities.models import Community, Membership
from cop.core import jobs, permissions
from cop.core.db import unit_of_work
from cop.core.errors import NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.types import utcnow
from cop.extensions import db

_Key = tuple[str, tuple[tuple[str, int], ...]]


@dataclass(frozen=True)
class Change:
    """An award made, or a repeatable one held more often."""

    award_id: int
    badge: Badge
    user_id: int
    community_id: int
    count: int
    again: bool


def _metric_key(badge: Badge) -> _Key:
    return badge.metric, tuple(sorted(badge.params.items()))


def _values(
    badges: Iterable[Badge], user_id: int | None, community_id: int | None
) -> dict[_Key, dict[tuple[int, int], tuple[int, int | None]]]:
    """Run each distinct metric once: {metric key: {(user, community): (value, subject)}}.

    Only active members of the community are counted (banned and departed
    members earn nothing).
    """
    out: dict[_Key, dict[tuple[int, int], tuple[int, int | None]]] = {}
    for badge in badges:
        key = _metric_key(badge)
        if key in out:
            continue
        rows = METRICS[badge.metric](user_id, community_id, **badge.params).subquery()
        cols = list(rows.c)
        stmt = select(*cols).join(
            Membership,
            and_(
                Membership.user_id == cols[0],
                Membership.community_id == cols[1],
                Membership.status == "active",
            ),
        )
        out[key] = {
            (int(r[0]), int(r[1])): (int(r[2] or 0), r[3]) for r in db.session.execute(stmt)
        }
    return out


def _insert() -> Any:
    return (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )


def _apply(
    badge: Badge,
    user_id: int,
    community_id: int,
    value: int,
    subject_id: int | None,
    now: datetime,
) -> Change | None:
    """Make the award agree with the metric's value; the change worth telling, if any."""
    times = badge.times(value)
    mine = and_(
        Award.user_id == user_id, Award.badge_slug == badge.slug, Award.community_id == community_id
    )
    if times == 0:
        if badge.repeatable:  # a repeatable count follows its metric, down to revoked
            db.session.execute(
                update(Award)
                .where(mine, Award.revoked_at.is_(None))
                .values(count=0, value=value, revoked_at=now, revocation_reason="no longer held")
            )
        return None
    new_id = db.session.scalar(
        _insert()(Award)
        .values(
            user_id=user_id,
            badge_slug=badge.slug,
            community_id=community_id,
            count=times,
            value=value,
            subject_type=badge.subject_type,
            subject_id=subject_id,
            awarded_at=now,
            private=False,
            revoked_at=None,
            revocation_reason="",
            salt=secrets.token_hex(16),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "badge_slug", "community_id"])
        .returning(Award.id)
    )
    if new_id is not None:
        return Change(new_id, badge, user_id, community_id, times, again=False)
    if badge.repeatable:
        # Up (tell the earner) or down (quietly); a revoked one comes back.
        raised = db.session.execute(
            update(Award)
            .where(mine, (Award.count < times) | Award.revoked_at.is_not(None))
            .values(
                count=times,
                value=value,
                subject_id=subject_id,
                revoked_at=None,
                revocation_reason="",
            )
            .returning(Award.id)
        ).first()
        if raised is not None:
            return Change(raised[0], badge, user_id, community_id, times, again=True)
        db.session.execute(
            update(Award).where(mine, Award.count > times).values(count=times, value=value)
        )
        return None
    back = db.session.execute(
        update(Award)
        .where(mine, Award.revoked_at.is_not(None))
        .values(
            revoked_at=None,
            revocation_reason="",
            awarded_at=now,
            value=value,
            subject_id=subject_id,
        )
        .returning(Award.id)
    ).first()
    return Change(back[0], badge, user_id, community_id, times, again=False) if back else None


def _announce(changes: list[Change]) -> None:
    for change in changes:
        signals.send_after_commit(
            signals.badge_awarded,
            change,
            award_id=change.award_id,
            badge=change.badge,
            user_id=change.user_id,
            community_id=change.community_id,
            count=change.count,
            again=change.again,
        )


def evaluate(
    user_id: int, community_id: int, families: Iterable[str], *, now: datetime | None = None
) -> list[Change]:
    """Evaluate the badges of ``families`` for one member of one community (live awarding)."""
    badges = catalogue.of_family(*families)
    now = now or utcnow()
    changes: list[Change] = []
    with unit_of_work():
        values = _values(badges, user_id, community_id)
        for badge in badges:
            value, subject = values[_metric_key(badge)].get((user_id, community_id), (0, None))
            change = _apply(badge, user_id, community_id, value, subject, now)
            if change is not None:
                changes.append(change)
        _announce(changes)
    return changes


def backfill(
    community_id: int | None = None, *, now: datetime | None = None, announce: bool = False
) -> int:
    """Evaluate every rule over the history (one community or all); how many awards changed.

    The same metrics as live awarding, over every member at once. By default
    nobody is notified (a backfill is not news).
    """
    return _evaluate_everyone(catalogue.BADGES, community_id, now or utcnow(), announce)


#: metrics whose value changes with the passing of time alone, so no event re-evaluates them
TIMED_METRICS = frozenset({"membership_years"})


@jobs.periodic("badges.anniversaries", hour="1", minute="7")
def award_anniversaries(now: datetime | None = None) -> int:
    """Once a day (01.07 UTC, morning in Indonesia): the badges that fall due with time
    (a year, three years in the community), told to their earners like live awards."""
    timed = [badge for badge in catalogue.BADGES if badge.metric in TIMED_METRICS]
    return _evaluate_everyone(timed, None, now or utcnow(), True)


def _evaluate_everyone(
    badges: Iterable[Badge], community_id: int | None, now: datetime, announce: bool
) -> int:
    badges = list(badges)
    changes: list[Change] = []
    with unit_of_work():
        values = _values(badges, None, community_id)
        for badge in badges:
            held = values[_metric_key(badge)]
            pairs = set(held)
            if badge.repeatable:  # counts to recompute, down to zero
                stmt = select(Award.user_id, Award.community_id).where(
                    Award.badge_slug == badge.slug, Award.revoked_at.is_(None)
                )
                if community_id is not None:
                    stmt = stmt.where(Award.community_id == community_id)
                pairs |= {(r[0], r[1]) for r in db.session.execute(stmt)}
            for user_id, cid in sorted(pairs):
                value, subject = held.get((user_id, cid), (0, None))
                change = _apply(badge, user_id, cid, value, subject, now)
                if change is not None:
                    changes.append(change)
        if announce:
            _announce(changes)
    return len(changes)


def revoke_unheld(user_id: int, community_id: int, families: Iterable[str], reason: str) -> int:
    """A moderator removed something: once-awarded badges whose rule no longer holds go.

    Returns how many were revoked. Repeatable ones are recomputed by ``evaluate``.
    """
    badges = [b for b in catalogue.of_family(*families) if not b.repeatable]
    now = utcnow()
    revoked = 0
    with unit_of_work():
        values = _values(badges, user_id, community_id)
        for badge in badges:
            value, _subject = values[_metric_key(badge)].get((user_id, community_id), (0, None))
            if badge.times(value):
                continue
            result = db.session.execute(
                update(Award)
                .where(
                    Award.user_id == user_id,
                    Award.badge_slug == badge.slug,
                    Award.community_id == community_id,
                    Award.revoked_at.is_(None),
                )
                .values(revoked_at=now, revocation_reason=reason[:200])
                .returning(Award.id)
            ).first()
            revoked += result is not None
    return revoked


def score(kinds: Iterable[str], subject_id: int) -> None:
    """Bring the points ledger up to date for one subject (a post, topic, meeting, ...)."""
    points.sync(kinds, subject_id=subject_id)


# --- reading and managing awards ---------------------------------------------------


def get_award(award_id: Any) -> Award:
    """The award with this id (any state; a digit string from a URL too); NotFound otherwise.

    A tampered id (letters, a sign, a huge number) is simply not found.
    """
    if isinstance(award_id, str) and award_id.isascii() and award_id.isdigit():
        award_id = int(award_id) if len(award_id) <= 19 else None
    award = db.session.get(Award, award_id) if is_id(award_id) else None
    if award is None or catalogue.get(award.badge_slug) is None:
        raise NotFound(_l("There is no such award."))
    return award


def visible_award(viewer: User | None, award_id: Any, action: str = "award.view") -> Award:
    """Fetch an award and check ``action`` on it (NotFound when it may not be seen)."""
    award = get_award(award_id)
    permissions.authorize(viewer, action, award, not_found=_l("There is no such award."))
    return award


def set_private(actor: User, award: Award, private: bool) -> Award:
    """The earner hides an award (its public URL then answers 404) or shows it again."""
    permissions.authorize(actor, "award.manage", award)
    with unit_of_work():
        award.private = private
        db.session.add(award)
    return award


def set_leaderboard_hidden(actor: User, community: Community, hidden: bool) -> None:
    """A coordinator hides the leaderboard from members (coordinators still see it)."""
    permissions.authorize(actor, "leaderboard.manage", community)
    with unit_of_work():
        setting = db.session.get(LeaderboardSetting, community.id)
        if setting is None:
            setting = LeaderboardSetting(community_id=community.id)
            db.session.add(setting)
        setting.hidden = hidden
        setting.updated_at = utcnow()


def check_period(period: str | None) -> str:
    """``?period=``: month, semester or all (month when absent); a clear 400 otherwise."""
    value = (period or "month").strip()
    if value not in points.PERIODS:
        raise ValidationError(
            _l("The period must be month, semester or all."),
            code="bad_period",
            fields={"period": _l("Choose month, semester or all.")},
        )
    return value
