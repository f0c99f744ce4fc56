"""Points: the scored-actions ledger, its monthly rollup, and the leaderboard.

Every scored kind has a *source*: one SQL query over the features' own tables
that yields the actions that score now, ``(community_id, user_id, subject_id,
other_id, occurred_at)``. ``sync(kind, ...)`` makes the ledger agree with its
source for one subject (live, from a signal receiver) or for a whole community
(the backfill): missing actions are recorded, actions that no longer hold (a
like withdrawn, a post deleted) are taken back. So live scoring and the
backfill give the same ledger.

Recording inserts the ledger row (its subject key is UNIQUE: an action scores
once, whoever races) and adds what it credited to the (community, user, month)
rollup in the same transaction. Kinds in a capped group credit at most the
group's cap per member and day (WIB); the rollup row is locked first, so two
concurrent actions of one member cannot both pass the cap.
The leaderboard sums the rollup: at most one row per member and month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cop.auth.models import User
from cop.badges.models import MonthlyPoints, ScoredAction
from cop.badges.sources import SOURCES
from cop.communities.models import Membership
from cop.core.db import unit_of_work
from cop.extensions import db

#: points per kind: attendance, presenting, minutes, solutions and resources that
#: colleagues use weigh more than writing posts
WEIGHTS: dict[str, int] = {
    "attended": 10,
    "presented": 15,
    "minutes": 10,
    "action_done": 5,
    "solution": 15,
    "welcome": 5,
    "resource_shared": 5,
    "resource_used": 2,
    "resource_liked": 2,
    "post_liked": 2,
    "post": 1,
}
#: kinds that share a daily cap per member (points per day, WIB)
CAP_GROUPS: dict[str, tuple[tuple[str, ...], int]] = {
    "appreciation": (("post_liked", "resource_liked", "resource_used"), 40),
    "writing": (("post",), 10),
}
PERIODS = ("month", "semester", "all")
#: days and months are counted in WIB (UTC+7, no daylight saving)
LOCAL_OFFSET = timedelta(hours=7)


def cap_of(kind: str) -> tuple[tuple[str, ...], int] | None:
    """The capped group ``kind`` belongs to: (its kinds, points per day), or None."""
    for kinds, cap in CAP_GROUPS.values():
        if kind in kinds:
            return kinds, cap
    return None


def local_day(moment: datetime) -> date:
    """The WIB day of a UTC moment."""
    return (moment + LOCAL_OFFSET).date()


@dataclass(frozen=True)
class Action:
    """One action that scores now, as its source gives it."""

    kind: str
    community_id: int
    user_id: int
    subject_id: int
    other_id: int
    occurred_at: datetime

    @property
    def key(self) -> str:
        """The ledger's unique key: the kind, the subject and who or what else."""
        return f"{self.kind}:{self.subject_id}:{self.other_id}"


def actions(
    kind: str, *, community_id: int | None = None, subject_id: int | None = None
) -> list[Action]:
    """The actions of ``kind`` that score now (for one subject, one community or all)."""
    stmt, community_col, subject_col = SOURCES[kind]()
    if community_id is not None:
        stmt = stmt.where(community_col == community_id)
    if subject_id is not None:
        stmt = stmt.where(subject_col == subject_id)
    return [
        Action(kind, row[0], row[1], row[2], row[3], row[4])
        for row in db.session.execute(stmt).all()
        if row[1] is not None and row[4] is not None
    ]


# --- the ledger -----------------------------------------------------------------


def _insert() -> Any:
    return (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )


def _month(moment: datetime) -> date:
    return local_day(moment).replace(day=1)


def record(action: Action) -> bool:
    """Put one action in the ledger and its credit in the rollup; False if it was there."""
    with unit_of_work():
        month = _month(action.occurred_at)
        day = local_day(action.occurred_at)
        # Take the member's month row first: it serialises their concurrent actions.
        db.session.execute(
            _insert()(MonthlyPoints)
            .values(community_id=action.community_id, user_id=action.user_id, month=month, points=0)
            .on_conflict_do_update(
                index_elements=["community_id", "user_id", "month"],
                set_={"points": MonthlyPoints.points},
            )
        )
        points = WEIGHTS[action.kind]
        credited = points
        capped = cap_of(action.kind)
        if capped is not None:
            kinds, cap = capped
            used = db.session.scalar(
                select(func.coalesce(func.sum(ScoredAction.credited), 0)).where(
                    ScoredAction.community_id == action.community_id,
                    ScoredAction.user_id == action.user_id,
                    ScoredAction.day == day,
                    ScoredAction.kind.in_(kinds),
                )
            )
            credited = max(0, min(points, cap - int(used or 0)))
        inserted = db.session.scalar(
            _insert()(ScoredAction)
            .values(
                community_id=action.community_id,
                user_id=action.user_id,
                kind=action.kind,
                subject_id=action.subject_id,
                points=points,
                credited=credited,
                subject_key=action.key,
                occurred_at=action.occurred_at,
                day=day,
            )
            .on_conflict_do_nothing(index_elements=["subject_key"])
            .returning(ScoredAction.id)
        )
        if inserted is None:
            return False
        if credited:
            _add_to_month(action.community_id, action.user_id, month, credited)
    return True


def _add_to_month(community_id: int, user_id: int, month: date, points: int) -> None:
    db.session.execute(
        update(MonthlyPoints)
        .where(
            MonthlyPoints.community_id == community_id,
            MonthlyPoints.user_id == user_id,
            MonthlyPoints.month == month,
        )
        .values(points=MonthlyPoints.points + points)
    )


def take_back(row: ScoredAction) -> None:
    """Remove a ledger row that no longer holds, and its credit from the rollup."""
    with unit_of_work():
        gone = db.session.execute(
            delete(ScoredAction).where(ScoredAction.id == row.id).returning(ScoredAction.id)
        ).first()
        if gone is not None and row.credited:
            _add_to_month(row.community_id, row.user_id, _month(row.occurred_at), -row.credited)


def sync(
    kinds: Iterable[str], *, community_id: int | None = None, subject_id: int | None = None
) -> tuple[int, int]:
    """Make the ledger agree with the sources of ``kinds``; (recorded, taken back).

    Missing actions are recorded oldest first, so the daily caps fall as they
    did live.
    """
    wanted: list[Action] = []
    existing: list[ScoredAction] = []
    for kind in kinds:
        wanted.extend(actions(kind, community_id=community_id, subject_id=subject_id))
        stmt = select(ScoredAction).where(ScoredAction.kind == kind)
        if community_id is not None:
            stmt = stmt.where(ScoredAction.community_id == community_id)
        if subject_id is not None:
            stmt = stmt.where(ScoredAction.subject_id == subject_id)
        existing.extend(db.session.scalars(stmt))
    keys = {action.key for action in wanted}
    have = {row.subject_key for row in existing}
    removed = 0
    for row in existing:
        if row.subject_key not in keys:
            take_back(row)
            removed += 1
    added = 0
    for action in sorted(wanted, key=lambda a: (a.occurred_at, a.key)):
        if action.key not in have and record(action):
            added += 1
    return added, removed


def rebuild(community_id: int | None = None) -> tuple[int, int]:
    """Recompute the community's ledger from history (every kind, oldest first)."""
    with unit_of_work():
        for model in (ScoredAction, MonthlyPoints):
            stmt = delete(model)
            if community_id is not None:
                stmt = stmt.where(model.community_id == community_id)
            db.session.execute(stmt)
    return sync(SOURCES, community_id=community_id)


# --- the leaderboard ------------------------------------------------------------


def period_start(period: str, today: date) -> date | None:
    """The first month of a period: this month, this school semester, or None (all time)."""
    if period == "month":
        return today.replace(day=1)
    if period == "semester":
        return today.replace(month=7 if today.month >= 7 else 1, day=1)
    return None


@dataclass(frozen=True)
class Entry:
    """One line of the leaderboard."""

    user_id: int
    name: str
    username: str
    points: int
    rank: int


def leaderboard(
    community_id: int,
    period: str,
    *,
    now: datetime,
    limit: int = 50,
    user_ids: list[int] | None = None,
) -> list[Entry]:
    """The community's active members by points in ``period``, best first (one query).

    Ranks are shared by equal points (1, 2, 2, 4).
    """
    total = func.sum(MonthlyPoints.points).label("points")
    stmt = (
        select(MonthlyPoints.user_id, total)
        .where(MonthlyPoints.community_id == community_id)
        .group_by(MonthlyPoints.user_id)
        .having(func.sum(MonthlyPoints.points) > 0)
    )
    start = period_start(period, local_day(now))
    if start is not None:
        stmt = stmt.where(MonthlyPoints.month >= start)
    sums = stmt.subquery()
    ranked = (
        select(
            User.id,
            User.name,
            User.username,
            sums.c.points,
            func.rank().over(order_by=sums.c.points.desc()).label("rank"),
        )
        .join(sums, sums.c.user_id == User.id)
        .join(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.community_id == community_id,
                Membership.status == "active",
            ),
        )
        .where(User.active.is_(True))
    )
    board = ranked.subquery()
    query = select(board).order_by(board.c.rank, board.c.name, board.c.id)
    query = query.where(board.c.id.in_(user_ids)) if user_ids is not None else query.limit(limit)
    return [Entry(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in db.session.execute(query)]


def member_points(user_id: int, *, now: datetime) -> dict[int, tuple[int, int]]:
    """Per community: (points this semester, points all time), in one query."""
    start = period_start("semester", local_day(now))
    this_semester = case((MonthlyPoints.month >= start, MonthlyPoints.points), else_=0)
    rows = db.session.execute(
        select(
            MonthlyPoints.community_id,
            func.sum(this_semester),
            func.sum(MonthlyPoints.points),
        )
        .where(MonthlyPoints.user_id == user_id)
        .group_by(MonthlyPoints.community_id)
    ).all()
    return {cid: (int(semester or 0), int(total or 0)) for cid, semester, total in rows}
