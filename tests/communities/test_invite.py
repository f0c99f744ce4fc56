"""Invite links: the only way into a hidden community; rotating one kills the old link."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.communities.models import Community, Membership
from cop.extensions import db
from tests.communities import EN, login, post, text


def state(app, community, user) -> tuple[str, str] | None:
    with app.app_context():
        m = db.session.scalar(
            select(Membership).where(
                Membership.community_id == community.id, Membership.user_id == user.id
            )
        )
        return (m.role, m.status) if m else None


def token_of(app, community) -> str:
    with app.app_context():
        return db.session.get(Community, community.id).invite_token


@pytest.fixture
def hidden(factory):
    return factory.community(
        name="Kelompok Guru Rahasia", visibility="hidden", description="Undangan **khusus**."
    )


def test_invite_page_shows_the_community(client, factory, auth, hidden):
    login(factory, auth)
    response = client.get(f"/c/invite/{hidden.invite_token}")
    body = text(response)
    assert response.status_code == 200
    assert "Kelompok Guru Rahasia" in body
    assert "<strong>khusus</strong>" in body
    assert "Join Kelompok Guru Rahasia" in body


def test_invite_sends_visitors_to_login_and_back(client, hidden):
    response = client.get(f"/c/invite/{hidden.invite_token}", headers=EN)
    assert response.status_code == 302
    location = response.headers["Location"].replace("%2F", "/")
    assert "/auth/login" in location
    assert f"next=/c/invite/{hidden.invite_token}" in location


def test_invite_link_joins_a_hidden_community(app, client, factory, auth, hidden):
    user = login(factory, auth)
    response = post(client, f"/c/invite/{hidden.invite_token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{hidden.slug}")
    assert state(app, hidden, user) == ("member", "active")
    assert client.get(f"/c/{hidden.slug}").status_code == 200


def test_invite_link_approves_a_pending_request(app, client, factory, auth):
    community = factory.community(visibility="private")
    user = login(factory, auth)
    factory.member(community, user, status="pending")
    post(client, f"/c/invite/{community.invite_token}")
    assert state(app, community, user) == ("member", "active")
    with app.app_context():
        assert db.session.get(Community, community.id).member_count == 2


def test_invite_link_twice_makes_no_second_row(app, client, factory, auth, hidden):
    user = login(factory, auth)
    post(client, f"/c/invite/{hidden.invite_token}")
    post(client, f"/c/invite/{hidden.invite_token}")
    with app.app_context():
        rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
        assert len(rows) == 1


def test_invite_page_tells_members_they_are_in(client, factory, auth, hidden):
    user = login(factory, auth)
    factory.member(hidden, user)
    assert "You are already a member." in text(client.get(f"/c/invite/{hidden.invite_token}"))


def test_banned_member_cannot_use_the_invite_link(app, client, factory, auth, hidden):
    user = login(factory, auth)
    factory.member(hidden, user, status="banned")
    response = post(client, f"/c/invite/{hidden.invite_token}", follow=True)
    assert "You have been banned from this community." in text(response)
    assert state(app, hidden, user) == ("member", "banned")


@pytest.mark.parametrize("token", ["salah", "x" * 200])
def test_invalid_invite_token_is_a_friendly_404(client, factory, auth, token):
    login(factory, auth)
    response = client.get(f"/c/invite/{token}")
    assert response.status_code == 404
    assert "This invite link is not valid any more." in text(response)


def test_nul_byte_in_an_invite_link_is_a_400(client, factory, auth):
    login(factory, auth)
    assert client.get("/c/invite/%00").status_code == 400


# --- rotating the link -------------------------------------------------------------


def test_coordinator_rotates_the_invite_link(app, client, factory, auth):
    coordinator = login(factory, auth)
    community = factory.community(coordinator, visibility="hidden")
    response = post(client, f"/c/{community.slug}/invite/rotate", follow=True)
    assert "A new invite link was made." in text(response)
    assert token_of(app, community) != community.invite_token


def test_rotated_link_stops_working(app, client, factory, auth):
    coordinator = login(factory, auth)
    community = factory.community(coordinator, visibility="hidden")
    old = community.invite_token
    post(client, f"/c/{community.slug}/invite/rotate")
    auth.logout()
    user = login(factory, auth)
    assert client.get(f"/c/invite/{old}").status_code == 404
    assert post(client, f"/c/invite/{old}").status_code == 404
    assert state(app, community, user) is None
    post(client, f"/c/invite/{token_of(app, community)}")
    assert state(app, community, user) == ("member", "active")


@pytest.mark.parametrize(
    ("visibility", "role", "expected"),
    [
        ("hidden", "member", 403),
        ("hidden", "moderator", 403),
        ("hidden", None, 404),
        ("public", None, 403),
    ],
)
def test_only_coordinators_rotate_the_link(app, client, factory, auth, visibility, role, expected):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    if role:
        factory.member(community, user, role=role)
    assert post(client, f"/c/{community.slug}/invite/rotate").status_code == expected
    assert token_of(app, community) == community.invite_token
