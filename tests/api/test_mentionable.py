"""GET /api/v1/communities/{slug}/mentionable: whom the caller may @mention."""

from __future__ import annotations

import pytest

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.permissions import Mentionee
from cop.extensions import db
from tests.api import API, auth_headers, check_response, error_code


@pytest.fixture
def world(factory):
    coordinator = factory.user(name="Bu Rina Marlina, S.Pd.")
    community = factory.community(coordinator, name="KKG Gugus Mawar", visibility="public")
    andi = factory.user(name="Andi Pratama")
    anita = factory.user(name="Anita Sari")
    outsider = factory.user(name="Andika Luar")
    pending = factory.user(name="Andreas Menunggu")
    banned = factory.user(name="Andri Dilarang")
    gone = factory.user(name="Anto Nonaktif")
    factory.member(community, andi)
    factory.member(community, anita)
    factory.member(community, pending, status="pending")
    factory.member(community, banned, status="banned")
    factory.member(community, gone)
    with factory.app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    return {
        "community": community,
        "coordinator": coordinator,
        "andi": andi,
        "anita": anita,
        "outsider": outsider,
    }


def url(community, q="", **params):
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return f"{API}/communities/{community.slug}/mentionable?q={q}{extra}"


def names(response):
    return [item["name"] for item in response.get_json()["items"]]


def test_at_andi_finds_andi_pratama_and_only_active_members(client, world):
    headers = auth_headers(client, world["coordinator"])
    response = client.get(url(world["community"], "%40andi"), headers=headers)
    assert response.status_code == 200
    body = check_response(client, "GET", url(world["community"], "andi"), response)
    assert body["items"] == [
        {"id": world["andi"].id, "username": world["andi"].username, "name": "Andi Pratama"}
    ]
    assert body["next"] is None
    # "an" also finds Anita; never the outsider, pending, banned or deactivated ones
    assert names(client.get(url(world["community"], "an"), headers=headers)) == [
        "Andi Pratama",
        "Anita Sari",
    ]


def test_matches_a_later_word_of_the_name_and_the_handle(client, world):
    headers = auth_headers(client, world["andi"])
    assert names(client.get(url(world["community"], "prat"), headers=headers)) == []  # self
    assert names(client.get(url(world["community"], "marl"), headers=headers)) == [
        "Bu Rina Marlina, S.Pd."
    ]
    assert names(client.get(url(world["community"], "rina"), headers=headers)) == [
        "Bu Rina Marlina, S.Pd."
    ]


def test_wildcards_are_literal(client, world):
    headers = auth_headers(client, world["andi"])
    assert names(client.get(url(world["community"], "%25"), headers=headers)) == []
    assert names(client.get(url(world["community"], "_"), headers=headers)) == []


@pytest.mark.parametrize("q", ["", "%40", "a"])
def test_short_queries_answer_without_error(client, world, q):
    response = client.get(url(world["community"], q), headers=auth_headers(client, world["andi"]))
    assert response.status_code == 200
    if q in ("", "%40"):
        assert response.get_json()["items"] == []
    else:
        assert "Anita Sari" in names(response)


def test_a_500_character_query_is_a_readable_400(client, world):
    response = client.get(
        url(world["community"], "a" * 500),
        headers={**auth_headers(client, world["andi"]), "Accept-Language": "id"},
    )
    assert response.status_code == 400
    assert error_code(response) == "bad_query"
    assert "karakter" in response.get_json()["error"]["message"]


def test_limit_is_bounded(client, world):
    headers = auth_headers(client, world["coordinator"])
    assert len(names(client.get(url(world["community"], "an", limit=1), headers=headers))) == 1
    assert client.get(url(world["community"], "an", limit=21), headers=headers).status_code == 400


def test_a_non_member_cannot_list_in_a_public_community(client, world):
    response = client.get(
        url(world["community"], "an"), headers=auth_headers(client, world["outsider"])
    )
    assert response.status_code == 403


def test_a_private_community_is_404_to_outsiders_and_401_anonymous(client, factory, world):
    private = factory.community(world["coordinator"], visibility="private")
    response = client.get(url(private, "an"), headers=auth_headers(client, world["outsider"]))
    assert response.status_code == 404
    assert client.get(url(private, "an")).status_code == 401


def test_the_answer_takes_a_fixed_number_of_queries(client, factory, world, count_queries):
    headers = auth_headers(client, world["coordinator"])
    client.get(url(world["community"], "an"), headers=headers)
    with count_queries() as few:
        client.get(url(world["community"], "an"), headers=headers)
    for n in range(8):
        factory.member(world["community"], factory.user(name=f"Anwar Ke{n}"))
    with count_queries() as many:
        response = client.get(url(world["community"], "an", limit=20), headers=headers)
    assert len(names(response)) == 10
    assert many.count == few.count


def test_the_rule_and_its_sql_twin_agree(app, factory, world):
    """user.be_mentioned says yes exactly for the people mentionable_filter selects."""
    with app.app_context():
        community = db.session.get(Community, world["community"].id)
        everyone = list(db.session.scalars(db.select(User)))
        for caller in everyone:
            selected = set(
                db.session.scalars(
                    db.select(User.id).where(permissions.mentionable_filter(caller, community))
                )
            )
            allowed = {
                person.id
                for person in everyone
                if permissions.can(caller, "user.be_mentioned", Mentionee(person, community))
            }
            assert selected == allowed, caller
            if permissions.can(caller, "community.mention", community):
                assert world["andi"].id in selected | {caller.id}
            else:
                assert selected == set()
