"""Daily and weekly digests: one mail per member and period, claimed in the database.

``send_digests`` runs every hour (the periodic job ``periodic.notifications.digests``)
and as ``flask --app wsgi cop send-digests``. For each member with recent
notifications it looks at each period whose turn has come in the member's zone
(daily: from ``DIGEST_HOUR`` local time; weekly: from Monday at that hour) and
claims it by inserting a ``DigestSent`` row under the unique key (member,
period, period key). The claim and the mail's job commit together, so whoever
loses the race (another runner, another consumer) sends nothing, and a crash
leaves neither. A digest holds the member's unread notifications of the kinds
whose e-mail is set to that period, since the previous digest of that period;
with nothing new the period is claimed and no mail goes out.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.core import jobs
from cop.core.db import unit_of_work
from cop.core.mail import send_mail
from cop.core.timezones import DEFAULT_ZONE, is_known_zone
from cop.core.types import utcnow
from cop.core.urls import external_url
from cop.extensions import db
from cop.notifications import delivery, preferences
from cop.notifications.kinds import DIGEST_PERIODS, KINDS, Kind
from cop.notifications.models import DigestSent, Notification

#: how far back a member's first digest of a period reads
FIRST_WINDOW = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


@dataclass
class Section:
    """The items of one kind in a digest."""

    label: str
    items: list[Notification]


def period_key(period: str, local: datetime, hour: int) -> str | None:
    """The key of the digest due at local time ``local`` (None: not yet today / this week)."""
    if period == "daily":
        return local.date().isoformat() if local.hour >= hour else None
    if local.weekday() == 0 and local.hour < hour:
        return None  # Monday before the hour: last week's digest was the last one due
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _candidates(now: datetime) -> list[User]:
    """Active members with an address and a notification in the last week."""
    recent = (
        select(Notification.user_id)
        .where(Notification.created_at > now - FIRST_WINDOW["weekly"])
        .distinct()
    )
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(recent), User.active.is_(True)).order_by(User.id)
        )
    )


def _window_start(user: User, period: str, now: datetime) -> datetime:
    last = db.session.scalar(
        select(func.max(DigestSent.until)).where(
            DigestSent.user_id == user.id, DigestSent.period == period
        )
    )
    return last if last is not None else now - FIRST_WINDOW[period]


def _claimed(user: User, period: str, key: str) -> bool:
    return (
        db.session.scalar(
            select(DigestSent.id).where(
                DigestSent.user_id == user.id,
                DigestSent.period == period,
                DigestSent.period_key == key,
            )
        )
        is not None
    )


def digest_items(
    user: User, kinds: list[Kind], muted: frozenset[int], start: datetime, until: datetime
) -> list[Notification]:
    """The member's unread notifications of ``kinds`` in (start, until], oldest first."""
    sources = [source for kind in kinds for source in kind.sources]
    stmt = select(Notification).where(
        Notification.user_id == user.id,
        Notification.kind.in_(sources),
        Notification.read_at.is_(None),
        Notification.created_at > start,
        Notification.created_at <= until,
    )
    if muted:
        stmt = stmt.where(
            Notification.community_id.is_(None) | Notification.community_id.not_in(muted)
        )
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def _sections(user: User, kinds: list[Kind], items: list[Notification]) -> list[Section]:
    by_source = {source: kind for kind in kinds for source in kind.sources}
    grouped: OrderedDict[str, Section] = OrderedDict()
    with force_locale(user.locale or "id"):
        for kind in kinds:
            grouped[kind.name] = Section(str(kind.label), [])
    for item in items:
        grouped[by_source[item.kind].name].items.append(item)
    return [section for section in grouped.values() if section.items]


def send_digest(user: User, period: str, now: datetime) -> bool | None:
    """Claim and send one member's digest of ``period`` due at ``now``.

    True: sent; False: claimed with nothing in it (no mail); None: not due, not
    wanted, or already claimed (by this or another runner).
    """
    zone = ZoneInfo(user.timezone if is_known_zone(user.timezone) else DEFAULT_ZONE)
    key = period_key(period, now.astimezone(zone), int(current_app.config["DIGEST_HOUR"]))
    if key is None or _claimed(user, period, key):
        return None
    prefs = preferences.preferences_of(user)
    kinds = [kind for kind in KINDS if prefs.choice(kind).email == period]
    if not kinds:
        return None
    items = digest_items(user, kinds, prefs.muted, _window_start(user, period, now), now)
    try:
        with unit_of_work():
            db.session.add(
                DigestSent(
                    user_id=user.id, period=period, period_key=key, until=now, items=len(items)
                )
            )
            db.session.flush()  # the claim: the unique key decides who sends
            if items and delivery.mailable(user):
                with delivery.public_links():
                    _mail(user, period, key, kinds, items, prefs, now)
    except IntegrityError:
        return None
    return bool(items)


def _mail(
    user: User,
    period: str,
    key: str,
    kinds: list[Kind],
    items: list[Notification],
    prefs: preferences.Preferences,
    now: datetime,
) -> None:
    unsubscribe = delivery.unsubscribe_url(user, [kind.name for kind in kinds])
    subject = (
        _l("Your daily summary from cop (%(count)d new)", count=len(items))
        if period == "daily"
        else _l("Your weekly summary from cop (%(count)d new)", count=len(items))
    )
    locale = user.locale or "id"
    with force_locale(locale):
        subject_text = str(subject)
    send_mail(
        user.email,
        subject_text,
        "digest",
        locale,
        headers=delivery.unsubscribe_headers(unsubscribe),
        key=f"mail:digest:{user.id}:{period}:{key}",
        run_after=preferences.quiet_until(user, prefs, now),
        user=user,
        period=period,
        sections=_sections(user, kinds, items),
        count=len(items),
        link=lambda item: external_url("notifications.open", notification_id=item.id),
        unsubscribe_url=unsubscribe,
        preferences_url=external_url("notifications.preferences_page"),
    )


@jobs.periodic("notifications.digests", minute="5")
def send_digests(now: datetime | None = None) -> int:
    """Send every digest that is due (each claimed once in the database); how many went out."""
    now = now or utcnow()
    sent = 0
    for user in _candidates(now):
        for period in DIGEST_PERIODS:
            if send_digest(user, period, now):
                sent += 1
    return sent
