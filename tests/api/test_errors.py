"""Every API error is JSON in the one error shape, never HTML and never a 500."""

from __future__ import annotations

import pytest

from tests.api import API, auth_headers, error_code


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"email": ', "application/json"),
        ("[1, 2]", "application/json"),
        ('"teks"', "application/json"),
        ("null", "application/json"),
        ("", "application/json"),
        (b"\xff\xfe", "application/json"),
        ("email=a@b.id", "application/x-www-form-urlencoded"),
        ('{"email": "a@b.id"}', "text/plain"),
    ],
)
def test_malformed_or_non_object_body_is_400(client, data, content_type):
    response = client.post(f"{API}/users", data=data, content_type=content_type)
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_malformed_body_on_an_authenticated_endpoint_is_400(client, factory):
    headers = auth_headers(client, factory.user())
    response = client.post(
        f"{API}/communities", data="{", content_type="application/json", headers=headers
    )
    assert error_code(response) == "invalid_json"


def test_unknown_api_path_is_a_json_404(client):
    response = client.get(f"{API}/tidak-ada")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_wrong_method_is_a_json_405(client):
    response = client.delete(f"{API}/openapi.json")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_too_large_body_is_a_json_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(f"{API}/users", json={"name": "x" * 2048})
    assert response.status_code == 413
    assert error_code(response) == "too_large"


def test_id_too_large_for_the_database_is_a_404(client, factory):
    community = factory.community()
    headers = auth_headers(client, factory.user())
    response = client.patch(
        f"{API}/communities/{community.slug}/members/{10**30}",
        json={"role": "member"},
        headers=headers,
    )
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_nul_character_in_a_field_is_400(client):
    data = {"email": "a@example.id", "password": "hujan-di-bulan-juni", "name": "Bu\x00Sari"}
    response = client.post(f"{API}/users", json=data)
    assert response.status_code == 400
    assert "name" in response.get_json()["error"]["fields"]


def test_nul_character_in_a_filter_is_400(client):
    response = client.get(f"{API}/communities?q=%00")
    assert response.status_code == 400
    assert "q" in response.get_json()["error"]["fields"]


def test_nul_character_in_a_slug_is_404(client):
    assert client.get(f"{API}/communities/a%00b").status_code == 404
