"""Logging: every line carries the request id, and production logs are JSON.

Each HTTP request gets an id (the proxy's ``X-Request-ID`` when it sends a sane one,
else a new one), echoed in the response's ``X-Request-ID`` header and added to
every log line written while the request runs; a Socket.IO event's lines carry
``sid:<socket id>``. ``COP_LOG_FORMAT=json`` (the production default) writes one
JSON object per line (time, level, logger, message, request_id, and the
traceback when there is one) for journald, Loki or any log shipper; ``text``
writes the plain lines that read well in a terminal.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

#: a request id a proxy may hand us: short and plain, so it cannot forge log lines
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    """The id of the request (or socket event) being handled, "" outside one."""
    if not has_request_context():
        return ""
    rid = g.get("request_id")
    if rid:
        return str(rid)
    sid = getattr(request, "sid", None)  # set by Flask-SocketIO inside an event
    return f"sid:{sid}" if sid else ""


class RequestIdFilter(logging.Filter):
    """Put ``request_id`` on every record (the formatters print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_logging(app: Flask) -> None:
    """Configure the root logger once, and give each request its id."""
    root = logging.getLogger()
    if not any(getattr(h, "_cop", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._cop = True  # type: ignore[attr-defined]
        handler.addFilter(RequestIdFilter())
        if app.config.get("LOG_FORMAT") == "json":
            handler.setFormatter(JsonFormatter())
        else:
            handler.setFormatter(
                logging.Formatter("%(levelname)s %(name)s [%(request_id)s] %(message)s")
            )
        root.addHandler(handler)
        root.setLevel(logging.INFO)

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _SANE_ID.match(given) else secrets.token_hex(8)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        if g.get("request_id"):
            response.headers["X-Request-ID"] = g.request_id
        return response
