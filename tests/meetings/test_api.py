"""The meetings API: schedule (with recurrence), read, edit, RSVP, check-in, minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import RSVP, Attendance, Meeting, MinutesRevision
from tests.api import API, auth_headers, check_response, error_code
from tests.meetings import make_meeting


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    return {"coordinator": coordinator, "community": community, "member": member}


def _next_saturday_2nd(now: datetime) -> datetime:
    """A date well in the future for scheduling."""
    return (now + timedelta(days=40)).replace(hour=0, minute=0, second=0, microsecond=0)


def schedule_body(**changes):
    start = _next_saturday_2nd(utcnow())
    body = {
        "title": "KKG Gugus 3 — pertemuan rutin",
        "starts_at": start.strftime("%Y-%m-%dT08:00:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00:00"),
        "timezone": "Asia/Makassar",
        "mode": "offline",
        "location": "SD Inpres Tamalate",
        "pkb_hours": 4,
    }
    body.update(changes)
    return body


def test_coordinator_schedules_a_series(client, world):
    headers = auth_headers(client, world["coordinator"])
    body = schedule_body(recurrence="FREQ=MONTHLY;BYDAY=2SA;COUNT=6")
    response = client.post(
        f"{API}/communities/{world['community'].slug}/meetings", json=body, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    data = check_response(
        client, "POST", f"/communities/{world['community'].slug}/meetings", response
    )
    assert data["series_id"] is not None
    assert len(data["occurrences"]) == 6
    starts = [datetime.fromisoformat(o["starts_at"]) for o in data["occurrences"]]
    for start in starts:
        local = start.astimezone(ZoneInfo("Asia/Makassar"))
        assert (local.weekday(), local.hour, (local.day - 1) // 7) == (5, 8, 1)
    assert "checkin_code" in data


from zoneinfo import ZoneInfo  # noqa: E402


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2020-01-01T07:00:00"}, "ends_at"),
        ({"starts_at": "2020-01-01T08:00:00", "ends_at": "2020-01-01T10:00:00"}, "starts_at"),
        ({"timezone": "Europe/Paris"}, "timezone"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=2SA"}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;COUNT=61"}, "recurrence"),
        ({"recurrence": "FREQ=DAILY;COUNT=3"}, "recurrence"),
        ({"online_url": "javascript:alert(1)", "mode": "hybrid"}, "online_url"),
        ({"mode": "online", "online_url": ""}, "online_url"),
        ({"starts_at": "kemarin"}, "starts_at"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_written(app, client, world, changes, field):
    headers = auth_headers(client, world["coordinator"])
    body = schedule_body(**changes)
    response = client.post(
        f"{API}/communities/{world['community'].slug}/meetings", json=body, headers=headers
    )
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.query(Meeting).count() == 0


def test_members_cannot_schedule(client, world):
    response = client.post(
        f"{API}/communities/{world['community'].slug}/meetings",
        json=schedule_body(),
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 403


def test_meeting_shows_counts_my_rsvp_and_hides_the_code_from_members(app, client, world):
    meeting = make_meeting(
        app, world["community"], world["coordinator"], agenda=["Pembukaan", "Diskusi"]
    )
    headers = auth_headers(client, world["member"])
    client.post(f"{API}/meetings/{meeting.id}/rsvp", json={"status": "yes"}, headers=headers)
    response = client.get(f"{API}/meetings/{meeting.id}", headers=headers)
    data = check_response(client, "GET", f"/meetings/{meeting.id}", response)
    assert data["rsvp_counts"]["yes"] == 1
    assert data["my_rsvp"] == "yes"
    assert "checkin_code" not in data
    first, second = data["agenda"]
    assert datetime.fromisoformat(second["planned_start"]) - datetime.fromisoformat(
        first["planned_start"]
    ) == timedelta(minutes=30)


def test_list_is_upcoming_first_and_paged(app, client, world):
    for days in (9, 3, 6):
        make_meeting(app, world["community"], world["coordinator"], starts_in=timedelta(days=days))
    make_meeting(app, world["community"], world["coordinator"], starts_in=timedelta(days=-9))
    headers = auth_headers(client, world["member"])
    path = f"/communities/{world['community'].slug}/meetings"
    response = client.get(f"{API}{path}?limit=2", headers=headers)
    data = check_response(client, "GET", path, response)
    first = [datetime.fromisoformat(m["starts_at"]) for m in data["items"]]
    rest = client.get(f"{API}{path}?limit=2&cursor={data['next']}", headers=headers).get_json()
    starts = first + [datetime.fromisoformat(m["starts_at"]) for m in rest["items"]]
    assert len(starts) == 3 and starts == sorted(starts)


def test_full_meeting_waitlists_and_promotes_when_a_seat_frees(app, client, factory, world):
    meeting = make_meeting(app, world["community"], world["coordinator"], capacity=1)
    other = factory.user(name="Bu Kedua")
    factory.member(world["community"], other)
    first = auth_headers(client, world["member"])
    second = auth_headers(client, other)
    url = f"{API}/meetings/{meeting.id}/rsvp"
    assert client.post(url, json={"status": "yes"}, headers=first).get_json()["waitlisted"] is False
    response = client.post(url, json={"status": "yes"}, headers=second)
    assert check_response(client, "POST", f"/meetings/{meeting.id}/rsvp", response)["waitlisted"]
    client.post(url, json={"status": "no"}, headers=first)
    with app.app_context():
        row = db.session.query(RSVP).filter_by(user_id=other.id).one()
        assert row.waitlisted is False


def test_rsvp_to_a_cancelled_meeting_is_a_conflict(app, client, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    response = client.patch(
        f"{API}/meetings/{meeting.id}",
        json={"status": "cancelled", "cancel_reason": "Banjir"},
        headers=auth_headers(client, world["coordinator"]),
    )
    assert (
        check_response(client, "PATCH", f"/meetings/{meeting.id}", response)["status"]
        == "cancelled"
    )
    assert response.get_json()["sequence"] == 1
    response = client.post(
        f"{API}/meetings/{meeting.id}/rsvp",
        json={"status": "yes"},
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 409
    assert error_code(response) == "meeting_cancelled"


@pytest.mark.parametrize(
    ("starts_in", "code", "status", "expected"),
    [
        (timedelta(minutes=-30), "KODE42", 200, None),
        (timedelta(minutes=-30), "kode42", 200, None),
        (timedelta(minutes=-30), "SALAH1", 400, "wrong_code"),
        (timedelta(hours=5), "KODE42", 400, "checkin_closed"),
        (timedelta(hours=-6), "KODE42", 400, "checkin_closed"),
    ],
)
def test_check_in_with_the_code(app, client, world, starts_in, code, status, expected):
    meeting = make_meeting(app, world["community"], world["coordinator"], starts_in=starts_in)
    response = client.post(
        f"{API}/meetings/{meeting.id}/checkin",
        json={"code": code},
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == status
    check_response(client, "POST", f"/meetings/{meeting.id}/checkin", response)
    if expected:
        assert error_code(response) == expected
        with app.app_context():
            assert db.session.query(Attendance).count() == 0


def test_checking_in_twice_is_harmless(app, client, world):
    meeting = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-5)
    )
    headers = auth_headers(client, world["member"])
    url = f"{API}/meetings/{meeting.id}/checkin"
    assert client.post(url, json={"code": "KODE42"}, headers=headers).get_json()["created"] is True
    again = client.post(url, json={"code": "KODE42"}, headers=headers)
    assert again.status_code == 200 and again.get_json()["created"] is False
    with app.app_context():
        assert db.session.query(Attendance).count() == 1


def test_coordinator_marks_someone_who_never_answered(app, client, world):
    # under way: present is recorded from an hour before the start on
    meeting = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-30)
    )
    headers = auth_headers(client, world["coordinator"])
    response = client.post(
        f"{API}/meetings/{meeting.id}/checkin",
        json={"user_id": world["member"].id},
        headers=headers,
    )
    assert response.status_code == 200
    entry = response.get_json()["attendance"]
    assert (entry["attended"], entry["method"], entry["rsvp"]) == (True, "coordinator", None)
    listing = client.get(f"{API}/meetings/{meeting.id}/attendance", headers=headers)
    items = check_response(client, "GET", f"/meetings/{meeting.id}/attendance", listing)["items"]
    assert [i["user_id"] for i in items] == [world["member"].id]


def test_members_may_not_write_minutes(app, client, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    response = client.put(
        f"{API}/meetings/{meeting.id}/minutes",
        json={"body": "Catatan"},
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 403


def test_minutes_publish_with_an_action_item_and_keep_revisions(app, client, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    headers = auth_headers(client, world["coordinator"])
    url = f"{API}/meetings/{meeting.id}/minutes"
    client.put(url, json={"body": "draf", "autosave": True}, headers=headers)
    response = client.put(
        url,
        json={
            "body": "# Notulen\n\n- modul ajar dibahas",
            "publish": True,
            "action_items": [
                {"title": "Unggah modul", "assignee_id": world["member"].id, "due_on": "2030-01-31"}
            ],
        },
        headers=headers,
    )
    data = check_response(client, "PUT", f"/meetings/{meeting.id}/minutes", response)
    assert data["published"] is True
    assert "<h1>" in data["html"]
    assert data["action_items"][0]["assignee_id"] == world["member"].id
    with app.app_context():
        assert db.session.query(MinutesRevision).count() == 1  # the autosave made none


def test_participation_lists_hours_and_roles(app, client, world):
    meeting = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-10)
    )
    headers = auth_headers(client, world["member"])
    client.post(f"{API}/meetings/{meeting.id}/checkin", json={"code": "KODE42"}, headers=headers)
    path = f"/users/{world['member'].id}/participation"
    during = check_response(client, "GET", path, client.get(f"{API}{path}", headers=headers))
    assert during["total_hours"] == 0  # hours count once the meeting is over
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        row.ends_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    data = check_response(client, "GET", path, client.get(f"{API}{path}", headers=headers))
    assert data["total_hours"] == 4
    assert data["meetings"][0]["roles"] == ["participant"]
    other = client.get(f"{API}/users/{world['coordinator'].id}/participation", headers=headers)
    assert other.status_code == 404


def test_list_query_count_does_not_grow(app, client, world, count_queries):
    headers = auth_headers(client, world["member"])
    path = f"{API}/communities/{world['community'].slug}/meetings"

    def count(n):
        for i in range(n):
            make_meeting(
                app,
                world["community"],
                world["coordinator"],
                starts_in=timedelta(days=i + 1),
                agenda=["A"],
            )
        with count_queries() as q:
            assert client.get(path + "?limit=30", headers=headers).status_code == 200
        return q.count

    client.get(path, headers=headers)  # first use of the token and last-seen updates
    assert count(5) == count(20)


def test_time_zones_are_utc_in_the_api(app, client, world):
    meeting = make_meeting(app, world["community"], world["coordinator"])
    data = client.get(
        f"{API}/meetings/{meeting.id}", headers=auth_headers(client, world["member"])
    ).get_json()
    assert datetime.fromisoformat(data["starts_at"]).utcoffset() == timedelta(0)
    assert datetime.fromisoformat(data["starts_at"]) == meeting.starts_at.astimezone(UTC)


def test_editing_the_rest_of_a_series_shifts_each_meeting(app, client, world):
    headers = auth_headers(client, world["coordinator"])
    slug = world["community"].slug
    created = client.post(
        f"{API}/communities/{slug}/meetings",
        json=schedule_body(recurrence="FREQ=MONTHLY;BYDAY=2SA;COUNT=3"),
        headers=headers,
    ).get_json()
    first, second, third = created["occurrences"]
    moved = datetime.fromisoformat(second["starts_at"]) + timedelta(hours=1)
    response = client.patch(
        f"{API}/meetings/{second['id']}",
        json={
            "title": "KKG Gugus 3 (jam baru)",
            "starts_at": moved.isoformat(),
            "ends_at": (moved + timedelta(hours=4)).isoformat(),
            "scope": "following",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        rows = {m.id: m for m in db.session.query(Meeting).all()}
        assert rows[first["id"]].title == "KKG Gugus 3 — pertemuan rutin"
        for occurrence in (second, third):
            meeting = rows[occurrence["id"]]
            assert meeting.title == "KKG Gugus 3 (jam baru)"
            assert meeting.starts_at == datetime.fromisoformat(occurrence["starts_at"]) + timedelta(
                hours=1
            )
            assert meeting.ends_at - meeting.starts_at == timedelta(hours=4)
            assert meeting.sequence == 1
