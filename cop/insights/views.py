"""The coordinator dashboard: charts drawn on the server as SVG, each chart's figures
as CSV, members gone quiet (with a reminder button) and pending join requests; the yearly
recap and the member list as CSV or XLSX."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.communities.forms import ROLE_LABELS
from cop.core import exports, web
from cop.core.timezones import when
from cop.core.types import utcnow
from cop.insights import queries, recap, services
from cop.meetings.limits import YEAR_MAX, YEAR_MIN

bp = Blueprint("insights", __name__)


def _month_label(month: date) -> str:
    return format_date(month, "MMM")


def _tables(figures: queries.Figures) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each chart's figures as a table (headers, rows): the CSV and the page's tables."""
    months = [when(m, "month") for m in figures.months]
    meetings = [
        (when(f.meeting.starts_at, "date", zone=f.meeting.timezone), f) for f in figures.meetings
    ]
    return {
        "active": (
            [_("Month"), _("Members active")],
            [[m, n] for m, n in zip(months, figures.active, strict=True)],
        ),
        "content": (
            [_("Month"), _("Posts"), _("Resources")],
            [[m, p, r] for m, p, r in zip(months, figures.posts, figures.resources, strict=True)],
        ),
        "attendance": (
            [_("Meeting"), _("Date"), _("Members"), _("Present"), _("Guests"), _("Rate (%)")],
            [[f.meeting.title, d, f.members, f.came, f.guests, f.rate] for d, f in meetings],
        ),
        "rsvp": (
            [_("Meeting"), _("Date"), _("Said yes"), _("Came")],
            [[f.meeting.title, d, f.said_yes, f.came] for d, f in meetings],
        ),
    }


def _zone() -> ZoneInfo:
    return ZoneInfo(web.current().timezone or "Asia/Jakarta")


def _managed(slug: str) -> Any:
    return community_services.visible_community(web.viewer(), slug, "community.manage")


def _figures(slug: str) -> tuple[Any, queries.Figures]:
    community = _managed(slug)
    return community, queries.figures(community, utcnow(), _zone())


@bp.get("/c/<slug>/dashboard")
@login_required
def dashboard(slug: str) -> ResponseReturnValue:
    """Participation at a glance for the community's coordinators."""
    community, figures = _figures(slug)
    return render_template(
        "insights/dashboard.html",
        community=community,
        figures=figures,
        months=[_month_label(m) for m in figures.months],
        meeting_labels=[
            format_date(f.meeting.starts_at.astimezone(ZoneInfo(f.meeting.timezone)), "d/M")
            for f in figures.meetings
        ],
        tables=_tables(figures),
        year=utcnow().astimezone(_zone()).year,
        reminded=services.last_reminded(community),
        remind_after=utcnow() - services.REMIND_EVERY,
    )


@bp.get("/c/<slug>/dashboard/<chart>.csv")
@login_required
def chart_csv(slug: str, chart: str) -> ResponseReturnValue:
    """One chart's figures as CSV (in the viewer's language)."""
    community, figures = _figures(slug)
    tables = _tables(figures)
    if chart not in tables:
        abort(404)
    headers, rows = tables[chart]
    name = f"{community.slug}-{chart}-{utcnow().date().isoformat()}"
    return exports.table_response("csv", name, chart, headers, rows)


def _recap_table(
    community: Any, year: int, table: str
) -> tuple[str, list[str], list[list[exports.Cell]]]:
    """The recap's ``members`` or ``sessions`` table: title, headers, rows."""
    zone, now = _zone(), utcnow()
    if table == "members":
        rows: list[list[exports.Cell]] = [
            [
                i,
                r.user.name,
                r.user.school,
                str(ROLE_LABELS.get(r.role, r.role)),
                r.meetings,
                r.hours,
            ]
            for i, r in enumerate(recap.members(community, year, zone, now), start=1)
        ]
        headers = [
            _("No."),
            _("Name"),
            _("School"),
            _("Role"),
            _("Meetings attended"),
            _("PKB hours"),
        ]
        return _("Members %(year)d", year=year), headers, rows
    target = recap.target()
    rows = [
        [when(m.month, "month"), m.sessions, m.present, m.guests, m.so_far, target]
        for m in recap.months(community, year, zone, now)
    ]
    headers = [
        _("Month"),
        _("Sessions held"),
        _("Members present"),
        _("Guests"),
        _("Sessions so far"),
        _("Expected in the year"),
    ]
    return _("Sessions %(year)d", year=year), headers, rows


@bp.get(
    f"/c/<slug>/dashboard/recap/<int(min={YEAR_MIN},max={YEAR_MAX}):year>/"
    "<any(members, sessions):table>.<any(csv, xlsx):kind>"
)
@login_required
def recap_export(slug: str, year: int, table: str, kind: str) -> ResponseReturnValue:
    """The yearly recap: per member (meetings attended, hours) or per month (sessions held
    against the 12 expected), in the viewer's language and zone."""
    community = _managed(slug)
    title, headers, rows = _recap_table(community, year, table)
    name = f"{community.slug}-rekap-{year}-{table}"
    return exports.table_response(kind, name, title, headers, rows)


@bp.get("/c/<slug>/dashboard/members.<any(csv, xlsx):kind>")
@login_required
def members_export(slug: str, kind: str) -> ResponseReturnValue:
    """The member list: name, school, role, status and when they joined (local time)."""
    community = _managed(slug)
    status = {"active": _("active"), "pending": _("waiting for approval")}
    rows: list[list[exports.Cell]] = [
        [
            i,
            user.name,
            user.school,
            str(ROLE_LABELS.get(membership.role, membership.role)),
            status.get(membership.status, membership.status),
            when(membership.joined_at or membership.created_at, "date"),
        ]
        for i, (user, membership) in enumerate(recap.member_list(community), start=1)
    ]
    headers = [_("No."), _("Name"), _("School"), _("Role"), _("Status"), _("Joined")]
    name = f"{community.slug}-anggota-{utcnow().date().isoformat()}"
    return exports.table_response(kind, name, _("Members"), headers, rows)


def _remind(slug: str, user_id: int | None) -> ResponseReturnValue:
    community = _managed(slug)
    reminded = services.remind_quiet(web.current(), community, user_id)
    if reminded:
        flash(
            ngettext(
                "Reminder sent to %(num)d member.",
                "Reminder sent to %(num)d members.",
                len(reminded),
            ),
            "success",
        )
    else:
        flash(_("Nobody was reminded: each member gets one reminder in 30 days."), "info")
    return redirect(url_for(".dashboard", slug=community.slug) + "#quiet-heading", 303)


@bp.post("/c/<slug>/dashboard/remind")
@login_required
def remind_all(slug: str) -> ResponseReturnValue:
    """Remind every member gone quiet (those not reminded in the last 30 days)."""
    return _remind(slug, None)


@bp.post("/c/<slug>/dashboard/remind/<id:user_id>")
@login_required
def remind(slug: str, user_id: int) -> ResponseReturnValue:
    """Remind one member gone quiet (at most once in 30 days)."""
    return _remind(slug, user_id)
