"""Meeting photos (dokumentasi): coordinators add and delete them on the meeting's photo
page; whoever may see the meeting sees them on its page."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import web
from cop.core.errors import CopError, NotFound, ValidationError
from cop.meetings import limits, services
from cop.meetings.models import Meeting
from cop.meetings.views import bp
from cop.resources import services as resource_services
from cop.resources.download import guard
from cop.resources.storage import max_upload_mb


def _page(meeting: Meeting, error: CopError | None = None) -> ResponseReturnValue:
    message = error.first_message if error is not None else ""
    page = render_template(
        "meetings/photos.html",
        meeting=meeting,
        photos=services.photos_of(meeting),
        photos_max=limits.PHOTOS_MAX,
        max_mb=max_upload_mb(),
        error=message,
    )
    return page, error.status if error is not None else 200


@bp.get("/meetings/<id:meeting_id>/photos")
@login_required
def photos(meeting_id: int) -> ResponseReturnValue:
    """The meeting's photos with the upload form and a delete button each."""
    return _page(services.visible_meeting(web.viewer(), meeting_id, "meeting.manage"))


@bp.post("/meetings/<id:meeting_id>/photos")
@login_required
def add_photo(meeting_id: int) -> ResponseReturnValue:
    """Add a photo (resized, without EXIF); a 4xx with the reason for anything else."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(fields={"file": _("Choose a photo to upload.")})
        services.add_photo(
            web.current(),
            meeting,
            resource_services.Upload(upload.stream, upload.filename),
            request.form.get("caption", ""),
        )
    except CopError as error:
        if error.status in (401, 403, 404):
            raise
        return _page(meeting, error)
    flash(_("Photo added."), "success")
    return redirect(url_for(".photos", meeting_id=meeting.id), 303)


@bp.post("/meetings/<id:meeting_id>/photos/<id:photo_id>/delete")
@login_required
def delete_photo(meeting_id: int, photo_id: int) -> ResponseReturnValue:
    """Delete a photo (a second tap finds it gone and says so)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    try:
        services.delete_photo(web.current(), meeting, photo_id)
    except NotFound:
        flash(_("That photo was deleted already."), "info")
    else:
        flash(_("Photo deleted."), "success")
    return redirect(url_for(".photos", meeting_id=meeting.id), 303)


@bp.get("/meetings/<id:meeting_id>/photos/<id:photo_id>")
def photo(meeting_id: int, photo_id: int) -> ResponseReturnValue:
    """One photo (``?size=thumb``: its thumbnail), for whoever may see the meeting."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    item = services.meeting_photo(meeting, photo_id)
    thumb = request.args.get("size") == "thumb"
    response = Response(services.photo_bytes(item, thumb=thumb), mimetype=item.content_type)
    return guard(response, "private, max-age=3600")
