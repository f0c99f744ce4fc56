"""The community directory: filters, visibility, keyset pages, the viewer's status."""

from __future__ import annotations

import re

import pytest

from cop.core.pagination import encode_cursor
from tests.communities import EN, login, text

CARD_RE = re.compile(r'<a class="card-link" href="/c/([a-z0-9-]+)"')


def listed(response) -> list[str]:
    """Slugs of the community cards on a directory page, in order."""
    return CARD_RE.findall(text(response))


@pytest.fixture
def world(factory):
    """Four communities that differ in every filterable field."""
    owner = factory.user()
    return {
        "kkg": factory.community(
            owner,
            name="KKG Gugus Anggrek",
            kind="KKG",
            level="SD",
            subject="",
            province="Sulawesi Selatan",
            city="Kabupaten Gowa",
            description="Guru kelas SD di Sungguminasa.",
        ),
        "mgmp": factory.community(
            owner,
            name="MGMP Matematika SMP",
            kind="MGMP",
            level="SMP",
            subject="Matematika",
            province="Jawa Barat",
            city="Kota Bandung",
            description="Soal HOTS dan numerasi.",
        ),
        "kombel": factory.community(
            owner,
            name="Kombel SMA Negeri 5",
            kind="KOMBEL",
            level="SMA",
            subject="Fisika",
            province="Papua",
            city="Kota Jayapura",
            description="Belajar praktikum sederhana.",
        ),
        "other": factory.community(
            owner,
            name="Guru Penggerak 100%",
            kind="OTHER",
            level="SMK",
            subject="Bahasa Inggris",
            province="Bali",
            city="Kota Denpasar",
            description="Komunitas lintas jenjang.",
        ),
    }


def slugs(world, *keys: str) -> list[str]:
    return sorted(world[key].slug for key in keys)


def test_directory_lists_public_and_private_communities(client, world):
    response = client.get("/c/", headers=EN)
    assert response.status_code == 200
    assert sorted(listed(response)) == slugs(world, "kkg", "mgmp", "kombel", "other")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("KKG", ["kkg"]), ("MGMP", ["mgmp"]), ("KOMBEL", ["kombel"]), ("OTHER", ["other"])],
)
def test_filter_by_kind(client, world, kind, expected):
    assert sorted(listed(client.get(f"/c/?kind={kind}"))) == slugs(world, *expected)


@pytest.mark.parametrize(
    ("level", "expected"),
    [("SD", ["kkg"]), ("SMP", ["mgmp"]), ("SMA", ["kombel"]), ("SMK", ["other"])],
)
def test_filter_by_level(client, world, level, expected):
    assert sorted(listed(client.get(f"/c/?level={level}"))) == slugs(world, *expected)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Matematika", ["mgmp"]),
        ("matematika", ["mgmp"]),
        ("fis", ["kombel"]),
        ("Inggris", ["other"]),
        ("Kimia", []),
    ],
)
def test_filter_by_subject(client, world, subject, expected):
    assert sorted(listed(client.get("/c/", query_string={"subject": subject}))) == slugs(
        world, *expected
    )


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("Sulawesi Selatan", ["kkg"]),
        ("gowa", ["kkg"]),
        ("Kota", ["mgmp", "kombel", "other"]),
        ("Jayapura", ["kombel"]),
        ("Bali", ["other"]),
        ("Maluku", []),
    ],
)
def test_filter_by_region_matches_province_or_city(client, world, region, expected):
    assert sorted(listed(client.get("/c/", query_string={"region": region}))) == slugs(
        world, *expected
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("anggrek", ["kkg"]),
        ("numerasi", ["mgmp"]),
        ("fisika", ["kombel"]),
        ("100%", ["other"]),
        ("%", ["other"]),  # a literal percent sign, not a wildcard
        ("_", []),
        ("tidak ada", []),
    ],
)
def test_filter_by_text_in_name_description_or_subject(client, world, q, expected):
    assert sorted(listed(client.get("/c/", query_string={"q": q}))) == slugs(world, *expected)


def test_filters_combine(client, world):
    response = client.get("/c/", query_string={"kind": "MGMP", "region": "Bandung"})
    assert listed(response) == [world["mgmp"].slug]


@pytest.mark.parametrize(
    "query",
    [{"kind": "SEKOLAH"}, {"level": "PAUD"}, {"kind": "<script>"}, {"q": "x" * 500}],
)
def test_unknown_or_oversized_filter_values_are_ignored(client, world, query):
    response = client.get("/c/", query_string=query)
    assert response.status_code == 200
    assert len(listed(response)) == 4


def test_no_match_says_so(client, world):
    response = client.get("/c/", query_string={"q": "tidak ada"}, headers=EN)
    assert "No community matches these filters." in text(response)


@pytest.mark.parametrize(
    "cursor",
    [
        "rusak",
        "!!!",
        encode_cursor([1]),
        encode_cursor([1, "dua"]),
        encode_cursor(["a", 2**70]),
        "A" * 600,
    ],
)
def test_invalid_cursor_is_a_400_page(client, world, cursor):
    response = client.get("/c/", query_string={"cursor": cursor}, headers=EN)
    assert response.status_code == 400
    assert "The page cursor is not valid." in text(response)


# --- hidden communities ---------------------------------------------------------


@pytest.fixture
def hidden(factory):
    return factory.community(name="Kelompok Rahasia", visibility="hidden")


def test_hidden_community_is_not_listed_to_visitors(client, hidden):
    assert hidden.slug not in listed(client.get("/c/"))


def test_hidden_community_is_not_listed_to_outsiders(client, factory, auth, hidden):
    login(factory, auth)
    assert hidden.slug not in listed(client.get("/c/"))


@pytest.mark.parametrize("status", ["pending", "banned"])
def test_hidden_community_is_not_listed_to_inactive_members(client, factory, auth, hidden, status):
    user = login(factory, auth)
    factory.member(hidden, user, status=status)
    assert hidden.slug not in listed(client.get("/c/"))


def test_hidden_community_is_listed_to_its_members(client, factory, auth, hidden):
    user = login(factory, auth)
    factory.member(hidden, user)
    assert hidden.slug in listed(client.get("/c/"))


def test_hidden_community_is_listed_to_site_admins(client, factory, auth, hidden):
    login(factory, auth, admin=True)
    assert hidden.slug in listed(client.get("/c/"))


def test_hidden_community_is_not_found_by_text_search(client, hidden):
    assert listed(client.get("/c/", query_string={"q": "Rahasia"})) == []


# --- the viewer's status on each card ------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "badge"),
    [
        ("member", "active", "member"),
        ("moderator", "active", "moderator"),
        ("coordinator", "active", "coordinator"),
        ("member", "pending", "request pending"),
    ],
)
def test_card_shows_the_viewers_status(client, factory, auth, role, status, badge):
    community = factory.community(visibility="private")
    user = login(factory, auth)
    factory.member(community, user, role=role, status=status)
    assert f">{badge}</span>" in text(client.get("/c/"))


def test_card_shows_no_status_to_outsiders(client, factory, auth):
    factory.community()
    login(factory, auth)
    body = text(client.get("/c/"))
    assert ">member</span>" not in body
    assert "request pending" not in body


# --- keyset pages ----------------------------------------------------------------


def test_pages_return_every_community_exactly_once(client, factory):
    owner = factory.user()
    created = {factory.community(owner, name=f"KKG Gugus {n:02d}").slug for n in range(45)}
    # Same-name communities from different people sort by id within the name.
    created |= {factory.community(name="KKG Gugus 07").slug for _ in range(3)}
    seen: list[str] = []
    url = "/c/"
    for _ in range(10):
        response = client.get(url)
        assert response.status_code == 200
        seen += listed(response)
        match = re.search(r'rel="next" href="([^"]+)"', text(response))
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    assert len(seen) == len(created) == 48
    assert set(seen) == created


def test_pages_keep_the_filters(client, factory):
    owner = factory.user()
    for n in range(25):
        factory.community(owner, name=f"MGMP Biologi {n:02d}", kind="MGMP")
    factory.community(owner, name="KKG Lain", kind="KKG")
    first = client.get("/c/?kind=MGMP")
    link = re.search(r'rel="next" href="([^"]+)"', text(first)).group(1).replace("&amp;", "&")
    assert "kind=MGMP" in link
    second = client.get(link)
    assert len(listed(first)) + len(listed(second)) == 25


# --- query counts ----------------------------------------------------------------


def directory_queries(client, count_queries) -> int:
    with count_queries() as q:
        response = client.get("/c/")
    assert response.status_code == 200
    return q.count


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_runs_a_constant_number_of_queries(
    client, factory, auth, count_queries, logged_in
):
    owner = factory.user()
    viewer = login(factory, auth) if logged_in else None
    communities = [factory.community(owner, name=f"KKG Gugus {n:02d}") for n in range(25)]
    for community in communities[:5]:
        if viewer:
            factory.member(community, viewer)
    client.get("/c/")  # warm up: last-seen update and the like
    few = directory_queries(client, count_queries)
    # Same page with more members everywhere: nothing grows with the rows shown.
    for community in communities[5:]:
        if viewer:
            factory.member(community, viewer, status="pending")
    many = directory_queries(client, count_queries)
    assert few == many
    assert many <= 8


def test_directory_query_count_does_not_grow_with_the_page(client, factory, auth, count_queries):
    owner = factory.user()
    viewer = login(factory, auth)
    client.get("/c/")
    for n in range(5):
        factory.member(factory.community(owner, name=f"KKG A {n:02d}"), viewer)
    five = directory_queries(client, count_queries)
    for n in range(20):
        factory.member(factory.community(owner, name=f"KKG B {n:02d}"), viewer)
    twenty_five = directory_queries(client, count_queries)
    assert five == twenty_five <= 8
