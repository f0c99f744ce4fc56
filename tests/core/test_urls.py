"""Absolute links are made in one place (cop/core/urls.py) from BASE_URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cop.core.urls import canonical_host, canonical_origin, external_url

ROOT = Path(__file__).resolve().parents[2]
#: url_for(..., _external=True) builds from the request's Host (reset poisoning)
EXTERNAL = re.compile(r"_external\s*=\s*True")


def test_no_link_is_built_from_the_request_host():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("cop", "templates")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".html", ".txt")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if EXTERNAL.search(line)
    ]
    assert not offenders, "use cop.core.urls.external_url: " + ", ".join(offenders)


@pytest.mark.parametrize(
    ("base", "host", "origin"),
    [
        ("https://cop.example.go.id/", "cop.example.go.id", "https://cop.example.go.id"),
        ("http://127.0.0.1:5000", "127.0.0.1", "http://127.0.0.1:5000"),
        ("https://Sekolah.Example.ID/cop", "sekolah.example.id", "https://Sekolah.Example.ID"),
    ],
)
def test_host_and_origin_of_a_base_url(base, host, origin):
    assert canonical_host(base) == host
    assert canonical_origin(base) == origin


def test_external_url_lives_under_a_base_path(app):
    app.config["BASE_URL"] = "https://sekolah.example.id/cop/"
    with app.test_request_context("/", base_url="http://evil.example/"):
        assert external_url("auth.login") == "https://sekolah.example.id/cop/auth/login"


@pytest.mark.parametrize(
    ("endpoint", "key", "values"),
    [
        ("discussions.post", "post_id", {}),
        ("discussions.topic", "reply_to", {"topic_id": 7, "cursor": "WzEwXQ"}),
        ("discussions.topic", "quote", {"topic_id": 7, "cursor": None}),
        ("communities.members", "page", {"slug": "kkg-gugus-3"}),
    ],
)
def test_a_url_pattern_gives_what_url_for_gives(app, endpoint, key, values):
    from flask import url_for

    from cop.core.urls import UrlPattern

    with app.test_request_context():
        pattern = UrlPattern(endpoint, key, **values)
        for value in (1, 42, 10_000_001):
            assert pattern(value) == url_for(endpoint, **{key: value}, **values)


def test_a_url_pattern_needs_its_value_in_the_url_once(app):
    from cop.core.urls import UrlPattern

    with app.test_request_context(), pytest.raises(ValueError, match="not in the URL once"):
        UrlPattern("discussions.post", "post_id", post_id_extra=UrlPattern.PLACEHOLDER)


def test_templates_url_for_remembers_links_and_gives_the_same(app):
    from flask import url_for

    from cop.core.templating import memo_url_for

    with app.test_request_context():
        assert memo_url_for("discussions.post", post_id=5) == url_for("discussions.post", post_id=5)
        assert memo_url_for("discussions.post", post_id=5) == "/p/5"
        memo = app.extensions["cop_url_memo"]
        assert any(key[1] == "discussions.post" for key in memo)
        # True and 1 are equal keys to a dict, not the same link
        assert memo_url_for("search.index", q=True) == url_for("search.index", q=True)
        assert memo_url_for("search.index", q=1) == url_for("search.index", q=1)
        # an unhashable value (a repeated argument) and an option are built as usual
        assert memo_url_for("search.index", q=["a", "b"]) == url_for("search.index", q=["a", "b"])
        assert memo_url_for("discussions.post", post_id=5, _anchor="x") == "/p/5#x"
    with app.test_request_context(base_url="http://localhost/sub"):
        # a site under a prefix gets its own links, not the root's
        assert memo_url_for("discussions.post", post_id=5) == "/sub/p/5"
