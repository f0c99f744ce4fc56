"""Who is coming: names for members of the community only, counts for everyone who
sees the meeting (meeting.view_attendees), on the page and in the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.core import permissions
from cop.extensions import db
from cop.meetings.models import RSVP, Meeting
from tests.api import API, auth_headers


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua")
    community = factory.community(coordinator, visibility="public")
    member = factory.user(name="Pak Rahasia Hadir")
    factory.member(community, member)
    outsider = factory.user(name="Bu Luar")
    meeting = factory.meeting(community, coordinator, starts_in=timedelta(days=3))
    with app.app_context():
        db.session.add(RSVP(meeting_id=meeting.id, user_id=member.id, status="yes"))
        db.session.commit()
    return {"coordinator": coordinator, "member": member, "outsider": outsider, "meeting": meeting}


@pytest.mark.parametrize(
    ("who", "sees"), [("member", True), ("coordinator", True), ("outsider", False), (None, False)]
)
def test_the_page_names_who_is_coming_only_to_members(client, auth, world, who, sees):
    if who:
        auth.login(world[who].email)
    page = client.get(f"/meetings/{world['meeting'].id}").get_data(as_text=True)
    assert ("Pak Rahasia Hadir" in page) is sees
    assert "Ya: 1" in page  # the counts stay public


@pytest.mark.parametrize(("who", "sees"), [("member", True), ("outsider", False), (None, False)])
def test_the_api_names_who_is_coming_only_to_members(client, world, who, sees):
    headers = auth_headers(client, world[who]) if who else {}
    body = client.get(f"{API}/meetings/{world['meeting'].id}", headers=headers).get_json()
    assert body["rsvp_counts"]["yes"] == 1
    if sees:
        assert [g["name"] for g in body["going"]] == ["Pak Rahasia Hadir"]
    else:
        assert body["going"] is None


def test_the_rule_admits_site_admins_and_not_banned_members(app, factory, world):
    admin = factory.user(admin=True)
    banned = factory.user()
    with app.app_context():
        meeting = db.session.get(Meeting, world["meeting"].id)
        factory.member(meeting.community, banned, status="banned")
        assert permissions.can(db.session.merge(admin), "meeting.view_attendees", meeting)
        assert not permissions.can(db.session.merge(banned), "meeting.view_attendees", meeting)


def test_rsvp_buttons_show_no_answer_before_one_is_given(client, auth, world):
    auth.login(world["coordinator"].email)
    page = client.get(f"/meetings/{world['meeting'].id}").get_data(as_text=True)
    assert 'aria-pressed="true"' not in page
    assert page.count('aria-pressed="false"') == 3
    auth.logout()
    auth.login(world["member"].email)
    page = client.get(f"/meetings/{world['meeting'].id}").get_data(as_text=True)
    assert 'value="yes" class="button" aria-pressed="true"' in page
