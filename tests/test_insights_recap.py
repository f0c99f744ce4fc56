"""The yearly recap (per member, per month against the 12 expected) and the member list
as CSV and XLSX through the one export writer: the viewer's language, local dates,
coordinators only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    came = factory.user(name="Pak Rajin", school="SDN 2 Tamalate", locale="en")
    away = factory.user(name="Bu Sepi", school="SDN 5 Tamalate", locale="en")
    for member in (came, away):
        factory.member(community, member)
    held = [
        factory.meeting(community, coordinator, starts_in=timedelta(hours=-h), pkb_hours=p)
        for h, p in ((30, 4), (6, 2))
    ]
    with app.app_context():
        actor = db.session.merge(coordinator)
        for meeting in held:
            services.set_status(actor, db.session.get(Meeting, meeting.id), came.id, "present")
        services.add_guest(
            actor, db.session.get(Meeting, held[1].id), services.GuestData(name="Pengawas")
        )
    # cancelled and future meetings are not sessions held
    factory.meeting(community, coordinator, starts_in=timedelta(hours=-50), status="cancelled")
    factory.meeting(community, coordinator, starts_in=timedelta(days=3))
    local = held[1].starts_at.astimezone(ZoneInfo("Asia/Makassar"))
    return {"coordinator": coordinator, "community": community, "came": came, "local": local}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_member_recap_counts_meetings_and_hours(client, auth, world):
    auth.login(world["coordinator"].email)
    year = world["local"].year
    rows = _csv(client.get(f"/c/{world['community'].slug}/dashboard/recap/{year}/members.csv"))
    assert rows[0] == ["No.", "Name", "School", "Role", "Meetings attended", "PKB hours"]
    by_name = {r[1]: r for r in rows[1:]}
    if world["local"].year == (world["local"] - timedelta(hours=24)).year:
        assert by_name["Pak Rajin"][2:] == ["SDN 2 Tamalate", "Member", "2", "6"]
    assert by_name["Bu Sepi"][2:] == ["SDN 5 Tamalate", "Member", "0", "0"]
    assert by_name["Ibu Ketua"][3] == "Coordinator"


def test_the_sessions_recap_is_per_month_against_twelve(client, auth, world):
    auth.login(world["coordinator"].email)
    year = world["local"].year
    rows = _csv(client.get(f"/c/{world['community'].slug}/dashboard/recap/{year}/sessions.csv"))
    assert rows[0] == [
        "Month",
        "Sessions held",
        "Members present",
        "Guests",
        "Sessions so far",
        "Expected in the year",
    ]
    assert len(rows) == 13 and all(r[5] == "12" for r in rows[1:])
    assert rows[1][0] == f"January {year}" and rows[12][0] == f"December {year}"
    month = rows[world["local"].month]
    assert int(month[1]) >= 1 and int(month[3]) == 1  # the guest came to the later one
    assert rows[12][4] in ("1", "2")  # cancelled and future meetings do not count
    assert sum(int(r[1]) for r in rows[1:]) == int(rows[12][4])


def test_the_xlsx_speaks_indonesian_for_an_indonesian_coordinator(app, client, auth, world):
    with app.app_context():
        user = db.session.merge(world["coordinator"])
        user.locale = "id"
        db.session.commit()
    auth.login(world["coordinator"].email)
    year = world["local"].year
    response = client.get(f"/c/{world['community'].slug}/dashboard/recap/{year}/sessions.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "Bulan" and sheet["A2"].value == f"Januari {year}"


def test_the_member_list_gives_school_role_and_the_local_join_date(app, client, auth, world):
    auth.login(world["coordinator"].email)
    response = client.get(f"/c/{world['community'].slug}/dashboard/members.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["No.", "Name", "School", "Role", "Status", "Joined"]
    names = {r[1]: r for r in rows[1:]}
    assert names["Pak Rajin"][2:5] == ["SDN 2 Tamalate", "Member", "active"]
    today = utcnow().astimezone(ZoneInfo("Asia/Makassar"))
    assert str(today.year) in names["Pak Rajin"][5]


@pytest.mark.parametrize(
    "path", ["recap/2026/members.csv", "members.csv", "recap/1999/members.csv"]
)
def test_members_may_not_export(client, auth, world, path):
    auth.login(world["came"].email)
    status = client.get(f"/c/{world['community'].slug}/dashboard/{path}").status_code
    assert status == (404 if "1999" in path else 403)
