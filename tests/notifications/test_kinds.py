"""Which preference kind a notification falls under, and the new notifications this
feature writes (a reply to my own post, a resource shared in my community)."""

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.notifications.kinds import KINDS, kind_of
from cop.notifications.models import Notification


def _kinds(app, user):
    with app.app_context():
        return sorted(
            db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
        )


@pytest.mark.parametrize(
    ("notification_kind", "preference"),
    [
        ("mention", "mention"),
        ("reply_to_me", "reply"),
        ("reply", "watched"),
        ("meeting_cancelled", "meetings"),
        ("meeting_reminder_hour", "reminders"),
        ("meeting_something_new", "meetings"),
        ("flag", "moderation"),
        ("resource_shared", "resources"),
        ("no_such_kind", "other"),
    ],
)
def test_every_notification_kind_has_a_preference_kind(notification_kind, preference):
    assert kind_of(notification_kind).name == preference


def test_every_kind_has_paired_mail_templates():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "templates" / "email"
    for name in [kind.name for kind in KINDS] + ["other"]:
        assert (folder / f"notify_{name}.html").is_file(), name
        assert (folder / f"notify_{name}.txt").is_file(), name


def test_a_reply_to_my_post_is_its_own_kind_and_watchers_get_reply(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    author = factory.user()
    replier = factory.user()
    for user in (author, replier):
        factory.member(community, user)
    topic = factory.topic(community, owner)  # the owner watches it
    first = factory.post(topic, author, "Pendapat saya begini.")
    factory.post(topic, replier, "Saya setuju.", parent=first)
    replies = ("reply", "reply_to_me")
    assert [k for k in _kinds(app, author) if k in replies] == ["reply_to_me"]
    assert [k for k in _kinds(app, owner) if k in replies] == ["reply", "reply"]


def test_members_hear_of_a_shared_resource_not_the_uploader(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    member = factory.user()
    factory.member(community, member)
    factory.resource(community, owner, title="LKPD pecahan")
    assert _kinds(app, member) == ["resource_shared"]
    assert "resource_shared" not in _kinds(app, owner)
