"""Mentions, replies and flags notify the right people, once."""

from __future__ import annotations

import pytest

from cop.discussions import services
from cop.discussions.models import Post, Topic
from cop.extensions import db
from cop.notifications import services as notification_services
from cop.notifications.models import Notification
from tests.discussions import forum, make_reply


def _kinds(app, user):
    with app.app_context():
        return sorted(
            # badges notify their earners too (cop/badges): not what these tests are about
            db.session.scalars(
                db.select(Notification.kind).where(
                    Notification.user_id == user.id, Notification.kind != "badge_awarded"
                )
            )
        )


def test_mention_notifies_the_member(app, factory):
    f = forum(app, factory)
    make_reply(app, f.member, f.topic, f"Bagaimana menurut @{f.coordinator.username}?")
    assert _kinds(app, f.coordinator) == ["mention"]


def test_mention_of_outsider_in_private_community_notifies_nobody(app, factory):
    f = forum(app, factory, visibility="private")
    make_reply(app, f.member, f.topic, f"Halo @{f.outsider.username}")
    assert _kinds(app, f.outsider) == []


def test_mention_of_outsider_in_public_community_notifies_nobody(app, factory):
    """An outsider may read a public topic, but may not be mentioned there
    (user.be_mentioned: active members only), as in chat."""
    f = forum(app, factory, visibility="public")
    make_reply(app, f.member, f.topic, f"Halo @{f.outsider.username}")
    assert _kinds(app, f.outsider) == []


def test_mention_of_a_banned_member_notifies_nobody(app, factory):
    f = forum(app, factory, visibility="public")
    banned = factory.user()
    factory.member(f.community, banned, status="banned")
    make_reply(app, f.member, f.topic, f"Halo @{banned.username}")
    assert _kinds(app, banned) == []


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


# --- flags -----------------------------------------------------------------------------


def _flag(app, user, post_id, reason="spam"):
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None
        services.flag_post(db.session.merge(user), post, reason)


def _flag_notifications(app, user):
    with app.app_context():
        rows = db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == user.id, Notification.kind == "flag")
            .order_by(Notification.id)
        ).all()
        db.session.expunge_all()
        return rows


def _moderated_forum(app, factory, moderator_locale="id"):
    """The forum plus a moderator and a second member who flags."""
    f = forum(app, factory)
    moderator = factory.user(name="Bu Moderator", locale=moderator_locale)
    factory.member(f.community, moderator, role="moderator")
    reporter = factory.user(name="Pak Pelapor")
    factory.member(f.community, reporter)
    return f, moderator, reporter


def test_flag_notifies_the_moderators_and_coordinators_only(app, factory):
    f, moderator, reporter = _moderated_forum(app, factory)
    _flag(app, reporter, f.topic.first_post_id)
    told = {
        name: len(_flag_notifications(app, user))
        for name, user in [
            ("coordinator", f.coordinator),
            ("moderator", moderator),
            ("author", f.member),
            ("reporter", reporter),
            ("outsider", f.outsider),
        ]
    }
    assert told == {"coordinator": 1, "moderator": 1, "author": 0, "reporter": 0, "outsider": 0}


def test_a_moderator_is_not_told_of_their_own_flag(app, factory):
    f, moderator, _reporter = _moderated_forum(app, factory)
    _flag(app, moderator, f.topic.first_post_id)
    assert _flag_notifications(app, moderator) == []
    assert len(_flag_notifications(app, f.coordinator)) == 1


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("en", "A post in “Asesmen diagnostik” was flagged for review"),
        ("id", "Sebuah tulisan di “Asesmen diagnostik” dilaporkan untuk ditinjau"),
    ],
)
def test_flag_notification_is_in_the_moderators_language(app, factory, locale, title):
    f, moderator, reporter = _moderated_forum(app, factory, moderator_locale=locale)
    _flag(app, reporter, f.topic.first_post_id)
    assert [n.title for n in _flag_notifications(app, moderator)] == [title]


def test_flag_notification_links_to_the_flag_queue(app, factory, client, auth):
    f, moderator, reporter = _moderated_forum(app, factory)
    _flag(app, reporter, f.topic.first_post_id)
    (notification,) = _flag_notifications(app, moderator)
    path, _, anchor = notification.url.partition("#")
    assert path == f"/c/{f.community.slug}/flags"
    auth.login(moderator.email)
    assert f'id="{anchor}"' in client.get(path).get_data(as_text=True)


def test_repeated_flags_of_a_post_notify_once_until_read(app, factory):
    f, moderator, reporter = _moderated_forum(app, factory)
    others = [factory.user() for _ in range(2)]
    for other in others:
        factory.member(f.community, other)
    post_id = f.topic.first_post_id
    _flag(app, reporter, post_id)
    _flag(app, others[0], post_id, "offensive")
    assert len(_flag_notifications(app, moderator)) == 1
    with app.app_context():
        notification_services.mark_read(db.session.merge(moderator))
    _flag(app, others[1], post_id)
    assert len(_flag_notifications(app, moderator)) == 2


def test_flags_of_different_posts_notify_separately(app, factory):
    f, moderator, reporter = _moderated_forum(app, factory)
    reply = make_reply(app, f.member, f.topic, "Pakai rubrik saja.")
    _flag(app, reporter, f.topic.first_post_id)
    _flag(app, reporter, reply.id)
    assert len(_flag_notifications(app, moderator)) == 2
