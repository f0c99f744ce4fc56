"""Home page views."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cop.communities import queries as community_queries
from cop.core import web
from cop.core.pagination import parse_limit
from cop.core.templating import safe_next_url
from cop.core.types import utcnow
from cop.dashboard import queries

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index() -> str:
    """Visitors see what cop is; members see their day ("Hari ini"); a new account a welcome."""
    if not current_user.is_authenticated:
        page = community_queries.directory(
            None, community_queries.DirectoryFilters(), cursor=None, limit=parse_limit(6)
        )
        return render_template("dashboard/landing.html", communities=page.items)
    user = web.current()
    memberships = community_queries.my_memberships(user)
    if not memberships:
        return render_template("dashboard/welcome.html")
    day = queries.today(user, utcnow())
    return render_template("dashboard/index.html", memberships=memberships, day=day)


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    """Switch the UI language (saved on the account when logged in, else in the session)."""
    from cop.auth import services as auth_services

    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        auth_services.update_profile(web.current(), auth_services.Profile(locale=locale))
    return redirect(safe_next_url(request.form.get("next")) or url_for("dashboard.index"))
