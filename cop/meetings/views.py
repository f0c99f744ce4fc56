"""Meeting pages: calendar, schedule, meeting page, RSVP, check-in (code and QR),
attendance (+CSV), agenda, minutes with autosave, certificates, participation
and the personal calendar feed."""

from __future__ import annotations

import calendar as pycalendar
import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import CopError, NotFound, ValidationError
from cop.core.pagination import parse_limit
from cop.core.timezones import zone_abbreviation
from cop.core.types import utcnow
from cop.meetings import ics, queries, services
from cop.meetings.forms import (
    KIND_LABELS,
    MODE_LABELS,
    AgendaItemForm,
    CancelForm,
    CheckinForm,
    EditMeetingForm,
    MarkForm,
    MeetingForm,
    MinutesForm,
)
from cop.meetings.models import Meeting

bp = Blueprint("meetings", __name__)

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --- helpers -----------------------------------------------------------------------


def _zone_now(zone: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(zone))


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
    zone = form.timezone.data or ""
    starts = ends = None
    if (
        form.date.data
        and form.start_time.data
        and form.end_time.data
        and zone
        in (
            "Asia/Jakarta",
            "Asia/Makassar",
            "Asia/Jayapura",
        )
    ):
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
    )


def _member_choices(meeting: Meeting, blank: Any) -> list[tuple[str, str]]:
    return [("", str(blank))] + [(str(u.id), u.name) for u in queries.members_for_marking(meeting)]


# --- community calendar -----------------------------------------------------------


@bp.get("/c/<slug>/meetings")
def calendar(slug: str) -> ResponseReturnValue:
    """The community's calendar: a month grid on wide screens, a list on phones."""
    viewer = web.viewer()
    community = community_services.visible_community(viewer, slug, "community.view_content")
    zone = viewer.timezone if viewer else "Asia/Jakarta"
    tz = ZoneInfo(zone)
    today = _zone_now(zone).date()
    raw = request.args.get("month", "")
    try:
        first = datetime.strptime(raw, "%Y-%m").date() if raw else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2100:
        first = today.replace(day=1)
    last_day = pycalendar.monthrange(first.year, first.month)[1]
    start = datetime.combine(first, time(), tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=last_day), time(), tz).astimezone(UTC)
    meetings = queries.in_range([community.id], start, end)
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.astimezone(tz).date(), []).append(meeting)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = first + timedelta(days=last_day)
    upcoming = queries.upcoming(community, cursor=None, limit=parse_limit(10), now=utcnow())
    return render_template(
        "meetings/calendar.html",
        community=community,
        month=first,
        weeks=weeks,
        by_day=by_day,
        meetings=meetings,
        today=today,
        prev_month=prev_month,
        next_month=next_month,
        upcoming=upcoming.items,
        manages=permissions.can(viewer, "community.manage", community),
        kind_labels=KIND_LABELS,
    )


@bp.route("/c/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> ResponseReturnValue:
    """Schedule a meeting or a series (coordinators)."""
    community = community_services.visible_community(web.viewer(), slug, "community.view_content")
    user = web.current()
    permissions.authorize(user, "community.manage", community)
    form = MeetingForm()
    if request.method == "GET":
        form.timezone.data = user.timezone or "Asia/Jakarta"
        form.start_time.data = time(8, 0)
        form.end_time.data = time(12, 0)
    status = 200
    if form.validate_on_submit():
        data = _meeting_data(form)
        try:
            start_local = form.date.data or date.today()
            first, all_meetings = services.schedule(
                user, community, data, _repeat_rule(form, start_local)
            )
        except ValidationError as error:
            web.show_errors(form, error)
            if "recurrence" in error.fields:
                form.repeat.errors = [*form.repeat.errors, error.fields["recurrence"]]
            status = 400
        else:
            if len(all_meetings) > 1:
                flash(_("%(n)d meetings scheduled.", n=len(all_meetings)), "success")
            else:
                flash(_("Meeting scheduled."), "success")
            return redirect(url_for(".show", meeting_id=first.id))
    elif request.method == "POST":
        status = 400
    return render_template("meetings/form.html", form=form, community=community), status


# --- the meeting page ------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int) -> ResponseReturnValue:
    """Details, agenda with planned times, RSVP, check-in, minutes once published."""
    viewer = web.viewer()
    meeting = services.visible_meeting(viewer, meeting_id)
    manages = permissions.can(viewer, "meeting.manage", meeting)
    participates = permissions.can(viewer, "meeting.rsvp", meeting)
    tz_start = meeting.starts_at
    planned = []
    for item in meeting.agenda:
        planned.append((item, tz_start))
        tz_start = tz_start + timedelta(minutes=item.duration_min or 0)
    minutes = services.minutes_of(meeting)
    attendance = services._attendance(meeting, viewer.id) if viewer else None
    agenda_form = AgendaItemForm() if manages else None
    if agenda_form is not None:
        agenda_form.presenter_id.choices = _member_choices(meeting, _("No presenter"))
    opens, closes = services.checkin_window(meeting)
    now = utcnow()
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        community=meeting.community,
        planned=planned,
        counts=queries.rsvp_counts([meeting.id])[meeting.id],
        going=queries.going(meeting),
        my_rsvp=services.my_rsvp(viewer, meeting),
        attendance=attendance,
        manages=manages,
        participates=participates,
        minutes=minutes,
        sees_minutes=bool(minutes and (minutes.published or manages)),
        action_items=queries.action_items_of(meeting),
        carried=queries.carried_action_items(meeting),
        agenda_form=agenda_form,
        checkin_form=CheckinForm(),
        cancel_form=CancelForm() if manages else None,
        checkin_open=opens <= now <= closes,
        is_over=meeting.ends_at < now,
        kind_labels=KIND_LABELS,
        mode_labels=MODE_LABELS,
        zone_name=zone_abbreviation(meeting.timezone),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int) -> ResponseReturnValue:
    """Edit a meeting, or it and the rest of its series (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = EditMeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
        form.date.data = local.date()
        form.start_time.data = local.time()
        form.end_time.data = meeting.ends_at.astimezone(ZoneInfo(meeting.timezone)).time()
    status = 200
    if form.validate_on_submit():
        data = _meeting_data(form)
        changes = {
            name: getattr(data, name)
            for name in (*services.UPDATABLE, "starts_at", "ends_at", "timezone")
        }
        try:
            services.update(web.current(), meeting, changes, scope=form.scope.data or "one")
        except ValidationError as error:
            web.show_errors(form, error)
            status = 400
        else:
            flash(_("Meeting updated. Members who answered were told."), "success")
            return redirect(url_for(".show", meeting_id=meeting.id))
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "meetings/form.html", form=form, community=meeting.community, meeting=meeting
        ),
        status,
    )


@bp.post("/meetings/<int:meeting_id>/cancel")
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


@bp.post("/meetings/<int:meeting_id>/rsvp")
@login_required
def rsvp(meeting_id: int) -> ResponseReturnValue:
    """Answer yes / no / maybe."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.rsvp")
    status = request.form.get("status", "")
    try:
        row = services.rsvp(web.current(), meeting, status)
    except CopError as error:
        flash(str(error.fields.get("status") or error.message), "error")
        return redirect(url_for(".show", meeting_id=meeting.id)), 303
    if row.waitlisted:
        flash(_("The meeting is full: you are on the waitlist."), "warning")
    else:
        flash(_("Your answer is saved."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/checkin", methods=["GET", "POST"])
@login_required
def checkin(meeting_id: int) -> ResponseReturnValue:
    """Check in with the code (the QR code opens this page with it filled in)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.rsvp")
    form = CheckinForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[:12]
        return render_template("meetings/checkin.html", meeting=meeting, form=form)
    if not form.validate_on_submit():
        return render_template("meetings/checkin.html", meeting=meeting, form=form), 400
    try:
        _row, created = services.check_in(web.current(), meeting, form.code.data or "")
    except CopError as error:
        web.show_errors(form, error)
        if error.code == "checkin_closed":
            form.code.errors = [error.message]
        return render_template("meetings/checkin.html", meeting=meeting, form=form), error.status
    if created:
        flash(_("You are checked in. Welcome!"), "success")
    else:
        flash(_("You were already checked in."), "info")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>/qr.svg")
@login_required
def qr(meeting_id: int) -> ResponseReturnValue:
    """An SVG QR code of the check-in URL (coordinators show it in the hall)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    target = url_for(".checkin", meeting_id=meeting.id, code=meeting.checkin_code, _external=True)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- attendance -----------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int) -> ResponseReturnValue:
    """Who answered vs who came; coordinators mark people present or excused."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = MarkForm()
    form.user_id.choices = _member_choices(meeting, _("Choose a member"))
    status = 200
    if request.method == "POST":
        raw = request.form.get("user_id", "")
        if form.validate_on_submit() and raw.isdigit() and len(raw) < 19:
            try:
                _row, created = services.mark(
                    web.current(), meeting, int(raw), excused=bool(form.excused.data)
                )
            except CopError as error:
                web.show_errors(form, error)
                status = error.status
            else:
                if form.excused.data:
                    flash(_("Marked as excused."), "success")
                elif created:
                    flash(_("Marked present."), "success")
                else:
                    flash(_("Already recorded as present."), "info")
                return redirect(url_for(".attendance", meeting_id=meeting.id))
        else:
            form.user_id.errors = [_("Choose a member.")]
            status = 400
    return (
        render_template(
            "meetings/attendance.html",
            meeting=meeting,
            rows=queries.attendance(meeting),
            form=form,
        ),
        status,
    )


@bp.get("/meetings/<int:meeting_id>/attendance.csv")
@login_required
def attendance_csv(meeting_id: int) -> ResponseReturnValue:
    """The attendance list as CSV (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["user_id", "name", "school", "rsvp", "attended", "excused", "checked_in_at", "method"]
    )
    for row in queries.attendance(meeting):
        a = row.attendance
        writer.writerow(
            [
                row.user.id,
                _csv_safe(row.user.name),
                _csv_safe(row.user.school),
                row.rsvp or "",
                "yes" if row.attended else "no",
                "yes" if row.excused else "no",
                a.checked_in_at.isoformat() if a and a.checked_in_at else "",
                a.method if a else "",
            ]
        )
    filename = f"kehadiran-{meeting.id}-{meeting.starts_at.date().isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_safe(value: str) -> str:
    """Keep spreadsheet apps from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- agenda ---------------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/agenda")
@login_required
def add_agenda(meeting_id: int) -> ResponseReturnValue:
    """Add an agenda item (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    form = AgendaItemForm()
    raw = request.form.get("presenter_id", "")
    if not form.validate_on_submit() or (raw and not (raw.isdigit() and len(raw) < 19)):
        flash(_("Give the agenda item a title (at most 200 characters)."), "error")
        return redirect(url_for(".show", meeting_id=meeting.id) + "#agenda"), 303
    try:
        services.add_agenda_item(
            web.current(),
            meeting,
            services.AgendaData(
                title=form.title.data or "",
                presenter_id=int(raw) if raw else None,
                duration_min=form.duration_min.data or 0,
                notes=form.notes.data or "",
            ),
        )
    except ValidationError as error:
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
        return redirect(url_for(".show", meeting_id=meeting.id) + "#agenda"), 303
    flash(_("Agenda item added."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id) + "#agenda")


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
@login_required
def move_agenda(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Move an agenda item up or down."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    services.move_agenda_item(web.current(), meeting, item_id, request.form.get("direction", ""))
    return redirect(url_for(".show", meeting_id=meeting.id) + "#agenda")


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete")
@login_required
def delete_agenda(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Remove an agenda item."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    services.delete_agenda_item(web.current(), meeting, item_id)
    flash(_("Agenda item removed."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id) + "#agenda")


# --- minutes ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int) -> ResponseReturnValue:
    """Write the minutes (autosaved), add action items, publish (coordinators)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    current = services.minutes_of(meeting)
    form = MinutesForm()
    form.action_assignee.choices = _member_choices(meeting, _("Nobody in particular"))
    if request.method == "GET":
        form.body.data = current.body if current else ""
    status = 200
    if request.method == "POST":
        raw = request.form.get("action_assignee", "")
        if form.validate_on_submit() and (not raw or (raw.isdigit() and len(raw) < 19)):
            items = []
            if (form.action_title.data or "").strip():
                items.append(
                    services.ActionItemData(
                        title=form.action_title.data or "",
                        assignee_id=int(raw) if raw else None,
                        due_on=form.action_due.data,
                    )
                )
            try:
                services.save_minutes(
                    web.current(),
                    meeting,
                    form.body.data or "",
                    action_items=items,
                    publish=bool(form.publish.data),
                )
            except ValidationError as error:
                web.show_errors(form, error)
                status = 400
            else:
                flash(
                    _("Minutes published.") if form.publish.data else _("Minutes saved."),
                    "success",
                )
                return redirect(url_for(".minutes", meeting_id=meeting.id))
        else:
            status = 400
    revisions = []
    if current is not None:
        from sqlalchemy import select

        from cop.extensions import db
        from cop.meetings.models import MinutesRevision

        revisions = list(
            db.session.scalars(
                select(MinutesRevision)
                .where(MinutesRevision.minutes_id == current.id)
                .order_by(MinutesRevision.id.desc())
                .limit(20)
            )
        )
    return (
        render_template(
            "meetings/minutes.html",
            meeting=meeting,
            form=form,
            current=current,
            revisions=revisions,
            action_items=queries.action_items_of(meeting),
        ),
        status,
    )


@bp.post("/meetings/<int:meeting_id>/minutes/autosave")
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


@bp.post("/action-items/<int:action_item_id>")
@login_required
def action_item(action_item_id: int) -> ResponseReturnValue:
    """Tick an action item done (or reopen it): its assignee or a coordinator."""
    try:
        item = services.set_action_item_done(
            web.current(), action_item_id, request.form.get("done") == "1"
        )
    except NotFound as exc:
        raise NotFound(_l("That action item does not exist.")) from exc
    back = request.form.get("next", "")
    if back == "dashboard":
        return redirect(url_for("dashboard.index"))
    return redirect(url_for(".show", meeting_id=item.meeting_id))


# --- proof of participation ---------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>/certificate")
@login_required
def certificate(meeting_id: int) -> ResponseReturnValue:
    """A printable certificate of attendance for the logged-in teacher."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    user = web.current()
    record = services._attendance(meeting, user.id)
    if record is None or not record.attended or meeting.is_cancelled:
        raise NotFound(_l("You have no attendance recorded for this meeting."))
    presented = [item.title for item in meeting.agenda if item.presenter_id == user.id]
    return render_template(
        "meetings/certificate.html",
        meeting=meeting,
        user=user,
        record=record,
        presented=presented,
        coordinators=queries.coordinators(meeting.community),
        kind_labels=KIND_LABELS,
    )


@bp.get("/me/participation")
@login_required
def participation() -> ResponseReturnValue:
    """The teacher's attended meetings and hours, by year, with the calendar feed link."""
    user = web.current()
    rows = queries.participation(user)
    years: dict[int, int] = {}
    for row in rows:
        year = row.meeting.starts_at.astimezone(ZoneInfo(user.timezone)).year
        years[year] = years.get(year, 0) + row.hours
    token = services.feed_token(user)
    return render_template(
        "meetings/participation.html",
        rows=rows,
        years=years,
        total=sum(years.values()),
        feed_url=url_for(".user_feed", feed_token=token, _external=True),
        action_items=queries.open_action_items_for(user),
    )


@bp.get("/me/participation/<int(min=2000,max=2100):year>/certificate")
@login_required
def yearly_certificate(year: int) -> ResponseReturnValue:
    """A one-page yearly summary of attended meetings and PKB hours."""
    user = web.current()
    rows = list(reversed(queries.participation(user, year)))
    return render_template(
        "meetings/yearly.html",
        user=user,
        year=year,
        rows=rows,
        total=sum(row.hours for row in rows),
    )


@bp.post("/me/calendar-token")
@login_required
def rotate_feed_token() -> ResponseReturnValue:
    """Make a new secret feed URL (the old one stops working)."""
    services.feed_token(web.current(), rotate=True)
    flash(_("Your calendar link was replaced. Add the new one to your calendar app."), "success")
    return redirect(url_for(".participation"))


@bp.get("/calendar/<feed_token>.ics")
def user_feed(feed_token: str) -> ResponseReturnValue:
    """A personal feed of all the user's communities' meetings, behind a secret URL."""
    user = services.user_for_feed_token(feed_token)
    meetings = queries.feed_meetings(queries.active_community_ids(user), utcnow())
    return ics_response(meetings, user.name, f"cop-{user.username}.ics")


def ics_response(meetings: list[Meeting], name: str, filename: str) -> Response:
    """An .ics download of ``meetings``."""
    body = ics.calendar(
        meetings, name, lambda m: url_for("meetings.show", meeting_id=m.id, _external=True)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.record_once
def _start_scheduler(state: Any) -> None:
    """Start the in-process reminder thread when configured (the embedded default)."""
    from cop.meetings.scheduler import maybe_start

    maybe_start(state.app)


from cop.meetings import commands  # noqa: E402,F401  (registers ``cop send-reminders``)


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    """``my_action_items()`` and ``next_meetings(community)`` for the dashboard and home page."""

    def my_action_items() -> list[Any]:
        user = web.viewer()
        return queries.open_action_items_for(user) if user else []

    def next_meetings(community: Community, limit: int = 3) -> list[Meeting]:
        if not permissions.can(web.viewer(), "community.view_content", community):
            return []
        return queries.upcoming(community, cursor=None, limit=limit, now=utcnow()).items

    return {"my_action_items": my_action_items, "next_meetings": next_meetings}


@bp.post("/meetings/<int:meeting_id>/discussion")
@login_required
def discussion(meeting_id: int) -> ResponseReturnValue:
    """Open the meeting's discussion topic, starting it on first use."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    try:
        topic = services.discussion_topic(web.current(), meeting)
    except CopError as error:
        if error.status in (401, 403, 404):
            raise
        flash(str(error.message), "error")
        return redirect(url_for(".show", meeting_id=meeting.id))
    return redirect(url_for("discussions.topic", topic_id=topic.id))


@bp.post("/meetings/<int:meeting_id>/chat")
@login_required
def chat(meeting_id: int) -> ResponseReturnValue:
    """Open the meeting's chat channel, creating it on first use."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    try:
        channel = services.chat_channel(web.current(), meeting)
    except CopError as error:
        if error.status in (401, 403, 404):
            raise
        flash(str(error.message), "error")
        return redirect(url_for(".show", meeting_id=meeting.id))
    return redirect(url_for("chat.channel", channel_id=channel.id))
