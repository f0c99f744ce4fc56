"""Likes, coordinators' picks, hiding, deleting, and the signals other features use."""

from __future__ import annotations

import pytest

from cop import signals
from cop.resources.models import Resource, ResourceLike
from tests.conftest import csrf_token
from tests.resources import resource_count, stored_files


@pytest.fixture
def world(factory):
    """A public MGMP: coordinator, moderator, member; a PDF the member shared."""
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, name="MGMP Matematika Kupang", kind="MGMP")
    moderator = factory.user(locale="en")
    factory.member(community, moderator, role="moderator")
    member = factory.user(locale="en")
    factory.member(community, member)
    resource = factory.resource(community, member)
    return {
        "community": community,
        "coordinator": coordinator,
        "moderator": moderator,
        "member": member,
        "resource": resource,
    }


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_like_twice_is_one_like_and_unlike_removes_it(app, client, auth, factory, world):
    auth.login(world["coordinator"].email)
    url = f"/resources/{world['resource'].id}/like"
    post(client, url, liked="1")
    post(client, url, liked="1")
    assert factory.get(Resource, world["resource"].id).like_count == 1
    post(client, url, liked="0")
    assert factory.get(Resource, world["resource"].id).like_count == 0
    with app.app_context():
        from cop.extensions import db

        assert db.session.query(ResourceLike).count() == 0


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("coordinator", "feature", 302),
        ("moderator", "feature", 403),
        ("member", "feature", 403),
        ("moderator", "hide", 302),
        ("member", "hide", 403),
    ],
)
def test_curation_rights(client, auth, world, who, action, status):
    auth.login(world[who].email)
    response = post(client, f"/resources/{world['resource'].id}/{action}")
    assert response.status_code == status


def test_coordinator_pick_shows_on_the_page(client, auth, world):
    auth.login(world["coordinator"].email)
    post(client, f"/resources/{world['resource'].id}/feature", featured="1")
    page = client.get(f"/resources/{world['resource'].id}").get_data(as_text=True)
    assert "Coordinators' pick" in page


def test_hidden_resource_is_404_to_members_but_not_to_its_uploader(client, auth, factory, world):
    auth.login(world["moderator"].email)
    post(client, f"/resources/{world['resource'].id}/hide", hidden="1")
    auth.logout()
    other = factory.user()
    factory.member(world["community"], other)
    auth.login(other.email)
    assert client.get(f"/resources/{world['resource'].id}").status_code == 404
    auth.logout()
    auth.login(world["member"].email)
    assert client.get(f"/resources/{world['resource'].id}").status_code == 200


def test_delete_removes_the_row_and_the_file(app, client, auth, world):
    auth.login(world["member"].email)
    response = post(client, f"/resources/{world['resource'].id}/delete")
    assert response.status_code == 302
    assert resource_count(app) == 0
    assert stored_files(app) == []


def test_signals_for_search_and_discussions(app, client, auth, factory, world):
    seen: list[tuple[str, object]] = []

    def shared(_sender, resource, actor, **_kw):
        seen.append(("shared", resource.title))

    def updated(_sender, resource, actor, change, **_kw):
        seen.append(("updated", change))

    def removed(_sender, resource_id, community_id, actor, **_kw):
        seen.append(("removed", resource_id))

    with (
        signals.resource_shared.connected_to(shared),
        signals.resource_updated.connected_to(updated),
        signals.resource_removed.connected_to(removed),
    ):
        resource = factory.resource(world["community"], world["member"], title="Modul Baru",
                                    content=b"%PDF-1.4 baru")  # fmt: skip
        auth.login(world["coordinator"].email)
        post(client, f"/resources/{resource.id}/feature", featured="1")
        post(client, f"/resources/{resource.id}/hide", hidden="1")
        post(client, f"/resources/{resource.id}/delete")
    assert seen == [
        ("shared", "Modul Baru"),
        ("updated", "featured"),
        ("updated", "hidden"),
        ("removed", resource.id),
    ]


def test_search_text_holds_what_search_should_index(app, factory, world):
    from cop.resources.queries import search_text

    resource = factory.resource(
        world["community"], world["member"], title="Modul Ekosistem", content=b"%PDF-1.4 eko",
        description="Untuk **kelas 7**", subject="IPA", tags=["ekosistem"],
    )  # fmt: skip
    data = search_text(resource)
    assert data["title"] == "Modul Ekosistem"
    assert "kelas 7" in data["body"] and "ekosistem" in data["body"]
    assert data["url"] == f"/resources/{resource.id}"
