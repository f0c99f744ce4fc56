"""The learning cycles' JSON shapes (lesson study, observation, mentoring session), used
by the API and the live reflection page; and the pages' URLs, used by the receivers."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, url_for

from cop.core.types import iso
from cop.cycles.models import PTK, LessonStudy, MentoringPair, MentoringSession, Observation


def lesson_study_url(study: LessonStudy) -> str:
    """The lesson study's page (a path; also outside requests)."""
    if has_request_context():
        return url_for("cycles.lesson_study", study_id=study.id)
    return f"/lesson-studies/{study.id}"


def reflection_url(study: LessonStudy) -> str:
    """The reflection page of a lesson study."""
    if has_request_context():
        return url_for("cycles.reflection", study_id=study.id)
    return f"/lesson-studies/{study.id}/reflection"


def pair_url(pair: MentoringPair) -> str:
    """A mentoring pair's page."""
    if has_request_context():
        return url_for("cycles.pair", pair_id=pair.id)
    return f"/mentoring/{pair.id}"


def ptk_url(ptk: PTK) -> str:
    """A PTK's page."""
    if has_request_context():
        return url_for("cycles.ptk", ptk_id=ptk.id)
    return f"/ptk/{ptk.id}"


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def lesson_study_json(study: LessonStudy) -> dict[str, Any]:
    """The lesson study shape."""
    return {
        "id": study.id,
        "community": study.community.slug,
        "subject": study.subject,
        "grade": study.grade,
        "learning_goal": study.learning_goal,
        "stage": study.stage,
        "model_teacher": _person(study.model_teacher),
        "observers": [_person(o.user) for o in study.observers],
        "meeting_id": study.meeting_id,
        "plan": study.plan_body,
        "plan_html": study.plan_html,
        "lessons_learned": study.lessons_body,
        "reflection_published_at": iso(study.reflection_published_at),
        "model_hours": study.model_hours,
        "observer_hours": study.observer_hours,
        "created_at": iso(study.created_at),
    }


def observation_json(observation: Observation, photo_url: str | None = None) -> dict[str, Any]:
    """The observation shape (students by code only)."""
    return {
        "id": observation.id,
        "lesson_study_id": observation.lesson_study_id,
        "observer": _person(observation.observer),
        "client_id": observation.client_id,
        "student_code": observation.student_code,
        "moment": observation.moment,
        "note": observation.note,
        "photo_url": photo_url,
        "created_at": iso(observation.created_at),
    }


def session_json(session: MentoringSession) -> dict[str, Any]:
    """The mentoring session shape (GROW)."""
    return {
        "id": session.id,
        "pair_id": session.pair_id,
        "held_on": session.held_on.isoformat(),
        "goal": session.goal,
        "reality": session.reality,
        "options": session.options,
        "next_step": session.next_step,
        "next_due": session.next_due.isoformat() if session.next_due else None,
        "created_at": iso(session.created_at),
    }


def participation_json(rows: list[Any]) -> list[dict[str, Any]]:
    """The parts a teacher took in learning cycles (cop.cycles.queries.CycleRow), for the
    participation record."""
    return [
        {
            "kind": row.kind,
            "role": row.role,
            "title": row.title,
            "community": row.community.slug,
            "community_name": row.community.name,
            "at": iso(row.when),
            "hours": row.hours,
            "id": row.url_id,
        }
        for row in rows
    ]
