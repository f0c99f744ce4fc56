"""The coordinator dashboard: charts drawn on the server as SVG, each chart's figures
as CSV, members gone quiet and pending join requests."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.core import exports, web
from cop.core.timezones import when
from cop.core.types import utcnow
from cop.insights import queries

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


def _figures(slug: str) -> tuple[Any, queries.Figures]:
    community = community_services.visible_community(web.viewer(), slug, "community.manage")
    zone = ZoneInfo(web.current().timezone or "Asia/Jakarta")
    return community, queries.figures(community, utcnow(), zone)


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
