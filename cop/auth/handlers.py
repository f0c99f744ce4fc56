"""Wiring for Flask-Login: loading users, the login redirect, last-seen tracking."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cop.auth import services
from cop.auth.models import User
from cop.core.errors import error_response, wants_json
from cop.extensions import login_manager


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """Session and remember-me cookies hold a login session's key: an open session on
    the server is required, so a copied cookie dies with its logout."""
    return services.user_for_session(session_key)


@login_manager.unauthorized_handler
def unauthorized() -> Any:
    """API callers get a 401 in the error shape; browsers go to the login page."""
    if wants_json():
        return error_response(401, "unauthenticated", _l("Please log in first."))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    """Login settings and the last-seen hook."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.before_request
    def _touch_last_seen() -> None:
        if current_user.is_authenticated and request.endpoint != "static":
            services.touch_last_seen(current_user._get_current_object())
