"""The library pages and the list API: filters, sorts, pages, hidden ones, query counts."""

from __future__ import annotations

import pytest

from cop.extensions import db
from cop.resources.models import Resource
from tests.api import API, auth_headers, check_response


@pytest.fixture
def world(factory):
    """A public KKG with a coordinator, a member and a few resources."""
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    member = factory.user(name="Pak Anwar", locale="en")
    factory.member(community, member)
    return {"community": community, "coordinator": coordinator, "member": member}


def make(factory, world, n, **fields):
    return factory.resource(
        world["community"],
        world["member"],
        content=b"%PDF-1.4 " + str(n).encode(),
        **fields,
    )


def set_counts(app, resource, downloads=0, likes=0, hidden=False):
    with app.app_context():
        row = db.session.get(Resource, resource.id)
        row.download_count, row.like_count, row.hidden = downloads, likes, hidden
        db.session.commit()


def api_titles(client, world, query="", headers=None):
    path = f"/communities/{world['community'].slug}/resources"
    response = client.get(f"{API}{path}?{query}", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    body = check_response(client, "GET", path, response)
    return [item["title"] for item in body["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=lkpd", ["LKPD Pecahan"]),
        ("kind=asesmen", ["Asesmen Diagnostik IPA"]),
        ("level=SMP", ["Asesmen Diagnostik IPA"]),
        ("subject=matem", ["LKPD Pecahan"]),
        ("tag=pecahan", ["LKPD Pecahan"]),
        ("tag=pec", []),
        ("q=diagnostik", ["Asesmen Diagnostik IPA"]),
        ("q=pecahan+lkpd", ["LKPD Pecahan"]),
        ("q=100%25", []),
    ],
)
def test_api_filters(client, factory, world, query, expected):
    make(factory, world, 1, title="LKPD Pecahan", kind="lkpd", subject="Matematika",
         level="SD", tags=["pecahan", "kelas-4"])  # fmt: skip
    make(factory, world, 2, title="Asesmen Diagnostik IPA", kind="asesmen", level="SMP")
    assert api_titles(client, world, query) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("newest", ["C", "B", "A"]), ("downloads", ["B", "A", "C"]), ("likes", ["A", "C", "B"])],
)
def test_api_sorts(app, client, factory, world, sort, expected):
    a, b, c = (make(factory, world, n, title=f"{t}AA") for n, t in enumerate("ABC"))
    set_counts(app, a, downloads=5, likes=9)
    set_counts(app, b, downloads=7, likes=0)
    set_counts(app, c, downloads=1, likes=3)
    assert [t[0] for t in api_titles(client, world, f"sort={sort}")] == expected


def test_api_pages_with_a_cursor(client, factory, world):
    for n in range(5):
        make(factory, world, n, title=f"Modul {n}")
    path = f"{API}/communities/{world['community'].slug}/resources?sort=downloads&limit=2"
    first = client.get(path).get_json()
    second = client.get(f"{path}&cursor={first['next']}").get_json()
    third = client.get(f"{path}&cursor={second['next']}").get_json()
    titles = [i["title"] for page in (first, second, third) for i in page["items"]]
    assert sorted(titles) == [f"Modul {n}" for n in range(5)]
    assert third["next"] is None


@pytest.mark.parametrize(
    ("query", "field"), [("kind=rpp", "kind"), ("sort=best", "sort"), ("level=TK", "level")]
)
def test_api_rejects_bad_filters(client, world, query, field):
    path = f"{API}/communities/{world['community'].slug}/resources?{query}"
    response = client.get(path)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_hidden_resources_are_listed_to_moderators_and_the_uploader_only(
    app, client, factory, world
):
    resource = make(factory, world, 1, title="Disembunyikan")
    set_counts(app, resource, hidden=True)
    outsider = factory.user()
    assert api_titles(client, world, headers=auth_headers(client, outsider)) == []
    assert api_titles(client, world, headers=auth_headers(client, world["member"])) == [
        "Disembunyikan"
    ]
    assert api_titles(client, world, headers=auth_headers(client, world["coordinator"])) == [
        "Disembunyikan"
    ]
    assert client.get(f"/resources/{resource.id}").status_code == 404


def test_page_filters_by_words_in_the_title(client, factory, world):
    make(factory, world, 1, title="LKPD Pecahan Senilai")
    make(factory, world, 2, title="Modul Ajar Ekosistem")
    page = client.get(f"/c/{world['community'].slug}/resources?q=pecahan").get_data(as_text=True)
    assert "LKPD Pecahan Senilai" in page and "Modul Ajar Ekosistem" not in page


@pytest.mark.parametrize("query", ["kind=rpp&sort=x", "level=S%20D&sort=", "tag=" + "x" * 300])
def test_page_ignores_bad_filter_values(client, factory, world, query):
    make(factory, world, 1, title="LKPD Pecahan Senilai")
    response = client.get(f"/c/{world['community'].slug}/resources?{query}")
    assert response.status_code == 200
    assert "LKPD Pecahan Senilai" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["q=%00", "subject=a%00b&tag=%00"])
def test_nul_bytes_in_filters_are_a_400(client, factory, world, query):
    # refused by the app-wide guard before any query runs (PostgreSQL rejects NUL)
    response = client.get(f"/c/{world['community'].slug}/resources?{query}")
    assert response.status_code == 400


def test_global_library_lists_public_resources_only(client, factory, world):
    make(factory, world, 1, title="Untuk Semua Guru", public=True)
    make(factory, world, 2, title="Hanya Anggota")
    page = client.get("/resources/").get_data(as_text=True)
    assert "Untuk Semua Guru" in page and "Hanya Anggota" not in page


def test_featured_filter(app, client, factory, world):
    make(factory, world, 1, title="Pilihan")
    make(factory, world, 2, title="Biasa")
    with app.app_context():
        db.session.query(Resource).filter_by(title="Pilihan").update({"featured": True})
        db.session.commit()
    assert api_titles(client, world, "featured=1") == ["Pilihan"]


@pytest.mark.parametrize("url", ["/c/{slug}/resources", "/resources/"])
def test_library_pages_use_the_same_queries_for_5_or_25_resources(
    app, client, auth, factory, world, count_queries, url
):
    auth.login(world["member"].email)
    path = url.format(slug=world["community"].slug)
    counts = []
    for total in (5, 25):
        while True:
            with app.app_context():
                have = db.session.query(Resource).count()
            if have >= total:
                break
            resource = make(factory, world, have, title=f"Modul {have}", public=True)
            liker = factory.user()
            with app.app_context():
                from cop.resources import services

                services.set_like(db.session.merge(liker), db.session.merge(resource), True)
        client.get(path)  # warm up: the first request after login records last_seen
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_nul_in_the_slug_is_400(client):
    assert client.get("/c/a%00b/resources").status_code == 400
