"""Mentoring pair pages: a coordinator pairs (or a mentee asks), the pair's history with
the GROW session form, the mentees' feedback, approval and hours. Private to the pair
and the community's coordinators (everyone else: 404)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import CopError, ValidationError
from cop.core.timezones import to_zone
from cop.core.types import utcnow
from cop.cycles import forms, queries, services
from cop.cycles.models import MentoringPair
from cop.cycles.views import back, bp


def _make_pair(community: Community, manages: bool) -> MentoringPair:
    """A coordinator's pair, or a member's request (the form's fields)."""
    form, mentor = request.form, forms.chosen_id(request.form, "mentor_id")
    if manages:
        return services.pair_mentoring(
            web.current(),
            community,
            mentor,
            forms.chosen_ids(form, "mentee_ids"),
            form.get("focus", ""),
        )
    return services.request_mentoring(web.current(), community, mentor, form.get("focus", ""))


@bp.route("/c/<slug>/mentoring/new", methods=["GET", "POST"])
@login_required
def new_pair(slug: str) -> ResponseReturnValue:
    """A coordinator pairs a mentor with mentees; a member asks for a mentor."""
    user = web.viewer()
    community = community_services.visible_community(user, slug, "community.participate")
    manages = permissions.can(user, "community.manage", community)
    error = None
    if request.method == "POST":
        try:
            pair = _make_pair(community, manages)
        except ValidationError as exc:
            error = exc
        else:
            done = _("Mentoring pair made.") if manages else _("Request sent to the coordinators.")
            flash(done, "success")
            return back(url_for(".pair", pair_id=pair.id))
    page = render_template(
        "cycles/pair_new.html",
        community=community,
        manages=manages,
        members=queries.member_choices(community),
        errors=error.fields if error else {},
        values=request.form,
    )
    return page, 400 if error else 200


@bp.get("/mentoring/<id:pair_id>")
@login_required
def pair(pair_id: int) -> ResponseReturnValue:
    """The pair's history: every session (GROW), the feedback, the next step."""
    user = web.current()
    found = services.visible_pair(user, pair_id)
    history = queries.sessions(found)
    today = to_zone(utcnow(), user.timezone).date()
    return render_template(
        "cycles/pair.html",
        pair=found,
        sessions=history,
        feedback=queries.feedback_by_session([s.id for s in history]),
        today=today,
        today_value=today.isoformat(),  # the date input's value (ISO, as HTML wants it)
        may={
            a: permissions.can(user, f"mentoring.{a}", found)
            for a in ("log", "feedback", "approve")
        },
    )


@bp.post("/mentoring/<id:pair_id>/sessions")
@login_required
def log_session(pair_id: int) -> ResponseReturnValue:
    """Log a GROW session (the mentor or a coordinator)."""
    found = services.visible_pair(web.viewer(), pair_id, "mentoring.log")
    try:
        services.log_session(web.current(), found, forms.session_data(request.form))
    except CopError as error:
        return back(url_for(".pair", pair_id=found.id), error), 303
    flash(_("Session saved. The mentees are told."), "success")
    return back(url_for(".pair", pair_id=found.id))


@bp.post("/mentoring/<id:pair_id>/approve")
@login_required
def approve_pair(pair_id: int) -> ResponseReturnValue:
    """Approve a mentee's request (coordinators)."""
    found = services.visible_pair(web.viewer(), pair_id, "mentoring.approve")
    try:
        services.approve_pair(web.current(), found)
    except CopError as error:
        return back(url_for(".pair", pair_id=found.id), error), 303
    return back(url_for(".pair", pair_id=found.id))


@bp.post("/mentoring/<id:pair_id>/hours")
@login_required
def pair_hours(pair_id: int) -> ResponseReturnValue:
    """Set the PKB hours each session credits (coordinators)."""
    found = services.visible_pair(web.viewer(), pair_id, "mentoring.approve")
    try:
        services.set_pair_hours(web.current(), found, forms.number(request.form, "session_hours"))
    except CopError as error:
        return back(url_for(".pair", pair_id=found.id), error), 303
    flash(_("Hours saved."), "success")
    return back(url_for(".pair", pair_id=found.id))


@bp.post("/mentoring/sessions/<id:session_id>/feedback")
@login_required
def session_feedback(session_id: int) -> ResponseReturnValue:
    """A mentee's feedback on one session."""
    session, found = services.visible_session(web.viewer(), session_id, "mentoring.feedback")
    try:
        services.give_feedback(
            web.current(),
            session,
            found,
            forms.number(request.form, "rating"),
            request.form.get("comment", ""),
        )
    except CopError as error:
        return back(url_for(".pair", pair_id=found.id), error), 303
    flash(_("Thank you for your feedback."), "success")
    return back(url_for(".pair", pair_id=found.id) + f"#session-{session.id}")
