"""Recurrence, time zones and the iCalendar feeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from cop.core.errors import ValidationError
from cop.meetings.recurrence import expand
from tests.api import API, auth_headers
from tests.conftest import Auth
from tests.meetings import make_meeting

WITA = ZoneInfo("Asia/Makassar")


def test_every_second_saturday_at_eight_wita_six_times():
    first = datetime(2027, 1, 1, 8, 0, tzinfo=WITA)
    starts = expand("FREQ=MONTHLY;BYDAY=2SA;COUNT=6", first, "Asia/Makassar")
    assert starts == [
        datetime(2027, 1, 9, 0, 0, tzinfo=UTC),
        datetime(2027, 2, 13, 0, 0, tzinfo=UTC),
        datetime(2027, 3, 13, 0, 0, tzinfo=UTC),
        datetime(2027, 4, 10, 0, 0, tzinfo=UTC),
        datetime(2027, 5, 8, 0, 0, tzinfo=UTC),
        datetime(2027, 6, 12, 0, 0, tzinfo=UTC),
    ]


def test_until_bounds_a_weekly_series():
    first = datetime(2027, 1, 4, 14, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    starts = expand("FREQ=WEEKLY;UNTIL=20270125", first, "Asia/Jayapura")
    assert [s.astimezone(ZoneInfo("Asia/Jayapura")).day for s in starts] == [4, 11, 18, 25]
    assert all(s.hour == 5 for s in starts)  # 14:00 WIT is 05:00 UTC


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=2SA",
        "FREQ=WEEKLY;COUNT=61",
        "FREQ=WEEKLY;UNTIL=20991231",
        "FREQ=YEARLY;COUNT=2",
        "FREQ=MONTHLY;BYDAY=XX;COUNT=2",
        "",
    ],
)
def test_bad_rules_are_refused(rule):
    with pytest.raises(ValidationError) as info:
        expand(rule, datetime(2027, 1, 1, 8, tzinfo=WITA), "Asia/Makassar")
    assert "recurrence" in info.value.fields


def test_meeting_ics_round_trips_start_and_zone(app, client, factory):
    coordinator = factory.user()
    community = factory.community(coordinator)
    meeting = make_meeting(app, community, coordinator)
    response = client.get(
        f"{API}/meetings/{meeting.id}/ics", headers=auth_headers(client, coordinator)
    )
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start.astimezone(UTC) == meeting.starts_at
    assert str(start.tzinfo) == "Asia/Makassar"
    assert event["dtstart"].params["TZID"] == "Asia/Makassar"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Makassar"]
    assert event["status"] == "CONFIRMED"
    assert int(event["sequence"]) == 0


def test_community_feed_marks_cancelled_meetings(app, client, factory):
    coordinator = factory.user()
    community = factory.community(coordinator)
    make_meeting(app, community, coordinator, status="cancelled", sequence=2)
    response = client.get(f"{API}/communities/{community.slug}/calendar.ics")
    event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert event["status"] == "CANCELLED"
    assert int(event["sequence"]) == 2


def test_personal_feed_needs_the_secret(app, client, factory, auth):
    coordinator = factory.user()
    community = factory.community(coordinator)
    make_meeting(app, community, coordinator, title="Lesson study IPA")
    auth.login(coordinator.email)
    page = client.get("/me/participation").get_data(as_text=True)
    url = page.split('readonly value="')[1].split('"')[0]
    path = url.split("localhost", 1)[1]
    Auth(client).logout()
    feed = client.get(path)
    assert feed.status_code == 200
    assert b"Lesson study IPA" in feed.data
    assert client.get("/calendar/salah.ics").status_code == 404


def test_a_wit_user_sees_a_wib_meeting_at_their_local_time(app, client, factory, auth):
    coordinator = factory.user(timezone="Asia/Jakarta")
    community = factory.community(coordinator)
    viewer = factory.user(timezone="Asia/Jayapura", locale="en")
    factory.member(community, viewer)
    start = datetime(2030, 3, 9, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # 08:00 WIB
    meeting = make_meeting(
        app,
        community,
        coordinator,
        timezone="Asia/Jakarta",
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(hours=2)).astimezone(UTC),
    )
    auth.login(viewer.email)
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    # 08:00 WIB is 10:00 WIT (Babel's English clock: "10:00 AM", a narrow space before AM)
    assert re.search(r"10:00[ \u202f]AM \u2013 12:00[ \u202f]PM WIT", html)
    assert re.search(r"8:00[ \u202f]AM WIB", html)  # and the planned time is shown too
