"""The site admin area: accounts, the audit log and the job queue."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from cop.admin import logo, queries, services
from cop.auth import services as auth_services
from cop.communities import services as community_services
from cop.communities.models import COMMUNITY_STATUSES
from cop.core import exports, jobs, permissions, site, web
from cop.core.errors import CopError, ValidationError
from cop.core.pagination import parse_limit
from cop.core.types import iso
from cop.discussions import queries as discussion_queries
from cop.discussions.forms import FLAG_REASON_LABELS
from cop.privacy import services as privacy_services
from cop.resources import services as resource_services

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
    """All accounts, searchable, newest first; only the deactivated or the admins."""
    q = request.args.get("q", "").strip()[:100]
    show = request.args.get("show", "all")
    if show not in queries.USER_FILTERS:
        show = "all"
    page = queries.users(
        q,
        cursor=request.args.get("cursor"),
        limit=parse_limit(request.args.get("limit"), 50),
        show=show,
    )
    return render_template("admin/users.html", page=page, q=q, show=show)


@bp.post("/users/<id:user_id>/admin")
def set_admin(user_id: int) -> ResponseReturnValue:
    """Grant or take back site admin rights (never from the last admin)."""
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    try:
        services.set_admin(web.current(), user, request.form.get("admin") == "1")
    except CopError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s's admin rights are updated.", name=user.name), "success")
    return redirect(url_for("admin.users", q=request.form.get("q") or None))


@bp.post("/users/<id:user_id>/delete")
def delete_account(user_id: int) -> ResponseReturnValue:
    """On a member's request: their account is deleted after the grace period (audited)."""
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    try:
        pending = privacy_services.request_deletion(
            web.current(), user, password=None, keep_content=request.form.get("keep_content") != "0"
        )
    except CopError as error:
        flash(str(error.message), "error")
    else:
        flash(
            _(
                "%(name)s's account will be deleted on %(date)s.",
                name=user.name,
                date=pending.due_at.date().isoformat(),
            ),
            "success",
        )
    return redirect(url_for("admin.users", q=request.form.get("q") or None))


@bp.post("/users/<id:user_id>/confirm")
def confirm_address(user_id: int) -> ResponseReturnValue:
    """Count an account's email address as confirmed (its owner's mail never arrived)."""
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    services.confirm_address(web.current(), user)
    flash(_("%(email)s is confirmed.", email=user.email), "success")
    return redirect(url_for("admin.users", q=request.form.get("q") or None, show="unconfirmed"))


@bp.post("/users/<id:user_id>/revoke")
def revoke_access(user_id: int) -> ResponseReturnValue:
    """Log the account out everywhere and revoke its API tokens."""
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    tokens = services.revoke_access(web.current(), user)
    flash(
        _("%(name)s is logged out everywhere; %(n)d API tokens revoked.", name=user.name, n=tokens),
        "success",
    )
    return redirect(url_for("admin.users", q=request.form.get("q") or None))


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


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    """Site settings, searchable; a save stores every valid change (all or none), audited."""
    q = request.args.get("q", "").strip()[:60]
    errors: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    if request.method == "POST":
        # only the settings the form showed (a search narrows it; an unticked box sends nothing)
        shown = [key for key in request.form.getlist("shown") if key in site.SETTINGS]
        typed = {key: request.form.get(key, "") for key in shown}
        try:
            changes = services.save_settings(web.current(), typed)
        except CopError as error:
            errors = error.fields
        else:
            flash(
                ngettext("%(num)d setting saved.", "%(num)d settings saved.", len(changes))
                if changes
                else _("Nothing changed."),
                "success",
            )
            return redirect(url_for("admin.settings", q=q or None))
    rows = queries.settings_rows(q, typed, errors)
    return render_template("admin/settings.html", rows=rows, q=q), 400 if errors else 200


@bp.post("/settings/logo")
def upload_logo() -> ResponseReturnValue:
    """Upload (or replace) the site's logo."""
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(fields={"file": _("Choose a picture to upload.")})
        logo.set_logo(web.current(), resource_services.Upload(upload.stream, upload.filename))
    except CopError as error:
        rows = queries.settings_rows("", {}, {"logo": error.first_message})
        return render_template("admin/settings.html", rows=rows, q=""), error.status
    flash(_("The logo is saved."), "success")
    return redirect(url_for("admin.settings"), 303)


@bp.post("/settings/logo/remove")
def remove_logo() -> ResponseReturnValue:
    """Back to cop's own mark."""
    logo.remove_logo(web.current())
    flash(_("The logo is removed."), "success")
    return redirect(url_for("admin.settings"), 303)


@bp.get("/communities")
def communities() -> ResponseReturnValue:
    """Communities by status: waiting for approval first; approve, reject, archive."""
    counts = queries.community_status_counts()
    status = request.args.get("status") or ("pending" if counts.get("pending") else "active")
    if status not in COMMUNITY_STATUSES:
        abort(404)
    page = queries.communities(
        status, cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit"), 50)
    )
    return render_template(
        "admin/communities.html", page=page, status=status, counts=counts, labels=STATUS_LABELS
    )


@bp.post("/communities/<id:community_id>/review")
def review_community(community_id: int) -> ResponseReturnValue:
    """Approve, reject (with the reason), archive or restore one community."""
    community = community_services.get_by_id(community_id)
    decision = request.form.get("decision", "")
    try:
        community_services.review(
            web.current(), community, decision, request.form.get("note", "")[:600]
        )
    except CopError as error:
        flash(error.first_message, "error")
        return redirect(url_for("admin.communities", status=community.status))
    flash(
        _("%(name)s: %(decision)s.", name=community.name, decision=DECISIONS[decision]), "success"
    )
    return redirect(url_for("admin.communities", status=request.form.get("back") or None))


@bp.get("/flags")
def flags() -> ResponseReturnValue:
    """Flagged posts of every community, oldest first, with the moderators' actions."""
    page = discussion_queries.open_flags(None, cursor=request.args.get("cursor"))
    return render_template(
        "discussions/flags.html", community=None, page=page, reasons=FLAG_REASON_LABELS
    )


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    """Who did what, newest first; narrowed by action, person, community and dates."""
    filters, error = _audit_filters()
    page = queries.audit_log(
        filters, cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit"), 50)
    )
    names = queries.community_names({e.community_id for e in page.items if e.community_id})
    return render_template(
        "admin/audit.html",
        page=page,
        community_names=names,
        filters=filters,
        actions=queries.audit_actions(),
        error=error,
    ), 400 if error else 200


@bp.get("/audit.csv")
def audit_csv() -> ResponseReturnValue:
    """The filtered audit log as CSV (newest first, at most 50,000 entries)."""
    filters, error = _audit_filters()
    if error:
        abort(400, error)
    rows = [
        [
            iso(e.created_at),
            e.actor.username if e.actor else "",
            e.action,
            e.target_type,
            e.target_id or "",
            e.community_id or "",
            e.ip or "",
            json.dumps(e.data, ensure_ascii=False, sort_keys=True),
        ]
        for e in queries.audit_export(filters)
    ]
    header = ["created_at", "actor", "action", "target_type", "target_id", "community_id", "ip"]
    return exports.table_response("csv", "audit-log", "Audit log", [*header, "data"], rows)


def _audit_filters() -> tuple[queries.AuditFilters, Any]:
    """The filters in the query string, and a message when a date is not one."""
    args = request.args
    filters = queries.AuditFilters(
        action=args.get("action", "").strip()[:60],
        actor=args.get("actor", "").strip()[:100],
        community=args.get("community", "").strip()[:80],
    )
    try:
        filters.since = _day(args.get("since"))
        filters.until = _day(args.get("until"))
    except ValueError:
        return filters, _("Write dates as YYYY-MM-DD, for example 2026-12-01.")
    return filters, None


def _day(value: str | None) -> date | None:
    if not value:
        return None
    day = date.fromisoformat(value.strip()[:10])
    if not 2000 <= day.year <= 2199:
        raise ValueError(value)
    return day


STATUS_LABELS = {
    "pending": _l("Waiting for approval"),
    "active": _l("Active"),
    "rejected": _l("Not approved"),
    "archived": _l("Archived"),
}
DECISIONS = {
    "approved": _l("approved"),
    "rejected": _l("not approved"),
    "archived": _l("archived"),
    "restored": _l("open again"),
}

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
