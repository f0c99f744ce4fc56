"""The API blueprint: authentication (session+CSRF or Bearer token) and shared helpers.

Route modules (``users``, ``communities``, ...) attach their views to ``bp``;
they are imported at the bottom so that importing ``bp`` registers them all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request
from flask_login import current_user

from cop.auth import services as auth_services
from cop.core.errors import NotAuthenticated, ValidationError
from cop.extensions import csrf

bp = Blueprint("api", __name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def authenticate() -> None:
    """Bearer tokens identify the caller without cookies; cookie sessions need CSRF."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated(code="bad_authorization")
        user = auth_services.user_for_token(raw.strip())
        if user is None:
            raise NotAuthenticated(code="invalid_token")
        g._login_user = user  # what flask_login.current_user reads
        g.api_token_auth = True
        return
    g.api_token_auth = False
    if request.method not in SAFE_METHODS and current_user.is_authenticated:
        csrf.protect()


def current() -> Any:
    """The authenticated caller, or NotAuthenticated."""
    if not current_user.is_authenticated:
        raise NotAuthenticated()
    return current_user._get_current_object()


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 in the error shape."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(code="invalid_json")
    return data
