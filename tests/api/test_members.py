"""GET /api/v1/communities/{slug}/members and PATCH .../members/{user_id}."""

from __future__ import annotations

import pytest

from cop.communities.models import Community
from tests.api import API, auth_headers, check_response, error_code


def members_path(community, user_id=None):
    path = f"/communities/{community.slug}/members"
    return path if user_id is None else f"{path}/{user_id}"


def patch(client, community, user_id, data, headers):
    return client.patch(API + members_path(community, user_id), json=data, headers=headers)


# --- listing ------------------------------------------------------------------


def test_public_members_are_listed_to_anyone(client, factory):
    owner = factory.user(name="Ibu Ketua")
    community = factory.community(owner)
    factory.member(community, factory.user(name="Pak Anggota"))
    factory.member(community, factory.user(), status="pending")
    response = client.get(API + members_path(community))
    assert response.status_code == 200
    body = check_response(client, "GET", members_path(community), response)
    assert [(m["name"], m["role"]) for m in body["items"]] == [
        ("Ibu Ketua", "coordinator"),
        ("Pak Anggota", "member"),
    ]
    assert body["items"][0]["joined_at"].endswith("+00:00")


@pytest.mark.parametrize("visibility", ["private", "hidden"])
def test_private_members_are_404_to_outsiders(client, factory, visibility):
    community = factory.community(visibility=visibility)
    outsider = auth_headers(client, factory.user())
    response = client.get(API + members_path(community), headers=outsider)
    assert response.status_code == 404
    assert client.get(API + members_path(community)).status_code == 404


def test_pending_member_cannot_list_private_members(client, factory):
    user = factory.user()
    community = factory.community(visibility="private")
    factory.member(community, user, status="pending")
    response = client.get(API + members_path(community), headers=auth_headers(client, user))
    assert response.status_code == 404


def test_private_members_are_listed_to_members(client, factory):
    user = factory.user()
    community = factory.community(visibility="private")
    factory.member(community, user)
    response = client.get(API + members_path(community), headers=auth_headers(client, user))
    assert len(response.get_json()["items"]) == 2


@pytest.mark.parametrize("status", ["pending", "banned"])
def test_coordinator_lists_pending_and_banned(client, factory, status):
    owner = factory.user()
    community = factory.community(owner)
    waiting = factory.user()
    factory.member(community, waiting, status=status)
    response = client.get(
        f"{API}{members_path(community)}?status={status}", headers=auth_headers(client, owner)
    )
    assert [m["user_id"] for m in response.get_json()["items"]] == [waiting.id]
    assert response.get_json()["items"][0]["status"] == status


def test_members_cannot_list_pending_requests(client, factory):
    user = factory.user()
    community = factory.community()
    factory.member(community, user)
    response = client.get(
        f"{API}{members_path(community)}?status=pending", headers=auth_headers(client, user)
    )
    assert response.status_code == 403


def test_anonymous_cannot_list_pending_requests(client, factory):
    community = factory.community()
    response = client.get(f"{API}{members_path(community)}?status=pending")
    assert response.status_code == 401


def test_unknown_member_status_is_400(client, factory):
    community = factory.community()
    response = client.get(f"{API}{members_path(community)}?status=kicked")
    assert response.status_code == 400
    assert "status" in response.get_json()["error"]["fields"]


def test_members_of_unknown_community_is_404(client):
    assert client.get(f"{API}/communities/tidak-ada/members").status_code == 404


# --- changing roles and status --------------------------------------------------


def test_coordinator_makes_a_moderator(client, factory):
    owner, user = factory.user(), factory.user()
    community = factory.community(owner)
    factory.member(community, user)
    path = members_path(community, user.id)
    response = client.patch(
        API + path, json={"role": "moderator"}, headers=auth_headers(client, owner)
    )
    assert response.status_code == 200
    body = check_response(client, "PATCH", path, response)
    assert (body["user_id"], body["role"], body["status"]) == (user.id, "moderator", "active")


def test_coordinator_approves_a_request(client, factory):
    owner, user = factory.user(), factory.user()
    community = factory.community(owner, visibility="private")
    factory.member(community, user, status="pending")
    response = patch(client, community, user.id, {"status": "active"}, auth_headers(client, owner))
    body = response.get_json()
    assert body["status"] == "active"
    assert body["joined_at"] is not None
    assert factory.get(Community, community.id).member_count == 2


def test_coordinator_bans_a_member(client, factory):
    owner, user = factory.user(), factory.user()
    community = factory.community(owner)
    factory.member(community, user, role="moderator")
    response = patch(client, community, user.id, {"status": "banned"}, auth_headers(client, owner))
    assert (response.get_json()["role"], response.get_json()["status"]) == ("member", "banned")


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_non_coordinators_cannot_change_roles(client, factory, role):
    actor, user = factory.user(), factory.user()
    community = factory.community()
    factory.member(community, actor, role=role)
    factory.member(community, user)
    response = patch(
        client, community, user.id, {"role": "coordinator"}, auth_headers(client, actor)
    )
    assert response.status_code == 403
    assert error_code(response) == "forbidden"


def test_outsider_of_a_public_community_is_403(client, factory):
    community = factory.community()
    user = factory.user()
    factory.member(community, user)
    response = patch(
        client, community, user.id, {"role": "moderator"}, auth_headers(client, factory.user())
    )
    assert response.status_code == 403


@pytest.mark.parametrize("visibility", ["private", "hidden"])
def test_outsider_of_a_private_community_is_404(client, factory, visibility):
    community = factory.community(visibility=visibility)
    user = factory.user()
    factory.member(community, user)
    response = patch(
        client, community, user.id, {"role": "moderator"}, auth_headers(client, factory.user())
    )
    assert response.status_code == 404


def test_last_coordinator_cannot_step_down(client, factory):
    owner = factory.user()
    community = factory.community(owner)
    response = patch(client, community, owner.id, {"role": "member"}, auth_headers(client, owner))
    assert response.status_code == 409
    assert error_code(response) == "last_coordinator"


def test_coordinator_steps_down_after_handing_over(client, factory):
    owner, other = factory.user(), factory.user()
    community = factory.community(owner)
    factory.member(community, other, role="coordinator")
    response = patch(client, community, owner.id, {"role": "member"}, auth_headers(client, owner))
    assert response.get_json()["role"] == "member"


def test_changing_an_unknown_member_is_404(client, factory):
    owner = factory.user()
    community = factory.community(owner)
    response = patch(client, community, 9999, {"role": "moderator"}, auth_headers(client, owner))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "ketua"}, "role"),
        ({"status": "pending"}, "status"),
        ({"role": 3}, "role"),
        ({}, None),
    ],
)
def test_member_change_rejects_bad_input(client, factory, data, field):
    owner, user = factory.user(), factory.user()
    community = factory.community(owner)
    factory.member(community, user)
    response = patch(client, community, user.id, data, auth_headers(client, owner))
    assert response.status_code == 400
    if field:
        assert field in response.get_json()["error"]["fields"]


def test_member_change_needs_authentication(client, factory):
    community = factory.community()
    response = client.patch(API + members_path(community, 1), json={"role": "member"})
    assert response.status_code == 401


@pytest.mark.parametrize("visibility", ["private", "hidden"])
def test_anonymous_member_change_in_a_private_community_is_404(client, factory, visibility):
    community = factory.community(visibility=visibility)
    response = client.patch(API + members_path(community, 1), json={"role": "member"})
    assert response.status_code == 404
