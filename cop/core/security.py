"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app

from cop.core.urls import canonical_origin


def content_security_policy(base_url: str) -> str:
    """The CSP: everything from this site only. ``connect-src`` is 'self' plus the
    WebSocket origin of ``base_url`` (wss:// for https://), never ws:/wss: to any
    host, so injected script could not open a socket to somewhere else."""
    origin = canonical_origin(base_url)
    socket_origin = (
        "wss://" + origin.removeprefix("https://")
        if origin.startswith("https://")
        else "ws://" + origin.removeprefix("http://")
    )
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            f"connect-src 'self' {socket_origin}",
            "font-src 'self'",
            "worker-src 'self'",  # the service worker (/sw.js)
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _policy() -> str:
    return content_security_policy(str(current_app.config["BASE_URL"]))


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff, framing and referrer headers unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html" or response.mimetype == "application/json":
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app: Flask) -> None:
    """Register the header hooks (HSTS too when cookies are HTTPS-only)."""
    app.after_request(add_security_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):

        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response
