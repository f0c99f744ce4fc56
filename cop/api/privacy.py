"""API: a member's data export and account deletion (UU PDP)."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.schemas import DATE_TIME, add_schemas, obj
from cop.api.views import Body, bp
from cop.core.types import iso
from cop.core.web import current
from cop.privacy import services

add_schemas(
    {
        "DataExport": obj(
            {
                "id": {"type": "integer"},
                "state": {"type": "string", "enum": ["queued", "ready", "expired"]},
                "created_at": DATE_TIME,
                "expires_at": {**DATE_TIME, "type": ["string", "null"]},
                "download_url": {
                    "type": ["string", "null"],
                    "description": "While ready: a signed link for the owner, valid 7 days.",
                },
            }
        ),
        "AccountDeletionRequest": obj(
            {
                "password": {"type": "string", "minLength": 1, "maxLength": 200},
                "keep_content": {
                    "type": "boolean",
                    "description": "Keep posts and materials under 'Mantan anggota' (default).",
                },
                "keep_certificates": {
                    "type": "boolean",
                    "description": "Keep certificates as anonymous records that still verify "
                    "the printed name (default); false revokes them.",
                },
            },
            required=["password"],
        ),
        "AccountDeletion": obj(
            {
                "due_at": DATE_TIME,
                "keep_content": {"type": "boolean"},
                "keep_certificates": {"type": "boolean"},
            },
            description="Erased at due_at unless cancelled on /privacy/my-data.",
        ),
    }
)


@bp.post("/me/export")
@documented(
    "Export my data",
    tag="users",
    status=202,
    response="DataExport",
    description="A ZIP of every row that is the caller's and their files, built in the "
    "background; asking again while one is queued or ready returns it.",
)
def export_my_data() -> ResponseReturnValue:
    """Start (or return) the caller's export."""
    export = services.request_export(current())
    url = None
    if export.state == "ready":
        url = f"/privacy/exports/{services.download_token(export)}"
    return {
        "id": export.id,
        "state": export.state,
        "created_at": iso(export.created_at),
        "expires_at": iso(export.expires_at),
        "download_url": url,
    }, 202


@bp.delete("/me")
@documented(
    "Delete my account",
    tag="users",
    status=202,
    body="AccountDeletionRequest",
    response="AccountDeletion",
    errors=(400, 409),
    description="Personal fields are erased after a 14-day grace period; attendance stays "
    "anonymous. 409 when the caller is the last coordinator of a community.",
)
def delete_me() -> ResponseReturnValue:
    """Ask for the caller's account to be deleted after the grace period."""
    user = current()
    body = Body.from_request()
    password = body.required("password")
    keep = body.boolean("keep_content", default=True)
    keep_certificates = body.boolean("keep_certificates", default=True)
    body.done()
    pending = services.request_deletion(
        user, user, password=password, keep_content=keep, keep_certificates=keep_certificates
    )
    return {
        "due_at": iso(pending.due_at),
        "keep_content": pending.keep_content,
        "keep_certificates": pending.keep_certificates,
    }, 202
