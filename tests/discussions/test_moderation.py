"""Moderators pin, lock, move, hide and handle flags; each action is audited."""

from __future__ import annotations

import pytest

from cop.admin.models import AuditLog
from cop.auth.models import User
from cop.core import permissions
from cop.discussions.models import Flag, Post, Topic
from cop.extensions import db
from cop.search import services as search
from tests.conftest import csrf_token
from tests.discussions import forum

EN = {"Accept-Language": "en"}


def _actions(app):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditLog.action).order_by(AuditLog.id)))


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("pin", "pinned", True), ("lock", "locked", True)],
)
def test_moderator_pins_and_locks(client, app, factory, auth, action, field, value):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    client.post(
        f"/t/{f.topic.id}/moderate", data={"csrf_token": csrf_token(client), "action": action}
    )
    assert getattr(factory.get(Topic, f.topic.id), field) is value
    assert f"topic.{action}" in _actions(app)


def test_flagged_post_is_hidden_from_the_queue(client, app, factory, auth):
    f = forum(app, factory)
    reporter = factory.user(locale="en")
    factory.member(f.community, reporter)
    auth.login(reporter.email)
    client.post(
        f"/p/{f.topic.first_post_id}/flag",
        data={"csrf_token": csrf_token(client), "reason": "spam", "note": "iklan"},
    )
    auth.logout()
    auth.login(f.coordinator.email)
    queue = client.get(f"/c/{f.community.slug}/flags", headers=EN).get_data(as_text=True)
    assert "iklan" in queue
    with app.app_context():
        flag_id = db.session.scalar(db.select(Flag.id))
    client.post(f"/flags/{flag_id}", data={"csrf_token": csrf_token(client), "action": "hide"})
    assert factory.get(Post, f.topic.first_post_id).hidden_at is not None
    assert "flag.hide" in _actions(app) and "post.hide" in _actions(app)
    auth.logout()
    auth.login(reporter.email)
    page = client.get(f"/t/{f.topic.id}", headers=EN).get_data(as_text=True)
    assert "hidden by a moderator" in page
    assert "Bagaimana cara membuat" not in page


def test_hidden_post_leaves_search_and_restore_brings_it_back(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    hide = {"csrf_token": csrf_token(client), "hidden": "1"}
    client.post(f"/p/{f.topic.first_post_id}/hide", data=hide)
    with app.app_context():
        assert [h.type for h in search.search(None, "diagnostik")] == ["topic"]
    client.post(f"/p/{f.topic.first_post_id}/hide", data={**hide, "hidden": "0"})
    with app.app_context():
        assert sorted(h.type for h in search.search(None, "diagnostik")) == ["post", "topic"]
    assert "post.restore" in _actions(app)


def test_move_only_to_communities_the_moderator_moderates(client, app, factory, auth):
    f = forum(app, factory)
    other = factory.community(f.coordinator, name="MGMP Matematika Gowa")
    foreign = factory.community(name="KKG Lain")
    auth.login(f.coordinator.email)
    token = csrf_token(client)
    response = client.post(
        f"/t/{f.topic.id}/move", data={"csrf_token": token, "target": foreign.slug}
    )
    assert response.status_code == 400
    client.post(f"/t/{f.topic.id}/move", data={"csrf_token": token, "target": other.slug})
    assert factory.get(Topic, f.topic.id).community_id == other.id
    assert "topic.move" in _actions(app)
    with app.app_context():
        hits = search.search(None, "diagnostik", community_id=other.id)
    assert len(hits) == 2


def test_member_cannot_flag_twice(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    data = {"csrf_token": csrf_token(client), "reason": "spam"}
    client.post(f"/p/{f.topic.first_post_id}/flag", data=data)
    client.post(f"/p/{f.topic.first_post_id}/flag", data=data)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1


def test_the_author_of_a_hidden_post_is_not_offered_edit_or_delete(client, app, factory, auth):
    f = forum(app, factory)
    post_id = f.topic.first_post_id
    auth.login(f.coordinator.email)
    client.post(f"/p/{post_id}/hide", data={"csrf_token": csrf_token(client), "hidden": "1"})
    auth.logout()
    auth.login(f.member.email)
    page = client.get(f"/t/{f.topic.id}", headers=EN).get_data(as_text=True)
    assert f"/p/{post_id}/edit" not in page
    assert f"/p/{post_id}/delete" not in page
    assert client.get(f"/p/{post_id}/edit").status_code in (403, 404)


def test_an_author_cannot_flag_their_own_post(client, app, factory, auth):
    f = forum(app, factory)
    post_id = f.topic.first_post_id
    auth.login(f.member.email)
    response = client.post(
        f"/p/{post_id}/flag", data={"csrf_token": csrf_token(client), "reason": "spam"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Flag.id))) == 0
        post = db.session.get(Post, post_id)
        assert not permissions.can(db.session.get(User, f.member.id), "post.flag", post)
