"""Community pages: directory, create, home, join/leave, invite, members."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("communities", __name__)
