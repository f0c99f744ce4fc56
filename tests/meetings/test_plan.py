"""Plan: the agenda in the schedule form (carried to every meeting of a series), the
clash warning with its override, and series edits that would move meetings held."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.core.errors import ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting
from tests.api import API, auth_headers
from tests.conftest import csrf_token
from tests.meetings import make_meeting


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    presenter = factory.user(name="Pak Narasumber", locale="en")
    factory.member(community, presenter)
    return {"coordinator": coordinator, "community": community, "presenter": presenter}


def _form(client, world, day, **extra):
    return client.post(
        f"/c/{world['community'].slug}/meetings/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "KKG bulanan",
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


def test_a_monthly_series_carries_the_agenda_from_the_form(app, client, auth, world):
    auth.login(world["coordinator"].email)
    day = (utcnow() + timedelta(days=40)).date()
    response = _form(
        client,
        world,
        day,
        repeat="monthly_nth",
        count="3",
        **{
            "agenda-0-title": "Asesmen diagnostik",
            "agenda-0-presenter_id": str(world["presenter"].id),
            "agenda-0-duration_min": "60",
            "agenda-1-title": "Berbagi praktik baik",
            "agenda-1-duration_min": "45",
            "agenda-2-title": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meetings = db.session.query(Meeting).order_by(Meeting.starts_at).all()
        assert len(meetings) == 3
        for meeting in meetings:
            assert [(a.title, a.presenter_id, a.duration_min) for a in meeting.agenda] == [
                ("Asesmen diagnostik", world["presenter"].id, 60),
                ("Berbagi praktik baik", None, 45),
            ]


def test_the_form_shows_agenda_rows(client, auth, world):
    auth.login(world["coordinator"].email)
    html = client.get(f"/c/{world['community'].slug}/meetings/new").get_data(as_text=True)
    assert 'name="agenda-0-title"' in html and "Pak Narasumber" in html


def test_a_clash_is_refused_until_the_coordinator_says_so(app, client, auth, world):
    day = (utcnow() + timedelta(days=12)).date()
    with app.app_context():
        from datetime import datetime
        from zoneinfo import ZoneInfo

        start = datetime.combine(day, datetime.min.time(), ZoneInfo("Asia/Makassar"))
    make_meeting(
        app,
        world["community"],
        world["coordinator"],
        starts_in=start + timedelta(hours=9) - utcnow(),
        hours=2,
        title="Rapat pengurus",
    )
    auth.login(world["coordinator"].email)
    refused = _form(client, world, day)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Rapat pengurus" in html and 'name="allow_clash"' in html
    with app.app_context():
        assert db.session.query(Meeting).count() == 1
    accepted = _form(client, world, day, allow_clash="y")
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.query(Meeting).count() == 2


def test_the_api_answers_a_clash_with_409(app, client, world):
    existing = make_meeting(app, world["community"], world["coordinator"])
    headers = auth_headers(client, world["coordinator"])
    body = {
        "title": "Bentrok",
        "starts_at": existing.starts_at.isoformat(),
        "ends_at": (existing.starts_at + timedelta(hours=1)).isoformat(),
        "timezone": "Asia/Makassar",
        "mode": "offline",
        "location": "Aula",
    }
    url = f"{API}/communities/{world['community'].slug}/meetings"
    refused = client.post(url, json=body, headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "clash"
    assert client.post(url, json={**body, "allow_clash": True}, headers=headers).status_code == 201


def test_a_cancelled_meeting_does_not_clash(app, world):
    other = make_meeting(app, world["community"], world["coordinator"], status="cancelled")
    with app.app_context():
        assert services.clashing(world["community"].id, [(other.starts_at, other.ends_at)]) == []


def test_a_series_edit_may_not_move_a_meeting_already_held(app, client, auth, world):
    held = make_meeting(app, world["community"], world["coordinator"], starts_in=timedelta(days=-3))
    with app.app_context():
        meeting = db.session.get(Meeting, held.id)
        with pytest.raises(ValidationError) as caught:
            services.update(
                db.session.merge(world["coordinator"]),
                meeting,
                {"starts_at": meeting.starts_at + timedelta(hours=1)},
                scope="following",
            )
        assert caught.value.code == "meeting_held"
        assert db.session.get(Meeting, held.id).starts_at == held.starts_at
