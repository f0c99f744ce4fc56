"""A teacher's proof of participation: attended meetings and hours, the yearly summary,
and the personal calendar feed behind a secret URL."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import web
from cop.core.types import utcnow
from cop.core.urls import external_url
from cop.meetings import documents, limits, queries, services
from cop.meetings.ics import ics_response
from cop.meetings.views import bp


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
        feed_url=external_url("meetings.user_feed", feed_token=token),
        action_items=queries.open_action_items_for(user),
    )


@bp.get(f"/me/participation/<int(min={limits.YEAR_MIN},max={limits.YEAR_MAX}):year>/certificate")
@login_required
def yearly_certificate(year: int) -> ResponseReturnValue:
    """The yearly summary of attended meetings, PKB hours and communities as a PDF."""
    user = web.current()
    rows = list(reversed(queries.participation(user, year)))
    response = Response(documents.yearly_pdf(user, year, rows), mimetype="application/pdf")
    filename = f"partisipasi-{year}-{user.username}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
