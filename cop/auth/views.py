"""Account pages: register, log in, log out, password reset, profile, tokens."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
