"""GET /api/v1/communities/{slug}/channels and GET /api/v1/channels/{id}/messages."""

from __future__ import annotations

import pytest

from tests.api import API, auth_headers, check_response, error_code
from tests.chat import general_channel, post


@pytest.fixture
def world(app, factory):
    owner = factory.user(name="Bu Sari")
    community = factory.community(owner, visibility="private")
    member = factory.user()
    factory.member(community, member)
    channel = general_channel(app, community)
    return {"owner": owner, "member": member, "community": community, "channel": channel}


def test_channels_list_the_general_channel_with_unread_counts(client, app, world):
    post(app, world["owner"], world["channel"], "satu")
    post(app, world["owner"], world["channel"], "dua")
    path = f"/communities/{world['community'].slug}/channels"
    response = client.get(API + path, headers=auth_headers(client, world["member"]))
    assert response.status_code == 200
    check_response(client, "GET", path, response)
    [item] = response.get_json()["items"]
    assert item["kind"] == "general" and item["community"] == world["community"].slug
    assert item["unread"] == 2


def test_old_communities_get_a_general_channel_on_first_use(client, app, factory):
    from cop.chat.models import Channel
    from cop.extensions import db

    owner = factory.user()
    community = factory.community(owner)
    with app.app_context():
        db.session.query(Channel).delete()  # as before the chat existed
        db.session.commit()
    path = f"/communities/{community.slug}/channels"
    response = client.get(API + path, headers=auth_headers(client, owner))
    assert [c["kind"] for c in response.get_json()["items"]] == ["general"]


def test_outsiders_do_not_see_channels(client, factory, world):
    outsider = factory.user()
    response = client.get(
        f"{API}/communities/{world['community'].slug}/channels",
        headers=auth_headers(client, outsider),
    )
    assert response.status_code == 404
    response = client.get(
        f"{API}/channels/{world['channel'].id}/messages", headers=auth_headers(client, outsider)
    )
    assert response.status_code == 404


def test_history_after_id_and_before_id(client, app, world):
    ids = [post(app, world["owner"], world["channel"], f"m{i}").id for i in range(7)]
    headers = auth_headers(client, world["member"])
    base = f"{API}/channels/{world['channel'].id}/messages"
    path = f"/channels/{world['channel'].id}/messages"

    latest = client.get(base + "?limit=3", headers=headers)
    check_response(client, "GET", path, latest)
    assert [m["id"] for m in latest.get_json()["items"]] == ids[4:]
    older = client.get(base + f"?cursor={latest.get_json()['next']}&limit=3", headers=headers)
    assert [m["id"] for m in older.get_json()["items"]] == ids[1:4]

    after = client.get(base + f"?after_id={ids[1]}&limit=3", headers=headers)
    check_response(client, "GET", path, after)
    assert [m["id"] for m in after.get_json()["items"]] == ids[2:5]
    rest = client.get(base + f"?cursor={after.get_json()['next']}&limit=3", headers=headers)
    assert [m["id"] for m in rest.get_json()["items"]] == ids[5:]
    assert rest.get_json()["next"] is None

    before = client.get(base + f"?before_id={ids[2]}", headers=headers)
    assert [m["id"] for m in before.get_json()["items"]] == ids[:2]
    assert before.get_json()["next"] is None


@pytest.mark.parametrize(
    "query",
    [
        "after_id=abc",
        "after_id=-1",
        "before_id=99999999999999999999999",
        "after_id=1&before_id=5",
        "cursor=nonsense",
        "limit=0",
    ],
)
def test_bad_history_queries_are_400(client, world, query):
    response = client.get(
        f"{API}/channels/{world['channel'].id}/messages?{query}",
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 400
    assert error_code(response)


def test_unknown_channel_is_404(client, world):
    response = client.get(
        f"{API}/channels/987654/messages", headers=auth_headers(client, world["member"])
    )
    assert response.status_code == 404


def test_unread_over_all_channels_of_all_communities(client, app, factory, world, count_queries):
    """What the header and the tabs refresh from: the total and each channel's count."""
    other_community = factory.community(world["owner"])
    factory.member(other_community, world["member"])
    other_channel = general_channel(app, other_community)
    post(app, world["owner"], world["channel"], "satu")
    post(app, world["owner"], world["channel"], "dua")
    post(app, world["owner"], other_channel, "tiga")
    post(app, world["member"], other_channel, "punya sendiri")  # one's own: not unread
    headers = auth_headers(client, world["member"])
    client.get(API + "/chat/unread", headers=headers)  # the token's first use is written once
    with count_queries() as q:
        response = client.get(API + "/chat/unread", headers=headers)
    assert response.status_code == 200
    check_response(client, "GET", "/chat/unread", response)
    assert response.get_json() == {
        "total": 3,
        "items": [
            {"channel_id": world["channel"].id, "unread": 2},
            {"channel_id": other_channel.id, "unread": 1},
        ],
    }
    fixed = q.count
    for _ in range(3):  # more communities, same number of queries
        community = factory.community(world["owner"])
        factory.member(community, world["member"])
        post(app, world["owner"], general_channel(app, community), "lagi")
    with count_queries() as q:
        assert client.get(API + "/chat/unread", headers=headers).get_json()["total"] == 6
    assert q.count == fixed


def test_unread_needs_a_login(client):
    response = client.get(API + "/chat/unread")
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"


def test_unread_total_is_capped_like_the_header(client, app, world):
    from cop.chat import queries
    from cop.extensions import db

    for i in range(queries.UNREAD_CAP + 2):
        post(app, world["owner"], world["channel"], f"pesan {i}")
    body = client.get(
        API + "/chat/unread", headers=auth_headers(client, world["member"])
    ).get_json()
    with app.app_context():
        header = queries.unread_total(db.session.merge(world["member"]).id)
    assert body["total"] == header == queries.UNREAD_CAP + 1
    assert body["items"] == [{"channel_id": world["channel"].id, "unread": queries.UNREAD_CAP + 2}]
