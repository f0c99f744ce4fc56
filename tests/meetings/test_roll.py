"""The roll in one pass: a tap per member (present, excused, sick, absent), idempotent;
guests who are not members; meetings recorded afterwards; hours only once it ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import queries
from cop.meetings.models import Attendance, Guest, Meeting
from tests.api import API, auth_headers, check_response
from tests.conftest import csrf_token
from tests.meetings import make_meeting

JSON = {"Accept": "application/json"}


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    members = [factory.user(name=f"Guru {n:02d}", locale="en") for n in range(3)]
    for member in members:
        factory.member(community, member)
    outsider = factory.user(name="Bu Luar")
    meeting = make_meeting(app, community, coordinator, starts_in=timedelta(minutes=-30))
    return {
        "coordinator": coordinator,
        "community": community,
        "members": members,
        "outsider": outsider,
        "meeting": meeting,
    }


def _tap(client, meeting, user_id, status, headers=JSON):
    return client.post(
        f"/meetings/{meeting.id}/attendance",
        data={"csrf_token": csrf_token(client), "user_id": str(user_id), "status": status},
        headers=headers,
    )


def _rows(app, meeting_id):
    with app.app_context():
        return {
            a.user_id: a.status
            for a in db.session.query(Attendance).filter_by(meeting_id=meeting_id)
        }


def test_the_sheet_lists_every_member_with_four_taps(client, auth, world):
    auth.login(world["coordinator"].email)
    html = client.get(f"/meetings/{world['meeting'].id}/attendance").get_data(as_text=True)
    for member in world["members"]:
        assert member.name in html and f'id="member-{member.id}"' in html
    for label in ("Present", "Excused", "Sick", "Absent"):
        assert f">{label}<" in html
    assert "Bu Luar" not in html


@pytest.mark.parametrize("status", ["present", "excused", "sick", "absent"])
def test_a_tap_saves_the_status(app, client, auth, world, status):
    auth.login(world["coordinator"].email)
    member = world["members"][0]
    response = _tap(client, world["meeting"], member.id, status)
    assert response.status_code == 200 and response.get_json() == {
        "ok": True,
        "user_id": member.id,
        "status": status,
    }
    assert _rows(app, world["meeting"].id) == {member.id: status}


def test_the_same_tap_twice_is_one_row(app, client, auth, world):
    auth.login(world["coordinator"].email)
    member = world["members"][1]
    for _ in range(3):
        assert _tap(client, world["meeting"], member.id, "present").status_code == 200
    with app.app_context():
        rows = db.session.query(Attendance).filter_by(meeting_id=world["meeting"].id).all()
        assert len(rows) == 1 and rows[0].checked_in_at is not None


def test_changing_a_tap_moves_the_row(app, client, auth, world):
    auth.login(world["coordinator"].email)
    member = world["members"][0]
    _tap(client, world["meeting"], member.id, "present")
    _tap(client, world["meeting"], member.id, "sick")
    with app.app_context():
        row = db.session.query(Attendance).one()
        assert (row.status, row.excused, row.checked_in_at) == ("sick", True, None)


def test_a_tap_without_javascript_redirects_to_the_row(client, auth, world):
    auth.login(world["coordinator"].email)
    member = world["members"][2]
    response = _tap(client, world["meeting"], member.id, "absent", headers={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#member-{member.id}")


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("outsider", "present", 400), ("member", "late", 400), ("nobody", "present", 400)],
)
def test_bad_taps_write_nothing(app, client, auth, world, who, status, code):
    auth.login(world["coordinator"].email)
    user_id = {"outsider": world["outsider"].id, "member": world["members"][0].id}.get(who, "")
    response = _tap(client, world["meeting"], user_id, status)
    assert response.status_code == code and response.get_json()["ok"] is False
    assert _rows(app, world["meeting"].id) == {}


def test_present_waits_for_the_meeting_but_izin_may_come_ahead(app, client, auth, world):
    later = make_meeting(app, world["community"], world["coordinator"], starts_in=timedelta(days=3))
    auth.login(world["coordinator"].email)
    member = world["members"][0]
    too_early = _tap(client, later, member.id, "present")
    assert too_early.status_code == 409
    assert "one hour before" in too_early.get_json()["error"]
    assert _tap(client, later, member.id, "excused").status_code == 200
    assert _rows(app, later.id) == {member.id: "excused"}


def test_members_may_not_take_the_roll(client, auth, world):
    auth.login(world["members"][0].email)
    response = _tap(client, world["meeting"], world["members"][1].id, "present")
    assert response.status_code == 403


def _guest(client, meeting, **fields):
    data = {"csrf_token": csrf_token(client), "name": "Drs. H. Ahmad, M.Pd.", **fields}
    return client.post(f"/meetings/{meeting.id}/guests", data=data)


def test_a_guest_is_recorded_once_on_a_retried_submit(app, client, auth, world):
    auth.login(world["coordinator"].email)
    for _ in range(2):
        response = _guest(
            client,
            world["meeting"],
            school="UPTD Tamalate",
            role="Pengawas sekolah",
            nip="196501011990031005",
            client_id="form-1",
        )
        assert response.status_code == 302
    with app.app_context():
        guest = db.session.query(Guest).one()
        assert (guest.name, guest.role, guest.nip) == (
            "Drs. H. Ahmad, M.Pd.",
            "Pengawas sekolah",
            "196501011990031005",
        )
    html = client.get(f"/meetings/{world['meeting'].id}/attendance").get_data(as_text=True)
    assert "Drs. H. Ahmad, M.Pd." in html and "Pengawas sekolah" in html


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"name": "  "}, "This field is required."),
        ({"nip": "12345"}, "Enter exactly 18 digits"),
        ({"nuptk": "12345678901234ab"}, "Enter exactly 16 digits"),
    ],
)
def test_bad_guests_write_nothing(app, client, auth, world, fields, field_error):
    auth.login(world["coordinator"].email)
    response = _guest(client, world["meeting"], **fields)
    assert response.status_code == 400
    assert field_error in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Guest).count() == 0


def test_removing_a_guest_asks_first(app, client, auth, world):
    auth.login(world["coordinator"].email)
    _guest(client, world["meeting"], client_id="g")
    with app.app_context():
        guest_id = db.session.query(Guest.id).scalar()
    url = f"/meetings/{world['meeting'].id}/guests/{guest_id}/delete"
    client.post(url, data={"csrf_token": csrf_token(client)})
    with app.app_context():
        assert db.session.query(Guest).count() == 1
    client.post(url, data={"csrf_token": csrf_token(client), "confirm": "1"})
    with app.app_context():
        assert db.session.query(Guest).count() == 0


def _record_form(client, world, day, **extra):
    return client.post(
        f"/c/{world['community'].slug}/meetings/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "KKG Gugus 3 bulan lalu",
            "kind": "routine",
            "date": day.isoformat(),
            "start_time": "08:00",
            "end_time": "12:00",
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD Inpres Tamalate",
            "pkb_hours": "4",
            **extra,
        },
    )


def test_a_past_meeting_is_recorded_and_goes_to_the_roll(app, client, auth, world):
    auth.login(world["coordinator"].email)
    day = (utcnow() - timedelta(days=20)).date()
    response = _record_form(client, world, day, recorded="y")
    assert response.status_code == 302 and response.headers["Location"].endswith("/attendance")
    with app.app_context():
        meeting = db.session.query(Meeting).filter_by(title="KKG Gugus 3 bulan lalu").one()
        assert meeting.recorded is True
    # and its roll counts the hours at once: it is over
    member = world["members"][0]
    assert _tap(client, meeting, member.id, "present").status_code == 200
    with app.app_context():
        rows = queries.participation(db.session.merge(member))
        assert [r.meeting.id for r in rows] == [meeting.id] and rows[0].hours == 4
        attendance = db.session.query(Attendance).filter_by(meeting_id=meeting.id).one()
        assert attendance.checked_in_at == meeting.starts_at  # not "now", weeks later


@pytest.mark.parametrize(
    ("days", "recorded", "message"),
    [
        (3, "y", "must have ended already"),
        (-20, "", "cannot start in the past"),
    ],
)
def test_past_and_future_are_checked(app, client, auth, world, days, recorded, message):
    auth.login(world["coordinator"].email)
    day = (utcnow() + timedelta(days=days)).date()
    response = _record_form(client, world, day, recorded=recorded)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Meeting).filter_by(title="KKG Gugus 3 bulan lalu").count() == 0


def test_hours_count_only_for_present_members_of_ended_meetings(app, world, factory):
    ended = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(days=-2)
    )
    with app.app_context():
        from cop.meetings import services

        coordinator = db.session.merge(world["coordinator"])
        present, sick, _ = world["members"]
        for meeting in (ended, world["meeting"]):
            m = db.session.get(Meeting, meeting.id)
            services.set_status(coordinator, m, present.id, "present")
            services.set_status(coordinator, m, sick.id, "sick")
        assert [r.meeting.id for r in queries.participation(db.session.merge(present))] == [
            ended.id
        ]
        assert queries.participation(db.session.merge(sick)) == []


def test_api_put_attendance_is_idempotent(app, client, world):
    headers = auth_headers(client, world["coordinator"])
    member = world["members"][0]
    path = f"/meetings/{world['meeting'].id}/attendance/{member.id}"
    first = client.put(f"{API}{path}", json={"status": "absent"}, headers=headers)
    body = check_response(client, "PUT", path, first)
    assert body["created"] is True and body["attendance"]["status"] == "absent"
    again = client.put(f"{API}{path}", json={"status": "absent"}, headers=headers)
    assert check_response(client, "PUT", path, again)["created"] is False
    assert _rows(app, world["meeting"].id) == {member.id: "absent"}


@pytest.mark.parametrize(
    ("user", "body", "code"),
    [("outsider", {"status": "present"}, 400), ("member", {"status": "hadir"}, 400)],
)
def test_api_put_attendance_refuses_bad_input(app, client, world, user, body, code):
    headers = auth_headers(client, world["coordinator"])
    target = world["outsider"] if user == "outsider" else world["members"][0]
    path = f"/meetings/{world['meeting'].id}/attendance/{target.id}"
    response = client.put(f"{API}{path}", json=body, headers=headers)
    assert response.status_code == code and "error" in response.get_json()
    assert _rows(app, world["meeting"].id) == {}


def test_api_guests_are_listed_in_the_attendance(client, world):
    headers = auth_headers(client, world["coordinator"])
    meeting = world["meeting"]
    path = f"/meetings/{meeting.id}/guests"
    body = {"name": "Ibu Sari", "school": "SDN 2 Gowa", "nuptk": "1234567890123456"}
    created = client.post(f"{API}{path}", json={**body, "client_id": "x1"}, headers=headers)
    guest = check_response(client, "POST", path, created)
    replay = client.post(f"{API}{path}", json={**body, "client_id": "x1"}, headers=headers)
    assert check_response(client, "POST", path, replay)["id"] == guest["id"]
    listing_path = f"/meetings/{meeting.id}/attendance"
    listing = client.get(f"{API}{listing_path}", headers=headers)
    items = check_response(client, "GET", listing_path, listing)["items"]
    guests = [i for i in items if i["guest"]]
    assert [(g["name"], g["user_id"], g["status"]) for g in guests] == [
        ("Ibu Sari", None, "present")
    ]
    nameless = client.post(f"{API}{path}", json={"school": "SDN 2"}, headers=headers)
    assert nameless.status_code == 400


def _export(client, meeting, kind, language):
    return client.get(
        f"/meetings/{meeting.id}/attendance.{kind}", headers={"Accept-Language": language}
    )


def test_the_csv_speaks_the_viewers_language_with_local_times(app, client, auth, world, factory):
    indonesian = factory.user(name="Bu Sekretaris", locale="id", timezone="Asia/Makassar")
    factory.member(world["community"], indonesian, role="coordinator")
    auth.login(indonesian.email)
    member = world["members"][0]
    _tap(client, world["meeting"], member.id, "present")
    _tap(client, world["meeting"], world["members"][1].id, "sick")
    text = _export(client, world["meeting"], "csv", "id").get_data(as_text=True)
    header = text.splitlines()[0]
    assert header.lstrip("\ufeff") == (
        "No.,Nama,Sekolah,NIP/NUPTK,Peran,Jawaban,Status,Presensi,Cara"
    )
    line = next(row for row in text.splitlines() if member.name in row)
    assert ",Hadir," in line and "WITA" in line and "+00:00" not in line
    assert ",Sakit," in text


def test_the_xlsx_has_the_same_table(app, client, auth, world):
    from io import BytesIO

    from openpyxl import load_workbook

    auth.login(world["coordinator"].email)
    _tap(client, world["meeting"], world["members"][0].id, "absent")
    response = _export(client, world["meeting"], "xlsx", "en")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Name", "School")
    assert rows[1][1] == "Guru 00" and rows[1][6] == "Absent"
