"""API: a community's resources (list, share by upload or link), one resource, its file."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import AT_LEAST_3_VISIBLE, DATE_TIME, PARAMETERS, add_schemas, list_of, obj
from cop.api.views import ID, NUL, Body, bp, cursor_arg, list_json, query_choice, query_text
from cop.communities import services as community_services
from cop.core.errors import ValidationError
from cop.core.pagination import parse_limit
from cop.core.ratelimit import per_account_and_ip
from cop.core.web import current, viewer
from cop.resources import queries, services
from cop.resources.download import file_response
from cop.resources.models import KINDS, LEVELS, LICENSES, PHASES
from cop.resources.serializers import resource_json

add_schemas(
    {
        "ResourceFile": obj(
            {
                "filename": {"type": "string", "description": "The uploaded name, sanitised."},
                "size": {"type": "integer", "minimum": 1},
                "content_type": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            }
        ),
        "Resource": obj(
            {
                "id": {"type": "integer"},
                "community": {"type": ["string", "null"], "description": "The community's slug."},
                "title": {"type": "string"},
                "description": {"type": "string", "description": "Markdown."},
                "kind": {"type": "string", "enum": list(KINDS)},
                "subject": {"type": "string"},
                "level": {"type": ["string", "null"], "enum": [*LEVELS, None]},
                "phase": {"type": "string", "enum": ["", *PHASES]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "license": {"type": "string", "enum": list(LICENSES)},
                "public": {"type": "boolean", "description": "Visible to everyone."},
                "featured": {"type": "boolean", "description": "A coordinators' pick."},
                "hidden": {"type": "boolean", "description": "Hidden by a moderator."},
                "url": {"type": ["string", "null"], "description": "For a shared link."},
                "file": {
                    "anyOf": [{"$ref": "#/components/schemas/ResourceFile"}, {"type": "null"}]
                },
                "filename": {"type": ["string", "null"]},
                "size": {"type": ["integer", "null"]},
                "content_type": {"type": ["string", "null"]},
                "download_url": {"type": "string"},
                "downloads": {"type": "integer", "minimum": 0},
                "likes": {"type": "integer", "minimum": 0},
                "uploader": {
                    "anyOf": [
                        obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
                        {"type": "null"},
                    ]
                },
                "topic_id": {
                    "type": ["integer", "null"],
                    "description": "Its discussion topic, when there is one.",
                },
                "created_at": DATE_TIME,
            }
        ),
        "ResourceList": list_of("Resource", "Resources in the chosen order."),
        "ResourceCreate": {
            "type": "object",
            "required": ["title", "kind", "url"],
            "description": "JSON to share a link (`url`). To share a file send "
            "multipart/form-data with the same fields plus `file` (tags comma-separated, "
            "public as 1/0).",
            "properties": {
                "title": {
                    "type": "string",
                    "minLength": 3,
                    "maxLength": 200,
                    "pattern": AT_LEAST_3_VISIBLE,
                },
                "kind": {"type": "string", "enum": list(KINDS)},
                "url": {
                    "type": "string",
                    "format": "uri",
                    "maxLength": 2000,
                    "pattern": "^https?://[^\\s/?#]+",
                },
                "description": {"type": "string", "maxLength": 10000},
                "subject": {"type": "string", "maxLength": 80},
                "level": {"type": ["string", "null"], "enum": [*LEVELS, None]},
                "phase": {"type": "string", "enum": ["", *PHASES]},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
                "license": {"type": "string", "enum": list(LICENSES), "default": "cc-by"},
                "public": {"type": "boolean", "default": False},
            },
        },
    }
)
PARAMETERS.update(
    {
        "resource_kind": {
            "name": "kind",
            "in": "query",
            "schema": {"type": "string", "enum": list(KINDS)},
        },
        "resource_q": {
            "name": "q",
            "in": "query",
            "description": "Words in the title, description, subject or tags.",
            "schema": {"type": "string", "maxLength": 200},
        },
        "tag": {"name": "tag", "in": "query", "schema": {"type": "string", "maxLength": 30}},
        "resource_sort": {
            "name": "sort",
            "in": "query",
            "schema": {"type": "string", "enum": list(queries.SORTS), "default": "newest"},
        },
        "featured": {
            "name": "featured",
            "in": "query",
            "description": "1 for coordinators' picks only.",
            "schema": {"type": "string", "enum": ["0", "1"]},
        },
    }
)


@bp.get("/communities/<slug>/resources")
@documented(
    "A community's resources",
    tag="resources",
    response="ResourceList",
    errors=(400, 404),
    auth="optional",
    query=(
        "resource_q",
        "resource_kind",
        "subject",
        "level",
        "tag",
        "featured",
        "resource_sort",
        "limit",
        "cursor",
    ),
    description="Private and hidden communities' resources are 404 to non-members.",
)
def list_resources(slug: str) -> ResponseReturnValue:
    """Filtered, sorted, keyset-paged."""
    user = viewer()
    community = community_services.visible_community(user, slug, "community.view_content")
    featured = query_choice("featured", ("0", "1"))
    filters = queries.LibraryFilters(
        q=query_text("q"),
        kind=query_choice("kind", KINDS),
        subject=query_text("subject"),
        level=query_choice("level", LEVELS),
        tag=query_text("tag", 30).lower(),
        featured=featured == "1",
        sort=query_choice("sort", queries.SORTS) or "newest",
    )
    page = queries.community_library(
        user, community, filters, cursor=cursor_arg(), limit=parse_limit(request.args.get("limit"))
    )
    return list_json(page, resource_json)


def _form_data() -> tuple[services.ResourceData, str | None]:
    """Fields from a multipart form (files) or a JSON body (links)."""
    if request.mimetype == "multipart/form-data":
        form = request.form
        for value in form.values():
            if NUL in value:
                raise ValidationError(_l("Contains a character that is not allowed."))
        data = services.ResourceData(
            title=form.get("title", ""),
            kind=form.get("kind", ""),
            description=form.get("description", ""),
            subject=form.get("subject", ""),
            level=form.get("level") or None,
            phase=form.get("phase", ""),
            tags=services.parse_tags(form.get("tags", "")),
            license=form.get("license") or "cc-by",
            public=form.get("public", "").lower() in ("1", "true", "yes", "on"),
        )
        return data, form.get("url") or None
    body = Body.from_request()
    tags = body.data.get("tags")
    if "tags" in body.data and (
        not isinstance(tags, list) or not all(isinstance(t, str) and NUL not in t for t in tags)
    ):  # null too: leave the field out for no tags
        body.errors["tags"] = _l("Must be a list of strings.")
        tags = None
    public = body.boolean("public", default=False)
    data = services.ResourceData(
        title=body.required("title"),
        kind=body.required("kind"),
        description=body.text("description") or "",
        subject=body.text("subject") or "",
        level=body.text("level", nullable=True) or None,
        phase=body.text("phase") or "",
        tags=services.parse_tags(tags),
        license=body.text("license") or "cc-by",
        public=public,
    )
    url = body.required("url")
    body.done()
    return data, url


@bp.post("/communities/<slug>/resources")
@documented(
    "Share a file (multipart) or a link (JSON) with a community",
    tag="resources",
    status=201,
    body="ResourceCreate",
    response="Resource",
    errors=(400, 403, 404, 409, 413),
    description="Files: pdf, docx, pptx, xlsx, odt, odp, png, jpg, gif, webp, mp4, mp3, "
    "checked against their content; at most COP_MAX_UPLOAD_MB (20 MB by default). "
    "409 `duplicate_resource` when the same file is already in the community.",
    rate_limited=True,
)
@per_account_and_ip("upload", "UPLOAD_RATE_LIMIT")
def create_resource(slug: str) -> ResponseReturnValue:
    """Share with the community (active members)."""
    user = viewer()
    community = community_services.visible_community(user, slug, "community.participate")
    actor = current()
    data, url = _form_data()
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        if url:
            raise ValidationError(fields={"url": _l("Send a file or a link, not both.")})
        resource = services.share_file(
            actor, community, data, services.Upload(upload.stream, upload.filename)
        )
    elif url:
        resource = services.share_link(actor, community, data, url)
    else:
        fields: dict[str, Any] = {}
        try:
            services.validate_data(data)
        except ValidationError as error:
            fields.update(error.fields)
        fields["file"] = _l("Send a file or a link.")
        raise ValidationError(fields=fields)
    return resource_json(resource), 201


@bp.get(f"/resources/<{ID}:resource_id>")
@documented(
    "One resource",
    tag="resources",
    response="Resource",
    errors=(404,),
    auth="optional",
)
def show_resource(resource_id: int) -> ResponseReturnValue:
    """Metadata of a resource the caller may see."""
    return resource_json(services.get_visible(viewer(), resource_id))


@bp.get(f"/resources/<{ID}:resource_id>/download")
@documented(
    "The resource's file",
    tag="resources",
    errors=(404,),
    auth="optional",
    description="The file itself, access-checked on every request, as an attachment with "
    "X-Content-Type-Options: nosniff and a CSP that allows nothing. A shared link answers "
    "302 to its URL.",
    also=((302, "A shared link: redirects to its URL (Location)."),),
)
def download_resource(resource_id: int) -> ResponseReturnValue:
    """Stream the file (or redirect to the link) and count the download."""
    user = viewer()
    resource = services.get_visible(user, resource_id, "resource.download")
    services.record_download(user, resource)
    return file_response(resource)
