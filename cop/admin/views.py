"""The site admin area: accounts, the audit log and the job queue."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from cop.admin import queries, services
from cop.auth import services as auth_services
from cop.core import jobs, permissions, web
from cop.core.errors import CopError
from cop.core.pagination import parse_limit

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin() -> None:
    """Only site admins; everyone else is told the area does not exist."""
    if not permissions.can(current_user, "site.admin", None):
        abort(404)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Headline numbers and links."""
    return render_template("admin/index.html", totals=queries.totals())


@bp.get("/users")
def users() -> ResponseReturnValue:
    """All accounts, searchable, newest first."""
    q = request.args.get("q", "").strip()[:100]
    page = queries.users(
        q, cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit"), 50)
    )
    return render_template("admin/users.html", page=page, q=q)


@bp.post("/users/<id:user_id>/active")
def set_active(user_id: int) -> ResponseReturnValue:
    """Deactivate (logs the person out everywhere) or reactivate an account."""
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    try:
        auth_services.set_active(web.current(), user, active)
    except CopError as error:
        flash(str(error.message), "error")
    else:
        flash(
            _("%(name)s can log in again.", name=user.name)
            if active
            else _("%(name)s is deactivated and logged out everywhere.", name=user.name),
            "success",
        )
    return redirect(url_for("admin.users", q=request.form.get("q") or None))


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    """Who did what, newest first."""
    page = queries.audit_log(
        cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit"), 50)
    )
    names = queries.community_names({e.community_id for e in page.items if e.community_id})
    return render_template("admin/audit.html", page=page, community_names=names)


JOB_LABELS = {
    "problems": _l("Problems"),
    "queued": _l("Waiting"),
    "running": _l("Running"),
    "done": _l("Done"),
    "dropped": _l("Dropped (target gone)"),
    "dead": _l("Dead"),
}


@bp.get("/jobs")
def jobs_page() -> ResponseReturnValue:
    """The queue: backlog, oldest job, failures; dead jobs with a retry button."""
    view = request.args.get("view", "problems")
    if view not in queries.JOB_VIEWS:
        view = "problems"
    page = queries.jobs(
        view, cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit"), 50)
    )
    return render_template(
        "admin/jobs.html",
        page=page,
        view=view,
        views=queries.JOB_VIEWS,
        labels=JOB_LABELS,
        stats=jobs.stats(),
    )


@bp.post("/jobs/<id:job_id>/retry")
def retry_job(job_id: int) -> ResponseReturnValue:
    """Send a dead job again from its first attempt."""
    if services.retry_job(web.current(), job_id):
        flash(_("Job #%(id)s is queued again.", id=job_id), "success")
    else:
        flash(_("Job #%(id)s is not dead or dropped: nothing to retry.", id=job_id), "error")
    return redirect(url_for("admin.jobs_page", view=request.form.get("view") or None))
