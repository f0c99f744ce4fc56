"""The dashboard's one action: a coordinator reminds members gone quiet (no activity in
60 days), one at a time or all at once, each at most once in REMIND_EVERY per community.

The database decides the "once": one row per member and community
(``insights_quiet_reminders``), claimed with an INSERT .. ON CONFLICT DO UPDATE that
only moves ``sent_at`` forward when the last reminder is old enough; a member whose row
did not change is skipped, so two taps (or two coordinators) at once send one reminder.
The notification itself is the notifications feature's (a signal after the commit), and
the action goes in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work, upsert_insert
from cop.core.errors import NotFound
from cop.core.types import utcnow
from cop.extensions import db
from cop.insights import queries
from cop.insights.models import QuietReminder

#: a member is reminded at most once in this long (per community)
REMIND_EVERY = timedelta(days=30)

NOT_QUIET = _l("That member is not among those gone quiet.")


def _claim(community: Community, user_ids: list[int], actor: User, now: datetime) -> list[int]:
    """The members of ``user_ids`` whose reminder row this call created or moved forward
    (the others were reminded less than REMIND_EVERY ago)."""
    cutoff = now - REMIND_EVERY
    claimed: list[int] = []
    for user_id in user_ids:
        stmt = upsert_insert(QuietReminder).values(
            community_id=community.id, user_id=user_id, sent_at=now, sent_by_id=actor.id
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[QuietReminder.community_id, QuietReminder.user_id],
            set_={"sent_at": stmt.excluded.sent_at, "sent_by_id": stmt.excluded.sent_by_id},
            where=QuietReminder.sent_at <= cutoff,
        ).returning(QuietReminder.user_id)
        if db.session.execute(stmt).scalar() is not None:
            claimed.append(user_id)
    return claimed


def last_reminded(community: Community) -> dict[int, datetime]:
    """When each member of ``community`` was last reminded."""
    return dict(
        db.session.execute(
            select(QuietReminder.user_id, QuietReminder.sent_at).where(
                QuietReminder.community_id == community.id
            )
        ).all()
    )


def remind_quiet(
    actor: User,
    community: Community,
    user_id: int | None = None,
    *,
    now: datetime | None = None,
) -> list[User]:
    """Remind one quiet member (``user_id``) or all of them (None); returns those
    reminded now (the others had one in the last 30 days). Coordinators only."""
    permissions.authorize(actor, "community.manage", community)
    now = now or utcnow()
    quiet = [user for user, _last in queries.quiet_members(community, now)]
    if user_id is not None:
        quiet = [u for u in quiet if u.id == user_id]
        if not quiet:
            raise NotFound(NOT_QUIET)
    with unit_of_work():
        claimed = set(_claim(community, [u.id for u in quiet], actor, now))
        reminded = [u for u in quiet if u.id in claimed]
        if reminded:
            record(
                actor,
                "community.remind_quiet",
                "community",
                community.id,
                community_id=community.id,
                user_ids=[u.id for u in reminded],
            )
            signals.send_after_commit(
                signals.quiet_members_reminded,
                community,
                community=community,
                users=reminded,
                actor=actor,
            )
    return reminded
