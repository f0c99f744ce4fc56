"""The certificates' signature block: the coordinator uploads, replaces or removes the
signature and stamp images (coordinators only), and sees them as printed."""

from __future__ import annotations

import contextlib

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import web
from cop.core.errors import CopError, NotFound, ValidationError
from cop.meetings import services
from cop.meetings.views import bp
from cop.resources import services as resource_services
from cop.resources.download import guard
from cop.resources.storage import max_upload_mb

KIND = "any(signature,stamp)"


def _community(slug: str) -> Community:
    return community_services.visible_community(web.viewer(), slug, "community.sign_certificates")


def _page(community: Community, error: CopError | None = None) -> ResponseReturnValue:
    message = error.first_message if error is not None else ""
    page = render_template(
        "meetings/seals.html",
        community=community,
        seals=services.seals_of(community),
        max_mb=max_upload_mb(),
        error=message,
    )
    return page, error.status if error is not None else 200


@bp.get("/c/<slug>/signature")
@login_required
def seals(slug: str) -> ResponseReturnValue:
    """The signature and stamp printed on the community's certificates."""
    return _page(_community(slug))


@bp.post(f"/c/<slug>/signature/<{KIND}:kind>")
@login_required
def upload_seal(slug: str, kind: str) -> ResponseReturnValue:
    """Upload (or replace) the signature or the stamp image."""
    community = _community(slug)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(fields={"file": _("Choose a picture to upload.")})
        services.set_seal(
            web.current(),
            community,
            kind,
            resource_services.Upload(upload.stream, upload.filename),
        )
    except CopError as error:
        if error.status in (401, 403, 404):
            raise
        return _page(community, error)  # not a picture, too big: 400 or 413, said why
    flash(_("Saved. The next certificates print it."), "success")
    return redirect(url_for(".seals", slug=community.slug), 303)


@bp.post(f"/c/<slug>/signature/<{KIND}:kind>/remove")
@login_required
def remove_seal(slug: str, kind: str) -> ResponseReturnValue:
    """Remove the signature or the stamp image."""
    community = _community(slug)
    # removed already (a second tap): the page shows it gone all the same
    with contextlib.suppress(NotFound):
        services.remove_seal(web.current(), community, kind)
    flash(_("Removed."), "success")
    return redirect(url_for(".seals", slug=community.slug), 303)


@bp.get(f"/c/<slug>/signature/<{KIND}:kind>/image")
@login_required
def seal_image(slug: str, kind: str) -> ResponseReturnValue:
    """The stored image, as the certificates print it (coordinators)."""
    seal = services.seals_of(_community(slug)).get(kind)
    if seal is None:
        raise NotFound(services.UNKNOWN_SEAL)
    return guard(
        Response(services.seal_bytes(seal), mimetype=seal.content_type), "private, no-store"
    )
