"""The agenda on the meeting page: add, move and remove items (coordinators)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import web
from cop.core.errors import ValidationError
from cop.meetings import limits, services
from cop.meetings.forms import AgendaItemForm, chosen_id
from cop.meetings.models import Meeting
from cop.meetings.views import bp


def _agenda_of(meeting: Meeting) -> str:
    return url_for(".show", meeting_id=meeting.id) + "#agenda"


@bp.post("/meetings/<id:meeting_id>/agenda")
@login_required
def add_agenda(meeting_id: int) -> ResponseReturnValue:
    """Add an agenda item (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = AgendaItemForm()
    raw = request.form.get("presenter_id", "")
    if not form.validate_on_submit() or (raw and chosen_id(raw) is None):
        flash(
            _(
                "Give the agenda item a title (at most %(n)d characters).",
                n=limits.AGENDA_TITLE_MAX,
            ),
            "error",
        )
        return redirect(_agenda_of(meeting)), 303
    item = services.AgendaData(
        title=form.title.data or "",
        presenter_id=chosen_id(raw),
        duration_min=form.duration_min.data or 0,
        notes=form.notes.data or "",
    )
    try:
        services.add_agenda_item(web.current(), meeting, item)
    except ValidationError as error:
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
        return redirect(_agenda_of(meeting)), 303
    flash(_("Agenda item added."), "success")
    return redirect(_agenda_of(meeting))


@bp.post("/meetings/<id:meeting_id>/agenda/<id:item_id>/move")
@login_required
def move_agenda(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Move an agenda item up or down."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    services.move_agenda_item(web.current(), meeting, item_id, request.form.get("direction", ""))
    return redirect(_agenda_of(meeting))


@bp.post("/meetings/<id:meeting_id>/agenda/<id:item_id>/delete")
@login_required
def delete_agenda(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Remove an agenda item."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    services.delete_agenda_item(web.current(), meeting, item_id)
    flash(_("Agenda item removed."), "success")
    return redirect(_agenda_of(meeting))
