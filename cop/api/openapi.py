"""The OpenAPI 3.1 document of the JSON API, built from the routes that exist.

Every API view carries an ``Operation`` (set with the ``documented``
decorator, placed right under the route decorator). The document walks
``app.url_map``: its paths and methods are exactly the registered /api/v1
rules, and a view without an Operation is left out (a test fails on that).
Shapes live in ``cop.api.schemas``; features add theirs with ``add_schemas``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from cop.api.schemas import PARAMETERS, SCHEMAS, ref
from cop.api.views import bp
from cop.core.ids import MAX_ID

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"
OPENAPI_VERSION = "3.1.0"
SAFE_METHODS = {"get", "head", "options"}

_RULE_PARAM = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "int": {"type": "integer"},
    "float": {"type": "number"},
}


ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: (
        "BadRequest",
        "Invalid input: field errors (`fields`), malformed JSON or a non-object body, a bad "
        "cursor or limit, or a cookie-session request without its CSRF token.",
    ),
    401: (
        "Unauthorized",
        "Not logged in, or the Authorization header is malformed, unknown or revoked.",
    ),
    403: ("Forbidden", "The caller may see this but not do that."),
    404: ("NotFound", "It does not exist, or the caller may not see it."),
    409: ("Conflict", "It clashes with what exists (a duplicate, a second join, ...)."),
    413: ("PayloadTooLarge", "The request body is too large."),
    429: ("TooManyRequests", "Rate limited; see Retry-After."),
}

DESCRIPTION = """\
The contract for mobile apps, integrations and black-box tests.

**Auth**: `Authorization: Bearer <token>` (POST /tokens makes one), or the browser's
session cookie; cookie-session callers must send the CSRF token in `X-CSRFToken`
on POST, PUT, PATCH and DELETE.

**Errors**: `{"error": {"code", "message", "fields"?}}`; `code` is a stable English
identifier, `message` follows the caller's language (the user's locale, else
Accept-Language; Indonesian by default). Things the caller may not see are 404.

**Lists**: `{"items": [...], "next": cursor|null}` with `?limit=` and `?cursor=`.

**Times**: ISO 8601 with offset, in UTC.
"""


@dataclass(frozen=True)
class Operation:
    """What the document says about one view (one method of one path)."""

    summary: str
    tag: str
    status: int = 200
    response: str | None = None
    body: str | None = None
    errors: tuple[int, ...] = ()
    auth: str = "required"  # "required", "optional" (anonymous welcome) or "none"
    query: tuple[str, ...] = ()
    description: str = ""
    rate_limited: bool = False
    #: the body's media type: JSON, or multipart/form-data for uploads
    media: str = "application/json"
    #: other answers that are not errors: {status: description}, e.g. a redirect
    also: tuple[tuple[int, str], ...] = ()


def documented(summary: str, *, tag: str, **details: Any) -> Callable[[F], F]:
    """Attach the view's Operation; put it right under ``@bp.get``/``@bp.post``."""
    operation = Operation(summary=summary, tag=tag, **details)

    def decorate(view: F) -> F:
        view.__openapi__ = operation  # type: ignore[attr-defined]
        return view

    return decorate


def _security(auth: str, method: str) -> list[dict[str, list[str]]]:
    if auth == "none":
        return []
    session: dict[str, list[str]] = {"cookieSession": []}
    if method not in SAFE_METHODS:
        session["csrfToken"] = []
    schemes: list[dict[str, list[str]]] = [{"bearerAuth": []}, session]
    return [*schemes, {}] if auth == "optional" else schemes


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(
    endpoint: str, method: str, op: Operation, params: list[dict[str, Any]]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": endpoint.rsplit(".", 1)[-1],
        "summary": op.summary,
        "tags": [op.tag],
        "security": _security(op.auth, method),
    }
    if op.description:
        out["description"] = op.description
    parameters = params + [{"$ref": f"#/components/parameters/{name}"} for name in op.query]
    if parameters:
        out["parameters"] = parameters
    if op.body:
        out["requestBody"] = {"required": True, "content": {op.media: {"schema": ref(op.body)}}}
    success: dict[str, Any] = {"description": op.summary}
    if op.response:
        success["content"] = _json_content(ref(op.response))
    responses: dict[str, Any] = {str(op.status): success}
    for status, text in op.also:
        responses[str(status)] = {"description": text}
        if 200 <= status < 300 and op.response:  # another success: the same shape
            responses[str(status)]["content"] = _json_content(ref(op.response))
    errors = set(op.errors) | {401}  # a bad Authorization header is refused everywhere
    if op.body or method not in SAFE_METHODS:
        errors |= {400, 413}  # bad JSON, CSRF, size
    if op.rate_limited:
        errors.add(429)
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    out["responses"] = responses
    return out


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """'/api/v1/c/<id:user_id>' -> ('/c/{user_id}', [its path parameter]).

    An ``<id:...>`` is documented with the converter's range: anything else is a 404.
    """
    params = [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "schema": dict(
                _CONVERTER_SCHEMAS.get(match["converter"] or "", {"type": "string", "minLength": 1})
            ),
        }
        for match in _RULE_PARAM.finditer(rule)
    ]
    path = _RULE_PARAM.sub(lambda m: "{" + m["name"] + "}", rule)
    return path.removeprefix(API_PREFIX) or "/", params


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document for every documented /api/v1 route of ``app``."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX + "/"):
            continue
        op = getattr(app.view_functions.get(rule.endpoint), "__openapi__", None)
        if not isinstance(op, Operation):
            continue
        path, params = openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule.endpoint, method.lower(), op, params
            )
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "cop JSON API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": API_PREFIX}],
        "tags": [
            {"name": "users", "description": "Accounts and API tokens"},
            {"name": "communities", "description": "Communities and their members"},
            {"name": "meta", "description": "About the API itself"},
            {"name": "badges", "description": "Badges, awards and leaderboards"},
            {
                "name": "cycles",
                "description": "Learning cycles: lesson study, observations, mentoring",
            },
        ],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": {
                name: {"description": text, "content": _json_content(ref("Error"))}
                for name, text in ERROR_RESPONSES.values()
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from POST /tokens.",
                },
                "cookieSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": app.config.get("SESSION_COOKIE_NAME", "cop_session"),
                    "description": "The browser session of the web pages.",
                },
                "csrfToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-CSRFToken",
                    "description": "Required with the session cookie on unsafe methods; "
                    "the page's csrf-token meta tag holds it.",
                },
            },
        },
    }


@bp.get("/openapi.json")
@documented("This OpenAPI document", tag="meta", response="OpenAPIDocument", auth="none")
def openapi_document() -> ResponseReturnValue:
    """Serve the OpenAPI document (public; built once per app)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if "cop_openapi" not in app.extensions:
        app.extensions["cop_openapi"] = build_document(app)
    return jsonify(app.extensions["cop_openapi"])
