"""Lesson study: open a cycle, the shared plan (revisions, comments, resources), the open
lesson as a meeting, stages, the lessons learned and the hours credited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.markdown import render_markdown
from cop.core.types import utcnow
from cop.cycles import limits
from cop.cycles.models import (
    STAGES,
    LessonObserver,
    LessonResource,
    LessonStudy,
    PlanComment,
    PlanRevision,
)
from cop.cycles.services import common
from cop.extensions import db
from cop.meetings import services as meeting_services
from cop.meetings.models import Meeting
from cop.resources.models import Resource

UNKNOWN_STUDY = _l("That lesson study does not exist.")


@dataclass
class LessonData:
    """What opening a lesson study asks for."""

    subject: str
    grade: str
    learning_goal: str
    model_teacher_id: int | None
    observer_ids: list[int] = field(default_factory=list)


def visible_lesson_study(
    user: User | None, study_id: int, action: str = "lesson_study.view"
) -> LessonStudy:
    """The lesson study if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    study = db.session.get(LessonStudy, study_id) if is_id(study_id) else None
    return permissions.visible(user, action, study, missing=UNKNOWN_STUDY)


def _validate(community: Community, data: LessonData) -> LessonData:
    errors: dict[str, Any] = {}
    data.subject = common.text(data.subject, "subject", errors, limits.SUBJECT_MAX, required=True)
    data.grade = common.text(data.grade, "grade", errors, limits.GRADE_MAX, required=True)
    data.learning_goal = common.text(
        data.learning_goal, "learning_goal", errors, limits.GOAL_MAX, required=True
    )
    if data.model_teacher_id is None:
        errors["model_teacher_id"] = _l("Choose the model teacher.")
    elif not common.active_members(community, [data.model_teacher_id]):
        errors["model_teacher_id"] = _l("Choose active members of this community.")
    observers = common.member_ids(
        community, data.observer_ids, "observer_ids", errors, limits.OBSERVERS_MAX
    )
    if data.model_teacher_id in observers:
        errors["observer_ids"] = _l("The model teacher teaches: choose other observers.")
    if errors:
        raise ValidationError(fields=errors)
    data.observer_ids = observers
    return data


def open_lesson_study(actor: User, community: Community, data: LessonData) -> LessonStudy:
    """Open a lesson study in ``community`` (active members), at the plan stage."""
    permissions.authorize(actor, "community.participate", community)
    data = _validate(community, data)
    with unit_of_work():
        study = LessonStudy(
            community_id=community.id,
            subject=data.subject,
            grade=data.grade,
            learning_goal=data.learning_goal,
            model_teacher_id=data.model_teacher_id,
            created_by_id=actor.id,
            stage="plan",
        )
        study.observers = [LessonObserver(user_id=i) for i in data.observer_ids]
        db.session.add(study)
        db.session.flush()
        signals.send_after_commit(signals.lesson_study_opened, study, study=study, actor=actor)
    return study


def save_plan(actor: User, study: LessonStudy, body: str) -> PlanRevision | None:
    """Save the lesson plan as a new revision (None when nothing changed)."""
    permissions.authorize(actor, "lesson_study.edit_plan", study)
    errors: dict[str, Any] = {}
    body = common.text(body, "body", errors, limits.PLAN_MAX, required=False)
    if errors:
        raise ValidationError(fields=errors)
    if body == study.plan_body:
        return None
    with unit_of_work():
        study.plan_body = body
        study.plan_html = render_markdown(body)
        study.updated_at = utcnow()
        revision = PlanRevision(lesson_study_id=study.id, author_id=actor.id, body=body)
        db.session.add(revision)
    return revision


def add_comment(actor: User, study: LessonStudy, body: str) -> PlanComment:
    """Comment on the lesson plan (active members)."""
    permissions.authorize(actor, "lesson_study.comment", study)
    errors: dict[str, Any] = {}
    body = common.text(body, "body", errors, limits.COMMENT_MAX, required=True)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        comment = PlanComment(
            lesson_study_id=study.id, author_id=actor.id, body=body, html=render_markdown(body)
        )
        db.session.add(comment)
    return comment


def link_resource(actor: User, study: LessonStudy, resource_id: int | None) -> LessonResource:
    """Link one of the community's resources to the plan (idempotent)."""
    permissions.authorize(actor, "lesson_study.edit_plan", study)
    resource = db.session.get(Resource, resource_id) if is_id(resource_id) else None
    if resource is None or resource.community_id != study.community_id:
        raise ValidationError(fields={"resource_id": _l("Choose a resource of this community.")})
    existing = db.session.scalar(
        select(LessonResource).where(
            LessonResource.lesson_study_id == study.id, LessonResource.resource_id == resource.id
        )
    )
    if existing is not None:
        return existing
    with unit_of_work():
        link = LessonResource(lesson_study_id=study.id, resource_id=resource.id)
        db.session.add(link)
    return link


def move_stage(actor: User, study: LessonStudy, stage: str) -> LessonStudy:
    """Move to ``stage``; backwards is refused once the reflection is published."""
    permissions.authorize(actor, "lesson_study.manage", study)
    if stage not in STAGES:
        raise ValidationError(fields={"stage": _l("Choose plan, do, observe or see.")})
    previous = study.stage
    if stage == previous:
        return study
    if STAGES.index(stage) < STAGES.index(previous) and study.published:
        raise Conflict(
            _l(
                "The reflection is published: the lesson study cannot go back to an earlier "
                "stage. Open a new cycle to teach the lesson again."
            ),
            code="reflection_published",
        )
    with unit_of_work():
        study.stage = stage
        study.updated_at = utcnow()
        signals.send_after_commit(
            signals.lesson_stage_changed,
            study,
            study=study,
            actor=actor,
            stage=stage,
            previous=previous,
        )
    return study


def schedule_open_lesson(
    actor: User,
    study: LessonStudy,
    starts_at: datetime | None,
    ends_at: datetime | None,
    timezone: str,
    location: str,
) -> Meeting:
    """Schedule the open lesson (do) as a meeting of the community (coordinators); the
    observers answer its RSVP. The study moves to the do stage."""
    permissions.authorize(actor, "lesson_study.set_hours", study)
    if study.meeting_id is not None:
        raise Conflict(_l("The open lesson is already scheduled."), code="already_scheduled")
    data = meeting_services.MeetingData(
        title=str(_l("Open lesson: %(title)s", title=study.title))[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone,
        kind="lesson_study",
        mode="offline",
        location=location,
        description=study.learning_goal[:2000],
    )
    with unit_of_work():
        meeting, _all = meeting_services.schedule(actor, study.community, data, allow_clash=True)
        study.meeting_id = meeting.id
        if study.stage == "plan":
            study.stage = "do"
        study.updated_at = utcnow()
    return meeting


def save_lessons(actor: User, study: LessonStudy, body: str, *, publish: bool) -> LessonStudy:
    """Write the agreed lessons learned (see); ``publish`` publishes the reflection and
    credits the model teacher and observers."""
    permissions.authorize(actor, "lesson_study.manage", study)
    errors: dict[str, Any] = {}
    body = common.text(body, "body", errors, limits.LESSONS_MAX, required=publish)
    if errors:
        raise ValidationError(fields=errors)
    first_publication = publish and not study.published
    with unit_of_work():
        study.lessons_body = body
        study.lessons_html = render_markdown(body)
        study.updated_at = utcnow()
        if publish:
            study.stage = "see"
            if first_publication:
                study.reflection_published_at = utcnow()
        if first_publication:
            signals.send_after_commit(signals.reflection_published, study, study=study, actor=actor)
    return study


def set_lesson_hours(
    actor: User, study: LessonStudy, model_hours: int | None, observer_hours: int | None
) -> LessonStudy:
    """The PKB hours (JP) the model teacher and each observer are credited (coordinators)."""
    permissions.authorize(actor, "lesson_study.set_hours", study)
    errors: dict[str, Any] = {}
    model = common.hours(model_hours, "model_hours", errors, limits.HOURS_MAX)
    observer = common.hours(observer_hours, "observer_hours", errors, limits.HOURS_MAX)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        study.model_hours = model
        study.observer_hours = observer
    return study


def get_study(study_id: int) -> LessonStudy:
    """The lesson study or NotFound (for receivers and jobs)."""
    study = db.session.get(LessonStudy, study_id)
    if study is None:
        raise NotFound(UNKNOWN_STUDY)
    return study
