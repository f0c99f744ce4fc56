"""Feature errors and the handlers that turn them into pages or JSON.

Services raise these; the edges (views, API, sockets) translate them into a
flash message, an error page or ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request, session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, SecurityError

from cop.extensions import db


class CopError(Exception):
    """Base for errors a user can act on; ``message`` is shown to them."""

    status = 400
    code = "invalid"
    default_message: Any = _l("The request could not be processed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)

    @property
    def first_message(self) -> str:
        """What a page shows in one line: the first field's message, else the message."""
        return str(next(iter(self.fields.values()), None) or self.message)


class ValidationError(CopError):
    """The input is wrong; ``fields`` maps field names to messages."""

    status = 400
    code = "validation_error"
    default_message = _l("Some fields are not valid.")


class NotAuthenticated(CopError):
    """The caller must log in first."""

    status = 401
    code = "unauthenticated"
    default_message = _l("Please log in first.")


class Forbidden(CopError):
    """The caller may see the object but not do this to it."""

    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do that.")


class NotFound(CopError):
    """The object does not exist, or the caller may not know that it does."""

    status = 404
    code = "not_found"
    default_message = _l("Not found.")


class Conflict(CopError):
    """The request clashes with the current state (a duplicate, a second join)."""

    status = 409
    code = "conflict"
    default_message = _l("That conflicts with what already exists.")


class TooManyAttempts(CopError):
    """Too many wrong answers in a while (a check-in code): wait, or ask a person."""

    status = 429
    code = "rate_limited"
    default_message = _l("Too many requests. Please wait a moment and try again.")


HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in first."),
    403: _l("You are not allowed to do that."),
    404: _l("The page you are looking for does not exist or is not visible to you."),
    405: _l("That method is not allowed here."),
    409: _l("That conflicts with what already exists."),
    413: _l("The upload is too large."),
    415: _l("That content type is not supported."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
    503: _l("The site cannot reach its database right now. Please try again in a minute."),
}

#: seconds a client is told to wait when the database is away (Retry-After)
RETRY_AFTER_UNAVAILABLE = 10


def database_unavailable(error: BaseException) -> bool:
    """True for a database that is away or overloaded (down, restarting, a dropped
    connection, no free connection in the pool), not for a bug in a query."""
    if isinstance(error, sa_exc.TimeoutError):  # the pool had no connection to give
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return bool(error.connection_invalidated) or isinstance(
            error, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    return False


def _locale_without_database() -> str:
    """The request's language, found without a query (the database is away): the
    signed-in user's if already loaded, else the one chosen, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    user = g.get("_login_user")
    chosen = getattr(user, "__dict__", {}).get("locale") or session.get("locale")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or languages[0]


def wants_json() -> bool:
    """True for API calls, which always answer with JSON."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: Any, fields: dict | None = None) -> Response:
    """The one JSON error shape: ``{"error": {"code", "message"[, "fields"]}}``."""
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = {
            key: [str(m) for m in value] if isinstance(value, list) else str(value)
            for key, value in fields.items()
        }
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _render(status: int, message: Any) -> tuple[str, int]:
    template = f"errors/{status}.html" if status in (403, 404, 429, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Install handlers for feature errors, HTTP errors, CSRF and crashes."""

    @app.errorhandler(CopError)
    def handle_cop_error(error: CopError) -> Any:
        if wants_json():
            return error_response(error.status, error.code, error.message, error.fields)
        return _render(error.status, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> Any:
        message = _l(
            "The form expired or was sent from elsewhere. Please reload the page and try again."
        )
        if wants_json():
            return error_response(400, "csrf_failed", message)
        return _render(400, message)

    @app.errorhandler(SecurityError)
    def handle_untrusted_host(_error: SecurityError) -> Any:
        # A Host outside TRUSTED_HOSTS: no URL can be built for it (no page to render),
        # and nothing of the site is shown to whoever points a foreign name at it.
        return Response("400 Bad Request: unknown host", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Any:
        status = error.code or 500
        message = HTTP_MESSAGES.get(status, error.description)
        if wants_json():
            response = error_response(status, HTTP_CODES.get(status, "error"), message)
        else:
            body, _ = _render(status, message)
            response = Response(body, status=status, mimetype="text/html")
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            value = error.get_response().headers.get(header)
            if value:
                response.headers[header] = value
        return response

    def handle_unavailable(error: Exception) -> Any:
        # Read the language before the rollback expires the loaded user.
        locale = _locale_without_database()
        with contextlib.suppress(Exception):  # the connection may be gone with it
            db.session.rollback()
        app.logger.warning(
            "database unavailable on %s %s: %s", request.method, request.path,
            type(error).__name__,
        )  # fmt: skip
        with force_locale(locale):
            message = str(HTTP_MESSAGES[503])
            if wants_json():
                response = error_response(503, "unavailable", message)
            else:
                try:
                    # a page of its own: the layout reads the user and the site settings
                    body = render_template("errors/503.html", message=message, locale=locale)
                except Exception:
                    body = message
                response = Response(body, status=503, mimetype="text/html")
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def handle_crash(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return handle_http(error)
        if database_unavailable(error):
            return handle_unavailable(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return error_response(500, "server_error", HTTP_MESSAGES[500])
        try:
            return _render(500, HTTP_MESSAGES[500])
        except Exception:  # the template itself failed: answer plainly
            return Response("500 Internal Server Error", status=500, mimetype="text/plain")
