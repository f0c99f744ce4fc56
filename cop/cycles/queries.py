"""Read helpers of the learning cycles: listings (keyset-paged), a lesson study's
observations grouped for the reflection, a pair's history, a PTK's parts, and the
participation record's cycle rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.core.pagination import Page, SortKey, keyset_page
from cop.cycles.models import (
    PTK,
    LessonObserver,
    LessonResource,
    LessonStudy,
    MentoringFeedback,
    MentoringMentee,
    MentoringPair,
    MentoringSession,
    Observation,
    PlanComment,
    PlanRevision,
    PTKComment,
    PTKCycle,
    PTKFile,
    PTKMember,
    PTKReviewer,
)
from cop.extensions import db
from cop.meetings.models import RSVP, Meeting
from cop.resources.models import Resource

# --- listings -----------------------------------------------------------------------


def lesson_studies(community: Community, *, cursor: str | None, limit: int) -> Page[LessonStudy]:
    """The community's lesson studies, newest first (the caller checked it may see them)."""
    stmt = (
        select(LessonStudy)
        .where(LessonStudy.community_id == community.id)
        .options(
            selectinload(LessonStudy.observers),
            selectinload(LessonStudy.model_teacher),
        )
    )
    return keyset_page(
        stmt,
        [SortKey(LessonStudy.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda s: [s.id],
    )


def pairs(viewer: Any, community: Community, *, cursor: str | None, limit: int) -> Page[Any]:
    """The community's mentoring pairs ``viewer`` may see (the policy's SQL twin)."""
    stmt = (
        select(MentoringPair)
        .where(
            MentoringPair.community_id == community.id,
            permissions.cycles.pair_visible_filter(viewer),
        )
        .options(
            selectinload(MentoringPair.mentor),
            selectinload(MentoringPair.mentees).selectinload(MentoringMentee.user),
        )
    )
    return keyset_page(
        stmt,
        [SortKey(MentoringPair.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda p: [p.id],
    )


def ptks(viewer: Any, community: Community, *, cursor: str | None, limit: int) -> Page[Any]:
    """The community's PTKs ``viewer`` may see (the policy's SQL twin)."""
    stmt = (
        select(PTK)
        .where(PTK.community_id == community.id, permissions.cycles.ptk_visible_filter(viewer))
        .options(selectinload(PTK.author), selectinload(PTK.members), selectinload(PTK.cycles))
    )
    return keyset_page(
        stmt,
        [SortKey(PTK.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda p: [p.id],
    )


def member_choices(community: Community) -> list[User]:
    """Active members of a community by name (pickers for observers, mentors, groups)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community.id,
                Membership.status == "active",
                User.active.is_(True),
            )
            .order_by(User.name, User.id)
            .limit(500)
        )
    )


# --- lesson study ---------------------------------------------------------------------


def observations(study: LessonStudy) -> list[Observation]:
    """Every observation of a lesson study, in the order they were made."""
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.lesson_study_id == study.id)
            .options(selectinload(Observation.observer))
            .order_by(Observation.id)
        )
    )


def observations_page(study: LessonStudy, *, cursor: str | None, limit: int) -> Page[Any]:
    """A lesson study's observations for the API, oldest first (keyset by id)."""
    stmt = (
        select(Observation)
        .where(Observation.lesson_study_id == study.id)
        .options(selectinload(Observation.observer))
    )
    return keyset_page(
        stmt, [SortKey(Observation.id)], cursor=cursor, limit=limit, key_of=lambda o: [o.id]
    )


def my_observations(study: LessonStudy, observer: User) -> list[Observation]:
    """What one observer has recorded, newest first."""
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.lesson_study_id == study.id, Observation.observer_id == observer.id)
            .order_by(Observation.id.desc())
        )
    )


def by_student(rows: list[Observation]) -> list[tuple[str, list[Observation]]]:
    """Observations grouped by student code (codes in order, each group by moment)."""
    groups: dict[str, list[Observation]] = defaultdict(list)
    for row in rows:
        groups[row.student_code].append(row)
    return [
        (code, sorted(groups[code], key=lambda o: (o.moment, o.id)))
        for code in sorted(groups, key=_code_order)
    ]


def by_moment(rows: list[Observation]) -> list[tuple[str, list[Observation]]]:
    """Observations grouped by the moment of the lesson they were made at."""
    groups: dict[str, list[Observation]] = defaultdict(list)
    for row in rows:
        groups[row.moment].append(row)
    return [(moment, groups[moment]) for moment in sorted(groups)]


def _code_order(code: str) -> tuple[str, int]:
    letters = "".join(c for c in code if c.isalpha())
    digits = "".join(c for c in code if c.isdigit())
    return letters, int(digits or 0)


def revisions(study: LessonStudy, limit: int = 20) -> list[PlanRevision]:
    """The plan's latest revisions, newest first."""
    return list(
        db.session.scalars(
            select(PlanRevision)
            .where(PlanRevision.lesson_study_id == study.id)
            .options(selectinload(PlanRevision.author))
            .order_by(PlanRevision.id.desc())
            .limit(limit)
        )
    )


def plan_comments(study: LessonStudy) -> list[PlanComment]:
    """Comments on the plan, oldest first."""
    return list(
        db.session.scalars(
            select(PlanComment)
            .where(PlanComment.lesson_study_id == study.id)
            .options(selectinload(PlanComment.author))
            .order_by(PlanComment.id)
            .limit(500)
        )
    )


def linked_resources(study: LessonStudy) -> list[Resource]:
    """The community resources linked to the plan."""
    return list(
        db.session.scalars(
            select(Resource)
            .join(LessonResource, LessonResource.resource_id == Resource.id)
            .where(LessonResource.lesson_study_id == study.id)
            .order_by(LessonResource.id)
        )
    )


def community_resources(study: LessonStudy, limit: int = 100) -> list[Resource]:
    """Resources of the study's community to pick from (newest first)."""
    return list(
        db.session.scalars(
            select(Resource)
            .where(Resource.community_id == study.community_id, Resource.hidden.is_(False))
            .order_by(Resource.id.desc())
            .limit(limit)
        )
    )


def open_lesson(study: LessonStudy) -> Meeting | None:
    """The open lesson's meeting, if scheduled."""
    return db.session.get(Meeting, study.meeting_id) if study.meeting_id else None


def observer_rsvps(study: LessonStudy) -> dict[int, str]:
    """Each observer's answer to the open lesson's RSVP (user id -> status)."""
    if study.meeting_id is None:
        return {}
    rows = db.session.execute(
        select(RSVP.user_id, RSVP.status).where(
            RSVP.meeting_id == study.meeting_id, RSVP.user_id.in_(study.observer_ids() or {0})
        )
    )
    return {user_id: status for user_id, status in rows}


def observation_counts(study: LessonStudy) -> dict[int, int]:
    """How many observations each observer made."""
    rows = db.session.execute(
        select(Observation.observer_id, func.count(Observation.id))
        .where(Observation.lesson_study_id == study.id)
        .group_by(Observation.observer_id)
    )
    return {observer_id: count for observer_id, count in rows if observer_id is not None}


# --- mentoring ---------------------------------------------------------------------


def sessions(pair: MentoringPair) -> list[MentoringSession]:
    """The pair's history: sessions, newest first."""
    return list(
        db.session.scalars(
            select(MentoringSession)
            .where(MentoringSession.pair_id == pair.id)
            .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
            .limit(500)
        )
    )


def sessions_page(pair: MentoringPair, *, cursor: str | None, limit: int) -> Page[Any]:
    """The pair's sessions for the API, newest first (keyset by id)."""
    stmt = select(MentoringSession).where(MentoringSession.pair_id == pair.id)
    return keyset_page(
        stmt,
        [SortKey(MentoringSession.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda s: [s.id],
    )


def feedback_by_session(ids: list[int]) -> dict[int, list[MentoringFeedback]]:
    """Mentees' feedback for these sessions (session id -> feedback)."""
    found: dict[int, list[MentoringFeedback]] = defaultdict(list)
    if ids:
        for row in db.session.scalars(
            select(MentoringFeedback)
            .where(MentoringFeedback.session_id.in_(ids))
            .options(selectinload(MentoringFeedback.mentee))
            .order_by(MentoringFeedback.id)
        ):
            found[row.session_id].append(row)
    return found


# --- PTK ----------------------------------------------------------------------------


def ptk_comments(ptk: PTK) -> list[PTKComment]:
    """Peer feedback on a PTK, oldest first."""
    return list(
        db.session.scalars(
            select(PTKComment)
            .where(PTKComment.ptk_id == ptk.id)
            .options(selectinload(PTKComment.author))
            .order_by(PTKComment.id)
            .limit(500)
        )
    )


def ptk_files(ptk: PTK) -> dict[int, list[PTKFile]]:
    """Data files of each cycle (cycle id -> files)."""
    found: dict[int, list[PTKFile]] = defaultdict(list)
    for row in db.session.scalars(
        select(PTKFile)
        .join(PTKCycle, PTKCycle.id == PTKFile.cycle_id)
        .where(PTKCycle.ptk_id == ptk.id)
        .order_by(PTKFile.id)
    ):
        found[row.cycle_id].append(row)
    return found


def reviewers(ptk: PTK) -> list[PTKReviewer]:
    """The PTK's invites and reviewers, oldest first."""
    return list(
        db.session.scalars(
            select(PTKReviewer)
            .where(PTKReviewer.ptk_id == ptk.id)
            .options(selectinload(PTKReviewer.user))
            .order_by(PTKReviewer.id)
        )
    )


def reviewed_ptks(user: User) -> list[PTK]:
    """The PTKs ``user`` was invited to review (their way in without membership)."""
    return list(
        db.session.scalars(
            select(PTK)
            .join(PTKReviewer, PTKReviewer.ptk_id == PTK.id)
            .where(PTKReviewer.user_id == user.id)
            .order_by(PTK.id.desc())
            .limit(100)
        )
    )


# --- the participation record -----------------------------------------------------------


@dataclass
class CycleRow:
    """One part a teacher took in a learning cycle, for their participation record."""

    kind: str  # "lesson_study", "mentoring", "ptk"
    role: str  # "model_teacher", "observer", "mentor", "mentee", "ptk_author", "ptk_member",
    # "reviewer"
    title: str
    community: Community
    when: datetime
    hours: int
    url_id: int


def participation(user: User, year: int | None = None) -> list[CycleRow]:
    """Every part ``user`` took in a cycle that counts: a lesson study whose reflection
    is published (model teacher, observer), a pair's logged sessions (mentor, mentee),
    a PTK with at least one cycle (author, group member, reviewer). Newest first."""
    rows: list[CycleRow] = []
    studies = db.session.scalars(
        select(LessonStudy)
        .where(
            LessonStudy.reflection_published_at.is_not(None),
            or_(
                LessonStudy.model_teacher_id == user.id,
                LessonStudy.id.in_(
                    select(LessonObserver.lesson_study_id).where(LessonObserver.user_id == user.id)
                ),
            ),
        )
        .options(selectinload(LessonStudy.community))
        .limit(500)
    )
    for study in studies:
        model = study.model_teacher_id == user.id
        assert study.reflection_published_at is not None
        rows.append(
            CycleRow(
                "lesson_study",
                "model_teacher" if model else "observer",
                study.title,
                study.community,
                study.reflection_published_at,
                study.model_hours if model else study.observer_hours,
                study.id,
            )
        )
    rows.extend(_mentoring_rows(user))
    rows.extend(_ptk_rows(user))
    if year is not None:
        zone = ZoneInfo(user.timezone)
        rows = [r for r in rows if r.when.astimezone(zone).year == year]
    return sorted(rows, key=lambda r: r.when, reverse=True)


def _mentoring_rows(user: User) -> list[CycleRow]:
    mine = or_(
        MentoringPair.mentor_id == user.id,
        MentoringPair.id.in_(
            select(MentoringMentee.pair_id).where(MentoringMentee.user_id == user.id)
        ),
    )
    stmt = (
        select(
            MentoringPair, func.count(MentoringSession.id), func.max(MentoringSession.created_at)
        )
        .join(MentoringSession, MentoringSession.pair_id == MentoringPair.id)
        .where(mine)
        .group_by(MentoringPair.id)
        .options(selectinload(MentoringPair.community), selectinload(MentoringPair.mentor))
        .limit(500)
    )
    return [
        CycleRow(
            "mentoring",
            "mentor" if pair.mentor_id == user.id else "mentee",
            pair.focus or pair.mentor.name,
            pair.community,
            last,
            pair.session_hours * count,
            pair.id,
        )
        for pair, count, last in db.session.execute(stmt)
    ]


def _ptk_rows(user: User) -> list[CycleRow]:
    roles: dict[int, str] = {}
    for ptk_id in db.session.scalars(select(PTK.id).where(PTK.author_id == user.id)):
        roles[ptk_id] = "ptk_author"
    for ptk_id in db.session.scalars(select(PTKMember.ptk_id).where(PTKMember.user_id == user.id)):
        roles.setdefault(ptk_id, "ptk_member")
    for ptk_id in db.session.scalars(
        select(PTKReviewer.ptk_id).where(PTKReviewer.user_id == user.id)
    ):
        roles.setdefault(ptk_id, "reviewer")
    if not roles:
        return []
    stmt = (
        select(PTK, func.max(PTKCycle.created_at))
        .join(PTKCycle, PTKCycle.ptk_id == PTK.id)
        .where(PTK.id.in_(roles))
        .group_by(PTK.id)
        .options(selectinload(PTK.community))
    )
    return [
        CycleRow("ptk", roles[ptk.id], ptk.title, ptk.community, last, ptk.hours, ptk.id)
        for ptk, last in db.session.execute(stmt)
    ]


def cycle_hours(user: User) -> int:
    """The PKB hours (JP) the user's learning cycles credit in all."""
    return sum(row.hours for row in participation(user))
