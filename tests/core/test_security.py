"""Security headers and request hygiene on every response."""

import gc

import pytest


@pytest.mark.parametrize("path", ["/", "/auth/login", "/c/", "/api/v1/openapi.json"])
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def _directive(csp: str, name: str) -> list[str]:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {csp}")


@pytest.mark.parametrize(
    ("base_url", "socket"),
    [
        ("https://cop.example.go.id", "wss://cop.example.go.id"),
        ("http://127.0.0.1:5000", "ws://127.0.0.1:5000"),
    ],
)
def test_connect_src_is_this_site_only(app, client, base_url, socket):
    app.config["BASE_URL"] = base_url
    csp = client.get("/").headers["Content-Security-Policy"]
    assert _directive(csp, "connect-src") == ["'self'", socket]
    assert "ws:" not in csp.split() and "wss:" not in csp.split()


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/auth/login")
    cookie = next(
        v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("cop_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/c/?q=%00", "/c/a%00b", "/auth/users/%00"])
def test_nul_bytes_in_pages_are_a_400(client, path):
    assert client.get(path).status_code == 400


def test_production_config_marks_cookies_secure_and_sends_hsts(database_template, tmp_path):
    from tests.conftest import make_app

    app = make_app(
        database_template, tmp_path, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True
    )
    response = app.test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = next(
        v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("cop_session=")
    )
    assert "Secure" in cookie


def test_versioned_static_assets_are_cached_for_a_year_and_compressed(client):
    response = client.get("/static/css/app.css?v=abc", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    response.close()


@pytest.mark.parametrize("query", ["?v=abc", ""])
def test_a_static_file_is_closed_even_if_the_response_never_is(app, query):
    """A browser that navigates on aborts the favicon: the server then never closes
    the response, so the file must already be closed when the view returns."""
    with app.test_request_context(f"/static/img/favicon.svg{query}"):
        response = app.view_functions["static"]("img/favicon.svg")
        assert response.get_data().startswith(b"<svg")
    del response
    gc.collect()  # an unclosed file would warn here, and warnings fail the test


@pytest.mark.parametrize("status", [403, 404, 429, 500])
def test_error_pages_exist_in_both_languages(app, status):
    from flask import render_template

    for lang in ("id", "en"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            html = render_template(f"errors/{status}.html", status=status, message="x")
        assert f'lang="{lang}"' in html
