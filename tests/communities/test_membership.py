"""Joining, asking to join, withdrawing and leaving a community."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.communities.models import Community, Membership
from cop.extensions import db
from tests.communities import login, post, text


def memberships(app, community, user) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Membership).where(
                Membership.community_id == community.id, Membership.user_id == user.id
            )
        ).all()
        return [(m.role, m.status) for m in rows]


def member_count(app, community) -> int:
    with app.app_context():
        return db.session.get(Community, community.id).member_count


# --- join -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "status", "count"),
    [("public", "active", 2), ("private", "pending", 1)],
)
def test_join_public_is_active_and_private_is_pending(
    app, client, factory, auth, visibility, status, count
):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    response = post(client, f"/c/{community.slug}/join")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{community.slug}")
    assert memberships(app, community, user) == [("member", status)]
    assert member_count(app, community) == count


@pytest.mark.parametrize(
    ("visibility", "message"),
    [
        ("public", "Welcome! You are now a member of"),
        ("private", "Your request to join was sent."),
    ],
)
def test_join_flashes_the_result(client, factory, auth, visibility, message):
    community = factory.community(visibility=visibility)
    login(factory, auth)
    assert message in text(post(client, f"/c/{community.slug}/join", follow=True))


def test_join_hidden_is_404(app, client, factory, auth):
    community = factory.community(visibility="hidden")
    user = login(factory, auth)
    assert post(client, f"/c/{community.slug}/join").status_code == 404
    assert memberships(app, community, user) == []


@pytest.mark.parametrize(
    ("visibility", "message"),
    [
        ("public", "You are already a member of this community."),
        ("private", "Your request to join is already waiting for approval."),
    ],
)
def test_join_twice_makes_no_second_row(app, client, factory, auth, visibility, message):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    post(client, f"/c/{community.slug}/join")
    response = post(client, f"/c/{community.slug}/join", follow=True)
    assert response.status_code == 200
    assert message in text(response)
    assert len(memberships(app, community, user)) == 1


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_banned_member_cannot_join_again(app, client, factory, auth, visibility):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    factory.member(community, user, status="banned")
    response = post(client, f"/c/{community.slug}/join", follow=True)
    assert "You have been banned from this community." in text(response)
    assert memberships(app, community, user) == [("member", "banned")]


def test_visitor_joining_is_sent_to_log_in_and_back(client, factory):
    community = factory.community()
    response = post(client, f"/c/{community.slug}/join")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert f"next=/c/{community.slug}" in response.headers["Location"].replace("%2F", "/")


def test_join_without_csrf_token_is_refused(app, client, factory, auth):
    community = factory.community()
    user = login(factory, auth)
    response = client.post(f"/c/{community.slug}/join", data={})
    assert response.status_code == 400
    assert memberships(app, community, user) == []


def test_join_unknown_community_is_404(client, factory, auth):
    login(factory, auth)
    assert post(client, "/c/tidak-ada/join").status_code == 404


# --- leave ------------------------------------------------------------------------


def test_member_leaves(app, client, factory, auth):
    community = factory.community()
    user = login(factory, auth)
    factory.member(community, user)
    response = post(client, f"/c/{community.slug}/leave", follow=True)
    assert "You left" in text(response)
    assert memberships(app, community, user) == []
    assert member_count(app, community) == 1


def test_pending_request_is_withdrawn(app, client, factory, auth):
    community = factory.community(visibility="private")
    user = login(factory, auth)
    factory.member(community, user, status="pending")
    response = post(client, f"/c/{community.slug}/leave", follow=True)
    assert "Your request to join was withdrawn." in text(response)
    assert memberships(app, community, user) == []


def test_leaving_a_hidden_community_goes_to_the_directory(client, factory, auth):
    community = factory.community(visibility="hidden")
    user = login(factory, auth)
    factory.member(community, user)
    response = post(client, f"/c/{community.slug}/leave")
    assert response.headers["Location"].endswith("/c/")


def test_last_coordinator_cannot_leave(app, client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user)
    factory.member(community)  # a plain member does not count
    response = post(client, f"/c/{community.slug}/leave", follow=True)
    assert "You are the last coordinator." in text(response)
    assert memberships(app, community, user) == [("coordinator", "active")]


def test_coordinator_may_leave_when_another_remains(app, client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user)
    factory.member(community, role="coordinator")
    post(client, f"/c/{community.slug}/leave")
    assert memberships(app, community, user) == []


def test_banned_member_cannot_leave_their_ban(app, client, factory, auth):
    community = factory.community()
    user = login(factory, auth)
    factory.member(community, user, status="banned")
    response = post(client, f"/c/{community.slug}/leave", follow=True)
    assert response.status_code == 200
    assert memberships(app, community, user) == [("member", "banned")]


def test_outsider_leaving_gets_a_message(client, factory, auth):
    community = factory.community()
    login(factory, auth)
    response = post(client, f"/c/{community.slug}/leave", follow=True)
    assert "You are not a member of this community." in text(response)
