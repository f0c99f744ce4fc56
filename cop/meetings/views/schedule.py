"""The community calendar, scheduling a meeting or a series, editing and cancelling."""

from __future__ import annotations

import calendar as pycalendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.auth.models import User
from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import Conflict, ValidationError
from cop.core.pagination import parse_limit
from cop.core.timezones import is_known_zone
from cop.core.types import utcnow
from cop.meetings import limits, queries, services
from cop.meetings.forms import (
    KIND_LABELS,
    CancelForm,
    EditMeetingForm,
    MeetingForm,
    NewMeetingForm,
    chosen_id,
    member_choices,
)
from cop.meetings.models import Meeting
from cop.meetings.views import bp

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _repeat_rule(form: MeetingForm, start_local: date) -> str | None:
    """Turn the repeat choice into an RRULE ('' = no repeat)."""
    choice = form.repeat.data or ""
    if not choice:
        return None
    if choice == "custom":
        return (form.rrule.data or "").strip() or "FREQ=NONE"
    weekday = WEEKDAY_CODES[start_local.weekday()]
    if choice == "monthly_nth":
        nth = (start_local.day - 1) // 7 + 1
        rule = f"FREQ=MONTHLY;BYDAY={nth if nth < 5 else -1}{weekday}"
    elif choice == "monthly":
        rule = f"FREQ=MONTHLY;BYMONTHDAY={start_local.day}"
    else:
        rule = f"FREQ=WEEKLY;BYDAY={weekday}"
    if form.count.data:
        rule += f";COUNT={form.count.data}"
    elif form.until.data:
        rule += f";UNTIL={form.until.data.strftime('%Y%m%d')}"
    return rule


def _meeting_data(form: MeetingForm) -> services.MeetingData:
    """The form's fields as the service's MeetingData (times in UTC)."""
    zone = form.timezone.data or ""
    starts = ends = None
    if form.date.data and form.start_time.data and form.end_time.data and is_known_zone(zone):
        tz = ZoneInfo(zone)
        starts = datetime.combine(form.date.data, form.start_time.data, tz).astimezone(UTC)
        ends = datetime.combine(form.date.data, form.end_time.data, tz).astimezone(UTC)
    return services.MeetingData(
        title=form.title.data or "",
        starts_at=starts,
        ends_at=ends,
        timezone=zone,
        kind=form.kind.data or "",
        mode=form.mode.data or "",
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        pkb_hours=form.pkb_hours.data or 0,
        description=form.description.data or "",
        recorded=bool(getattr(form, "recorded", None) and form.recorded.data),
        agenda=_agenda_rows(form),
    )


def _agenda_rows(form: MeetingForm) -> list[services.AgendaData]:
    """The schedule form's filled agenda rows (the edit form has none)."""
    rows = getattr(form, "agenda", None) or []
    return [
        services.AgendaData(
            title=row.form.title.data or "",
            presenter_id=chosen_id(row.form.presenter_id.data or ""),
            duration_min=row.form.duration_min.data or 0,
        )
        for row in rows
        if (row.form.title.data or "").strip()
    ]


def _presenter_choices(form: NewMeetingForm, community: Community) -> None:
    choices = member_choices(queries.active_members(community), _("No presenter"))
    for row in form.agenda:
        row.form.presenter_id.choices = choices


# --- community calendar -----------------------------------------------------------


def _month_shown(raw: str, today: date) -> date:
    """The first day of ``?month=YYYY-MM`` (this month when missing or out of range)."""
    try:
        first = datetime.strptime(raw, "%Y-%m").date() if raw else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    if not limits.YEAR_MIN <= first.year <= limits.YEAR_MAX:
        first = today.replace(day=1)
    return first


def _month_context(community: Community, first: date, tz: ZoneInfo) -> dict[str, Any]:
    """The month grid of the calendar page: weeks, meetings by local day, the neighbours."""
    last_day = pycalendar.monthrange(first.year, first.month)[1]
    start = datetime.combine(first, time(), tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=last_day), time(), tz).astimezone(UTC)
    meetings = queries.in_range([community.id], start, end)
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.astimezone(tz).date(), []).append(meeting)
    return {
        "month": first,
        "weeks": pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month),
        "by_day": by_day,
        "meetings": meetings,
        "prev_month": (first - timedelta(days=1)).replace(day=1),
        "next_month": first + timedelta(days=last_day),
    }


@bp.get("/c/<slug>/meetings")
def calendar(slug: str) -> ResponseReturnValue:
    """The community's calendar: a month grid on wide screens, a list on phones."""
    viewer = web.viewer()
    community = community_services.visible_community(viewer, slug, "community.view_content")
    tz = ZoneInfo(viewer.timezone if viewer else "Asia/Jakarta")
    today = utcnow().astimezone(tz).date()
    first = _month_shown(request.args.get("month", ""), today)
    upcoming = queries.upcoming(community, cursor=None, limit=parse_limit(10), now=utcnow())
    return render_template(
        "meetings/calendar.html",
        community=community,
        today=today,
        upcoming=upcoming.items,
        manages=permissions.can(viewer, "community.manage", community),
        kind_labels=KIND_LABELS,
        **_month_context(community, first, tz),
    )


def _try_schedule(form: NewMeetingForm, user: User, community: Community) -> Meeting | None:
    """Schedule what the form holds: the first meeting, or None with the errors on the form."""
    try:
        first, all_meetings = services.schedule(
            user,
            community,
            _meeting_data(form),
            _repeat_rule(form, form.date.data or date.today()),
            allow_clash=bool(form.allow_clash.data),
        )
    except (ValidationError, Conflict) as error:
        web.show_errors(form, error)
        form.clash = error.code == "clash"
        if "recurrence" in error.fields:
            form.repeat.errors = [*form.repeat.errors, error.fields["recurrence"]]
        return None
    if first.recorded:
        flash(_("Meeting recorded. Now take the roll."), "success")
        return first
    if len(all_meetings) > 1:
        flash(_("%(n)d meetings scheduled.", n=len(all_meetings)), "success")
    else:
        flash(_("Meeting scheduled."), "success")
    return first


@bp.route("/c/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> ResponseReturnValue:
    """Schedule a meeting or a series (coordinators)."""
    community = community_services.visible_community(web.viewer(), slug, "community.view_content")
    user = web.current()
    permissions.authorize(user, "community.manage", community)
    form = NewMeetingForm()
    _presenter_choices(form, community)
    if request.method == "GET":
        form.timezone.data = user.timezone or "Asia/Jakarta"
        form.start_time.data = time(8, 0)
        form.end_time.data = time(12, 0)
    if form.validate_on_submit():
        first = _try_schedule(form, user, community)
        if first is not None and first.recorded:
            return redirect(url_for(".attendance", meeting_id=first.id))
        if first is not None:
            return redirect(url_for(".show", meeting_id=first.id))
    status = (409 if form.clash else 400) if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, community=community), status


def _try_update(form: EditMeetingForm, meeting: Meeting) -> bool:
    """Apply the edit form; False with the errors on the form."""
    data = _meeting_data(form)
    changes = {
        name: getattr(data, name)
        for name in (*services.UPDATABLE, "starts_at", "ends_at", "timezone")
    }
    try:
        services.update(web.current(), meeting, changes, scope=form.scope.data or "one")
    except ValidationError as error:
        web.show_errors(form, error)
        return False
    return True


@bp.route("/meetings/<id:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int) -> ResponseReturnValue:
    """Edit a meeting, or it and the rest of its series (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = EditMeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        zone = ZoneInfo(meeting.timezone)
        form.date.data = meeting.starts_at.astimezone(zone).date()
        form.start_time.data = meeting.starts_at.astimezone(zone).time()
        form.end_time.data = meeting.ends_at.astimezone(zone).time()
    if form.validate_on_submit() and _try_update(form, meeting):
        flash(_("Meeting updated. Members who answered were told."), "success")
        return redirect(url_for(".show", meeting_id=meeting.id))
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "meetings/form.html", form=form, community=meeting.community, meeting=meeting
    )
    return page, status


@bp.post("/meetings/<id:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int) -> ResponseReturnValue:
    """Cancel with a reason; members who answered are told."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for the cancellation."), "error")
        return redirect(url_for(".show", meeting_id=meeting.id)), 303
    services.update(
        web.current(),
        meeting,
        {"status": "cancelled", "cancel_reason": form.reason.data},
        scope=form.scope.data or "one",
    )
    flash(_("Meeting cancelled. Members were told."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id))
