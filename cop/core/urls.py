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


class UrlPattern:
    """``url_for(endpoint, **values)`` with one integer value left open, built once.

    A list page links every row to the same few endpoints (a topic page: a post's
    link, its reactions, reply, quote, edit, delete, flag, hide ...); building each
    link through the URL map costs ~10 us, joining the id into a prepared URL ~0.2.
    ``UrlPattern("discussions.react", "post_id")(42)`` is what
    ``url_for("discussions.react", post_id=42)`` gives. The open value is an id, so
    nothing in it needs quoting.
    """

    __slots__ = ("head", "tail")

    #: stands in for the open value while the URL is built (no real id gets near it)
    PLACEHOLDER = 987_654_321_987

    def __init__(self, endpoint: str, key: str, **values: Any) -> None:
        marker = str(self.PLACEHOLDER)
        arguments: dict[str, Any] = {key: self.PLACEHOLDER, **values}
        built = url_for(endpoint, **arguments)
        head, found, tail = built.partition(marker)
        if not found or marker in tail:
            raise ValueError(f"{endpoint}: {key} is not in the URL once")
        self.head, self.tail = head, tail

    def __call__(self, value: int) -> str:
        return f"{self.head}{int(value)}{self.tail}"
