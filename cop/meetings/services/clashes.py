"""Clashes: a new meeting that overlaps another of the same community is refused
unless the coordinator says to schedule it anyway."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from cop.core.errors import Conflict
from cop.extensions import db
from cop.meetings.models import Meeting


def clashing(
    community_id: int, windows: list[tuple[datetime, datetime]], *, exclude: set[int] | None = None
) -> list[Meeting]:
    """The community's scheduled meetings that overlap any of ``windows``, in order."""
    if not windows:
        return []
    overlaps = [and_(Meeting.starts_at < end, Meeting.ends_at > start) for start, end in windows]
    stmt = (
        select(Meeting)
        .where(
            Meeting.community_id == community_id,
            Meeting.status == "scheduled",
            or_(*overlaps),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(20)
    )
    if exclude:
        stmt = stmt.where(Meeting.id.not_in(exclude))
    return list(db.session.scalars(stmt))


def check_clashes(
    community_id: int,
    starts: list[datetime],
    duration: timedelta,
    *,
    exclude: set[int] | None = None,
) -> None:
    """Conflict (code ``clash``) naming the overlapping meetings, if there are any."""
    found = clashing(community_id, [(s, s + duration) for s in starts], exclude=exclude)
    if found:
        titles = ", ".join(f"“{m.title}”" for m in found[:3])
        raise Conflict(
            _l("Another meeting of this community is at that time: %(titles)s.", titles=titles),
            code="clash",
            fields={
                "starts_at": _l(
                    "Another meeting of this community is at that time: %(titles)s.",
                    titles=titles,
                )
            },
        )
