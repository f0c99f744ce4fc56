"""The minutes editor (autosaved), action items, publishing (coordinators)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from cop.core import web
from cop.core.errors import NotFound, ValidationError
from cop.meetings import queries, services
from cop.meetings.forms import MinutesForm, chosen_id, member_choices
from cop.meetings.models import Meeting
from cop.meetings.views import bp


def _action_items(form: MinutesForm, assignee_id: int | None) -> list[services.ActionItemData]:
    """The one new action item the form may hold."""
    if not (form.action_title.data or "").strip():
        return []
    return [
        services.ActionItemData(
            title=form.action_title.data or "", assignee_id=assignee_id, due_on=form.action_due.data
        )
    ]


def _try_save(form: MinutesForm, meeting: Meeting) -> bool:
    """Save (or publish) what the form holds; False with the errors on the form."""
    raw = request.form.get("action_assignee", "")
    if not form.validate_on_submit() or (raw and chosen_id(raw) is None):
        return False
    try:
        services.save_minutes(
            web.current(),
            meeting,
            form.body.data or "",
            action_items=_action_items(form, chosen_id(raw)),
            publish=bool(form.publish.data),
        )
    except ValidationError as error:
        web.show_errors(form, error)
        return False
    flash(_("Minutes published.") if form.publish.data else _("Minutes saved."), "success")
    return True


@bp.route("/meetings/<id:meeting_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int) -> ResponseReturnValue:
    """Write the minutes (autosaved), add action items, publish (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    current = services.minutes_of(meeting)
    form = MinutesForm()
    form.action_assignee.choices = member_choices(
        queries.members_for_marking(meeting), _("Nobody in particular")
    )
    if request.method == "GET":
        form.body.data = current.body if current else ""
    elif _try_save(form, meeting):
        return redirect(url_for(".minutes", meeting_id=meeting.id))
    page = render_template(
        "meetings/minutes.html",
        meeting=meeting,
        form=form,
        current=current,
        revisions=queries.minutes_revisions(current),
        action_items=queries.action_items_of(meeting),
    )
    return page, 400 if request.method == "POST" else 200


@bp.post("/meetings/<id:meeting_id>/minutes/autosave")
@login_required
def autosave_minutes(meeting_id: int) -> ResponseReturnValue:
    """Keep the draft on the server while the coordinator types (no revision)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    body = request.form.get("body")
    if body is None:
        return jsonify({"ok": False, "error": _("Nothing to save.")}), 400
    try:
        saved = services.save_minutes(web.current(), meeting, body, autosave=True)
    except ValidationError as error:
        return jsonify({"ok": False, "error": str(error.fields.get("body", error.message))}), 400
    return jsonify({"ok": True, "saved_at": saved.updated_at.isoformat()})


@bp.post("/action-items/<id:action_item_id>")
@login_required
def action_item(action_item_id: int) -> ResponseReturnValue:
    """Tick an action item done (or reopen it): its assignee or a coordinator."""
    try:
        item = services.set_action_item_done(
            web.current(), action_item_id, request.form.get("done") == "1"
        )
    except NotFound as exc:
        raise NotFound(_l("That action item does not exist.")) from exc
    if request.form.get("next", "") == "dashboard":
        return redirect(url_for("dashboard.index"))
    return redirect(url_for(".show", meeting_id=item.meeting_id))
