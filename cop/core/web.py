"""Helpers shared by the views: who is asking, and a service error shown on a form.

Views hand ``viewer()`` / ``current()`` to services and to the permissions
policy (which take ``None`` for a visitor), so pages and the JSON API read
``flask_login.current_user`` in one place.
"""

from __future__ import annotations

from typing import Any, cast

from flask_login import current_user

from cop.auth.models import User
from cop.core.errors import CopError, NotAuthenticated


def viewer() -> User | None:
    """The logged-in user, or None for visitors (the policy takes either)."""
    if current_user.is_authenticated:
        return cast(User, current_user._get_current_object())
    return None


def current() -> User:
    """The logged-in user, or NotAuthenticated (401).

    Pages behind ``login_required`` never reach the error; the API answers it
    with a 401 in its error shape.
    """
    user = viewer()
    if user is None:
        raise NotAuthenticated()
    return user


def show_errors(form: Any, error: CopError) -> None:
    """Put a service error's messages on ``form``: each on its field, the rest on the form.

    A message for a field the form does not have, or an error without field
    messages, goes to ``form.form_errors`` (shown by the ``form_errors`` macro).
    """
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        messages = message if isinstance(message, list) else [message]
        if field is not None:
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors.extend(messages)
    if not error.fields:
        form.form_errors.append(error.message)


def client_address() -> str:
    """The address of whoever sent the current request ("" outside one), for the audit
    log; behind a proxy it is the client's (COP_PROXY_COUNT and ProxyFix)."""
    from flask import has_request_context, request

    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:45]
