"""The one way a resource's file leaves the server (pages and API alike)."""

from __future__ import annotations

from flask import redirect, send_file
from werkzeug.wrappers import Response

from cop.resources import services
from cop.resources.models import Resource

#: a downloaded file may run nothing and load nothing, even if a browser renders it
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def guard(response: Response, cache_control: str) -> Response:
    """The headers every stored file leaves with (resources, chat files, meeting photos,
    signature images): no sniffing, a CSP that allows nothing, same-origin only, and
    the caller's caching (access is checked on every request)."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = cache_control
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def file_response(resource: Resource, *, inline: bool = False) -> Response:
    """The file as an attachment (inline only for images and PDFs), or a redirect for links.

    The caller has checked access. Headers: nosniff, a CSP that allows nothing,
    and no shared caching (access is checked on every request).
    """
    if resource.url is not None:
        response = redirect(resource.url)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    stream = services.open_file(resource)
    response = send_file(
        stream,
        mimetype=resource.content_type or "application/octet-stream",
        as_attachment=not (inline and resource.previewable),
        download_name=resource.filename or "berkas",
        conditional=False,
        etag=False,
        max_age=0,
    )
    if resource.size is not None:
        response.content_length = resource.size
    guard(response, "private, no-store")
    response.headers["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    return response
