"""Component schemas and parameters of the OpenAPI document: the API's shapes.

Response schemas are closed (``additionalProperties: false``, every field
required unless it is sometimes left out), so a field the server sends but
the document does not describe fails the tests. Features add their shapes
with ``add_schemas`` from their route module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cop.communities.models import KINDS, LEVELS, ROLES, STATUSES, VISIBILITIES
from cop.core.ids import MAX_ID
from cop.core.pagination import DEFAULT_LIMIT, MAX_CURSOR_LENGTH, MAX_LIMIT
from cop.core.timezones import ZONE_ABBREVIATIONS


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(
    properties: dict[str, Any], required: Iterable[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """A closed object schema (every response field must be documented).

    ``required`` defaults to every property: the server always sends them.
    """
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }
    schema.update(extra)
    return schema


def list_of(item: str, description: str) -> dict[str, Any]:
    """The list shape ``{items, next}`` around component ``item``."""
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "next": {
                "type": ["string", "null"],
                "description": "Pass as ?cursor= to get the next page; null on the last page.",
            },
        },
        description=description,
    )


#: a row id in a request (the ``<id:...>`` converter's range; cop/core/ids.py)
ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DATE_TIME = {"type": "string", "format": "date-time", "description": "ISO 8601 with offset"}
NULLABLE_DATE_TIME = {**DATE_TIME, "type": ["string", "null"]}
ZONES = list(ZONE_ABBREVIATIONS)
#: a text that has at least one character that is not a space
VISIBLE = "\\S"
#: at least 3 characters once the spaces around it are stripped
AT_LEAST_3_VISIBLE = "\\S[\\s\\S]+\\S"

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        "type": "string",
                        "description": "Stable English identifier, e.g. validation_error, "
                        "invalid_json, bad_cursor, bad_limit, csrf_failed, unauthenticated, "
                        "invalid_token, forbidden, not_found, conflict, rate_limited.",
                    },
                    "message": {
                        "type": "string",
                        "description": "Human-readable, in the caller's language.",
                    },
                    "fields": {
                        "type": "object",
                        "description": "Per-field messages for validation errors.",
                        "additionalProperties": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                            ]
                        },
                    },
                },
                required=["code", "message"],
            )
        }
    ),
    "User": obj(
        {
            "id": {"type": "integer"},
            "username": {"type": "string", "description": "The @mention handle."},
            "name": {"type": "string"},
            "email": {
                "type": "string",
                "description": "Only shown to the user themselves and to site admins.",
            },
            "locale": {"type": "string", "examples": ["id", "en"]},
            "timezone": {"type": "string", "enum": ZONES},
        },
        required=["id", "username", "name", "locale", "timezone"],
    ),
    "Registration": obj(
        {
            "status": {"type": "string", "enum": ["accepted"]},
            "email": {"type": "string", "description": "The address, as it was normalised."},
            "message": {"type": "string"},
        }
    ),
    "UserCreate": {
        "type": "object",
        "required": ["email", "password", "name"],
        "properties": {
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "password": {
                "type": "string",
                "minLength": 10,
                "maxLength": 256,
                "description": "Not a common password, nor the name or email.",
            },
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
            "username": {
                "type": "string",
                "pattern": "^@?(?=[a-z0-9_.]{3,32}$)[a-z0-9_]+(?:\\.[a-z0-9_]+)*$",
                "description": "Made from the name when omitted.",
            },
            "locale": {
                "type": "string",
                "enum": ["id", "en"],
                "description": "Defaults to the request's language (Accept-Language).",
            },
            "timezone": {"type": "string", "enum": ZONES, "default": "Asia/Jakarta"},
            "invite": {
                "type": "string",
                "description": "A community's invite token: needed when the site's "
                "registration is invite only.",
            },
        },
    },
    "Token": obj(
        {
            "token": {
                "type": "string",
                "description": "The secret; send as `Authorization: Bearer <token>`. Shown once.",
            },
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "prefix": {"type": "string", "description": "The first characters, to recognise it."},
            "created_at": DATE_TIME,
        }
    ),
    "TokenCreate": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {
            "email": {"type": "string", "minLength": 1, "pattern": "\\S"},
            "password": {"type": "string", "minLength": 1},
            "name": {"type": "string", "maxLength": 80, "default": "API"},
        },
    },
    "MyMembership": obj(
        {
            "role": {"type": "string", "enum": list(ROLES)},
            "status": {"type": "string", "enum": list(STATUSES)},
        },
        description="The caller's own membership.",
    ),
    "Community": obj(
        {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(KINDS)},
            "visibility": {"type": "string", "enum": list(VISIBILITIES)},
            "subject": {"type": "string"},
            "level": {"type": ["string", "null"], "enum": [*LEVELS, None]},
            "region": {"type": "string", "description": "City and province for display."},
            "province": {"type": "string"},
            "city": {"type": "string"},
            "description": {"type": "string"},
            "member_count": {"type": "integer", "minimum": 0},
            "created_at": DATE_TIME,
            "my_membership": nullable(ref("MyMembership")),
        }
    ),
    "CommunityCreate": {
        "type": "object",
        "required": ["name", "kind", "visibility"],
        "properties": {
            "name": {
                "type": "string",
                "minLength": 3,
                "maxLength": 120,
                "pattern": AT_LEAST_3_VISIBLE,
                "description": "3 to 120 characters, not counting spaces around it.",
            },
            "kind": {"type": "string", "enum": list(KINDS)},
            "visibility": {
                "type": "string",
                "enum": list(VISIBILITIES),
                "description": "public: anyone joins; private: join on approval; "
                "hidden: invite only, unlisted.",
            },
            "subject": {"type": "string", "maxLength": 80},
            "level": {
                "type": ["string", "null"],
                "enum": [*LEVELS, "", None],
                "description": "'' or null: no level.",
            },
            "province": {"type": "string", "maxLength": 80},
            "city": {"type": "string", "maxLength": 80},
            "description": {"type": "string", "maxLength": 5000},
            "slug": {
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$",
                "description": "Made from the name when omitted.",
            },
        },
    },
    "CommunityList": list_of("Community", "Communities by name."),
    "Membership": obj(
        {
            "user_id": {"type": "integer"},
            "community": {"type": "string", "description": "The community's slug."},
            "role": {"type": "string", "enum": list(ROLES)},
            "status": {"type": "string", "enum": list(STATUSES)},
            "joined_at": NULLABLE_DATE_TIME,
        }
    ),
    "Member": obj(
        {
            "user_id": {"type": "integer"},
            "name": {"type": "string"},
            "username": {"type": "string"},
            "role": {"type": "string", "enum": list(ROLES)},
            "status": {"type": "string", "enum": list(STATUSES)},
            "joined_at": NULLABLE_DATE_TIME,
        }
    ),
    "MemberList": list_of("Member", "Members, longest-standing first."),
    "MemberUpdate": {
        "type": "object",
        "minProperties": 1,
        "properties": {
            "role": {"type": "string", "enum": list(ROLES)},
            "status": {
                "type": "string",
                "enum": ["active", "banned"],
                "description": "active approves a request or lifts a ban.",
            },
        },
    },
    "OpenAPIDocument": {"type": "object", "description": "This document."},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"Page size, 1 to {MAX_LIMIT}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "cursor": {
        "name": "cursor",
        "in": "query",
        "description": "The `next` value of the previous page (opaque: URL-safe base64 "
        "of the sort keys, made by the server; anything else is a 400 bad_cursor).",
        "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH, "pattern": "^[A-Za-z0-9_-]*$"},
    },
    "q": {
        "name": "q",
        "in": "query",
        "description": "Words in the name, subject or description.",
        "schema": {"type": "string", "maxLength": 200},
    },
    "kind": {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)}},
    "subject": {"name": "subject", "in": "query", "schema": {"type": "string", "maxLength": 200}},
    "level": {"name": "level", "in": "query", "schema": {"type": "string", "enum": list(LEVELS)}},
    "region": {
        "name": "region",
        "in": "query",
        "description": "Part of the province or city name.",
        "schema": {"type": "string", "maxLength": 200},
    },
    "member_status": {
        "name": "status",
        "in": "query",
        "description": "pending and banned are for coordinators only.",
        "schema": {"type": "string", "enum": list(STATUSES), "default": "active"},
    },
}


def add_schemas(schemas: dict[str, dict[str, Any]]) -> None:
    """Let a feature add its component schemas (names must be new)."""
    clash = set(schemas) & set(SCHEMAS)
    if clash:
        raise ValueError(f"schemas already defined: {sorted(clash)}")
    SCHEMAS.update(schemas)
