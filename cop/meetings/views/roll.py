"""The attendance sheet: the roll in one pass (a tap per member), and guests."""

from __future__ import annotations

from uuid import uuid4

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import web
from cop.core.errors import CopError, ValidationError
from cop.core.types import utcnow
from cop.meetings import queries, services
from cop.meetings.forms import ATTENDANCE_LABELS, GuestForm, chosen_id
from cop.meetings.models import Meeting
from cop.meetings.views import bp


def _wants_json() -> bool:
    """The sheet's script posts each tap with fetch and reads a JSON answer."""
    return request.accept_mimetypes.best == "application/json"


def _sheet(meeting: Meeting, form: GuestForm, status: int = 200) -> ResponseReturnValue:
    rows = queries.roll(meeting)
    page = render_template(
        "meetings/attendance.html",
        meeting=meeting,
        rows=rows,
        counts=queries.status_counts(rows),
        guests=queries.guests(meeting),
        form=form,
        labels=ATTENDANCE_LABELS,
        roll_open=services.roll_open(meeting, utcnow()),
    )
    return page, status


def _tap(meeting: Meeting) -> ResponseReturnValue:
    """One tap on the sheet: JSON for the script, a redirect to the row without it."""
    user_id = chosen_id(request.form.get("user_id", ""))
    status = request.form.get("status") or ("excused" if request.form.get("excused") else "present")
    try:
        if user_id is None:
            raise ValidationError(fields={"user_id": _("Choose a member.")})
        services.set_status(web.current(), meeting, user_id, status)
    except CopError as error:
        message = error.first_message
        if _wants_json():
            return jsonify({"ok": False, "error": message}), error.status
        flash(message, "error")
        return redirect(url_for(".attendance", meeting_id=meeting.id)), 303
    if _wants_json():
        return jsonify({"ok": True, "user_id": user_id, "status": status})
    flash(_("Saved: %(status)s.", status=ATTENDANCE_LABELS[status]), "success")
    return redirect(url_for(".attendance", meeting_id=meeting.id) + f"#member-{user_id}")


@bp.route("/meetings/<id:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int) -> ResponseReturnValue:
    """The roll: every member with present / excused / sick / absent, one tap each."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    if request.method == "POST":
        return _tap(meeting)
    return _sheet(meeting, GuestForm(client_id=uuid4().hex))


@bp.post("/meetings/<id:meeting_id>/guests")
@login_required
def add_guest(meeting_id: int) -> ResponseReturnValue:
    """Record a guest who is not a member (a retried submit records them once)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = GuestForm()
    if not form.validate_on_submit():
        return _sheet(meeting, form, 400)
    data = services.GuestData(
        name=form.name.data or "",
        school=form.school.data or "",
        role=form.role.data or "",
        nip=form.nip.data or "",
        nuptk=form.nuptk.data or "",
        client_id=form.client_id.data or "",
    )
    try:
        guest, _created = services.add_guest(web.current(), meeting, data)
    except CopError as error:
        web.show_errors(form, error)
        return _sheet(meeting, form, error.status)
    flash(_("%(name)s is on the roll as a guest.", name=guest.name), "success")
    return redirect(url_for(".attendance", meeting_id=meeting.id) + "#guests")


@bp.post("/meetings/<id:meeting_id>/guests/<id:guest_id>/delete")
@login_required
def remove_guest(meeting_id: int, guest_id: int) -> ResponseReturnValue:
    """Take a guest off the roll (asks first)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    if request.form.get("confirm") != "1":
        flash(_("Tick “Yes, I am sure” to remove the guest."), "error")
        return redirect(url_for(".attendance", meeting_id=meeting.id) + "#guests"), 303
    services.remove_guest(web.current(), meeting, guest_id)
    flash(_("The guest is off the roll."), "success")
    return redirect(url_for(".attendance", meeting_id=meeting.id) + "#guests")
