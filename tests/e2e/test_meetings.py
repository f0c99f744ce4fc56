"""A KKG meeting end to end in the browser, in Indonesian: schedule the series,
write the agenda, RSVP, check in with the code, mark someone present, publish
the minutes with an action item, and the teacher's certificate with hours."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import ActionItem, Attendance, Meeting, Minutes
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def second_saturday_after(today: date) -> date:
    """The 2nd Saturday of the month after next (always in the future)."""
    year, month = today.year, today.month + 2
    if month > 12:
        year, month = year + 1, month - 12
    first = date(year, month, 1)
    offset = (calendar.SATURDAY - first.weekday()) % 7
    return first + timedelta(days=offset + 7)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"meetings-{name}.png"), full_page=True)


def test_kkg_meeting_from_schedule_to_certificate(live_server, page, new_page, factory):
    # live_server first: the browser pages close before the server and its database go.
    app = live_server.app
    ketua = factory.user(name="Pak Andi Saputra", email="andi@kkg3.id", timezone="Asia/Makassar")
    community = factory.community(ketua, name="KKG Gugus 3 Tamalate")
    sari = factory.user(name="Ibu Sari Wulandari", email="sari@kkg3.id", timezone="Asia/Makassar")
    ridwan = factory.user(name="Pak Ridwan", email="ridwan@kkg3.id")
    for teacher in (sari, ridwan):
        factory.member(community, teacher)

    # The coordinator schedules "every 2nd Saturday, 08:00 WITA, 6 times".
    log_in(page, live_server, ketua.email)
    page.goto(live_server(f"/c/{community.slug}/meetings/new"))
    page.fill("#title", "KKG Gugus 3 — pertemuan rutin")
    page.fill("#date", second_saturday_after(utcnow().date()).isoformat())
    page.fill("#start_time", "08:00")
    page.fill("#end_time", "12:00")
    page.select_option("#timezone", "Asia/Makassar")
    page.fill("#location", "SD Inpres Tamalate 1")
    page.fill("#pkb_hours", "4")
    page.select_option("#repeat", "monthly_nth")
    page.fill("#count", "6")
    shoot(page, "1-schedule")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/meetings/new" not in url)
    with app.app_context():
        meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        assert len(meetings) == 6
        assert all(m.starts_at.hour == 0 for m in meetings)  # 08:00 WITA
        meeting_id = meetings[0].id

    # Two agenda items with presenters.
    for title, presenter in (
        ("Praktik baik asesmen diagnostik", sari),
        ("Modul ajar IPAS", ridwan),
    ):
        page.click("#add-agenda summary")
        page.fill("#add-agenda #title", title)
        page.select_option("#add-agenda #presenter_id", str(presenter.id))
        page.fill("#add-agenda #duration_min", "60")
        page.click("#add-agenda button[type=submit]")
        page.wait_for_load_state()
    assert page.locator("#agenda ol li").count() == 2

    # The day arrives: the first meeting is under way.
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        now = utcnow().replace(microsecond=0)
        meeting.starts_at, meeting.ends_at = now - timedelta(minutes=10), now + timedelta(hours=3)
        db.session.commit()
        code = meeting.checkin_code

    # A member answers yes and checks in with the code.
    teacher = new_page("sari")
    log_in(teacher, live_server, sari.email)
    teacher.goto(live_server(f"/meetings/{meeting_id}"))
    teacher.click("#rsvp button[value=yes]")
    teacher.wait_for_load_state()
    teacher.fill("#code", code.lower())
    teacher.click("#checkin button[type=submit]")
    teacher.wait_for_load_state()
    assert teacher.locator("#checkin .badge.ok").count() == 1
    shoot(teacher, "2-checked-in")

    # The coordinator marks Pak Ridwan present (he never answered): one tap on the roll.
    page.goto(live_server(f"/meetings/{meeting_id}/attendance"))
    page.click(f"#member-{ridwan.id} button[value=present]")
    page.wait_for_function(
        "() => document.getElementById('roll-state').textContent === 'Tersimpan'"
    )
    shoot(page, "3-attendance")

    # Minutes with an action item, published.
    page.goto(live_server(f"/meetings/{meeting_id}/minutes"))
    page.fill("#body", "## Kesepakatan\n\n- Setiap guru mencoba asesmen diagnostik.")
    page.fill("#action_title", "Unggah contoh modul ajar IPAS")
    page.select_option("#action_assignee", str(sari.id))
    page.check("#publish")
    page.click("main form#minutes-form button[type=submit]")
    page.wait_for_load_state()
    with app.app_context():
        assert db.session.scalar(select(Minutes.published)) is True
        assert db.session.scalar(select(ActionItem.assignee_id)) == sari.id
        assert db.session.query(Attendance).count() == 2

    # The teacher sees the action item on her dashboard and, once the meeting is over,
    # opens her certificate (hours count from the end).
    teacher.goto(live_server("/"))
    assert "Unggah contoh modul ajar IPAS" in teacher.content()
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.ends_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    teacher.goto(live_server(f"/meetings/{meeting_id}/certificate"))
    certificate = teacher.locator(".certificate")
    assert "Ibu Sari Wulandari" in certificate.inner_text()
    assert "4" in teacher.locator(".certificate-hours").inner_text()
    assert "Praktik baik asesmen diagnostik" in certificate.inner_text()
    shoot(teacher, "4-certificate")
    teacher.goto(live_server("/me/participation"))
    assert "4" in teacher.locator(".lead").inner_text()
