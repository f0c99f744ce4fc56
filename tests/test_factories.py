"""The factories make the rows the app makes (tests/factories.py)."""

from __future__ import annotations

from datetime import timedelta

from cop.chat.models import Channel
from cop.discussions.models import Post, Topic, TopicRead
from cop.extensions import db
from cop.meetings.models import Attendance, Meeting


def test_topic_has_its_first_post_and_read_position(app, factory):
    community = factory.community()
    author = factory.user()
    factory.member(community, author)
    topic = factory.topic(community, author, body="Apa itu asesmen diagnostik?")
    with app.app_context():
        first = db.session.get(Post, topic.first_post_id)
        assert first is not None and first.author_id == author.id
        assert "asesmen diagnostik" in first.html
        read = db.session.query(TopicRead).filter_by(user_id=author.id, topic_id=topic.id).one()
        assert read.last_read_post_id == first.id


def test_post_threads_under_its_parent_and_counts(app, factory):
    community = factory.community()
    author = factory.user()
    factory.member(community, author)
    topic = factory.topic(community, author)
    reply = factory.post(topic, author, "Setuju.")
    nested = factory.post(topic, author, "Saya juga.", parent=reply)
    assert nested.parent_id == reply.id
    with app.app_context():
        current = db.session.get(Topic, topic.id)
        assert current is not None and current.post_count == 3


def test_meeting_has_its_agenda_in_order_and_may_be_past(app, factory):
    community = factory.community()
    coordinator = factory.user()
    meeting = factory.meeting(
        community,
        coordinator,
        starts_in=timedelta(days=-3),
        agenda=["Pembukaan", {"title": "Praktik baik", "duration_min": 45}],
    )
    assert [(a.position, a.title, a.duration_min) for a in meeting.agenda] == [
        (0, "Pembukaan", 30),
        (1, "Praktik baik", 45),
    ]
    factory.attendance(meeting, coordinator)
    with app.app_context():
        assert db.session.get(Meeting, meeting.id) is not None
        assert db.session.query(Attendance).filter_by(meeting_id=meeting.id).count() == 1


def test_message_goes_to_the_general_channel_or_a_given_one(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    first = factory.message(community, owner, "Halo semua")
    with app.app_context():
        channel = db.session.get(Channel, first.channel_id)
        assert channel is not None and channel.kind == "general"
    second = factory.message(channel, owner, "Apa kabar?", client_id="dua")
    assert second.channel_id == first.channel_id and second.id != first.id
    assert factory.message(channel, owner, "Apa kabar?", client_id="dua").id == second.id
