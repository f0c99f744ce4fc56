"""API: learning cycles. Lesson studies of a community (listed, opened), one lesson
study, its stage, its observation sheets; a mentoring pair's GROW sessions (private to
the pair and the community's coordinators: 404 for everyone else)."""

from __future__ import annotations

from datetime import date

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api import cycle_schemas as _schemas  # noqa: F401 (registers the components)
from cop.api.openapi import documented
from cop.api.views import ID, Body, bp, cursor_arg, list_json
from cop.communities import services as community_services
from cop.core.pagination import parse_limit
from cop.core.web import current, viewer
from cop.cycles import queries, services
from cop.cycles.models import Observation
from cop.cycles.serializers import lesson_study_json, observation_json, session_json


def _photo_url(observation: Observation) -> str | None:
    if not observation.photo_key:
        return None
    return url_for("cycles.observation_photo", observation_id=observation.id)


@bp.get("/communities/<slug>/lesson-studies")
@documented(
    "Lesson studies of a community",
    tag="cycles",
    response="LessonStudyList",
    errors=(400, 404),
    auth="optional",
    query=("limit", "cursor"),
)
def list_lesson_studies(slug: str) -> ResponseReturnValue:
    """Newest first, keyset-paged."""
    community = community_services.visible_community(viewer(), slug, "community.view_content")
    page = queries.lesson_studies(
        community, cursor=cursor_arg(), limit=parse_limit(request.args.get("limit"))
    )
    return list_json(page, lesson_study_json)


@bp.post("/communities/<slug>/lesson-studies")
@documented(
    "Open a lesson study (active members)",
    tag="cycles",
    status=201,
    body="LessonStudyCreate",
    response="LessonStudy",
    errors=(400, 403, 404),
)
def create_lesson_study(slug: str) -> ResponseReturnValue:
    """At the plan stage; the model teacher and observers are told."""
    community = community_services.visible_community(viewer(), slug, "community.participate")
    user, body = current(), Body.from_request()
    data = services.LessonData(
        subject=body.required("subject"),
        grade=body.required("grade"),
        learning_goal=body.required("learning_goal"),
        model_teacher_id=body.optional_id("model_teacher_id", nullable=False),
        observer_ids=body.id_list("observer_ids") or [],
    )
    body.done()
    return lesson_study_json(services.open_lesson_study(user, community, data)), 201


@bp.get(f"/lesson-studies/<{ID}:study_id>")
@documented(
    "One lesson study", tag="cycles", response="LessonStudy", errors=(404,), auth="optional"
)
def show_lesson_study(study_id: int) -> ResponseReturnValue:
    """A lesson study the caller may see."""
    return lesson_study_json(services.visible_lesson_study(viewer(), study_id))


@bp.put(f"/lesson-studies/<{ID}:study_id>/stage")
@documented(
    "Move a lesson study to a stage (model teacher, opener, coordinators)",
    tag="cycles",
    body="StageRequest",
    response="LessonStudy",
    errors=(400, 403, 404, 409),
)
def set_lesson_stage(study_id: int) -> ResponseReturnValue:
    """409 reflection_published when moving back after the reflection is out."""
    study = services.visible_lesson_study(viewer(), study_id, "lesson_study.manage")
    user, body = current(), Body.from_request()
    stage = body.required("stage")
    body.done()
    return lesson_study_json(services.move_stage(user, study, stage))


@bp.get(f"/lesson-studies/<{ID}:study_id>/observations")
@documented(
    "The observation sheets of a lesson study",
    tag="cycles",
    response="ObservationList",
    errors=(400, 404),
    auth="optional",
    query=("limit", "cursor"),
)
def list_observations(study_id: int) -> ResponseReturnValue:
    """In the order they were made, keyset-paged (students by code only)."""
    study = services.visible_lesson_study(viewer(), study_id)
    page = queries.observations_page(
        study, cursor=cursor_arg(), limit=parse_limit(request.args.get("limit"))
    )
    return list_json(page, lambda o: observation_json(o, _photo_url(o)))


@bp.post(f"/lesson-studies/<{ID}:study_id>/observations")
@documented(
    "Record an observation (observers); idempotent by client_id",
    tag="cycles",
    status=201,
    body="ObservationCreate",
    response="Observation",
    errors=(400, 403, 404, 409),
    also=((200, "The same client_id again: the observation stored the first time."),),
    description="409 sheets_not_open before the lesson is taught, sheets_closed once the "
    "reflection is published. A note that looks like a student's full name is refused "
    "(400 on note) unless confirm_name is true.",
)
def create_observation(study_id: int) -> ResponseReturnValue:
    """Store one observation; the reflection page shows it live."""
    study = services.visible_lesson_study(viewer(), study_id, "lesson_study.observe")
    user, body = current(), Body.from_request()
    data = services.ObservationData(
        client_id=body.required("client_id"),
        student_code=body.required("student_code"),
        moment=body.required("moment"),
        note=body.required("note"),
        confirmed=body.boolean("confirm_name"),
    )
    body.done()
    row, created = services.record_observation(user, study, data)
    return observation_json(row, _photo_url(row)), 201 if created else 200


@bp.get(f"/mentoring/<{ID}:pair_id>/sessions")
@documented(
    "A mentoring pair's sessions (the pair and coordinators)",
    tag="cycles",
    response="MentoringSessionList",
    errors=(400, 404),
    query=("limit", "cursor"),
)
def list_mentoring_sessions(pair_id: int) -> ResponseReturnValue:
    """Newest first, keyset-paged; 404 for anyone outside the pair and coordinators."""
    pair = services.visible_pair(viewer(), pair_id)
    page = queries.sessions_page(
        pair, cursor=cursor_arg(), limit=parse_limit(request.args.get("limit"))
    )
    return list_json(page, session_json)


def _day(body: Body, name: str, *, required: bool) -> date | None:
    raw = body.required(name) if required else body.text(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        body.errors[name] = _l("Use a date such as 2027-01-09.")
        return None


@bp.post(f"/mentoring/<{ID}:pair_id>/sessions")
@documented(
    "Log a GROW session (the mentor or a coordinator)",
    tag="cycles",
    status=201,
    body="MentoringSessionCreate",
    response="MentoringSession",
    errors=(400, 403, 404, 409),
)
def create_mentoring_session(pair_id: int) -> ResponseReturnValue:
    """The mentees are told; the next step is reminded the day before it falls due."""
    pair = services.visible_pair(viewer(), pair_id, "mentoring.log")
    user, body = current(), Body.from_request()
    data = services.SessionData(
        held_on=_day(body, "held_on", required=True),
        goal=body.required("goal"),
        reality=body.text("reality") or "",
        options=body.text("options") or "",
        next_step=body.required("next_step"),
        next_due=_day(body, "next_due", required=False),
    )
    body.done()
    return session_json(services.log_session(user, pair, data)), 201
