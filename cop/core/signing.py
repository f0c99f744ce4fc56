"""Signed tokens in links: password reset, address confirmation, unsubscribe, the data
export's download, the PTK reviewer's invite.

They are signed with ``SECRET_KEY`` and still read with any key in
``SECRET_KEY_FALLBACKS``, so a secret key can be rotated without breaking the links
already sent (docs/operations.md, "Rotating the secret key"). Flask reads the same
fallbacks for the session cookie.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer


def keys() -> list[str]:
    """The keys to try, oldest first: itsdangerous signs with the last one."""
    fallbacks = current_app.config.get("SECRET_KEY_FALLBACKS") or []
    return [*(str(key) for key in fallbacks), str(current_app.config["SECRET_KEY"])]


def timed(salt: str) -> URLSafeTimedSerializer:
    """A serializer whose tokens carry their time (``loads(token, max_age=...)``)."""
    return URLSafeTimedSerializer(keys(), salt=salt)


def untimed(salt: str) -> URLSafeSerializer:
    """A serializer for tokens that do not expire by themselves."""
    return URLSafeSerializer(keys(), salt=salt)
