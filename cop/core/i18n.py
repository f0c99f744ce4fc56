"""Locale and time zone selection for Flask-Babel.

The user's saved choice wins, then the language picked in the session
(anonymous visitors), then the browser's Accept-Language; the site's default
language last (Indonesian unless a site admin changed it).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
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
