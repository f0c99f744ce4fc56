"""The discussion API: topics, posts, edits, reactions, solutions."""

from __future__ import annotations

import pytest

from tests.api import API, auth_headers, check_response, error_code
from tests.discussions import forum, make_reply


def test_member_creates_topic_with_first_post(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.member)
    path = f"/communities/{f.community.slug}/topics"
    response = client.post(
        API + path,
        json={"title": "Modul ajar IPA", "body": "Ada contoh **modul ajar**?", "tags": ["ipa"]},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    body = check_response(client, "POST", path, response)
    assert body["title"] == "Modul ajar IPA"
    assert body["tags"] == ["ipa"]
    assert body["first_post"]["html"] == "<p>Ada contoh <strong>modul ajar</strong>?</p>\n"


def test_topics_are_listed_pinned_first(client, app, factory):
    f = forum(app, factory)
    path = f"/communities/{f.community.slug}/topics"
    response = client.get(API + path)
    body = check_response(client, "GET", path, response)
    assert [t["id"] for t in body["items"]] == [f.topic.id]


def test_reply_and_list_posts(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.coordinator)
    path = f"/topics/{f.topic.id}/posts"
    response = client.post(
        API + path,
        json={"body": "Coba lihat contoh ini", "parent_id": f.topic.first_post_id},
        headers=headers,
    )
    assert response.status_code == 201
    post = check_response(client, "POST", path, response)
    assert post["parent_id"] == f.topic.first_post_id
    listing = check_response(client, "GET", path, client.get(API + path))
    assert [p["id"] for p in listing["items"]] == [f.topic.first_post_id, post["id"]]


def test_same_client_token_creates_one_post(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.member)
    path = f"{API}/topics/{f.topic.id}/posts"
    data = {"body": "Terima kasih!", "client_token": "abcdefgh1234"}
    first = client.post(path, json=data, headers=headers).get_json()
    second = client.post(path, json=data, headers=headers).get_json()
    assert first["id"] == second["id"]
    assert len(client.get(path).get_json()["items"]) == 2


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"body": ""}, "validation_error"),
        ({"body": "x" * 32_001}, "body_too_long"),
        ({"body": "ok", "parent_id": 999999}, "bad_parent"),
        ({"body": "ok", "parent_id": "1"}, "validation_error"),
        ({"body": 5}, "validation_error"),
    ],
)
def test_bad_replies_are_400(client, app, factory, payload, code):
    f = forum(app, factory)
    response = client.post(
        f"{API}/topics/{f.topic.id}/posts", json=payload, headers=auth_headers(client, f.member)
    )
    assert response.status_code == 400
    assert error_code(response) == code


def test_reply_to_post_of_another_topic_is_400(client, app, factory):
    f = forum(app, factory)
    other = forum(app, factory)
    response = client.post(
        f"{API}/topics/{f.topic.id}/posts",
        json={"body": "ok", "parent_id": other.topic.first_post_id},
        headers=auth_headers(client, f.member),
    )
    assert error_code(response) == "bad_parent"


def test_outsider_cannot_reply_in_public_community(client, app, factory):
    f = forum(app, factory)
    response = client.post(
        f"{API}/topics/{f.topic.id}/posts",
        json={"body": "halo"},
        headers=auth_headers(client, f.outsider),
    )
    assert response.status_code == 403


def test_private_topic_is_404_to_outsiders(client, app, factory):
    f = forum(app, factory, visibility="private")
    headers = auth_headers(client, f.outsider)
    assert client.get(f"{API}/topics/{f.topic.id}", headers=headers).status_code == 404
    assert client.get(f"{API}/topics/{f.topic.id}/posts").status_code == 404


def test_locked_topic_refuses_replies(client, app, factory):
    from cop.discussions import services
    from cop.discussions.models import Topic
    from cop.extensions import db

    f = forum(app, factory)
    with app.app_context():
        services.set_topic_state(
            db.session.merge(f.coordinator), db.session.get(Topic, f.topic.id), locked=True
        )
    response = client.post(
        f"{API}/topics/{f.topic.id}/posts",
        json={"body": "halo"},
        headers=auth_headers(client, f.member),
    )
    assert response.status_code == 403
    assert error_code(response) == "topic_locked"


def test_edit_keeps_history_and_delete_is_soft(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.member)
    path = f"/posts/{f.topic.first_post_id}"
    response = client.patch(API + path, json={"body": "Teks baru"}, headers=headers)
    body = check_response(client, "PATCH", path, response)
    assert body["body"] == "Teks baru" and body["edited_at"]
    assert client.delete(API + path, headers=headers).status_code == 204
    posts = client.get(f"{API}/topics/{f.topic.id}/posts").get_json()["items"]
    assert posts[0]["deleted"] is True and posts[0]["body"] == ""


def test_other_member_cannot_edit(client, app, factory):
    f = forum(app, factory)
    other = factory.user()
    factory.member(f.community, other)
    response = client.patch(
        f"{API}/posts/{f.topic.first_post_id}",
        json={"body": "x"},
        headers=auth_headers(client, other),
    )
    assert response.status_code == 403


def test_reactions_count_once(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.coordinator)
    path = f"/posts/{f.topic.first_post_id}/reactions"
    client.post(API + path, json={"kind": "like"}, headers=headers)
    response = client.post(API + path, json={"kind": "like"}, headers=headers)
    body = check_response(client, "POST", path, response)
    assert body["reactions"] == {"like": 1, "thanks": 0}
    assert body["mine"] == ["like"]
    bad = client.post(API + path, json={"kind": "love"}, headers=headers)
    assert bad.status_code == 400


def test_author_marks_solution(client, app, factory):
    f = forum(app, factory)
    answer = make_reply(app, f.coordinator, f.topic, "Gunakan rubrik sederhana.")
    path = f"/topics/{f.topic.id}/solution"
    response = client.post(
        API + path, json={"post_id": answer.id}, headers=auth_headers(client, f.member)
    )
    body = check_response(client, "POST", path, response)
    assert body["solution_post_id"] == answer.id


def test_other_member_cannot_mark_solution(client, app, factory):
    f = forum(app, factory)
    other = factory.user()
    factory.member(f.community, other)
    response = client.post(
        f"{API}/topics/{f.topic.id}/solution",
        json={"post_id": f.topic.first_post_id},
        headers=auth_headers(client, other),
    )
    assert response.status_code == 403


def test_html_in_title_and_body_is_escaped(client, app, factory):
    f = forum(app, factory)
    response = client.post(
        f"{API}/communities/{f.community.slug}/topics",
        json={
            "title": "<script>alert(1)</script>",
            "body": "<img src=x onerror=alert(1)> [a](javascript:alert(1))",
        },
        headers=auth_headers(client, f.member),
    )
    html = response.get_json()["first_post"]["html"]
    assert "<img" not in html
    assert 'href="javascript' not in html
    page = client.get(f"/t/{response.get_json()['id']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
