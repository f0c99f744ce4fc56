"""Locale and time zone selection for Flask-Babel.

The user's saved choice wins, then the language picked in the session
(anonymous visitors), then the browser's Accept-Language; the site's default
language last (Indonesian unless a site admin changed it).
"""

from __future__ import annotations

from typing import Any

import flask_babel
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_translations
from flask_login import current_user

from cop.core import site

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    """Pick the UI language for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(site.get("default_locale"))
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(languages)
    return best or str(site.get("default_locale"))


def select_timezone() -> str:
    """Show times in the user's zone; visitors see the site's default (WIB unless changed)."""
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return str(current_user.timezone)
    return str(site.get("default_timezone"))


def _translations() -> Any:
    """The catalogue of this request's language, looked up once per request.

    Flask-Babel's own ``get_translations`` walks the request context, the domain
    and the locale on every call, and a topic page calls it some 250 times. The
    result is kept beside Flask-Babel's state with the locale it is for, so
    ``force_locale`` (mail in the recipient's language) still switches catalogue.
    """
    state = getattr(g, "_flask_babel", None) if has_app_context() else None
    cached = getattr(state, "cop_translations", None)
    if cached is not None and cached[0] is getattr(state, "babel_locale", None):
        return cached[1]
    translations = get_translations()
    state = getattr(g, "_flask_babel", None) if has_app_context() else None
    if state is not None:
        state.cop_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``/``gettext``/``ngettext`` through the per-request catalogue
    (the same newstyle calls Flask-Babel installs: autoescaped, ``%(name)s`` vars)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: _translations().ugettext(s),
        lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
    )


def portable(text: Any) -> dict[str, Any] | None:
    """A lazy message as JSON data that can be rendered again later, in another language.

    ``_l("%(name)s replied", name=...)`` becomes ``{"s": [msgid], "v": {"name": ...}}``
    (``ngettext`` keeps singular, plural and count in ``"s"``); a variable that is itself
    a lazy message is kept the same way. A plain string (or anything else) gives None:
    it can only be shown as it was written.
    """
    func = getattr(text, "_func", None)
    if func is flask_babel.gettext:
        kind = "g"
    elif func is flask_babel.ngettext:
        kind = "n"
    else:
        return None
    variables: dict[str, Any] = {}
    for name, value in text._kwargs.items():
        nested = portable(value)
        if nested is not None:
            variables[name] = {"_m": nested}
        elif isinstance(value, bool | int | float):
            variables[name] = value
        else:
            variables[name] = str(value)
    return {"f": kind, "s": list(text._args), "v": variables}


def render_portable(message: Any, fallback: str) -> str:
    """``message`` (from ``portable``) in the current language; ``fallback`` if it can't be."""
    if not isinstance(message, dict):
        return fallback
    try:
        variables = {
            name: render_portable(value["_m"], "") if isinstance(value, dict) else value
            for name, value in message["v"].items()
        }
        if message["f"] == "n":
            return str(flask_babel.ngettext(*message["s"], **variables))
        return str(flask_babel.gettext(*message["s"])) % variables
    except (KeyError, TypeError, ValueError):  # a message that changed shape since
        return fallback


def replace_in_portable(message: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``message`` with ``old`` replaced by ``new`` in its text variables (a name erased)."""

    def swap(value: Any) -> Any:
        if isinstance(value, dict) and "_m" in value:
            return {"_m": replace_in_portable(value["_m"], old, new)}
        return value.replace(old, new) if isinstance(value, str) else value

    return {**message, "v": {name: swap(value) for name, value in message.get("v", {}).items()}}
