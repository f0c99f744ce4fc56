"""Lesson study pages: open one, its page (stages, the shared plan with revisions and
comments, linked resources, the open lesson and the observers' RSVP, hours), and
moving it through the stages."""

from __future__ import annotations

from datetime import datetime

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.core import permissions, web
from cop.core.errors import CopError, ValidationError
from cop.core.timezones import ZONE_CHOICES
from cop.cycles import forms, queries, services
from cop.cycles.models import STAGES
from cop.cycles.views import back, bp
from cop.meetings import services as meeting_services


@bp.route("/c/<slug>/lesson-studies/new", methods=["GET", "POST"])
@login_required
def new_lesson_study(slug: str) -> ResponseReturnValue:
    """Open a lesson study: subject, grade, learning goal, model teacher, observers."""
    community = community_services.visible_community(web.viewer(), slug, "community.participate")
    error = None
    if request.method == "POST":
        try:
            study = services.open_lesson_study(
                web.current(), community, forms.lesson_data(request.form)
            )
        except ValidationError as exc:
            error = exc
        else:
            flash(_("Lesson study opened. Write the lesson plan together."), "success")
            return back(url_for(".lesson_study", study_id=study.id))
    page = render_template(
        "cycles/lesson_new.html",
        community=community,
        members=queries.member_choices(community),
        errors=error.fields if error else {},
        values=request.form,
    )
    return page, 400 if error else 200


@bp.get("/lesson-studies/<id:study_id>")
def lesson_study(study_id: int) -> ResponseReturnValue:
    """The lesson study: its stage, plan, comments, resources and open lesson."""
    user = web.viewer()
    study = services.visible_lesson_study(user, study_id)
    meeting = queries.open_lesson(study)
    return render_template(
        "cycles/lesson.html",
        study=study,
        stages=STAGES,
        revisions=queries.revisions(study),
        comments=queries.plan_comments(study),
        resources=queries.linked_resources(study),
        choices=queries.community_resources(study),
        meeting=meeting,
        my_rsvp=meeting_services.my_rsvp(user, meeting) if meeting else None,
        rsvps=queries.observer_rsvps(study),
        counts=queries.observation_counts(study),
        zones=ZONE_CHOICES,
        may={
            a: permissions.can(user, f"lesson_study.{a}", study)
            for a in ("edit_plan", "comment", "manage", "observe", "set_hours")
        },
    )


def _study_url(study_id: int) -> str:
    return url_for(".lesson_study", study_id=study_id)


@bp.post("/lesson-studies/<id:study_id>/plan")
@login_required
def save_plan(study_id: int) -> ResponseReturnValue:
    """Save the lesson plan as a new revision."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.edit_plan")
    try:
        saved = services.save_plan(web.current(), study, request.form.get("body", ""))
    except CopError as error:
        return back(_study_url(study.id), error), 303
    flash(_("Lesson plan saved.") if saved else _("Nothing changed in the plan."), "success")
    return back(_study_url(study.id) + "#plan")


@bp.post("/lesson-studies/<id:study_id>/comments")
@login_required
def comment_plan(study_id: int) -> ResponseReturnValue:
    """Comment on the lesson plan."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.comment")
    try:
        services.add_comment(web.current(), study, request.form.get("body", ""))
    except CopError as error:
        return back(_study_url(study.id), error), 303
    return back(_study_url(study.id) + "#comments")


@bp.post("/lesson-studies/<id:study_id>/resources")
@login_required
def link_resource(study_id: int) -> ResponseReturnValue:
    """Link a community resource to the plan."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.edit_plan")
    try:
        services.link_resource(web.current(), study, forms.chosen_id(request.form, "resource_id"))
    except CopError as error:
        return back(_study_url(study.id), error), 303
    return back(_study_url(study.id) + "#resources")


@bp.post("/lesson-studies/<id:study_id>/stage")
@login_required
def move_stage(study_id: int) -> ResponseReturnValue:
    """Move the lesson study to another stage (never back once the reflection is out)."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.manage")
    try:
        services.move_stage(web.current(), study, request.form.get("stage", ""))
    except ValidationError as error:
        return back(_study_url(study.id), error), 303
    except CopError as error:
        return render_template("cycles/refused.html", error=error, study=study), error.status
    return back(_study_url(study.id))


@bp.post("/lesson-studies/<id:study_id>/open-lesson")
@login_required
def schedule_open_lesson(study_id: int) -> ResponseReturnValue:
    """Schedule the open lesson as a meeting of the community (coordinators)."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.set_hours")
    form = request.form
    zone = form.get("timezone", "")
    try:
        starts = _local(form.get("day", ""), form.get("starts", ""), zone)
        ends = _local(form.get("day", ""), form.get("ends", ""), zone)
        services.schedule_open_lesson(
            web.current(), study, starts, ends, zone, form.get("location", "")
        )
    except CopError as error:
        return back(_study_url(study.id), error), 303
    flash(_("The open lesson is scheduled. Observers can answer the RSVP."), "success")
    return back(_study_url(study.id) + "#open-lesson")


def _local(day: str, clock: str, zone: str) -> datetime:
    """A day and a time typed in ``zone`` as UTC (a field error when malformed)."""
    try:
        return meeting_services.parse_local(f"{day}T{clock}", zone or "Asia/Jakarta")
    except (ValueError, KeyError) as exc:
        raise ValidationError(fields={"day": _("Give the day and the times.")}) from exc


@bp.post("/lesson-studies/<id:study_id>/hours")
@login_required
def lesson_hours(study_id: int) -> ResponseReturnValue:
    """Set the PKB hours credited to the model teacher and each observer (coordinators)."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.set_hours")
    try:
        services.set_lesson_hours(
            web.current(),
            study,
            forms.number(request.form, "model_hours"),
            forms.number(request.form, "observer_hours"),
        )
    except CopError as error:
        return back(_study_url(study.id), error), 303
    flash(_("Hours saved."), "success")
    return back(_study_url(study.id) + "#hours")
