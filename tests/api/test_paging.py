"""Keyset lists: ?limit= and ?cursor= checks, each row once, constant query counts."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api import API, auth_headers, error_code

LISTS = ["/communities", "/communities/{slug}/members"]


def raw_cursor(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def walk(client, url, headers=None, limit=3):
    """Follow ``next`` cursors to the end; returns every page's items."""
    pages, cursor = [], None
    while True:
        query = f"limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(f"{url}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body["items"])
        cursor = body["next"]
        if cursor is None:
            return pages


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5"])
def test_invalid_limit_is_400(client, factory, path, limit):
    community = factory.community()
    response = client.get(f"{API}{path.format(slug=community.slug)}?limit={limit}")
    assert response.status_code == 400
    assert error_code(response) == "bad_limit"


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/communities", "bukan-kursor!"),
        ("/communities", raw_cursor([1])),
        ("/communities", raw_cursor([1, 2])),
        ("/communities", raw_cursor(["KKG", "x"])),
        ("/communities", raw_cursor(["KKG", True])),
        ("/communities", raw_cursor(["KKG", [1]])),
        ("/communities", raw_cursor(["KKG", 2**70])),
        ("/communities", raw_cursor({"a": 1})),
        ("/communities", "A" * 2000),
        ("/communities/{slug}/members", raw_cursor(["x"])),
        ("/communities/{slug}/members", raw_cursor([{"dt": "kemarin"}])),
        ("/communities/{slug}/members", raw_cursor([1.5])),
    ],
)
def test_invalid_cursor_is_400(client, factory, path, cursor):
    community = factory.community()
    response = client.get(f"{API}{path.format(slug=community.slug)}?cursor={cursor}")
    assert response.status_code == 400
    assert error_code(response) == "bad_cursor"


def test_communities_are_paged_each_exactly_once(client, factory):
    for n in range(8):
        factory.community(name=f"KKG Gugus {n % 3} Sama", visibility="public")
    pages = walk(client, f"{API}/communities")
    slugs = [item["slug"] for page in pages for item in page]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert len(slugs) == len(set(slugs)) == 8
    assert [item["name"] for page in pages for item in page] == sorted(
        item["name"] for page in pages for item in page
    )


def test_members_are_paged_each_exactly_once(client, factory):
    community = factory.community()
    for _ in range(7):
        factory.member(community)
    pages = walk(client, f"{API}/communities/{community.slug}/members")
    ids = [item["user_id"] for page in pages for item in page]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert len(ids) == len(set(ids)) == 8


def measure(client, count_queries, url, headers):
    """Statements run by one request (after a warm-up request that may write)."""
    client.get(url, headers=headers)
    with count_queries() as counter:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return counter.count, len(response.get_json()["items"])


def test_directory_query_count_does_not_grow_with_rows(client, factory, count_queries):
    viewer = factory.user()
    headers = auth_headers(client, viewer)
    url = f"{API}/communities?limit=50"
    for _ in range(5):
        factory.member(factory.community(), viewer)
    few, rows = measure(client, count_queries, url, headers)
    assert rows == 5
    for _ in range(20):
        factory.member(factory.community(), viewer)
    many, rows = measure(client, count_queries, url, headers)
    assert rows == 25
    assert few == many


def test_member_list_query_count_does_not_grow_with_rows(client, factory, count_queries):
    viewer = factory.user()
    community = factory.community(viewer, visibility="private")
    headers = auth_headers(client, viewer)
    url = f"{API}/communities/{community.slug}/members?limit=50"
    for _ in range(4):
        factory.member(community)
    few, rows = measure(client, count_queries, url, headers)
    assert rows == 5
    for _ in range(20):
        factory.member(community)
    many, rows = measure(client, count_queries, url, headers)
    assert rows == 25
    assert few == many
