"""Creating and editing a community through the web form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.admin.models import AuditLog
from cop.communities.models import Community, Membership
from cop.core.errors import Conflict
from cop.extensions import db
from tests.communities import EN, login, post, text

VALID = {
    "name": "MGMP Matematika SMP Kota Makassar",
    "kind": "MGMP",
    "level": "SMP",
    "subject": "Matematika",
    "province": "Sulawesi Selatan",
    "city": "Kota Makassar",
    "description": "Kami bertemu **setiap Sabtu kedua**.",
    "visibility": "public",
}


def community_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Community.id))) or 0


def test_create_form_renders_for_logged_in_user(client, factory, auth):
    login(factory, auth)
    response = client.get("/c/new")
    assert response.status_code == 200
    assert "Who can join" in text(response)


def test_create_form_sends_visitors_to_login(client):
    response = client.get("/c/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]


def test_create_redirects_to_the_new_community(client, factory, auth):
    login(factory, auth)
    response = post(client, "/c/new", **VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/mgmp-matematika-smp-kota-makassar")


def test_creator_becomes_the_only_coordinator(app, client, factory, auth):
    user = login(factory, auth)
    post(client, "/c/new", **VALID)
    with app.app_context():
        community = db.session.scalar(select(Community))
        memberships = db.session.scalars(select(Membership)).all()
        assert community.member_count == 1
        assert community.created_by_id == user.id
        assert [(m.user_id, m.role, m.status) for m in memberships] == [
            (user.id, "coordinator", "active")
        ]


def test_create_writes_an_audit_log_row(app, client, factory, auth):
    user = login(factory, auth)
    post(client, "/c/new", **VALID)
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "community.create"))
        community = db.session.scalar(select(Community))
        assert (entry.actor_id, entry.target_id, entry.community_id) == (
            user.id,
            community.id,
            community.id,
        )


def test_created_fields_are_saved(app, client, factory, auth):
    login(factory, auth)
    post(client, "/c/new", **{**VALID, "level": "", "visibility": "private"})
    with app.app_context():
        community = db.session.scalar(select(Community))
        assert (community.kind, community.level, community.subject, community.visibility) == (
            "MGMP",
            None,
            "Matematika",
            "private",
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "ab", "Enter a name of 3 to 120 characters."),
        ("name", "x" * 121, "Enter a name of 3 to 120 characters."),
        ("kind", "SEKOLAH", "Not a valid choice"),
        ("level", "SMA-LB", "Not a valid choice"),
        ("visibility", "secret", "Not a valid choice"),
        ("subject", "m" * 81, "At most 80 characters."),
        ("province", "p" * 81, "At most 80 characters."),
        ("city", "k" * 81, "At most 80 characters."),
        ("description", "d" * 5001, "At most 5000 characters."),
    ],
)
def test_invalid_input_re_renders_the_form_without_a_row(
    app, client, factory, auth, field, value, message
):
    login(factory, auth)
    response = post(client, "/c/new", **{**VALID, field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert community_count(app) == 0


def test_invalid_input_keeps_what_was_typed(client, factory, auth):
    login(factory, auth)
    response = post(client, "/c/new", **{**VALID, "name": "ab"})
    assert "Kota Makassar" in text(response)
    assert "setiap Sabtu kedua" in text(response)


def test_double_submit_creates_one_community(app, client, factory, auth):
    login(factory, auth)
    first = post(client, "/c/new", **VALID)
    second = post(client, "/c/new", **VALID)
    assert community_count(app) == 1
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]


def test_double_submit_says_what_happened(client, factory, auth):
    login(factory, auth)
    post(client, "/c/new", **VALID)
    response = post(client, "/c/new", follow=True, **VALID)
    assert "You created this community a moment ago" in text(response)


def test_same_name_by_another_user_is_a_new_community(app, client, factory, auth):
    factory.community(name=VALID["name"])
    login(factory, auth)
    response = post(client, "/c/new", **VALID)
    assert response.headers["Location"].endswith("/c/mgmp-matematika-smp-kota-makassar-2")
    assert community_count(app) == 2


# --- edit ---------------------------------------------------------------------


def test_coordinator_sees_the_edit_form_filled_in(client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user, name="KKG Gugus Melati", level=None)
    response = client.get(f"/c/{community.slug}/edit")
    assert response.status_code == 200
    assert 'value="KKG Gugus Melati"' in text(response)


def test_coordinator_edits_the_community(app, client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user, name="KKG Gugus Melati")
    response = post(
        client, f"/c/{community.slug}/edit", **{**VALID, "name": "KKG Gugus Melati Baru"}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Community, community.id)
        assert (saved.name, saved.slug, saved.kind) == (
            "KKG Gugus Melati Baru",
            community.slug,
            "MGMP",
        )


def test_edit_with_invalid_input_is_a_400(app, client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user, name="KKG Gugus Melati")
    response = post(client, f"/c/{community.slug}/edit", **{**VALID, "name": "x"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Community, community.id).name == "KKG Gugus Melati"


@pytest.mark.parametrize(
    ("visibility", "role", "status", "expected"),
    [
        ("public", None, None, 403),
        ("public", "member", "active", 403),
        ("public", "moderator", "active", 403),
        ("private", None, None, 404),
        ("private", "member", "active", 403),
        ("private", "coordinator", "banned", 404),
        ("hidden", None, None, 404),
    ],
)
def test_only_coordinators_may_edit(client, factory, auth, visibility, role, status, expected):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    if role:
        factory.member(community, user, role=role, status=status)
    assert client.get(f"/c/{community.slug}/edit").status_code == expected
    assert post(client, f"/c/{community.slug}/edit", **VALID).status_code == expected


def test_edit_sends_visitors_to_login(client, factory):
    community = factory.community()
    response = client.get(f"/c/{community.slug}/edit", headers=EN)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_site_admin_may_edit(client, factory, auth):
    community = factory.community(visibility="hidden")
    login(factory, auth, admin=True)
    assert client.get(f"/c/{community.slug}/edit").status_code == 200


def test_two_different_communities_in_a_row_are_both_created(app, client, factory, auth):
    login(factory, auth)
    post(client, "/c/new", **VALID)
    post(client, "/c/new", **{**VALID, "name": "MGMP Matematika SMA Kota Makassar"})
    assert community_count(app) == 2


def test_service_refuses_a_duplicate_within_a_minute(app, factory):
    owner = factory.user()
    factory.community(owner, name="KKG Gugus Dahlia")
    with pytest.raises(Conflict) as caught:
        factory.community(owner, name="KKG Gugus Dahlia")
    assert caught.value.code == "duplicate_community"
    assert community_count(app) == 1
