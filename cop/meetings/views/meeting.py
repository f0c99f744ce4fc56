"""The meeting page, and opening the meeting's discussion topic and chat channel."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.auth.models import User
from cop.core import permissions, web
from cop.core.errors import CopError
from cop.core.timezones import zone_abbreviation
from cop.core.types import utcnow
from cop.meetings import queries, services
from cop.meetings.forms import (
    KIND_LABELS,
    MODE_LABELS,
    AgendaItemForm,
    CancelForm,
    CheckinForm,
    member_choices,
)
from cop.meetings.models import Meeting
from cop.meetings.views import bp


def _agenda_form(meeting: Meeting) -> AgendaItemForm:
    form = AgendaItemForm()
    form.presenter_id.choices = member_choices(
        queries.members_for_marking(meeting), _("No presenter")
    )
    return form


def _page_context(viewer: User | None, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows ``viewer``: their answer and attendance, the minutes
    if the policy lets them read them, the coordinators' forms."""
    manages = permissions.can(viewer, "meeting.manage", meeting)
    minutes = services.minutes_of(meeting)
    now = utcnow()
    return {
        "meeting": meeting,
        "community": meeting.community,
        "planned": meeting.planned_agenda,
        "counts": queries.rsvp_counts([meeting.id])[meeting.id],
        "going": queries.going(meeting)
        if permissions.can(viewer, "meeting.view_attendees", meeting)
        else [],
        "my_rsvp": services.my_rsvp(viewer, meeting),
        "attendance": services.attendance_of(meeting, viewer.id) if viewer else None,
        "manages": manages,
        "participates": permissions.can(viewer, "meeting.rsvp", meeting),
        "minutes": minutes,
        "sees_minutes": minutes is not None
        and permissions.can(viewer, "meeting.view_minutes", meeting),
        "action_items": queries.action_items_of(meeting),
        "carried": queries.carried_action_items(meeting),
        "agenda_form": _agenda_form(meeting) if manages else None,
        "checkin_form": CheckinForm(),
        "cancel_form": CancelForm() if manages else None,
        "checkin_open": services.checkin_open(meeting, now),
        "is_over": meeting.ends_at < now,
        "kind_labels": KIND_LABELS,
        "mode_labels": MODE_LABELS,
        "zone_name": zone_abbreviation(meeting.timezone),
        "photos": services.photos_of(meeting),
    }


@bp.get("/meetings/<id:meeting_id>")
def show(meeting_id: int) -> ResponseReturnValue:
    """Details, agenda with planned times, RSVP, check-in, minutes once published."""
    viewer = web.viewer()
    meeting = services.visible_meeting(viewer, meeting_id)
    return render_template("meetings/show.html", **_page_context(viewer, meeting))


def _back_with_error(meeting: Meeting, error: CopError) -> ResponseReturnValue:
    """Back to the meeting page with the error flashed (what may not be seen stays a 4xx)."""
    if error.status in (401, 403, 404):
        raise error
    flash(str(error.message), "error")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.post("/meetings/<id:meeting_id>/discussion")
@login_required
def discussion(meeting_id: int) -> ResponseReturnValue:
    """Open the meeting's discussion topic, starting it on first use."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    try:
        topic = services.discussion_topic(
            web.current(), meeting, url_for(".show", meeting_id=meeting.id)
        )
    except CopError as error:
        return _back_with_error(meeting, error)
    return redirect(url_for("discussions.topic", topic_id=topic.id))


@bp.post("/meetings/<id:meeting_id>/chat")
@login_required
def chat(meeting_id: int) -> ResponseReturnValue:
    """Open the meeting's chat channel, creating it on first use."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    try:
        channel = services.chat_channel(web.current(), meeting)
    except CopError as error:
        return _back_with_error(meeting, error)
    return redirect(url_for("chat.channel", channel_id=channel.id))
