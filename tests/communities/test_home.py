"""A community's front page: what each viewer sees, and the right button."""

from __future__ import annotations

import re

import pytest

from tests.communities import EN, login, text


def page(client, community):
    return client.get(f"/c/{community.slug}", headers=EN)


def test_home_shows_the_community(client, factory):
    community = factory.community(
        name="MGMP Fisika SMA Kota Jayapura",
        kind="MGMP",
        level="SMA",
        subject="Fisika",
        province="Papua",
        city="Kota Jayapura",
        description="Kami berbagi **praktikum**.",
    )
    body = text(page(client, community))
    for expected in (
        "MGMP Fisika SMA Kota Jayapura",
        ">MGMP<",
        ">SMA<",
        ">Fisika<",
        "Kota Jayapura, Papua",
        "1 member",
    ):
        assert expected in body


def test_description_is_rendered_markdown(client, factory):
    community = factory.community(description="Kami berbagi **praktikum**.")
    assert "<strong>praktikum</strong>" in text(page(client, community))


def test_description_html_is_escaped(client, factory):
    community = factory.community(description="<script>alert(1)</script> <b>tebal</b>")
    body = text(page(client, community))
    assert "<script>alert(1)" not in body
    assert "<b>tebal</b>" not in body


def test_unknown_slug_is_404(client):
    assert client.get("/c/tidak-ada", headers=EN).status_code == 404


def test_public_home_lists_coordinators_and_moderators(client, factory):
    coordinator = factory.user(name="Ibu Ratna")
    community = factory.community(coordinator)
    factory.member(community, factory.user(name="Pak Moderator"), role="moderator")
    factory.member(community, factory.user(name="Guru Biasa"))
    body = text(page(client, community))
    assert "Ibu Ratna" in body
    assert "Pak Moderator" in body
    assert "Guru Biasa" not in body


def test_visitor_is_asked_to_log_in_to_join(client, factory):
    community = factory.community()
    body = text(page(client, community))
    assert "Log in to join" in body
    assert f"/auth/login?next=/c/{community.slug}" in body


@pytest.mark.parametrize(
    ("visibility", "role", "status", "shown", "absent"),
    [
        ("public", None, None, "Join</button>", "Request to join"),
        ("private", None, None, "Request to join</button>", "Leave the community"),
        ("private", "member", "pending", "Withdraw the request", "Request to join</button>"),
        ("private", "member", "pending", "Request pending", "Leave the community"),
        ("public", "member", "active", "Leave the community", "Join</button>"),
        ("private", "member", "banned", "You are banned", "Request to join</button>"),
        ("public", "member", "banned", "You are banned", "Join</button>"),
    ],
)
def test_viewer_sees_the_button_for_their_status(
    client, factory, auth, visibility, role, status, shown, absent
):
    community = factory.community(visibility=visibility)
    user = login(factory, auth)
    if role:
        factory.member(community, user, role=role, status=status)
    body = text(page(client, community))
    assert shown in body
    assert absent not in body


# --- private and hidden --------------------------------------------------------------


@pytest.fixture
def private(factory):
    coordinator = factory.user(name="Ibu Koordinator Rahasia")
    return factory.community(
        coordinator, visibility="private", name="MGMP Tertutup", description="Tentang kami."
    )


@pytest.mark.parametrize("status", [None, "pending", "banned"])
def test_private_home_shows_outsiders_only_the_about_part(client, factory, auth, private, status):
    user = login(factory, auth)
    if status:
        factory.member(private, user, status=status)
    response = page(client, private)
    body = text(response)
    assert response.status_code == 200
    assert "MGMP Tertutup" in body
    assert "Tentang kami." in body
    assert "1 member" in body
    assert "Ibu Koordinator Rahasia" not in body
    assert f"/c/{private.slug}/members" not in body


def test_private_home_shows_members_the_leaders(client, factory, auth, private):
    user = login(factory, auth)
    factory.member(private, user)
    assert "Ibu Koordinator Rahasia" in text(page(client, private))


def test_hidden_community_is_404_to_visitors(client, factory):
    community = factory.community(visibility="hidden")
    assert page(client, community).status_code == 404


@pytest.mark.parametrize("status", [None, "pending", "banned"])
def test_hidden_community_is_404_to_non_members(client, factory, auth, status):
    community = factory.community(visibility="hidden")
    user = login(factory, auth)
    if status:
        factory.member(community, user, status=status)
    assert page(client, community).status_code == 404


#: the CSRF token in the page's meta tag and in its forms
CSRF_TOKEN_RE = re.compile(r'(name="csrf-token" content|name="csrf_token" value)="[^"]+"')


def _without_csrf_token(body: str) -> str:
    """The page with its CSRF tokens blanked: a token is signed with the current
    second, so two requests that straddle a second boundary carry different ones."""
    return CSRF_TOKEN_RE.sub(r'\1="TOKEN"', body)


def test_hidden_404_looks_like_an_unknown_slug(client, factory):
    community = factory.community(visibility="hidden")
    hidden = text(page(client, community)).replace(community.slug, "SLUG")
    unknown = text(client.get("/c/tidak-ada", headers=EN)).replace("tidak-ada", "SLUG")
    assert _without_csrf_token(hidden) == _without_csrf_token(unknown)


@pytest.mark.parametrize("admin", [False, True])
def test_hidden_community_is_visible_to_members_and_admins(client, factory, auth, admin):
    community = factory.community(visibility="hidden")
    user = login(factory, auth, admin=admin)
    if not admin:
        factory.member(community, user)
    assert page(client, community).status_code == 200


# --- what coordinators see ---------------------------------------------------------


def test_coordinator_sees_invite_link_edit_link_and_requests(client, factory, auth):
    user = login(factory, auth)
    community = factory.community(user, visibility="private")
    factory.member(community, status="pending")
    factory.member(community, status="pending")
    body = text(page(client, community))
    assert f"http://localhost/c/invite/{community.invite_token}" in body
    assert f"/c/{community.slug}/invite/rotate" in body
    assert f"/c/{community.slug}/edit" in body
    assert "2 requests to join are waiting for you" in body


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_other_members_do_not_see_the_invite_link(client, factory, auth, role):
    community = factory.community(visibility="private")
    user = login(factory, auth)
    factory.member(community, user, role=role)
    body = text(page(client, community))
    assert community.invite_token not in body
    assert f"/c/{community.slug}/edit" not in body
