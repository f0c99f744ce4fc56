"""The notification list, opening one, marking them read."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user, login_required

from cop.core import web
from cop.core.pagination import parse_limit
from cop.core.templating import safe_next_url
from cop.notifications import queries, services

bp = Blueprint("notifications", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """All notifications, newest first; unread ones stand out."""
    page = queries.for_user(
        current_user,
        unread_only=request.args.get("unread") == "1",
        cursor=request.args.get("cursor"),
        limit=parse_limit(request.args.get("limit"), default=30),
    )
    return render_template("notifications/index.html", page=page)


@bp.get("/<id:notification_id>")
@login_required
def open(notification_id: int) -> ResponseReturnValue:
    """Mark one read and go where it points."""
    notification = services.open_notification(web.current(), notification_id)
    if notification is None:
        abort(404)
    return redirect(safe_next_url(notification.url) or url_for("notifications.index"))


@bp.post("/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    """Mark every notification read."""
    count = services.mark_read(web.current())
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.index"))


def init_app(app: Flask) -> None:
    """Put the unread count in every page's context (one small query when logged in)."""

    @app.context_processor
    def _unread() -> dict[str, object]:
        def unread_notifications() -> int:
            if not current_user.is_authenticated:
                return 0
            return queries.unread_count(current_user)

        return {"unread_notifications": unread_notifications}
