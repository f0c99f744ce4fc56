"""JSON shape of a resource (the API's, and any other edge's).

Field names are part of the contract (DESIGN.md): add, never rename. The
matching component schema is in ``cop.api.resources``.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from cop.core.types import iso
from cop.resources.models import Resource


def resource_json(resource: Resource) -> dict[str, Any]:
    """A resource; ``url`` for links, ``file`` (and its flat fields) for files."""
    file = None
    if resource.is_file:
        file = {
            "filename": resource.filename,
            "size": resource.size,
            "content_type": resource.content_type,
            "sha256": resource.sha256,
        }
    uploader = resource.uploader
    return {
        "id": resource.id,
        "community": resource.community.slug if resource.community else None,
        "title": resource.title,
        "description": resource.description,
        "kind": resource.kind,
        "subject": resource.subject,
        "level": resource.level,
        "phase": resource.phase,
        "tags": resource.tags,
        "license": resource.license,
        "public": resource.public,
        "featured": resource.featured,
        "hidden": resource.hidden,
        "url": resource.url,
        "file": file,
        "filename": resource.filename,
        "size": resource.size,
        "content_type": resource.content_type,
        "download_url": url_for("api.download_resource", resource_id=resource.id),
        "downloads": resource.download_count,
        "likes": resource.like_count,
        "uploader": {"id": uploader.id, "name": uploader.name} if uploader else None,
        "topic_id": resource.topic_id,
        "created_at": iso(resource.created_at),
    }
