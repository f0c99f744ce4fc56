"""Search as a teacher uses it: the header box, results grouped by kind and collapsed per
topic and per meeting series, plain-text snippets, filters by kind and community."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text, update

from cop.core.types import utcnow
from cop.extensions import db
from cop.search import services as search
from cop.search.models import SearchDocument
from tests.api import API, auth_headers
from tests.discussions import forum, make_reply, make_topic


def _series(client, coordinator, community, title="Modul ajar bulanan", count=5):
    start = (utcnow() + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)
    response = client.post(
        f"{API}/communities/{community.slug}/meetings",
        json={
            "title": title,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD Inpres Tamalate",
            "recurrence": f"FREQ=MONTHLY;COUNT={count}",
        },
        headers=auth_headers(client, coordinator),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_every_page_has_a_search_box_that_works_without_javascript(client):
    page = client.get("/communities").get_data(as_text=True)
    assert '<form class="header-search" method="get" action="/search" role="search">' in page
    assert 'name="q"' in page


def test_a_topic_and_its_replies_are_one_hit_with_and_n_more(client, app, factory):
    f = forum(app, factory)
    for n in range(3):
        make_reply(app, f.member, f.topic, f"Asesmen diagnostik awal nomor {n}")
    page = client.get("/search?q=diagnostik", headers={"Accept-Language": "id"}).get_data(
        as_text=True
    )
    assert page.count('class="search-hit"') == 1
    assert "dan 4 lainnya dalam topik ini" in page
    api = client.get(f"{API}/search?q=diagnostik&grouped=1").get_json()["items"]
    assert len(api) == 1 and api[0]["more"] == 4
    # ungrouped, the API keeps its old shape: every document
    assert len(client.get(f"{API}/search?q=diagnostik").get_json()["items"]) == 5


def test_a_monthly_series_is_one_hit(client, app, factory):
    f = forum(app, factory)
    _series(client, f.coordinator, f.community)
    page = client.get("/search?q=modul", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count('class="search-hit"') == 1
    assert "and 4 more in this series" in page


def test_results_are_grouped_by_kind_under_headings(client, app, factory):
    f = forum(app, factory)
    make_topic(app, f.member, f.community, title="Asesmen kelas 4", body="Asesmen formatif")
    _series(client, f.coordinator, f.community, title="Lokakarya asesmen", count=2)
    page = client.get("/search?q=asesmen", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.index('id="results-discussion"') < page.index('id="results-meeting"')


def test_snippets_are_plain_text_with_escaped_marks(client, app, factory):
    f = forum(app, factory)
    make_reply(
        app, f.member, f.topic, "Pakai **asesmen** dan [tautan](https://x.id) <script>x</script>"
    )
    hit = client.get(f"{API}/search?q=tautan").get_json()["items"][0]
    assert "**" not in hit["snippet"] and "](" not in hit["snippet"]
    assert "<script>" not in hit["snippet"]
    assert "&lt;script&gt;" in hit["snippet"]
    assert "<mark>tautan</mark>" in hit["snippet"]


def test_the_kind_filter_narrows_results(client, app, factory):
    f = forum(app, factory)
    _series(client, f.coordinator, f.community, title="Asesmen diagnostik bersama", count=1)
    kinds = {
        h["type"] for h in client.get(f"{API}/search?q=diagnostik&kind=meeting").get_json()["items"]
    }
    assert kinds == {"meeting"}
    page = client.get("/search?q=diagnostik&kind=discussion").get_data(as_text=True)
    assert 'id="results-meeting"' not in page and 'id="results-discussion"' in page
    assert client.get(f"{API}/search?q=diagnostik&kind=nope").status_code == 400
    # an unknown kind on the page is ignored, never a 500
    assert client.get("/search?q=diagnostik&kind=nope").status_code == 200


def test_the_community_filter_lists_my_communities_and_narrows(client, app, factory, auth):
    f = forum(app, factory)
    other = factory.community(name="MGMP Matematika Kupang")
    factory.member(other, f.member)
    make_topic(app, f.member, other, title="Diagnostik matematika", body="Tes diagnostik")
    auth.login(f.member.email)
    page = client.get(f"/search?q=diagnostik&community={other.slug}").get_data(as_text=True)
    assert f'<option value="{other.slug}" selected>' in page
    assert page.count('class="search-hit"') == 1 and "Diagnostik matematika" in page


def test_private_content_stays_hidden_after_grouping(client, app, factory):
    f = forum(app, factory, visibility="private")
    make_reply(app, f.member, f.topic, "Rahasia diagnostik")
    assert (
        client.get("/search?q=diagnostik").get_data(as_text=True).count('class="search-hit"') == 0
    )
    headers = auth_headers(client, f.outsider)
    assert (
        client.get(f"{API}/search?q=diagnostik&grouped=1", headers=headers).get_json()["items"]
        == []
    )


def test_reindex_turns_documents_stored_as_markdown_into_plain_text(app, factory):
    """Older versions indexed the Markdown source: `cop search reindex` rewrites them."""
    owner = factory.user()
    community = factory.community(owner)
    factory.topic(community, owner, title="Asesmen", body="Contoh **asesmen diagnostik** kelas 4")
    with app.app_context():
        # as an older version left it: the raw Markdown in the row (and the FTS table)
        db.session.execute(
            update(SearchDocument)
            .where(SearchDocument.kind == "post")
            .values(body="Contoh **asesmen diagnostik** kelas 4")
        )
        if db.engine.dialect.name == "sqlite":
            db.session.execute(
                text("UPDATE search_fts SET body = 'Contoh **asesmen diagnostik** kelas 4'")
            )
        db.session.commit()
        before = {h.type: h.snippet for h in search.search(owner, "diagnostik")}
        assert "**" in before["post"]

    result = app.test_cli_runner().invoke(args=["cop", "search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "document(s) written again" in result.output
    with app.app_context():
        after = {h.type: h.snippet for h in search.search(owner, "diagnostik")}
        stored = db.session.scalar(select(SearchDocument.body).where(SearchDocument.kind == "post"))
    assert "**" not in after["post"] and "<mark>diagnostik</mark>" in after["post"]
    assert stored == "Contoh asesmen diagnostik kelas 4"
