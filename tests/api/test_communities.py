"""GET/POST /api/v1/communities, GET /communities/{slug}, POST /communities/{slug}/join."""

from __future__ import annotations

import pytest

from cop.communities.models import Community, Membership
from cop.extensions import db
from tests.api import API, auth_headers, check_response, error_code

NEW = {
    "name": "MGMP Matematika SMP Kota Makassar",
    "kind": "MGMP",
    "visibility": "public",
    "subject": "Matematika",
    "level": "SMP",
    "province": "Sulawesi Selatan",
    "city": "Kota Makassar",
    "description": "Berbagi modul ajar dan asesmen.",
}


def slugs(response):
    return [item["slug"] for item in response.get_json()["items"]]


# --- the directory ------------------------------------------------------------


def test_directory_lists_public_and_private_but_not_hidden(client, factory):
    factory.community(name="KKG Gugus Satu", visibility="public")
    factory.community(name="KKG Gugus Dua", visibility="private")
    factory.community(name="KKG Gugus Rahasia", visibility="hidden")
    response = client.get(f"{API}/communities")
    assert response.status_code == 200
    check_response(client, "GET", "/communities", response)
    assert slugs(response) == ["kkg-gugus-dua", "kkg-gugus-satu"]
    assert response.get_json()["next"] is None


def test_directory_shows_hidden_communities_to_their_members(client, factory):
    member = factory.user()
    hidden = factory.community(name="KKG Gugus Rahasia", visibility="hidden")
    factory.member(hidden, member)
    response = client.get(f"{API}/communities", headers=auth_headers(client, member))
    assert slugs(response) == ["kkg-gugus-rahasia"]
    assert response.get_json()["items"][0]["my_membership"] == {
        "role": "member",
        "status": "active",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=MGMP", ["mgmp-ipa-smp-gowa"]),
        ("level=SD", ["kkg-gugus-3-tamalate"]),
        ("subject=ipa", ["mgmp-ipa-smp-gowa"]),
        ("region=gowa", ["mgmp-ipa-smp-gowa"]),
        ("region=Sulawesi", ["kkg-gugus-3-tamalate", "mgmp-ipa-smp-gowa"]),
        ("q=tamalate", ["kkg-gugus-3-tamalate"]),
        ("q=100%25", []),
    ],
)
def test_directory_filters(client, factory, query, expected):
    factory.community(name="KKG Gugus 3 Tamalate", kind="KKG", level="SD", city="Kota Makassar")
    factory.community(
        name="MGMP IPA SMP Gowa", kind="MGMP", level="SMP", subject="IPA", city="Kab. Gowa"
    )
    assert slugs(client.get(f"{API}/communities?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"), [("kind=kkg", "kind"), ("level=TK", "level"), ("q=" + "x" * 201, "q")]
)
def test_directory_rejects_bad_filters(client, query, field):
    response = client.get(f"{API}/communities?{query}")
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


# --- creating -----------------------------------------------------------------


def test_create_community(client, factory):
    user = factory.user()
    response = client.post(f"{API}/communities", json=NEW, headers=auth_headers(client, user))
    assert response.status_code == 201
    body = check_response(client, "POST", "/communities", response)
    assert body["slug"] == "mgmp-matematika-smp-kota-makassar"
    assert body["region"] == "Kota Makassar, Sulawesi Selatan"
    assert body["member_count"] == 1
    assert body["my_membership"] == {"role": "coordinator", "status": "active"}
    assert body["created_at"].endswith("+00:00")


def test_create_community_with_its_own_slug(client, factory):
    headers = auth_headers(client, factory.user())
    data = {
        "name": "Kombel SDN 1",
        "kind": "KOMBEL",
        "visibility": "private",
        "slug": "kombel-sdn1",
    }
    body = client.post(f"{API}/communities", json=data, headers=headers).get_json()
    assert (body["slug"], body["level"], body["visibility"]) == ("kombel-sdn1", None, "private")


def test_create_community_with_a_taken_slug_is_a_conflict(client, factory):
    factory.community(slug="kkg-gugus-1")
    headers = auth_headers(client, factory.user())
    response = client.post(
        f"{API}/communities", json={**NEW, "slug": "kkg-gugus-1"}, headers=headers
    )
    assert response.status_code == 409
    assert error_code(response) == "conflict"


def test_create_community_needs_authentication(client):
    response = client.post(f"{API}/communities", json=NEW)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "ab"}, "name"),
        ({"name": 7}, "name"),
        ({"kind": "SEKOLAH"}, "kind"),
        ({"kind": None}, "kind"),
        ({"visibility": "secret"}, "visibility"),
        ({"level": "TK"}, "level"),
        ({"description": "x" * 5001}, "description"),
        ({"slug": "Bukan Slug"}, "slug"),
        ({"slug": "admin"}, "slug"),
    ],
)
def test_create_community_rejects_bad_fields(client, factory, changes, field):
    headers = auth_headers(client, factory.user())
    data = {key: value for key, value in {**NEW, **changes}.items() if value is not None}
    response = client.post(f"{API}/communities", json=data, headers=headers)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


# --- one community ------------------------------------------------------------


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_show_community_to_anyone(client, factory, visibility):
    community = factory.community(name="KKG Gugus 7", visibility=visibility)
    response = client.get(f"{API}/communities/{community.slug}")
    assert response.status_code == 200
    body = check_response(client, "GET", f"/communities/{community.slug}", response)
    assert (body["name"], body["my_membership"]) == ("KKG Gugus 7", None)


def test_show_community_with_my_membership(client, factory):
    user = factory.user()
    community = factory.community()
    factory.member(community, user, role="moderator")
    response = client.get(f"{API}/communities/{community.slug}", headers=auth_headers(client, user))
    assert response.get_json()["my_membership"] == {"role": "moderator", "status": "active"}


def test_hidden_community_is_404_to_outsiders(client, factory):
    community = factory.community(visibility="hidden")
    hidden = client.get(
        f"{API}/communities/{community.slug}", headers=auth_headers(client, factory.user())
    )
    unknown = client.get(f"{API}/communities/tidak-ada")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.get_json() == unknown.get_json()


def test_hidden_community_is_shown_to_members(client, factory):
    user = factory.user()
    community = factory.community(visibility="hidden")
    factory.member(community, user)
    response = client.get(f"{API}/communities/{community.slug}", headers=auth_headers(client, user))
    assert response.status_code == 200


# --- joining ------------------------------------------------------------------


@pytest.mark.parametrize(("visibility", "status"), [("public", "active"), ("private", "pending")])
def test_join(client, factory, visibility, status):
    user = factory.user()
    community = factory.community(visibility=visibility)
    path = f"/communities/{community.slug}/join"
    response = client.post(API + path, headers=auth_headers(client, user))
    assert response.status_code == 201
    body = check_response(client, "POST", path, response)
    assert (body["user_id"], body["role"], body["status"]) == (user.id, "member", status)
    expected_count = 2 if status == "active" else 1
    assert factory.get(Community, community.id).member_count == expected_count


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_joining_twice_is_a_conflict(client, factory, visibility):
    headers = auth_headers(client, factory.user())
    community = factory.community(visibility=visibility)
    client.post(f"{API}/communities/{community.slug}/join", headers=headers)
    response = client.post(f"{API}/communities/{community.slug}/join", headers=headers)
    assert response.status_code == 409
    assert error_code(response) in {"already_member", "conflict"}


def test_banned_user_cannot_join(client, factory):
    user = factory.user()
    community = factory.community()
    factory.member(community, user, status="banned")
    response = client.post(
        f"{API}/communities/{community.slug}/join", headers=auth_headers(client, user)
    )
    assert response.status_code == 403
    assert error_code(response) == "banned"


@pytest.mark.parametrize("slug", ["hidden", "tidak-ada"])
def test_joining_hidden_or_unknown_is_404(client, factory, slug):
    factory.community(slug="hidden", visibility="hidden")
    response = client.post(
        f"{API}/communities/{slug}/join", headers=auth_headers(client, factory.user())
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("visibility", "status"), [("public", 401), ("private", 401), ("hidden", 404)]
)
def test_anonymous_join(client, factory, visibility, status):
    community = factory.community(visibility=visibility)
    assert client.post(f"{API}/communities/{community.slug}/join").status_code == status


def test_join_records_the_membership(app, client, factory):
    user = factory.user()
    community = factory.community()
    client.post(f"{API}/communities/{community.slug}/join", headers=auth_headers(client, user))
    with app.app_context():
        row = db.session.query(Membership).filter_by(user_id=user.id).one()
        assert row.joined_at is not None
