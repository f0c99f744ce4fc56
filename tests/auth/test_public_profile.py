"""A teacher's public page: what others may see, and nothing more."""

from __future__ import annotations

import pytest

from tests.auth import EN, text


@pytest.fixture
def teacher(factory):
    return factory.user(
        name="Pak Budi Santoso",
        email="budi@example.id",
        username="pakbudi",
        school="SMP Negeri 3 Kupang",
        subjects="Matematika, Informatika",
        level="SMP",
        province="Nusa Tenggara Timur",
        city="Kota Kupang",
        bio="Belajar *bersama* itu **menyenangkan**. <script>alert(1)</script>",
    )


def test_the_public_page_shows_the_profile(client, teacher):
    response = client.get("/auth/users/pakbudi", headers=EN)
    assert response.status_code == 200
    page = text(response)
    for expected in [
        "Pak Budi Santoso",
        "@pakbudi",
        "SMP Negeri 3 Kupang",
        "Kota Kupang, Nusa Tenggara Timur",
        "Matematika",
        "Informatika",
        "<strong>menyenangkan</strong>",
    ]:
        assert expected in page


def test_the_public_page_escapes_html_in_the_bio(client, teacher):
    page = text(client.get("/auth/users/pakbudi"))
    assert "<script>alert(1)</script>" not in page


def test_the_public_page_does_not_show_the_email(client, teacher):
    assert "budi@example.id" not in text(client.get("/auth/users/pakbudi"))


@pytest.mark.parametrize("username", ["PakBudi", "@pakbudi"])
def test_the_handle_is_found_whatever_its_case(client, teacher, username):
    assert client.get(f"/auth/users/{username}").status_code == 200


def test_an_unknown_user_is_404(client):
    assert client.get("/auth/users/tidakada").status_code == 404


def test_an_inactive_user_is_404(client, factory):
    factory.user(username="nonaktif", active=False)
    assert client.get("/auth/users/nonaktif").status_code == 404


def _viewer(factory, auth, community, kind):
    """Log in a viewer of the given kind relative to ``community`` (None: anonymous)."""
    if kind == "anonymous":
        return
    if kind == "admin":
        viewer = factory.user(admin=True)
    else:
        viewer = factory.user()
        if kind == "member":
            factory.member(community, viewer)
    auth.login(viewer.email)


@pytest.mark.parametrize(
    ("visibility", "viewer", "shown"),
    [
        ("public", "anonymous", True),
        ("public", "outsider", True),
        ("private", "anonymous", False),
        ("private", "outsider", False),
        ("private", "member", True),
        ("private", "admin", True),
        ("hidden", "anonymous", False),
        ("hidden", "outsider", False),
        ("hidden", "member", True),
        ("hidden", "admin", True),
    ],
)
def test_communities_are_listed_only_where_the_viewer_may_see_members(
    client, factory, auth, teacher, visibility, viewer, shown
):
    community = factory.community(name="MGMP Matematika Kota Kupang", visibility=visibility)
    factory.member(community, teacher)
    _viewer(factory, auth, community, viewer)
    page = text(client.get("/auth/users/pakbudi"))
    assert ("MGMP Matematika Kota Kupang" in page) is shown


@pytest.mark.parametrize("status", ["pending", "banned"])
def test_communities_without_an_active_membership_are_not_listed(client, factory, teacher, status):
    community = factory.community(name="KKG Gugus 7 Kupang")
    factory.member(community, teacher, status=status)
    assert "KKG Gugus 7 Kupang" not in text(client.get("/auth/users/pakbudi"))


def test_the_coordinator_role_is_shown(client, factory, teacher):
    factory.community(teacher, name="KKG Gugus 7 Kupang")
    page = text(client.get("/auth/users/pakbudi", headers=EN))
    assert "KKG Gugus 7 Kupang" in page
    assert "coordinator" in page
