"""Community approval and archiving: the site setting, the console, what each status lets
people see and do, the coordinators told of each decision, the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.admin.models import AuditLog
from cop.communities.models import Community
from cop.core import site
from cop.extensions import db
from cop.notifications.models import Notification
from tests.conftest import csrf_token

EN = {"Accept-Language": "en"}


def _setting(app, factory, **values):
    from cop.admin import services

    admin = factory.user(admin=True, locale="en")
    with app.app_context():
        services.save_settings(db.session.merge(admin), values)
        site.forget()
    return admin


def _create(client, name="MGMP Informatika Gowa"):
    return client.post(
        "/c/new",
        data={
            "csrf_token": csrf_token(client),
            "name": name,
            "kind": "MGMP",
            "visibility": "public",
            "level": "SMA",
        },
    )


def _review(client, community_id, decision, note=""):
    return client.post(
        f"/admin/communities/{community_id}/review",
        data={"csrf_token": csrf_token(client), "decision": decision, "note": note},
        headers=EN,
    )


def test_with_approval_on_a_new_community_waits_hidden_until_approved(app, factory):
    admin = _setting(app, factory, community_approval="1")
    creator = factory.user(locale="en")
    teacher = app.test_client()
    from tests.conftest import Auth

    Auth(teacher).login(creator.email)
    assert _create(teacher).status_code == 302
    with app.app_context():
        community = db.session.scalar(select(Community))
        assert community.status == "pending"
    slug = community.slug
    # the creator sees and prepares it; a visitor and the directory do not see it
    assert "Waiting for a site admin" in teacher.get(f"/c/{slug}", headers=EN).get_data(
        as_text=True
    )
    visitor = app.test_client()
    assert visitor.get(f"/c/{slug}").status_code == 404
    assert slug not in visitor.get("/c/").get_data(as_text=True)
    # a site admin approves it in the console
    console = app.test_client()
    Auth(console).login(admin.email)
    listing = console.get("/admin/communities", headers=EN).get_data(as_text=True)
    assert "MGMP Informatika Gowa" in listing and "Waiting for approval" in listing
    assert _review(console, community.id, "approved").status_code == 302
    assert visitor.get(f"/c/{slug}").status_code == 200
    assert slug in visitor.get("/c/").get_data(as_text=True)
    with app.app_context():
        told = db.session.scalars(
            select(Notification.title).where(Notification.user_id == creator.id)
        ).all()
        logged = db.session.scalars(select(AuditLog.action)).all()
    assert any("is approved" in t for t in told)
    assert "community.approved" in logged
    # a second decision on the same community is refused, not applied twice
    assert _review(console, community.id, "approved").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(AuditLog.action)).all().count("community.approved") == 1


def test_a_rejection_needs_a_reason_and_the_creator_reads_it(app, client, auth, factory):
    admin = _setting(app, factory, community_approval="1")
    creator = factory.user(locale="id")
    from tests.conftest import Auth

    teacher = app.test_client()
    Auth(teacher).login(creator.email)
    _create(teacher)
    with app.app_context():
        community = db.session.scalar(select(Community))
    auth.login(admin.email)
    page = _review(client, community.id, "rejected", "")
    assert page.status_code == 302
    assert "Say why" in client.get(page.headers["Location"], headers=EN).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Community, community.id).status == "pending"
    _review(client, community.id, "rejected", "Sudah ada MGMP Informatika di Kab. Gowa.")
    home = teacher.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Admin situs tidak menyetujui komunitas ini: Sudah ada MGMP Informatika" in home
    with app.app_context():
        told = db.session.scalars(
            select(Notification.title).where(Notification.user_id == creator.id)
        ).all()
    assert any("tidak disetujui: Sudah ada MGMP" in t for t in told)


def test_an_archived_community_is_read_only_and_out_of_listings(app, client, auth, factory):
    admin = factory.user(admin=True)
    coordinator = factory.user()
    community = factory.community(coordinator, name="KKG Lama")
    member = factory.user()
    factory.member(community, member)
    topic = factory.topic(community, coordinator)
    auth.login(admin.email)
    assert _review(client, community.id, "archived").status_code == 302
    from tests.conftest import Auth

    reader = app.test_client()
    Auth(reader).login(member.email)
    assert reader.get(f"/t/{topic.id}").status_code == 200  # still readable
    reply = reader.post(
        f"/t/{topic.id}/reply", data={"csrf_token": csrf_token(reader), "body": "Masih bisa?"}
    )
    assert reply.status_code == 403
    assert "KKG Lama" not in app.test_client().get("/c/").get_data(as_text=True)
    assert _review(client, community.id, "restored").status_code == 302
    assert (
        reader.post(
            f"/t/{topic.id}/reply", data={"csrf_token": csrf_token(reader), "body": "Bisa lagi."}
        ).status_code
        == 302
    )


@pytest.mark.parametrize("is_admin", [False, True])
def test_when_only_admins_create_communities(app, client, auth, factory, is_admin):
    _setting(app, factory, community_creators="admins")
    user = factory.user(admin=is_admin, locale="en")
    auth.login(user.email)
    page = client.get("/c/new", headers=EN)
    if is_admin:
        assert page.status_code == 200
        assert _create(client).status_code == 302
    else:
        assert page.status_code == 403
        assert "only site admins create communities" in page.get_data(as_text=True)
        assert _create(client).status_code == 403
        with app.app_context():
            assert db.session.scalar(select(Community.id)) is None


def test_site_admins_work_one_queue_of_every_communitys_flags(app, client, auth, factory):
    from cop.discussions import services as discussion_services
    from cop.discussions.models import Flag, Post

    admin = factory.user(admin=True, locale="en")
    posts = []
    for name in ("KKG Satu", "MGMP Dua"):
        owner = factory.user()
        community = factory.community(owner, name=name)
        flagger = factory.user()
        factory.member(community, flagger)
        topic = factory.topic(community, owner, title=f"Topik {name}", body=f"Isi {name}")
        with app.app_context():
            post = db.session.get(Post, topic.first_post_id)
            discussion_services.flag_post(db.session.merge(flagger), post, "spam")
        posts.append(topic.first_post_id)
    auth.login(admin.email)
    queue = client.get("/admin/flags", headers=EN).get_data(as_text=True)
    assert "KKG Satu" in queue and "MGMP Dua" in queue
    with app.app_context():
        first = db.session.scalar(select(Flag.id).where(Flag.post_id == posts[0]))
    response = client.post(
        f"/flags/{first}",
        data={"csrf_token": csrf_token(client), "action": "hide", "back": "admin"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/flags")
    queue = client.get("/admin/flags", headers=EN).get_data(as_text=True)
    assert "Isi KKG Satu" not in queue and "Isi MGMP Dua" in queue
    with app.app_context():
        assert db.session.get(Post, posts[0]).hidden_at is not None
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "flag.hide"))
        assert entry is not None and entry.actor_id == admin.id and entry.target_id == posts[0]
