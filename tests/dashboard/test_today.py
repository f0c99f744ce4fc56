"""The "Hari ini" dashboard: today's and next meetings with RSVP and check-in, action
items, mentions, watched topics, new resources; a welcome for a new account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cop.extensions import db
from cop.meetings.models import RSVP, ActionItem, Attendance
from cop.notifications.models import Notification
from tests.conftest import csrf_token


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    teacher = factory.user(name="Bu Guru", timezone="Asia/Makassar", locale="id")
    factory.member(community, teacher)
    return {"coordinator": coordinator, "community": community, "teacher": teacher}


def test_a_new_account_is_welcomed_with_ways_to_join(client, auth, factory):
    user = factory.user(name="Pak Baru")
    auth.login(user.email)
    page = client.get("/").get_data(as_text=True)
    assert "Selamat datang di cop, Pak Baru" in page
    assert 'href="/communities' in page or "/c/" in page
    assert "API" not in page


def _zone_where_today_lasts(minutes: int) -> str:
    """WIB, WITA or WIT: one where ``minutes`` from now is still today (the three are an
    hour apart, so at most one is in the last minutes of its day at any moment)."""
    now = datetime.now(UTC)
    for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
        local = now.astimezone(ZoneInfo(zone))
        if (local + timedelta(minutes=minutes)).date() == local.date():
            return zone
    raise AssertionError("unreachable: three zones an hour apart")


def test_todays_meeting_with_open_checkin_offers_the_code_form(app, client, auth, factory, world):
    # "today" is the teacher's day: give her a zone where the meeting is still today
    with app.app_context():
        teacher = db.session.merge(world["teacher"])
        teacher.timezone = _zone_where_today_lasts(40)
        db.session.commit()
    today = factory.meeting(
        world["community"],
        world["coordinator"],
        title="Asesmen diagnostik",
        starts_in=timedelta(minutes=30),
    )
    later = factory.meeting(
        world["community"], world["coordinator"], title="Modul ajar", starts_in=timedelta(days=9)
    )
    auth.login(world["teacher"].email)
    page = client.get("/").get_data(as_text=True)
    assert (
        page.index("Asesmen diagnostik")
        < page.index("Pertemuan berikutnya")
        < page.index("Modul ajar")
    )
    assert f'action="/meetings/{today.id}/checkin"' in page
    assert f'action="/meetings/{later.id}/checkin"' not in page
    # no answer yet: no button says it is chosen
    assert 'aria-pressed="true"' not in page


def test_checking_in_from_the_dashboard_comes_back_to_it(app, client, auth, factory, world):
    meeting = factory.meeting(
        world["community"], world["coordinator"], starts_in=timedelta(minutes=20)
    )
    auth.login(world["teacher"].email)
    response = client.post(
        f"/meetings/{meeting.id}/checkin",
        data={"csrf_token": csrf_token(client), "code": "kode42", "next": "dashboard"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/#meeting-{meeting.id}")
    page = client.get("/").get_data(as_text=True)
    assert "Anda sudah presensi" in page
    assert f'action="/meetings/{meeting.id}/checkin"' not in page
    with app.app_context():
        assert db.session.query(Attendance).filter_by(meeting_id=meeting.id).one().checked_in_at


def test_a_wrong_code_from_the_dashboard_is_a_readable_400(client, auth, factory, world):
    meeting = factory.meeting(
        world["community"], world["coordinator"], starts_in=timedelta(minutes=20)
    )
    auth.login(world["teacher"].email)
    response = client.post(
        f"/meetings/{meeting.id}/checkin",
        data={"csrf_token": csrf_token(client), "code": "SALAH", "next": "dashboard"},
    )
    assert response.status_code == 400
    assert "kode" in response.get_data(as_text=True).lower()


def test_rsvp_from_the_dashboard_shows_the_answer_pressed(app, client, auth, factory, world):
    meeting = factory.meeting(world["community"], world["coordinator"], starts_in=timedelta(days=2))
    auth.login(world["teacher"].email)
    response = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={"csrf_token": csrf_token(client), "status": "maybe", "next": "dashboard"},
    )
    assert response.status_code == 302 and f"#meeting-{meeting.id}" in response.headers["Location"]
    page = client.get("/").get_data(as_text=True)
    assert 'value="maybe" class="button" aria-pressed="true"' in page
    assert 'value="yes" class="button secondary" aria-pressed="false"' in page


def test_meetings_of_other_communities_and_cancelled_ones_are_not_shown(
    client, auth, factory, world
):
    other = factory.community(factory.user(), name="MGMP Lain")
    factory.meeting(
        other, world["coordinator"], title="Rapat komunitas lain", starts_in=timedelta(hours=2)
    )
    factory.meeting(
        world["community"],
        world["coordinator"],
        title="Dibatalkan",
        status="cancelled",
        starts_in=timedelta(hours=3),
    )
    auth.login(world["teacher"].email)
    page = client.get("/").get_data(as_text=True)
    assert "Rapat komunitas lain" not in page and "Dibatalkan" not in page
    assert "Tidak ada pertemuan di komunitas Anda hari ini." in page


def test_mentions_watched_topics_resources_and_action_items(app, client, auth, factory, world):
    teacher, coordinator, community = world["teacher"], world["coordinator"], world["community"]
    topic = factory.topic(community, teacher, title="Pembelajaran berdiferensiasi")
    factory.post(topic, coordinator, f"Setuju @{teacher.username}, mari dicoba.")
    factory.resource(community, coordinator, title="LKPD Pecahan")
    meeting = factory.meeting(community, coordinator, starts_in=timedelta(days=-3))
    with app.app_context():
        db.session.add(
            ActionItem(
                meeting_id=meeting.id,
                community_id=community.id,
                title="Kirim modul ajar",
                assignee_id=teacher.id,
            )
        )
        db.session.commit()
    auth.login(teacher.email)
    page = client.get("/").get_data(as_text=True)
    assert "menyebut Anda" in page  # the mention notification
    assert "Pembelajaran berdiferensiasi" in page  # watched, with a new reply
    assert "LKPD Pecahan" in page
    assert "Kirim modul ajar" in page


def test_dashboard_query_count_does_not_grow_with_content(
    app, client, auth, factory, world, count_queries
):
    teacher, coordinator = world["teacher"], world["coordinator"]

    def add_community(n):
        community = factory.community(coordinator, name=f"KKG Gugus {n}x")
        factory.member(community, teacher)
        meeting = factory.meeting(community, coordinator, starts_in=timedelta(hours=n))
        topic = factory.topic(community, teacher)
        factory.post(topic, coordinator, f"@{teacher.username} lihat ini")
        factory.resource(community, coordinator, title=f"Modul {n}")
        with app.app_context():
            db.session.add(RSVP(meeting_id=meeting.id, user_id=teacher.id, status="yes"))
            db.session.commit()

    auth.login(teacher.email)
    add_community(1)
    client.get("/")
    with count_queries() as first:
        assert client.get("/").status_code == 200
    for n in range(2, 5):
        add_community(n)
    with count_queries() as more:
        page = client.get("/").get_data(as_text=True)
    assert page.count('class="card meeting-card"') == 4
    assert more.count == first.count
    # session user, memberships, the five dashboard parts (meetings: 4), header counts
    # (notifications, chat, join requests waiting for a coordinator)
    assert more.count <= 13
    with app.app_context():
        assert (
            db.session.query(Notification).filter_by(user_id=teacher.id, kind="mention").count()
            == 4
        )
