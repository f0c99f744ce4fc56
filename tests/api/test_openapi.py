"""GET /api/v1/openapi.json: public, valid, and exactly the routes the server has."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from tests.api import API

COMPONENTS = [
    "User",
    "Token",
    "Community",
    "Membership",
    "Member",
    "MemberList",
    "CommunityList",
    "Error",
]


@pytest.fixture
def document(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def api_rules(app):
    """(path, method) of every /api/v1 rule, in OpenAPI spelling."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule).removeprefix(API)
            found |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_document_is_public_openapi_3(document):
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": API}]


def test_document_lists_exactly_the_api_routes(app, document):
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert documented == api_rules(app)


def test_document_covers_the_contract(document):
    expected = {
        ("/users", "post"),
        ("/tokens", "post"),
        ("/me", "get"),
        ("/communities", "get"),
        ("/communities", "post"),
        ("/communities/{slug}", "get"),
        ("/communities/{slug}/join", "post"),
        ("/communities/{slug}/members", "get"),
        ("/communities/{slug}/members/{user_id}", "patch"),
        ("/openapi.json", "get"),
    }
    assert expected <= {(p, m) for p, ops in document["paths"].items() for m in ops}


@pytest.mark.parametrize("name", COMPONENTS)
def test_component_schemas_are_valid_json_schema(document, name):
    Draft202012Validator.check_schema(document["components"]["schemas"][name])


def test_every_reference_resolves(document):
    refs = set(re.findall(r"'\$ref': '#/([^']+)'", str(document)))
    assert "components/schemas/Community" in refs
    for ref in refs:
        node = document
        for part in ref.split("/"):
            node = node[part]


def test_operations_are_complete(document):
    ids = []
    for path, operations in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for operation in operations.values():
            ids.append(operation["operationId"])
            assert any(code.startswith("2") for code in operation["responses"])
            params = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            assert params == names
    assert len(ids) == len(set(ids))


def test_security_schemes(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["cookieSession"]["in"] == "cookie"
    assert schemes["csrfToken"]["name"] == "X-CSRFToken"
    me = document["paths"]["/me"]["get"]["security"]
    assert {"bearerAuth": []} in me and {} not in me


def test_document_is_public_even_for_a_logged_out_client(client):
    response = client.get(f"{API}/openapi.json", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_error_responses_match_the_error_schema(client, factory, document):
    schema = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    validator = Draft202012Validator(schema)
    factory.user(email="guru@example.id")
    responses = [
        client.post(f"{API}/users", json={"email": "guru@example.id"}),  # 400 with fields
        client.post(f"{API}/users", data="{", content_type="application/json"),  # 400
        client.get(f"{API}/me"),  # 401
        client.get(f"{API}/communities/tidak-ada"),  # 404
        client.delete(f"{API}/openapi.json"),  # 405
        client.post(
            f"{API}/users",
            json={
                "email": "baru@example.id",
                "password": "hujan-di-bulan-juni",
                "name": "Guru",
                "username": factory.user().username,
            },
        ),  # 409 (a taken username; a taken email is not revealed)
    ]
    assert [r.status_code for r in responses] == [400, 400, 401, 404, 405, 409]
    for response in responses:
        validator.validate(response.get_json())
