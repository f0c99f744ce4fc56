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
