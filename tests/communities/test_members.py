"""The member list and what coordinators do there: approve, reject, roles, bans."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cop.admin.models import AuditLog
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


@pytest.fixture
def coordinated(factory, auth):
    """A private community whose coordinator (reading English) is logged in."""
    coordinator = login(factory, auth, name="Ibu Koordinator")
    community = factory.community(coordinator, visibility="private")
    return coordinator, community


# --- the list -------------------------------------------------------------------------


def test_members_page_lists_active_members_with_role_school_and_region(client, factory, auth):
    community = factory.community(factory.user(name="Ibu Ketua"))
    teacher = factory.user(
        name="Pak Anwar", school="SDN 1 Gowa", province="Sulawesi Selatan", city="Kabupaten Gowa"
    )
    factory.member(community, teacher, role="moderator")
    factory.member(community, factory.user(name="Bu Menunggu"), status="pending")
    factory.member(community, factory.user(name="Pak Dilarang"), status="banned")
    login(factory, auth)
    body = text(client.get(f"/c/{community.slug}/members"))
    assert (
        "Pak Anwar" in body and "SDN 1 Gowa" in body and "Kabupaten Gowa, Sulawesi Selatan" in body
    )
    assert ">Moderator</span>" in body
    assert "Bu Menunggu" not in body
    assert "Pak Dilarang" not in body


def test_members_page_of_a_public_community_is_open_to_visitors(client, factory):
    community = factory.community()
    assert client.get(f"/c/{community.slug}/members", headers=EN).status_code == 200


@pytest.mark.parametrize(
    ("visibility", "status", "expected"),
    [
        ("private", None, 404),
        ("private", "pending", 404),
        ("private", "banned", 404),
        ("private", "active", 200),
        ("hidden", None, 404),
        ("hidden", "active", 200),
    ],
)
def test_members_page_of_private_communities_is_for_members(
    client, factory, auth, visibility, status, expected
):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    if status:
        factory.member(community, user, status=status)
    assert client.get(f"/c/{community.slug}/members").status_code == expected


def test_private_members_page_is_404_to_visitors(client, factory):
    community = factory.community(visibility="private")
    assert client.get(f"/c/{community.slug}/members", headers=EN).status_code == 404


def test_members_see_no_management_controls(client, factory, auth):
    community = factory.community(visibility="private")
    factory.member(community, factory.user(name="Bu Menunggu"), status="pending")
    user = login(factory, auth)
    factory.member(community, user, role="moderator")
    body = text(client.get(f"/c/{community.slug}/members"))
    assert "Requests to join" not in body
    assert "Bu Menunggu" not in body
    assert 'name="role"' not in body


def test_coordinator_sees_requests_and_bans(client, factory, coordinated):
    _, community = coordinated
    factory.member(community, factory.user(name="Bu Menunggu"), status="pending")
    factory.member(community, factory.user(name="Pak Dilarang"), status="banned")
    body = text(client.get(f"/c/{community.slug}/members"))
    assert "Requests to join" in body and "Bu Menunggu" in body
    assert "Banned" in body and "Pak Dilarang" in body and "Lift the ban" in body


def test_member_pages_return_everyone_exactly_once(client, factory, coordinated):
    _, community = coordinated
    users = [factory.user(name=f"Guru Halaman {n:02d}") for n in range(24)]
    for user in users:
        factory.member(community, user)
    seen: list[str] = []
    url = f"/c/{community.slug}/members"
    while url:
        body = text(client.get(url))
        seen += re.findall(r"<strong>(Guru Halaman \d\d)</strong>", body)
        match = re.search(r'rel="next" href="([^"]+)"', body)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert sorted(seen) == sorted(u.name for u in users)


def test_invalid_member_cursor_is_a_400(client, factory, coordinated):
    _, community = coordinated
    response = client.get(f"/c/{community.slug}/members?cursor=WyJ4Il0")
    assert response.status_code == 400


# --- approve and reject ---------------------------------------------------------------------


def test_coordinator_approves_a_request(app, client, factory, coordinated):
    _, community = coordinated
    teacher = factory.user(name="Bu Menunggu")
    factory.member(community, teacher, status="pending")
    response = post(
        client, f"/c/{community.slug}/members/{teacher.id}", status="active", follow=True
    )
    assert "Bu Menunggu is now an active member." in text(response)
    assert state(app, community, teacher) == ("member", "active")
    with app.app_context():
        assert db.session.get(Community, community.id).member_count == 2


def test_coordinator_rejects_a_request(app, client, factory, coordinated):
    _, community = coordinated
    teacher = factory.user()
    factory.member(community, teacher, status="pending")
    response = post(client, f"/c/{community.slug}/members/{teacher.id}/reject", follow=True)
    assert "The request was declined." in text(response)
    assert state(app, community, teacher) is None


def test_rejecting_an_active_member_changes_nothing(app, client, factory, coordinated):
    _, community = coordinated
    teacher = factory.user()
    factory.member(community, teacher)
    response = post(client, f"/c/{community.slug}/members/{teacher.id}/reject", follow=True)
    assert "There is no pending request from that person." in text(response)
    assert state(app, community, teacher) == ("member", "active")


# --- roles --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "coordinator", "member"])
def test_coordinator_sets_a_role(app, client, factory, coordinated, role):
    _, community = coordinated
    teacher = factory.user()
    factory.member(community, teacher, role="moderator" if role == "member" else "member")
    response = post(client, f"/c/{community.slug}/members/{teacher.id}", role=role)
    assert response.status_code == 302
    assert state(app, community, teacher) == (role, "active")


def test_promotion_is_flashed_and_audited(app, client, factory, coordinated):
    coordinator, community = coordinated
    teacher = factory.user(name="Pak Baru")
    factory.member(community, teacher)
    response = post(
        client, f"/c/{community.slug}/members/{teacher.id}", role="moderator", follow=True
    )
    assert "Pak Baru is now: Moderator." in text(response)
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "membership.change"))
        assert (entry.actor_id, entry.target_id, entry.data["after"]["role"]) == (
            coordinator.id,
            teacher.id,
            "moderator",
        )


@pytest.mark.parametrize(
    "data",
    [{}, {"role": "admin"}, {"status": "pending"}, {"role": "", "status": ""}],
)
def test_invalid_member_change_is_refused(app, client, factory, coordinated, data):
    _, community = coordinated
    teacher = factory.user()
    factory.member(community, teacher)
    response = post(client, f"/c/{community.slug}/members/{teacher.id}", follow=True, **data)
    assert "Choose a role or an action for this member." in text(response)
    assert state(app, community, teacher) == ("member", "active")


def test_changing_someone_who_is_not_a_member_is_a_message(client, factory, coordinated):
    _, community = coordinated
    stranger = factory.user()
    response = post(
        client, f"/c/{community.slug}/members/{stranger.id}", role="moderator", follow=True
    )
    assert "That person is not a member of this community." in text(response)


@pytest.mark.parametrize("data", [{"role": "member"}, {"status": "banned"}], ids=["demote", "ban"])
def test_last_coordinator_cannot_be_demoted_or_banned(app, client, factory, coordinated, data):
    coordinator, community = coordinated
    response = post(client, f"/c/{community.slug}/members/{coordinator.id}", follow=True, **data)
    assert "A community needs at least one coordinator." in text(response)
    assert state(app, community, coordinator) == ("coordinator", "active")


@pytest.mark.parametrize(
    ("visibility", "role", "status", "expected"),
    [
        ("private", "member", "active", 403),
        ("private", "moderator", "active", 403),
        ("private", None, None, 404),
        ("private", "coordinator", "banned", 404),
        ("public", "member", "active", 403),
        ("public", None, None, 403),
        ("hidden", None, None, 404),
    ],
)
def test_only_coordinators_change_members(
    app, client, factory, auth, visibility, role, status, expected
):
    community = factory.community(visibility=visibility)
    teacher = factory.user()
    factory.member(community, teacher)
    user = login(factory, auth)
    if role:
        factory.member(community, user, role=role, status=status)
    url = f"/c/{community.slug}/members/{teacher.id}"
    assert post(client, url, role="coordinator").status_code == expected
    assert post(client, f"{url}/reject").status_code == expected
    assert state(app, community, teacher) == ("member", "active")


def test_visitor_changing_a_member_is_sent_to_log_in(client, factory):
    community = factory.community()
    response = post(client, f"/c/{community.slug}/members/1", role="coordinator")
    assert "/auth/login" in response.headers["Location"]


def test_site_admin_may_change_roles(app, client, factory, auth):
    community = factory.community(visibility="hidden")
    teacher = factory.user()
    factory.member(community, teacher)
    login(factory, auth, admin=True)
    post(client, f"/c/{community.slug}/members/{teacher.id}", role="moderator")
    assert state(app, community, teacher) == ("moderator", "active")


# --- bans -------------------------------------------------------------------------


def test_ban_removes_access_to_private_content(app, client, factory, auth):
    coordinator = factory.user()
    community = factory.community(coordinator, visibility="private")
    teacher = login(factory, auth)
    factory.member(community, teacher)
    assert client.get(f"/c/{community.slug}/members").status_code == 200
    auth.logout()
    auth.login(coordinator.email)
    post(client, f"/c/{community.slug}/members/{teacher.id}", status="banned")
    auth.logout()
    auth.login(teacher.email)
    assert client.get(f"/c/{community.slug}/members").status_code == 404
    assert state(app, community, teacher) == ("member", "banned")


def test_ban_drops_the_role_and_the_count(app, client, factory, coordinated):
    _, community = coordinated
    teacher = factory.user(name="Pak Dilarang")
    factory.member(community, teacher, role="moderator")
    response = post(
        client, f"/c/{community.slug}/members/{teacher.id}", status="banned", follow=True
    )
    assert "Pak Dilarang is banned from this community." in text(response)
    assert state(app, community, teacher) == ("member", "banned")
    with app.app_context():
        assert db.session.get(Community, community.id).member_count == 1


def test_unban_makes_an_active_member_again(app, client, factory, coordinated):
    _, community = coordinated
    teacher = factory.user()
    factory.member(community, teacher, status="banned")
    post(client, f"/c/{community.slug}/members/{teacher.id}", status="active")
    assert state(app, community, teacher) == ("member", "active")


# --- query counts ----------------------------------------------------------------


def members_page_queries(client, count_queries, community) -> int:
    with count_queries() as q:
        response = client.get(f"/c/{community.slug}/members")
    assert response.status_code == 200
    return q.count


def add_members(factory, community, n: int, status: str = "active") -> None:
    for _ in range(n):
        factory.member(community, factory.user(), status=status)


def test_members_page_runs_a_constant_number_of_queries(
    client, factory, coordinated, count_queries
):
    _, community = coordinated
    add_members(factory, community, 4)
    add_members(factory, community, 1, "pending")
    add_members(factory, community, 1, "banned")
    client.get(f"/c/{community.slug}/members")  # warm up
    few = members_page_queries(client, count_queries, community)
    add_members(factory, community, 25)
    add_members(factory, community, 10, "pending")
    add_members(factory, community, 5, "banned")
    many = members_page_queries(client, count_queries, community)
    assert few == many <= 10


def test_members_page_for_members_runs_a_constant_number_of_queries(
    client, factory, auth, count_queries
):
    community = factory.community(visibility="private")
    user = login(factory, auth)
    factory.member(community, user)
    add_members(factory, community, 3)
    client.get(f"/c/{community.slug}/members")
    five = members_page_queries(client, count_queries, community)
    add_members(factory, community, 25)
    thirty = members_page_queries(client, count_queries, community)
    assert five == thirty <= 8
