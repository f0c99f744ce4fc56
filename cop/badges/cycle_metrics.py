"""The learning cycles' badge metrics (registered in cop/badges/metrics.py's table).

Taking part counts once it is done: a lesson study once its reflection is published
(the model teacher; an observer who recorded at least one observation), a mentoring
session once logged (the mentor; each mentee), a PTK cycle once it is reflected on
(the author), a review once the invited reviewer wrote feedback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, exists, func, select

from cop.badges.metrics import _where, metric
from cop.cycles.models import (
    PTK,
    LessonObserver,
    LessonStudy,
    MentoringMentee,
    MentoringPair,
    MentoringSession,
    Observation,
    PTKComment,
    PTKCycle,
    PTKReviewer,
)


@metric
def lessons_taught(user_id: int | None, community_id: int | None) -> Any:
    """Lesson studies with a published reflection where the user was the model teacher."""
    stmt = (
        select(
            LessonStudy.model_teacher_id,
            LessonStudy.community_id,
            func.count(LessonStudy.id),
            func.max(LessonStudy.id),
        )
        .where(
            LessonStudy.reflection_published_at.is_not(None),
            LessonStudy.model_teacher_id.is_not(None),
        )
        .group_by(LessonStudy.model_teacher_id, LessonStudy.community_id)
    )
    return _where(
        stmt, LessonStudy.model_teacher_id, LessonStudy.community_id, user_id, community_id
    )


@metric
def lessons_observed(user_id: int | None, community_id: int | None) -> Any:
    """Lesson studies with a published reflection the user observed (with at least one
    observation of their own)."""
    observed = exists().where(
        Observation.lesson_study_id == LessonObserver.lesson_study_id,
        Observation.observer_id == LessonObserver.user_id,
    )
    stmt = (
        select(
            LessonObserver.user_id,
            LessonStudy.community_id,
            func.count(LessonStudy.id),
            func.max(LessonStudy.id),
        )
        .join(LessonStudy, LessonStudy.id == LessonObserver.lesson_study_id)
        .where(LessonStudy.reflection_published_at.is_not(None), observed)
        .group_by(LessonObserver.user_id, LessonStudy.community_id)
    )
    return _where(stmt, LessonObserver.user_id, LessonStudy.community_id, user_id, community_id)


@metric
def mentoring_given(user_id: int | None, community_id: int | None) -> Any:
    """Mentoring sessions logged in pairs where the user is the mentor."""
    stmt = (
        select(
            MentoringPair.mentor_id,
            MentoringPair.community_id,
            func.count(MentoringSession.id),
            func.max(MentoringPair.id),
        )
        .join(MentoringSession, MentoringSession.pair_id == MentoringPair.id)
        .group_by(MentoringPair.mentor_id, MentoringPair.community_id)
    )
    return _where(stmt, MentoringPair.mentor_id, MentoringPair.community_id, user_id, community_id)


@metric
def mentoring_received(user_id: int | None, community_id: int | None) -> Any:
    """Mentoring sessions logged in pairs where the user is a mentee."""
    stmt = (
        select(
            MentoringMentee.user_id,
            MentoringPair.community_id,
            func.count(MentoringSession.id),
            func.max(MentoringPair.id),
        )
        .join(MentoringPair, MentoringPair.id == MentoringMentee.pair_id)
        .join(MentoringSession, MentoringSession.pair_id == MentoringPair.id)
        .group_by(MentoringMentee.user_id, MentoringPair.community_id)
    )
    return _where(stmt, MentoringMentee.user_id, MentoringPair.community_id, user_id, community_id)


@metric
def ptk_cycles_reflected(user_id: int | None, community_id: int | None) -> Any:
    """Cycles of the user's own PTKs that are reflected on (the fourth step written)."""
    stmt = (
        select(PTK.author_id, PTK.community_id, func.count(PTKCycle.id), func.max(PTK.id))
        .join(PTKCycle, PTKCycle.ptk_id == PTK.id)
        .where(PTK.author_id.is_not(None), PTKCycle.reflect != "")
        .group_by(PTK.author_id, PTK.community_id)
    )
    return _where(stmt, PTK.author_id, PTK.community_id, user_id, community_id)


@metric
def ptk_reviews(user_id: int | None, community_id: int | None) -> Any:
    """PTKs the user reviewed as an invited guest and wrote feedback on."""
    stmt = (
        select(
            PTKReviewer.user_id,
            PTK.community_id,
            func.count(distinct(PTK.id)),
            func.max(PTK.id),
        )
        .join(PTK, PTK.id == PTKReviewer.ptk_id)
        .join(
            PTKComment,
            (PTKComment.ptk_id == PTK.id) & (PTKComment.author_id == PTKReviewer.user_id),
        )
        .where(PTKReviewer.user_id.is_not(None))
        .group_by(PTKReviewer.user_id, PTK.community_id)
    )
    return _where(stmt, PTKReviewer.user_id, PTK.community_id, user_id, community_id)
