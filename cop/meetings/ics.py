"""iCalendar (RFC 5545) output with the icalendar package.

DTSTART/DTEND carry the planning zone (TZID=Asia/Makassar ...) and the
calendar holds the matching VTIMEZONE, so calendar apps show the right local
time anywhere; cancelled meetings say STATUS:CANCELLED and every change bumps
SEQUENCE so clients replace the old copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask import Response
from icalendar import Calendar, Event, vText

from cop.core.inputs import is_web_url
from cop.core.types import utcnow
from cop.core.urls import external_url
from cop.meetings.models import Meeting


def uid(meeting: Meeting) -> str:
    """A stable UID per meeting."""
    return f"meeting-{meeting.id}@cop.local"


def calendar(meetings: Iterable[Meeting], name: str, url_for_meeting: object) -> bytes:
    """A VCALENDAR with one VEVENT per meeting; ``url_for_meeting(m)`` gives its page URL."""
    cal = Calendar()
    cal.add("prodid", "-//cop//meetings//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Every text property goes through vText, which escapes newlines, commas and
    # semicolons: icalendar writes an X- property it has no type for raw, so a
    # newline in a community's name would end the line and start another.
    cal.add("x-wr-calname", vText(name))
    stamp = utcnow()
    for meeting in meetings:
        tz = ZoneInfo(meeting.timezone)
        event = Event()
        event.add("uid", uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        event.add("dtend", meeting.ends_at.astimezone(tz))
        event.add("summary", vText(meeting.title))
        description = meeting.description
        if meeting.agenda:
            lines = [f"- {item.title}" for item in meeting.agenda]
            description = "\n".join([description, "", *lines]).strip()
        if meeting.online_url:
            description = f"{description}\n\n{meeting.online_url}".strip()
        if description:
            event.add("description", vText(description))
        if meeting.location:
            event.add("location", vText(meeting.location))
        page = url_for_meeting(meeting)  # type: ignore[operator]
        # a link stored before links were checked for newlines must not break the feed
        event.add("url", meeting.online_url if is_web_url(meeting.online_url) else page)
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        event.add("sequence", meeting.sequence)
        event.add("last-modified", meeting.updated_at)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def ics_response(meetings: list[Meeting], name: str, filename: str) -> Response:
    """An .ics download of ``meetings`` (for pages and the API alike)."""
    body = calendar(meetings, name, lambda m: external_url("meetings.show", meeting_id=m.id))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
