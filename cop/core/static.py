"""Static files: long-lived caching for hashed URLs and compression.

Flask's own static view streams files, and Flask-Compress loses the file's
``close`` when it compresses a stream. Our assets are small, so they are
read into memory instead; the compressed bytes are cached per URL.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request, send_from_directory

ONE_YEAR = 365 * 24 * 3600


class StaticCompressionCache:
    """Caches compressed bodies of static files only (dynamic pages are never cached)."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if ";static:" not in key:
            return
        if len(self._data) >= self.max_entries:
            self._data.clear()
        self._data[key] = value


_cache = StaticCompressionCache()


def compression_cache_key(req: Request) -> str:
    """Static files are keyed by URL (which includes their content hash)."""
    return f"static:{req.full_path}" if req.endpoint == "static" else "dynamic"


def init_static(app: Flask) -> None:
    """Replace the static view with one that caches well and compresses safely."""
    app.config.setdefault("COMPRESS_CACHE_BACKEND", lambda: _cache)
    app.config.setdefault("COMPRESS_CACHE_KEY", compression_cache_key)
    app.config["COMPRESS_STREAMS"] = False

    def static(filename: str) -> Any:
        versioned = "v" in request.args
        response: Response = send_from_directory(
            app.static_folder or "", filename, max_age=ONE_YEAR if versioned else 3600
        )
        if response.direct_passthrough:
            response.direct_passthrough = False
            response.make_sequence()  # read the (small) file into memory now
            # ... and close it now: when the browser drops the connection (it aborts
            # a favicon as it navigates on), the server never closes the response.
            response.close()
        if versioned:
            response.cache_control.immutable = True
            response.cache_control.public = True
        return response

    app.view_functions["static"] = static
