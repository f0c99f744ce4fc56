"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "worker-src 'self'",  # the service worker (/sw.js)
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff, framing and referrer headers unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html" or response.mimetype == "application/json":
        headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_nul_bytes() -> None:
    """A NUL byte in the path, query or form is never meaningful and PostgreSQL
    refuses it in text: answer 400 up front instead of failing deep inside.
    (The API checks its input field by field and names the field instead.)"""
    if request.path.startswith("/api/"):
        return
    if "\x00" in request.path or any(
        "\x00" in value for values in (request.args, request.form) for value in values.values()
    ):
        abort(400)


def init_security(app: Flask) -> None:
    """Register the header hooks (HSTS too when cookies are HTTPS-only)."""
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):

        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response
