"""A meeting's discussion topic and chat channel are created on demand, once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.chat.models import Channel
from cop.discussions.models import Topic
from cop.extensions import db
from cop.meetings.models import Meeting
from tests.conftest import csrf_token
from tests.meetings import make_meeting


@pytest.fixture
def setup(app, factory):
    coordinator = factory.user(name="Bu Koordinator")
    community = factory.community(coordinator, visibility="private")
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    meeting = make_meeting(app, community, coordinator, title="KKG Desember")
    return {"community": community, "member": member, "meeting": meeting}


def _count(app, model, **where):
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


def test_first_click_starts_the_topic_and_later_clicks_open_it(app, client, auth, setup):
    auth.login(setup["member"].email)
    url = f"/meetings/{setup['meeting'].id}/discussion"
    first = client.post(url, data={"csrf_token": csrf_token(client)})
    second = client.post(url, data={"csrf_token": csrf_token(client)})
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app, Topic) == 1
    with app.app_context():
        meeting = db.session.get(Meeting, setup["meeting"].id)
        topic = db.session.get(Topic, meeting.topic_id)
        assert first.headers["Location"].endswith(f"/t/{topic.id}")
        assert "KKG Desember" in topic.title


def test_the_meeting_chat_is_one_channel_per_meeting(app, client, auth, setup):
    auth.login(setup["member"].email)
    url = f"/meetings/{setup['meeting'].id}/chat"
    first = client.post(url, data={"csrf_token": csrf_token(client)})
    second = client.post(url, data={"csrf_token": csrf_token(client)})
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app, Channel, kind="meeting", meeting_id=setup["meeting"].id) == 1


@pytest.mark.parametrize("path", ["discussion", "chat"])
def test_outsiders_get_404_and_nothing_is_created(app, client, auth, factory, setup, path):
    auth.login(factory.user().email)
    response = client.post(
        f"/meetings/{setup['meeting'].id}/{path}", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 404
    assert _count(app, Topic) == 0
    assert _count(app, Channel, kind="meeting") == 0


def test_the_meeting_page_offers_both(client, auth, setup):
    auth.login(setup["member"].email)
    page = client.get(f"/meetings/{setup['meeting'].id}").get_data(as_text=True)
    assert "Discuss this meeting" in page and "Open the meeting chat" in page
