"""RSVP, check-in (code and QR), the attendance CSV and the certificate (the roll itself
is in ``roll``)."""

from __future__ import annotations

import io

import segno
from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import exports, web
from cop.core.errors import CopError
from cop.core.labels import enum_label
from cop.core.ratelimit import ip_key
from cop.core.timezones import when
from cop.core.urls import external_url
from cop.meetings import limits, queries, services
from cop.meetings.forms import KIND_LABELS, CheckinForm
from cop.meetings.models import Meeting
from cop.meetings.views import bp


def _back(meeting: Meeting) -> str:
    """The meeting page, or the dashboard when the form came from there (``next=dashboard``)."""
    if request.form.get("next", "") == "dashboard":
        return url_for("dashboard.index") + f"#meeting-{meeting.id}"
    return url_for(".show", meeting_id=meeting.id)


@bp.post("/meetings/<id:meeting_id>/rsvp")
@login_required
def rsvp(meeting_id: int) -> ResponseReturnValue:
    """Answer yes / no / maybe."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.rsvp")
    status = request.form.get("status", "")
    try:
        row = services.rsvp(web.current(), meeting, status)
    except CopError as error:
        flash(str(error.fields.get("status") or error.message), "error")
        return redirect(_back(meeting)), 303
    if row.waitlisted:
        flash(_("The meeting is full: you are on the waitlist."), "warning")
    else:
        flash(_("Your answer is saved."), "success")
    return redirect(_back(meeting))


@bp.route("/meetings/<id:meeting_id>/checkin", methods=["GET", "POST"])
@login_required
def checkin(meeting_id: int) -> ResponseReturnValue:
    """Check in with the code (the QR code opens this page with it filled in)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.rsvp")
    form = CheckinForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[: limits.CHECKIN_CODE_MAX]
        return render_template("meetings/checkin.html", meeting=meeting, form=form)
    if not form.validate_on_submit():
        return render_template("meetings/checkin.html", meeting=meeting, form=form), 400
    try:
        _row, created = services.check_in(
            web.current(), meeting, form.code.data or "", source=ip_key()
        )
    except CopError as error:
        web.show_errors(form, error)
        if error.code == "checkin_closed":
            form.code.errors = [error.message]
        return render_template("meetings/checkin.html", meeting=meeting, form=form), error.status
    if created:
        flash(_("You are checked in. Welcome!"), "success")
    else:
        flash(_("You were already checked in."), "info")
    return redirect(_back(meeting))


@bp.get("/meetings/<id:meeting_id>/qr.svg")
@login_required
def qr(meeting_id: int) -> ResponseReturnValue:
    """An SVG QR code of the check-in URL (coordinators show it in the hall)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    target = external_url("meetings.checkin", meeting_id=meeting.id, code=meeting.checkin_code)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _export_rows(meeting: Meeting) -> tuple[list[str], list[list[exports.Cell]]]:
    """The attendance list in the viewer's language and zone: members, then guests."""
    headers = [
        _("No."),
        _("Name"),
        _("School"),
        _("NIP/NUPTK"),
        _("Role"),
        _("Answer"),
        _("Status"),
        _("Checked in"),
        _("How"),
    ]
    answers = {"yes": _("Yes"), "no": _("No"), "maybe": _("Maybe")}
    how = {"code": _("check-in code"), "coordinator": _("by a coordinator")}
    rows: list[list[exports.Cell]] = []
    for row in queries.attendance(meeting):
        a = row.attendance
        checked = a.checked_in_at if a and row.status == "present" else None
        rows.append(
            [
                len(rows) + 1,
                row.user.name,
                row.user.school,
                "",
                _("member"),
                answers.get(row.rsvp or "", ""),
                enum_label(row.status, "attendance_status"),
                when(checked, "short", zone=meeting.timezone) if checked else "",
                how.get(a.method, "") if a and checked else "",
            ]
        )
    for guest in queries.guests(meeting):
        rows.append(
            [
                len(rows) + 1,
                guest.name,
                guest.school,
                guest.nip or guest.nuptk,
                guest.role or _("guest"),
                "",
                enum_label("present", "attendance_status"),
                "",
                _("by a coordinator"),
            ]
        )
    return headers, rows


@bp.get("/meetings/<id:meeting_id>/attendance.<any(csv, xlsx):kind>")
@login_required
def attendance_export(meeting_id: int, kind: str) -> ResponseReturnValue:
    """The attendance list as CSV or XLSX, in the viewer's language and local times."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    headers, rows = _export_rows(meeting)
    name = f"kehadiran-{meeting.id}-{meeting.starts_at.date().isoformat()}"
    return exports.table_response(kind, name, _("Attendance"), headers, rows)


@bp.get("/meetings/<id:meeting_id>/certificate")
@login_required
def certificate(meeting_id: int) -> ResponseReturnValue:
    """The teacher's certificate of attendance (numbered once the meeting has ended)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    user = web.current()
    issued = services.my_certificate(user, meeting)
    presented = [item.title for item in meeting.agenda if item.presenter_id == user.id]
    return render_template(
        "meetings/certificate.html",
        meeting=meeting,
        user=user,
        certificate=issued,
        presented=presented,
        coordinators=queries.coordinators(meeting.community),
        kind_labels=KIND_LABELS,
    )
