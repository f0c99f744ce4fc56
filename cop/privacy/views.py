"""The privacy page, and a member's own data: export it, delete the account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import site, web
from cop.core.errors import CopError
from cop.privacy import services

bp = Blueprint("privacy", __name__)


@bp.get("/")
def policy() -> ResponseReturnValue:
    """What cop collects and why (the site's own text when an admin wrote one)."""
    text = site.get(f"privacy_policy_{get_locale() or 'id'}") or ""
    return render_template("privacy/policy.html", text=text)


@bp.get("/my-data")
@login_required
def my_data() -> ResponseReturnValue:
    """The member's export (ask, wait, download) and the account deletion."""
    user = web.current()
    export = services.latest_export(user)
    token = services.download_token(export) if export and export.state == "ready" else None
    return render_template(
        "privacy/my_data.html",
        export=export,
        token=token,
        pending=services.pending_deletion(user),
        grace_days=services.GRACE.days,
    )


@bp.post("/export")
@login_required
def export() -> ResponseReturnValue:
    """Build the export in the background; the member is told when it is ready."""
    services.request_export(web.current())
    flash(_("Your data is being gathered; you will be notified when it is ready."), "info")
    return redirect(url_for(".my_data"))


@bp.get("/exports/<export_token>")
@login_required
def download(export_token: str) -> ResponseReturnValue:
    """The ZIP, for its owner, while the link has not expired."""
    exported, path = services.export_for_download(export_token[:300], web.viewer())
    name = f"cop-data-{exported.created_at.date().isoformat()}.zip"
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name)


@bp.post("/delete")
@login_required
def delete() -> ResponseReturnValue:
    """Ask for the account to be deleted after the grace period (password confirms)."""
    user = web.current()
    try:
        pending = services.request_deletion(
            user,
            user,
            password=request.form.get("password", "")[:200],
            keep_content=request.form.get("keep_content") != "0",
            keep_certificates=request.form.get("keep_certificates") != "0",
        )
    except CopError as error:
        flash(error.first_message, "error")
        return redirect(url_for(".my_data")), 303
    flash(
        _(
            "Your account will be deleted on %(date)s. Until then you can change your mind here.",
            date=pending.due_at.date().isoformat(),
        ),
        "warning",
    )
    return redirect(url_for(".my_data"))


@bp.post("/delete/cancel")
@login_required
def cancel_delete() -> ResponseReturnValue:
    """Keep the account after all."""
    if services.cancel_deletion(web.current(), web.current()):
        flash(_("Your account stays. Nothing was deleted."), "success")
    return redirect(url_for(".my_data"))
