"""The meeting pages: schedule, agenda, RSVP, check-in, attendance, minutes, certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from tests.conftest import csrf_token
from tests.meetings import make_meeting


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    return {"coordinator": coordinator, "community": community, "member": member}


def test_schedule_a_monthly_series_with_the_form(app, client, auth, world):
    auth.login(world["coordinator"].email)
    day = (utcnow() + timedelta(days=60)).date().replace(day=10)
    response = client.post(
        f"/c/{world['community'].slug}/meetings/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "KKG Gugus 3",
            "kind": "routine",
            "date": day.isoformat(),
            "start_time": "08:00",
            "end_time": "12:00",
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD Inpres Tamalate",
            "pkb_hours": "4",
            "repeat": "monthly_nth",
            "count": "6",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        meetings = db.session.query(Meeting).order_by(Meeting.starts_at).all()
        assert len(meetings) == 6
        assert len({m.series_id for m in meetings}) == 1
        assert all(m.starts_at.hour == 0 for m in meetings)  # 08:00 WITA


def test_the_form_refuses_an_end_before_the_start(app, client, auth, world):
    auth.login(world["coordinator"].email)
    day = (utcnow() + timedelta(days=5)).date()
    response = client.post(
        f"/c/{world['community'].slug}/meetings/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "KKG Gugus 3",
            "kind": "routine",
            "date": day.isoformat(),
            "start_time": "12:00",
            "end_time": "08:00",
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD",
        },
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Meeting).count() == 0


def test_agenda_items_get_planned_times_and_can_be_reordered(app, client, auth, world):
    meeting = make_meeting(app, world["community"], world["coordinator"], agenda=["Pembukaan"])
    auth.login(world["coordinator"].email)
    token = csrf_token(client)
    client.post(
        f"/meetings/{meeting.id}/agenda",
        data={
            "csrf_token": token,
            "title": "Praktik baik",
            "presenter_id": str(world["member"].id),
            "duration_min": "45",
        },
    )
    with app.app_context():
        items = db.session.query(AgendaItem).order_by(AgendaItem.position).all()
        assert [i.title for i in items] == ["Pembukaan", "Praktik baik"]
        second = items[1].id
    client.post(
        f"/meetings/{meeting.id}/agenda/{second}/move",
        data={"csrf_token": token, "direction": "up"},
    )
    with app.app_context():
        items = db.session.query(AgendaItem).order_by(AgendaItem.position).all()
        assert [i.title for i in items] == ["Praktik baik", "Pembukaan"]
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Presenter: Pak Anggota" in html


def test_members_cannot_add_agenda_items(app, client, auth, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    auth.login(world["member"].email)
    response = client.post(
        f"/meetings/{meeting.id}/agenda", data={"csrf_token": csrf_token(client), "title": "X"}
    )
    assert response.status_code == 403


def test_member_checks_in_with_the_code_form(app, client, auth, world):
    meeting = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-15)
    )
    auth.login(world["member"].email)
    token = csrf_token(client)
    wrong = client.post(
        f"/meetings/{meeting.id}/checkin", data={"csrf_token": token, "code": "XXXX"}
    )
    assert wrong.status_code == 400
    assert "That check-in code is not right." in wrong.get_data(as_text=True)
    ok = client.post(
        f"/meetings/{meeting.id}/checkin",
        data={"csrf_token": token, "code": "kode42"},
        follow_redirects=True,
    )
    assert "You are checked in." in ok.get_data(as_text=True)
    again = client.post(
        f"/meetings/{meeting.id}/checkin",
        data={"csrf_token": token, "code": "KODE42"},
        follow_redirects=True,
    )
    assert "You were already checked in." in again.get_data(as_text=True)


def test_qr_code_encodes_the_checkin_url(app, client, auth, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    auth.login(world["coordinator"].email)
    response = client.get(f"/meetings/{meeting.id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")


def test_coordinator_marks_present_and_exports_csv(app, client, auth, world):
    meeting = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-30)
    )
    auth.login(world["coordinator"].email)
    client.post(
        f"/meetings/{meeting.id}/attendance",
        data={"csrf_token": csrf_token(client), "user_id": str(world["member"].id)},
    )
    with app.app_context():
        row = db.session.query(Attendance).one()
        assert (row.user_id, row.method) == (world["member"].id, "coordinator")
    csv_response = client.get(f"/meetings/{meeting.id}/attendance.csv")
    text = csv_response.get_data(as_text=True)
    assert csv_response.mimetype == "text/csv"
    assert "Pak Anggota" in text and ",Present," in text


def test_minutes_autosave_keeps_the_text(app, client, auth, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    auth.login(world["coordinator"].email)
    token = csrf_token(client)
    response = client.post(
        f"/meetings/{meeting.id}/minutes/autosave",
        data={"csrf_token": token, "body": "Kesepakatan: modul ajar dibagikan"},
    )
    assert response.status_code == 200 and response.get_json()["ok"] is True
    html = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "Kesepakatan: modul ajar dibagikan" in html
    with app.app_context():
        minutes = db.session.query(Minutes).one()
        assert minutes.published is False


def test_published_minutes_and_action_item_reach_the_assignee(app, client, auth, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    auth.login(world["coordinator"].email)
    client.post(
        f"/meetings/{meeting.id}/minutes",
        data={
            "csrf_token": csrf_token(client),
            "body": "## Hasil\n\nModul ajar dibahas.",
            "action_title": "Unggah modul ajar pecahan",
            "action_assignee": str(world["member"].id),
            "publish": "y",
        },
    )
    auth.logout()
    auth.login(world["member"].email)
    assert "Unggah modul ajar pecahan" in client.get("/").get_data(as_text=True)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Modul ajar dibahas." in page
    later = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(days=30)
    )
    assert "Unggah modul ajar pecahan" in client.get(f"/meetings/{later.id}").get_data(as_text=True)


def test_certificate_names_hours_and_needs_attendance(client, auth, world, factory):
    meeting = factory.meeting(
        world["community"],
        world["coordinator"],
        agenda=["Lesson study"],
        starts_in=timedelta(days=-2),
    )
    auth.login(world["member"].email)
    assert client.get(f"/meetings/{meeting.id}/certificate").status_code == 404
    factory.attendance(meeting, world["member"])
    html = client.get(f"/meetings/{meeting.id}/certificate").get_data(as_text=True)
    assert 'class="certificate"' in html
    assert "4 PKB hours" in html and "Ibu Ketua" in html and "Lesson study" in html
    assert "/certificates/0001/" in html  # the QR/verify link names this certificate
    yearly = client.get(f"/me/participation/{meeting.starts_at.year}/certificate")
    assert yearly.mimetype == "application/pdf"  # tests/meetings/test_yearly.py reads it


def test_calendar_page_query_count_does_not_grow(app, client, auth, world, count_queries):
    auth.login(world["member"].email)
    path = f"/c/{world['community'].slug}/meetings"
    client.get(path)

    def count(n):
        for i in range(n):
            make_meeting(
                app, world["community"], world["coordinator"], starts_in=timedelta(hours=i + 1)
            )
        with count_queries() as q:
            assert client.get(path).status_code == 200
        return q.count

    assert count(5) == count(20)
