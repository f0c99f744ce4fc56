"""The coordinator dashboard: figures per month and per meeting, SVG charts without
JavaScript, a CSV per chart, members gone quiet, coordinators only."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cop.communities.models import Community
from cop.core.types import utcnow
from cop.extensions import db
from cop.insights import queries
from cop.meetings import services
from cop.meetings.models import Meeting


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    came = factory.user(name="Pak Rajin", locale="en")
    quiet = factory.user(name="Bu Sepi", locale="en")
    for member in (came, quiet):
        factory.member(community, member)
    meeting = factory.meeting(community, coordinator, starts_in=timedelta(days=-1))
    with app.app_context():
        from cop.communities.models import Membership

        # Bu Sepi joined long ago and has done nothing since
        row = db.session.query(Membership).filter_by(user_id=quiet.id).one()
        row.joined_at = utcnow() - timedelta(days=200)
        db.session.commit()
        services.set_status(
            db.session.merge(coordinator), db.session.get(Meeting, meeting.id), came.id, "present"
        )
    factory.topic(community, came, title="Asesmen diagnostik kelas 3")
    return {"coordinator": coordinator, "community": community, "came": came, "meeting": meeting}


def test_the_figures_count_this_month(app, world):
    with app.app_context():
        community = db.session.get(Community, world["community"].id)
        figures = queries.figures(community, utcnow(), ZoneInfo("Asia/Makassar"))
        assert len(figures.months) == 12
        assert figures.posts[-1] + figures.posts[-2] >= 1
        assert figures.active[-1] + figures.active[-2] >= 1
        [meeting] = figures.meetings
        assert (meeting.came, meeting.members) == (1, community.member_count)
        assert [u.name for u, _last in figures.quiet] == ["Bu Sepi"]


def test_the_page_draws_svg_charts(client, auth, world):
    auth.login(world["coordinator"].email)
    html = client.get(f"/c/{world['community'].slug}/dashboard").get_data(as_text=True)
    assert html.count("<svg viewBox") >= 4 and "<rect" in html
    assert "Members active per month" in html and "Bu Sepi" in html
    assert "Sessions held this year: 1 of 12" in html


def test_each_chart_downloads_as_csv(client, auth, world):
    auth.login(world["coordinator"].email)
    response = client.get(f"/c/{world['community'].slug}/dashboard/attendance.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert text.lstrip("\ufeff").startswith("Meeting,Date,Members,Present,Guests,Rate (%)")
    assert client.get(f"/c/{world['community'].slug}/dashboard/nothing.csv").status_code == 404


def test_members_may_not_see_the_dashboard(client, auth, world):
    auth.login(world["came"].email)
    assert client.get(f"/c/{world['community'].slug}/dashboard").status_code == 403


def test_the_api_gives_the_same_figures(client, world):
    from tests.api import API, auth_headers, check_response

    path = f"/communities/{world['community'].slug}/dashboard"
    response = client.get(f"{API}{path}", headers=auth_headers(client, world["coordinator"]))
    body = check_response(client, "GET", path, response)
    assert len(body["months"]) == 12 and body["meetings"][0]["came"] == 1
    assert [m["name"] for m in body["quiet_members"]] == ["Bu Sepi"]


def test_a_join_request_reaches_the_coordinators_and_the_decision_the_requester(
    app, client, auth, factory
):
    from cop.notifications.models import Notification

    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, name="KKG Tertutup", visibility="private")
    asker = factory.user(name="Pak Baru", locale="en")
    auth.login(asker.email)
    from tests.conftest import csrf_token

    client.post(f"/c/{community.slug}/join", data={"csrf_token": csrf_token(client)})
    auth.logout()
    auth.login(coordinator.email)
    page = client.get("/").get_data(as_text=True)
    assert 'id="join-requests-link"' in page and f"/c/{community.slug}/members#requests" in page
    with app.app_context():
        [alert] = (
            db.session.query(Notification)
            .filter_by(user_id=coordinator.id, kind="join_request")
            .all()
        )
        assert "Pak Baru" in alert.title
    client.post(
        f"/c/{community.slug}/members/{asker.id}",
        data={"csrf_token": csrf_token(client), "status": "active"},
    )
    with app.app_context():
        told = db.session.query(Notification).filter_by(user_id=asker.id, kind="join_decision")
        assert ["approved" in n.title for n in told] == [True]
