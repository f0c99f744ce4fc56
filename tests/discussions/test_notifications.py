"""Mentions and replies notify the right people, once."""

from __future__ import annotations

from cop.discussions import services
from cop.discussions.models import Topic
from cop.extensions import db
from cop.notifications.models import Notification
from tests.discussions import forum, make_reply


def _kinds(app, user):
    with app.app_context():
        return sorted(
            db.session.scalars(db.select(Notification.kind).where(Notification.user_id == user.id))
        )


def test_mention_notifies_the_member(app, factory):
    f = forum(app, factory)
    make_reply(app, f.member, f.topic, f"Bagaimana menurut @{f.coordinator.username}?")
    assert _kinds(app, f.coordinator) == ["mention"]


def test_mention_of_outsider_in_private_community_notifies_nobody(app, factory):
    f = forum(app, factory, visibility="private")
    make_reply(app, f.member, f.topic, f"Halo @{f.outsider.username}")
    assert _kinds(app, f.outsider) == []


def test_reply_notifies_watching_author(app, factory):
    f = forum(app, factory)
    make_reply(app, f.coordinator, f.topic, "Coba pakai rubrik.")
    assert _kinds(app, f.member) == ["reply"]


def test_muted_topic_sends_no_reply_notification(app, factory):
    f = forum(app, factory)
    with app.app_context():
        services.subscribe(db.session.merge(f.member), db.session.get(Topic, f.topic.id), "mute")
    make_reply(app, f.coordinator, f.topic, "Coba pakai rubrik.")
    assert _kinds(app, f.member) == []


def test_replier_watches_by_default(app, factory):
    f = forum(app, factory)
    make_reply(app, f.coordinator, f.topic, "Saya ikut.")
    make_reply(app, f.member, f.topic, "Terima kasih.")
    assert _kinds(app, f.coordinator) == ["reply"]


def test_mentions_of_members_become_links_outside_code(app, factory):
    f = forum(app, factory)
    name = f.coordinator.username
    post = make_reply(app, f.member, f.topic, f"Halo @{name} dan @orang_tak_ada\n\n`@{name}`")
    assert f'<a class="mention" href="/auth/users/{name}">@{name}</a>' in post.html
    assert "@orang_tak_ada" in post.html and "orang_tak_ada</a>" not in post.html
    assert f"<code>@{name}</code>" in post.html
