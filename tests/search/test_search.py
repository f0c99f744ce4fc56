"""Search: found in the same request after writing, ranked, highlighted, private stays private.

These run on SQLite (FTS5) by default and on PostgreSQL (tsvector + GIN) when
COP_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.core.types import utcnow
from cop.extensions import db
from cop.resources import services as resource_services
from tests.api import API, auth_headers, check_response
from tests.discussions import forum, make_reply


def test_new_reply_is_found_through_the_api_at_once(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.member)
    client.post(
        f"{API}/topics/{f.topic.id}/posts",
        json={"body": "Pembelajaran berdiferensiasi memakai kuis singkat."},
        headers=headers,
    )
    path = "/search?q=berdiferensiasi"
    body = check_response(client, "GET", path, client.get(API + path, headers=headers))
    assert [h["type"] for h in body["items"]] == ["post"]
    assert "<mark>" in body["items"][0]["snippet"]
    assert body["items"][0]["community"] == f.community.slug


def test_private_posts_are_never_shown_to_outsiders(client, app, factory):
    f = forum(app, factory, visibility="private")
    make_reply(app, f.member, f.topic, "Rahasia kurikulum sekolah penggerak")
    outsider = client.get(f"{API}/search?q=penggerak", headers=auth_headers(client, f.outsider))
    assert outsider.get_json()["items"] == []
    assert client.get(f"{API}/search?q=penggerak").get_json()["items"] == []
    member = client.get(f"{API}/search?q=penggerak", headers=auth_headers(client, f.member))
    assert len(member.get_json()["items"]) == 1


def test_edit_and_delete_keep_the_index_in_step(client, app, factory):
    f = forum(app, factory)
    headers = auth_headers(client, f.member)
    post_path = f"{API}/posts/{f.topic.first_post_id}"
    client.patch(post_path, json={"body": "Tentang literasi numerasi"}, headers=headers)
    assert len(client.get(f"{API}/search?q=numerasi").get_json()["items"]) == 1
    assert [h["type"] for h in client.get(f"{API}/search?q=cara").get_json()["items"]] == []
    client.delete(post_path, headers=headers)
    assert client.get(f"{API}/search?q=numerasi").get_json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(",
        "a AND OR",
        "*",
        "title:x",
        "'; DROP TABLE posts; --",
        "((()))",
        "ü^~",
    ],
)
def test_malformed_queries_are_safe(client, app, factory, query):
    forum(app, factory)
    response = client.get(f"{API}/search", query_string={"q": query})
    assert response.status_code == 200
    assert isinstance(response.get_json()["items"], list)


def test_snippets_escape_html(client, app, factory):
    f = forum(app, factory)
    make_reply(app, f.member, f.topic, "Pakai <b onclick=x>rubrik</b> penilaian")
    items = client.get(f"{API}/search?q=rubrik").get_json()["items"]
    snippet = items[0]["snippet"]
    # the tag shown escaped (on both databases: snippets come from the stored text)
    assert "<b " not in snippet and "onclick=x>" not in snippet
    assert "&lt;b onclick=x&gt;" in snippet
    assert "<mark>rubrik</mark>" in snippet


def test_filter_by_community(client, app, factory):
    f = forum(app, factory)
    g = forum(app, factory)
    hits = client.get(f"{API}/search?q=diagnostik&community={g.community.slug}").get_json()
    assert {h["url"] for h in hits["items"]} == {f"/t/{g.topic.id}", f"/p/{g.topic.first_post_id}"}
    assert f.topic.id != g.topic.id


def test_title_match_ranks_first(client, app, factory):
    f = forum(app, factory)
    make_reply(app, f.member, f.topic, "Kata kunci: modul")
    from tests.discussions import make_topic

    make_topic(app, f.member, f.community, title="Modul ajar fase B", body="Contoh untuk kelas 3")
    items = client.get(f"{API}/search?q=modul").get_json()["items"]
    assert items[0]["title"] == "Modul ajar fase B"


def test_search_page_renders_hits(client, app, factory):
    forum(app, factory)
    page = client.get("/search?q=diagnostik", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "<mark>diagnostik</mark>" in page.get_data(as_text=True)


def test_empty_query_is_400_in_the_api(client):
    assert client.get(f"{API}/search?q=").status_code == 400


def test_other_features_can_index_their_documents(app, factory):
    from cop.extensions import db
    from cop.search import services

    community = factory.community(name="MGMP IPA Kupang")
    with app.app_context():
        services.index_document(
            "resource", 7, community.id, "LKPD fotosintesis", "Lembar kerja", "/r/7"
        )
        db.session.commit()
        hits = services.search(None, "fotosintesis")
        assert [(h.type, h.id, h.url) for h in hits] == [("resource", 7, "/r/7")]
        services.remove_document("resource", 7)
        db.session.commit()
        assert services.search(None, "fotosintesis") == []


def _search(client, word, user=None):
    headers = auth_headers(client, user) if user is not None else {}
    return client.get(f"{API}/search?q={word}", headers=headers).get_json()["items"]


def _resource_world(factory, visibility="private"):
    coordinator = factory.user(locale="en")
    community = factory.community(coordinator, visibility=visibility)
    member = factory.user(locale="en")
    factory.member(community, member)
    outsider = factory.user(locale="en")
    resource = factory.resource(community, member, title="Modul Zebrakross Pecahan")
    return community, coordinator, member, outsider, resource


def test_shared_resource_is_found_by_members_only_and_gone_after_removal(app, client, factory):
    _community, _coordinator, member, outsider, resource = _resource_world(factory)
    hits = _search(client, "zebrakross", member)
    assert [(h["type"], h["id"], h["url"]) for h in hits] == [
        ("resource", resource.id, f"/resources/{resource.id}")
    ]
    assert _search(client, "zebrakross", outsider) == []
    assert _search(client, "zebrakross") == []
    with app.app_context():
        resource_services.remove(db.session.merge(member), resource_services.get(resource.id))
    assert _search(client, "zebrakross", member) == []


def test_hidden_resource_leaves_the_index_and_comes_back(app, client, factory):
    _community, coordinator, member, _outsider, resource = _resource_world(factory, "public")
    with app.app_context():
        actor = db.session.merge(coordinator)
        resource_services.set_hidden(actor, resource_services.get(resource.id), True)
        assert _search(client, "zebrakross", member) == []
        resource_services.set_hidden(actor, resource_services.get(resource.id), False)
    assert len(_search(client, "zebrakross", member)) == 1


def test_meetings_are_indexed_on_schedule_edit_and_cancel(app, client, factory):
    coordinator = factory.user(locale="en")
    community = factory.community(coordinator, visibility="private")
    member = factory.user(locale="en")
    factory.member(community, member)
    outsider = factory.user(locale="en")
    start = (utcnow() + timedelta(days=40)).replace(hour=0, minute=0, second=0, microsecond=0)
    headers = auth_headers(client, coordinator)
    response = client.post(
        f"{API}/communities/{community.slug}/meetings",
        json={
            "title": "Lokakarya Kaleidoskop",
            "description": "Membahas asesmen diagnostik.",
            "starts_at": start.strftime("%Y-%m-%dT08:00:00"),
            "ends_at": start.strftime("%Y-%m-%dT12:00:00"),
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD Inpres Tamalate",
            "agenda": [{"title": "Praktik gamelanisasi numerasi"}],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    meeting_id = response.get_json()["id"]
    for word in ("kaleidoskop", "diagnostik", "gamelanisasi"):
        hits = _search(client, word, member)
        assert [(h["type"], h["id"]) for h in hits] == [("meeting", meeting_id)], word
    assert _search(client, "kaleidoskop", outsider) == []
    client.patch(
        f"{API}/meetings/{meeting_id}", json={"title": "Lokakarya Origami"}, headers=headers
    )
    assert _search(client, "kaleidoskop", member) == []
    assert len(_search(client, "origami", member)) == 1
    client.patch(
        f"{API}/meetings/{meeting_id}",
        json={"status": "cancelled", "cancel_reason": "Banjir"},
        headers=headers,
    )
    assert _search(client, "origami", member) == []


@pytest.mark.postgres
def test_a_common_word_is_walked_newest_first_and_finds_what_the_index_finds(
    app, factory, monkeypatch
):
    """PostgreSQL: a word the statistics call common is found by walking the newest
    documents (no GIN scan of every match); the hits are those the index gives."""
    from sqlalchemy import event

    from cop.auth.models import User
    from cop.search import services, sources

    if not services_on_postgresql(app):
        from tests.conftest import service_missing

        service_missing("PostgreSQL only: SQLite's FTS5 walks its doclist newest first itself")
    f = forum(app, factory)
    for n in range(60):
        body = f"Catatan {n}: " + ("asesmen formatif di kelas" if n % 2 else "literasi membaca")
        make_reply(app, f.member, f.topic, body)
    monkeypatch.setattr(services, "SEARCH_CANDIDATES", 8)
    with app.test_request_context():
        services.reindex(sources.every_document())  # analyses the index too
        viewer = db.session.get(User, f.member.id)
        seen: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        walked = [(h.id, round(h.rank, 6)) for h in services.search(viewer, "asesmen", limit=5)]
        assert any("ts_match_vq" in statement for statement in seen), "the walk was not taken"
        rare = services.search(viewer, "catatan 7", limit=5)
        monkeypatch.setattr(services, "_common_walk", lambda *_: None)
        indexed = [(h.id, round(h.rank, 6)) for h in services.search(viewer, "asesmen", limit=5)]
    assert len(walked) == 5 and walked == indexed
    assert [h.snippet.count("<mark>") >= 1 for h in rare] == [True] * len(rare)


def services_on_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"
