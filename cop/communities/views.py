"""Community pages: directory, create, home, join/leave, invite, members."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from cop.communities import queries, services
from cop.communities.forms import (
    ROLE_LABELS,
    VISIBILITY_HELP,
    CommunityForm,
    DirectoryFilterForm,
    MemberForm,
)
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import Conflict, CopError, Forbidden, NotFound, ValidationError
from cop.core.ids import is_int
from cop.core.pagination import DEFAULT_LIMIT, decode_cursor
from cop.core.ratelimit import per_account_and_ip

bp = Blueprint("communities", __name__)


@bp.app_context_processor
def _join_requests() -> dict[str, Any]:
    """``join_requests_waiting()`` for the header: (count, slug) for coordinators."""

    def join_requests_waiting() -> tuple[int, str | None]:
        user = web.viewer()
        return queries.join_requests_waiting(user) if user else (0, None)

    return {"join_requests_waiting": join_requests_waiting}


#: members listed per page
MEMBERS_PER_PAGE = 20
#: pending requests and bans shown to coordinators on the members page
REVIEW_LIMIT = 100
MAX_CURSOR_LENGTH = 512

F = TypeVar("F", bound=Callable[..., Any])


# --- helpers -----------------------------------------------------------------


def _login_first(view: F) -> F:
    """Like ``login_required``, but a form posted by a visitor comes back to the
    community's page after login instead of to a URL that only takes POST."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        slug = kwargs.get("slug")
        target = url_for("communities.home", slug=slug) if slug else url_for(".directory")
        flash(_("Please log in to open that page."), "info")
        return redirect(url_for("auth.login", next=target))

    return cast(F, wrapper)


def _cursor(*types: type) -> str | None:
    """``?cursor=``, checked to hold values of ``types``: a tampered one is a 400.

    The pagination helper decodes any well-formed cursor; checking the types
    here keeps a forged one from reaching the database (PostgreSQL would fail
    comparing a text column with a number).
    """
    raw = request.args.get("cursor") or None
    if raw is None:
        return None
    bad = ValidationError(_l("The page cursor is not valid."), code="bad_cursor")
    if len(raw) > MAX_CURSOR_LENGTH:
        raise bad
    for value, expected in zip(decode_cursor(raw, len(types)), types, strict=True):
        if not isinstance(value, expected) or isinstance(value, bool):
            raise bad
        if isinstance(value, int) and not is_int(value):
            raise bad
    return raw


def _community_data(form: CommunityForm) -> services.CommunityData:
    return services.CommunityData(
        name=form.name.data or "",
        kind=form.kind.data or "",
        visibility=form.visibility.data or "",
        subject=form.subject.data or "",
        level=form.level.data or None,
        province=form.province.data or "",
        city=form.city.data or "",
        description=form.description.data or "",
    )


def _render_form(template: str, form: CommunityForm, status: int, **context: Any) -> Any:
    return render_template(template, form=form, visibility_help=VISIBILITY_HELP, **context), status


# --- directory ---------------------------------------------------------------


@bp.get("/")
def directory() -> ResponseReturnValue:
    """Find a community: filter by kind, level, subject, region or words."""
    form = DirectoryFilterForm(formdata=request.args)
    form.validate()
    # A value the form refuses (an unknown kind, an over-long text) is ignored.
    values = {
        name: "" if name in form.errors else (value or "") for name, value in form.data.items()
    }
    filters = queries.DirectoryFilters(**values)
    viewer = web.viewer()
    page = queries.directory(viewer, filters, cursor=_cursor(str, int), limit=DEFAULT_LIMIT)
    mine = queries.memberships_of(viewer, page.items)
    subjects, provinces = queries.subjects_and_regions()
    return render_template(
        "communities/directory.html",
        form=form,
        page=page,
        mine=mine,
        subjects=subjects,
        provinces=provinces,
        filtered=any(values.values()),
    )


# --- create and edit ---------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
@per_account_and_ip("community_create", "COMMUNITY_CREATE_RATE_LIMIT")
def create() -> ResponseReturnValue:
    """Start a community; the creator becomes its first coordinator."""
    services.require_may_create(web.current())  # the site may leave this to its admins
    form = CommunityForm()
    if not form.validate_on_submit():
        return _render_form("communities/create.html", form, 400 if form.is_submitted() else 200)
    user = web.current()
    try:
        community = services.create_community(user, _community_data(form))
    except ValidationError as error:
        web.show_errors(form, error)
        return _render_form("communities/create.html", form, 400)
    except Conflict as error:
        if error.code == "duplicate_community":
            # A double submit: the first request made the community; show it.
            existing = queries.recent_duplicate(
                user, form.name.data or "", services.DUPLICATE_WINDOW
            )
            if existing is not None:
                flash(_("You created this community a moment ago; here it is."), "info")
                return redirect(url_for(".home", slug=existing.slug))
        form.form_errors.append(error.message)
        return _render_form("communities/create.html", form, 409)
    if community.status == "pending":
        flash(_("Your community is waiting for a site admin's approval; you will be told."), "info")
    else:
        flash(_("Your community is ready. Invite your colleagues!"), "success")
    return redirect(url_for(".home", slug=community.slug))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> ResponseReturnValue:
    """Coordinators change the name, region, description or who can join."""
    community = services.visible_community(web.viewer(), slug, "community.manage")
    form = CommunityForm(obj=community)
    if request.method == "GET" and community.level is None:
        form.level.data = ""
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _render_form("communities/edit.html", form, status, community=community)
    try:
        services.update_community(web.current(), community, _community_data(form))
    except ValidationError as error:
        web.show_errors(form, error)
        return _render_form("communities/edit.html", form, 400, community=community)
    flash(_("The community was updated."), "success")
    return redirect(url_for(".home", slug=community.slug))


# --- the community's page ----------------------------------------------------


@bp.get("/<slug>")
def home(slug: str) -> ResponseReturnValue:
    """The community's front page; private ones show outsiders only the "about" part."""
    viewer = web.viewer()
    community = services.visible_community(viewer, slug)
    membership = permissions.membership_of(viewer, community)
    sees_content = permissions.can(viewer, "community.view_content", community)
    manages = permissions.can(viewer, "community.manage", community)
    return render_template(
        "communities/home.html",
        community=community,
        membership=membership,
        sees_content=sees_content,
        manages=manages,
        leaders=queries.leaders(community) if sees_content else [],
        pending=queries.pending_count(community) if manages else 0,
        role_labels=ROLE_LABELS,
    )


@bp.post("/<slug>/join")
@_login_first
def join(slug: str) -> Response:
    """Join a public community at once, or ask to join a private one."""
    community = services.visible_community(web.viewer(), slug)
    try:
        membership = services.join(web.current(), community)
    except Conflict as error:  # already in, or already asked: say so, change nothing
        flash(str(error.message), "info")
    except Forbidden as error:  # banned
        flash(str(error.message), "error")
    else:
        if membership.status == "active":
            flash(_("Welcome! You are now a member of %(name)s.", name=community.name), "success")
        else:
            flash(
                _("Your request to join was sent. A coordinator will look at it soon."),
                "success",
            )
    return redirect(url_for(".home", slug=community.slug))


@bp.post("/<slug>/leave")
@_login_first
def leave(slug: str) -> Response:
    """Leave the community, or withdraw a request to join."""
    community = services.visible_community(web.viewer(), slug)
    user = web.current()
    membership = permissions.membership_of(user, community)
    pending = membership is not None and membership.status == "pending"
    try:
        services.leave(user, community)
    except CopError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".home", slug=community.slug))
    if pending:
        flash(_("Your request to join was withdrawn."), "success")
    else:
        flash(_("You left %(name)s.", name=community.name), "success")
    if not permissions.can(user, "community.view", community):
        return redirect(url_for(".directory"))
    return redirect(url_for(".home", slug=community.slug))


# --- members -----------------------------------------------------------------


@bp.get("/<slug>/members")
def members(slug: str) -> ResponseReturnValue:
    """Active members (paged); coordinators also see requests and bans."""
    viewer = web.viewer()
    community = services.visible_community(viewer, slug, "community.view_members")
    manages = permissions.can(viewer, "community.manage", community)
    page = queries.members(community, status="active", cursor=_cursor(int), limit=MEMBERS_PER_PAGE)
    requests = banned = None
    if manages:
        requests = queries.members(community, status="pending", cursor=None, limit=REVIEW_LIMIT)
        banned = queries.members(community, status="banned", cursor=None, limit=REVIEW_LIMIT)
    return render_template(
        "communities/members.html",
        community=community,
        page=page,
        requests=requests,
        banned=banned,
        manages=manages,
        viewer_id=viewer.id if viewer else None,
        role_labels=ROLE_LABELS,
    )


def _managed(slug: str) -> Community:
    """The community, if the logged-in user may manage it (404 or 403 otherwise)."""
    community = services.visible_community(web.viewer(), slug, "community.manage")
    return community


@bp.post("/<slug>/members/<id:user_id>")
@_login_first
def update_member(slug: str, user_id: int) -> Response:
    """A coordinator approves, bans, unbans or changes someone's role."""
    community = _managed(slug)
    back = redirect(url_for(".members", slug=community.slug))
    form = MemberForm()
    if not form.validate_on_submit() or not (form.role.data or form.status.data):
        flash(_("Choose a role or an action for this member."), "error")
        return back
    try:
        membership = services.change_member(
            web.current(),
            community,
            user_id,
            role=form.role.data or None,
            status=form.status.data or None,
        )
    except CopError as error:
        flash(str(error.message), "error")
        return back
    name = membership.user.name
    if form.status.data == "banned":
        flash(_("%(name)s is banned from this community.", name=name), "success")
    elif form.status.data == "active":
        flash(_("%(name)s is now an active member.", name=name), "success")
    else:
        role = ROLE_LABELS[membership.role]
        flash(_("%(name)s is now: %(role)s.", name=name, role=role), "success")
    return back


@bp.post("/<slug>/members/<id:user_id>/reject")
@_login_first
def reject_member(slug: str, user_id: int) -> Response:
    """A coordinator turns down a request to join."""
    community = _managed(slug)
    try:
        services.reject_request(web.current(), community, user_id)
    except CopError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The request was declined."), "success")
    return redirect(url_for(".members", slug=community.slug))


# --- invite links ------------------------------------------------------------


@bp.post("/<slug>/invite/rotate")
@_login_first
def rotate_invite(slug: str) -> Response:
    """Make a new invite link; the old one stops working."""
    community = services.visible_community(web.viewer(), slug, "community.invite")
    services.rotate_invite(web.current(), community)
    flash(_("A new invite link was made. The old link no longer works."), "success")
    return redirect(url_for(".home", slug=community.slug))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@login_required
def invite(token: str) -> ResponseReturnValue:
    """An invite link: see the community, then join it (hidden ones too)."""
    community = queries.by_invite_token(token)
    if community is None:
        raise NotFound(
            _l("This invite link is not valid any more. Ask the coordinator for a new one.")
        )
    user = web.current()
    if request.method == "POST":
        try:
            services.join_by_invite(user, token)
        except CopError as error:
            if isinstance(error, NotFound):
                raise
            flash(str(error.message), "error")
            return redirect(url_for(".invite", token=token))
        flash(_("Welcome! You are now a member of %(name)s.", name=community.name), "success")
        return redirect(url_for(".home", slug=community.slug))
    return render_template(
        "communities/invite.html",
        community=community,
        membership=permissions.membership_of(user, community),
        token=token,
    )
