"""The posting rate limit shared by the pages and the API (Flask-Limiter).

One bucket per user ("posting" scope) for topics and replies alike; accounts
younger than a day get ``NEW_ACCOUNT_POST_RATE_LIMIT``. A resend of a post
whose client token was already used is not counted, so a double submit gets
its first post back instead of a 429.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import select

from cop.core.ratelimit import account_key
from cop.discussions.models import Post
from cop.discussions.services import account_is_new
from cop.extensions import db, limiter


def _limit() -> str:
    if current_user.is_authenticated and account_is_new(current_user):
        return str(current_app.config["NEW_ACCOUNT_POST_RATE_LIMIT"])
    return str(current_app.config["POST_RATE_LIMIT"])


def _repeat() -> bool:
    """A preview, or a resend with a client token this user already posted with."""
    if not current_user.is_authenticated:
        return True  # refused later anyway (401/404); not worth a bucket
    if request.form.get("preview"):
        return True  # the no-JS preview button posts the form but saves nothing
    data: Any = request.get_json(silent=True) if request.is_json else request.form
    token = data.get("client_token") if hasattr(data, "get") else None
    if not isinstance(token, str) or not token or len(token) > 64:
        return False
    return (
        db.session.scalar(
            select(Post.id).where(Post.author_id == current_user.id, Post.client_token == token)
        )
        is not None
    )


posting_limit = limiter.shared_limit(
    _limit, scope="posting", key_func=account_key, exempt_when=_repeat, methods=["POST"]
)
