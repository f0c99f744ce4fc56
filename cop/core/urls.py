"""Absolute links on the site's configured address (``BASE_URL``, env ``COP_BASE_URL``).

A link that leaves the request (in a mail, a calendar feed, a certificate, a QR
code, an invite to copy) is built from the configured canonical address, never
from the request's ``Host`` header: a forged Host would otherwise send a reset
token to the attacker's domain (password-reset poisoning).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    """The site's canonical address without a trailing slash: ``https://cop.example.go.id``."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def canonical_host(url: str) -> str:
    """The host name (no port) of a base URL: what the trusted-hosts check allows."""
    return (urlsplit(url).hostname or "").lower()


def canonical_origin(url: str) -> str:
    """``scheme://host[:port]`` of a base URL (no path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def external_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` as an absolute URL on ``BASE_URL``.

    The path comes from the routes (without the request's script root, which
    ``BASE_URL`` already names when the site lives under a prefix).
    """
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root) :]
    return base_url() + path
