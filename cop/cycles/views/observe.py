"""The observation sheet (phone-first, works offline through static/js/observe.js), the
reflection page (observations grouped by student and by moment, live; the lessons
learned) and the cycle's summary PDF."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, jsonify, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import permissions, web
from cop.core.errors import CopError
from cop.cycles import documents, queries, services
from cop.cycles.serializers import observation_json
from cop.cycles.views import back, bp
from cop.resources import services as resource_services


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _observation_data(form: Any, files: Any) -> services.ObservationData:
    photo = files.get("photo")
    return services.ObservationData(
        client_id=form.get("client_id", ""),
        student_code=form.get("student_code", ""),
        moment=form.get("moment", ""),
        note=form.get("note", ""),
        confirmed=form.get("confirm_name") == "1",
        photo=resource_services.Upload(photo.stream, photo.filename or "")
        if photo and photo.filename
        else None,
    )


@bp.route("/lesson-studies/<id:study_id>/observe", methods=["GET", "POST"])
@login_required
def observe(study_id: int) -> ResponseReturnValue:
    """The observer's sheet: one line per thing a student did (by code), when."""
    study = services.visible_lesson_study(web.viewer(), study_id, "lesson_study.observe")
    user = web.current()
    if request.method == "POST":
        try:
            row, created = services.record_observation(
                user, study, _observation_data(request.form, request.files)
            )
        except CopError as error:
            if _wants_json():
                body = {"code": error.code, "message": str(error.message)}
                fields = {k: str(v) for k, v in error.fields.items()}
                return jsonify({"error": {**body, "fields": fields}}), error.status
            return back(url_for(".observe", study_id=study.id), error), 303
        if _wants_json():
            return jsonify(observation_json(row)), 201 if created else 200
        flash(_("Observation saved."), "success")
        return back(url_for(".observe", study_id=study.id))
    return render_template(
        "cycles/observe.html", study=study, mine=queries.my_observations(study, user)
    )


@bp.route("/lesson-studies/<id:study_id>/reflection", methods=["GET", "POST"])
def reflection(study_id: int) -> ResponseReturnValue:
    """The reflection meeting's page: every observation grouped, and the lessons learned
    (written and published by the model teacher or a coordinator)."""
    user = web.viewer()
    action = "lesson_study.manage" if request.method == "POST" else "lesson_study.view"
    study = services.visible_lesson_study(user, study_id, action)
    if request.method == "POST":
        try:
            services.save_lessons(
                web.current(),
                study,
                request.form.get("body", ""),
                publish=request.form.get("publish") == "1",
            )
        except CopError as error:
            return back(url_for(".reflection", study_id=study.id), error), 303
        published = request.form.get("publish") == "1"
        flash(_("Reflection published.") if published else _("Lessons learned saved."), "success")
        return back(url_for(".reflection", study_id=study.id))
    rows = queries.observations(study)
    return render_template(
        "cycles/reflection.html",
        study=study,
        observations=rows,
        by_student=queries.by_student(rows),
        by_moment=queries.by_moment(rows),
        manages=permissions.can(user, "lesson_study.manage", study),
    )


@bp.get("/lesson-studies/<id:study_id>/summary.pdf")
def summary_pdf(study_id: int) -> ResponseReturnValue:
    """The cycle's summary as a PDF: goal, plan, open lesson, observations, lessons."""
    study = services.visible_lesson_study(web.viewer(), study_id)
    return Response(
        documents.lesson_summary_pdf(study),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="lesson-study-{study.id}.pdf"'},
    )


@bp.get("/observations/<id:observation_id>/photo")
def observation_photo(observation_id: int) -> ResponseReturnValue:
    """An observation's photo: the community's members (and site admins) only."""
    observation = services.visible_observation(
        web.viewer(), observation_id, "lesson_study.view_photos"
    )
    response = send_file(
        services.open_photo(observation), mimetype=observation.photo_type or "image/jpeg"
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
