"""Resource pages: the libraries, sharing, a resource's page, download, curation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import ValidationError
from cop.core.pagination import DEFAULT_LIMIT
from cop.core.ratelimit import per_account_and_ip
from cop.resources import queries, services
from cop.resources.download import file_response
from cop.resources.forms import (
    KIND_SHORT,
    LICENSE_LABELS,
    LibraryFilterForm,
    ResourceForm,
)
from cop.resources.models import Resource
from cop.resources.sniff import ALLOWED_EXTENSIONS

bp = Blueprint("resources", __name__)


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    """Let requests carry an upload of the cap plus its form fields (413 beyond)."""
    config = state.app.config
    cap = int(config.get("MAX_UPLOAD_MB") or 20) * 1024 * 1024
    config["MAX_CONTENT_LENGTH"] = max(
        int(config.get("MAX_CONTENT_LENGTH") or 0), cap + 1024 * 1024
    )


def _filters(form: LibraryFilterForm) -> tuple[queries.LibraryFilters, bool]:
    form.validate()
    # A refused value (or one holding NUL, which PostgreSQL cannot compare) is ignored.
    values: dict[str, Any] = {
        name: (False if name == "featured" else "")
        if name in form.errors or (isinstance(value, str) and "\x00" in value)
        else value
        for name, value in form.data.items()
    }
    tags = services.parse_tags(str(values["tag"] or ""))
    filters = queries.LibraryFilters(
        q=str(values["q"] or ""),
        kind=str(values["kind"] or ""),
        subject=str(values["subject"] or ""),
        level=str(values["level"] or ""),
        tag=tags[0] if tags else "",
        featured=bool(values["featured"]),
        sort=str(values["sort"] or "newest"),
    )
    filtered = any(
        (filters.q, filters.kind, filters.subject, filters.level, filters.tag, filters.featured)
    )
    return filters, filtered


def _library(community: Community | None) -> ResponseReturnValue:
    viewer = web.viewer()
    form = LibraryFilterForm(formdata=request.args)
    filters, filtered = _filters(form)
    cursor = request.args.get("cursor") or None
    if community is None:
        page = queries.public_library(viewer, filters, cursor=cursor, limit=DEFAULT_LIMIT)
    else:
        page = queries.community_library(
            viewer, community, filters, cursor=cursor, limit=DEFAULT_LIMIT
        )
    return render_template(
        "resources/library.html",
        community=community,
        form=form,
        page=page,
        liked=queries.liked_ids(viewer, page.items),
        filtered=filtered,
        can_share=community is not None
        and permissions.can(viewer, "community.participate", community),
        kinds=KIND_SHORT,
    )


@bp.get("/resources/")
def global_library() -> ResponseReturnValue:
    """Resources shared with everyone, from all communities."""
    return _library(None)


@bp.get("/c/<slug>/resources")
def library(slug: str) -> ResponseReturnValue:
    """One community's library: filters, sorts, pages."""
    return _library(
        community_services.visible_community(web.viewer(), slug, "community.view_content")
    )


def _data(form: ResourceForm) -> services.ResourceData:
    return services.ResourceData(
        title=form.title.data or "",
        kind=form.kind.data or "",
        description=form.description.data or "",
        subject=form.subject.data or "",
        level=form.level.data or None,
        phase=form.phase.data or "",
        tags=services.parse_tags(form.tags.data or ""),
        license=form.license.data or "",
        public=bool(form.public.data),
    )


@bp.route("/c/<slug>/resources/new", methods=["GET", "POST"])
@login_required
@per_account_and_ip("upload", "UPLOAD_RATE_LIMIT")
def new(slug: str) -> ResponseReturnValue:
    """Share a file or a link with the community (works without JavaScript)."""
    community = community_services.visible_community(web.viewer(), slug, "community.participate")
    form = ResourceForm()
    if not form.validate_on_submit():
        return _new_form(community, form, 400 if form.is_submitted() else 200)
    upload = request.files.get("file")
    has_file = upload is not None and bool(upload.filename)
    if has_file == bool(form.url.data):
        form.file.errors = [_("Choose a file, or give a link (not both).")]
        return _new_form(community, form, 400)
    try:
        resource = _share(community, form, upload if has_file else None)
    except services.Duplicate as error:
        flash(_("This file was already shared here; here it is."), "info")
        return redirect(url_for(".show", resource_id=error.existing.id))
    except ValidationError as error:
        web.show_errors(form, error)
        return _new_form(community, form, 400)
    flash(_("Thank you for sharing!"), "success")
    return redirect(url_for(".show", resource_id=resource.id))


def _new_form(community: Community, form: ResourceForm, status: int) -> ResponseReturnValue:
    """The share form again (first view or with its errors)."""
    page = render_template(
        "resources/new.html",
        community=community,
        form=form,
        allowed=", ".join(ALLOWED_EXTENSIONS),
        max_mb=_max_mb(),
    )
    return page, status


def _share(community: Community, form: ResourceForm, upload: FileStorage | None) -> Resource:
    """Share the uploaded file, or the form's link when there is no file."""
    if upload is not None:
        file = services.Upload(upload.stream, upload.filename or "")
        return services.share_file(web.current(), community, _data(form), file)
    return services.share_link(web.current(), community, _data(form), form.url.data or "")


def _max_mb() -> int:
    from cop.resources.storage import max_upload_mb

    return max_upload_mb()


@bp.get("/resources/<id:resource_id>")
def show(resource_id: int) -> ResponseReturnValue:
    """A resource: what it is, preview, download, likes, curation controls."""
    viewer = web.viewer()
    resource = services.get_visible(viewer, resource_id)
    return render_template(
        "resources/show.html",
        resource=resource,
        liked=resource.id in queries.liked_ids(viewer, [resource]),
        kinds=KIND_SHORT,
        licenses=LICENSE_LABELS,
        can_feature=permissions.can(viewer, "resource.feature", resource),
        can_hide=permissions.can(viewer, "resource.hide", resource),
        can_remove=permissions.can(viewer, "resource.remove", resource),
    )


@bp.get("/resources/<id:resource_id>/download")
def download(resource_id: int) -> Response:
    """The file (access-checked every time); ``?inline=1`` previews images and PDFs."""
    viewer = web.viewer()
    resource = services.get_visible(viewer, resource_id, "resource.download")
    inline = request.args.get("inline") == "1"
    if not inline:
        services.record_download(viewer, resource)
    return file_response(resource, inline=inline)


def _resource_for(resource_id: int, action: str) -> Resource:
    resource = services.get_visible(web.viewer(), resource_id)
    permissions.authorize(web.current(), action, resource)
    return resource


@bp.post("/resources/<id:resource_id>/like")
@login_required
def like(resource_id: int) -> Response:
    """Like (liked=1) or unlike (liked=0)."""
    resource = _resource_for(resource_id, "resource.like")
    services.set_like(web.current(), resource, request.form.get("liked", "1") == "1")
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<id:resource_id>/feature")
@login_required
def feature(resource_id: int) -> Response:
    """A coordinator marks it a "pilihan pengurus" (featured=1) or unmarks it."""
    resource = _resource_for(resource_id, "resource.feature")
    featured = request.form.get("featured", "1") == "1"
    services.set_featured(web.current(), resource, featured)
    flash(
        _("Marked as a coordinators' pick.") if featured else _("No longer a coordinators' pick."),
        "success",
    )
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<id:resource_id>/hide")
@login_required
def hide(resource_id: int) -> Response:
    """A moderator hides it from members (hidden=1) or shows it again."""
    resource = _resource_for(resource_id, "resource.hide")
    hidden = request.form.get("hidden", "1") == "1"
    services.set_hidden(web.current(), resource, hidden)
    flash(
        _("The resource is hidden.") if hidden else _("The resource is visible again."), "success"
    )
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<id:resource_id>/delete")
@login_required
def delete(resource_id: int) -> Response:
    """The uploader or a moderator deletes it, file included."""
    resource = _resource_for(resource_id, "resource.remove")
    community = resource.community
    services.remove(web.current(), resource)
    flash(_("The resource was deleted."), "success")
    if community is not None:
        return redirect(url_for(".library", slug=community.slug))
    return redirect(url_for(".global_library"))
