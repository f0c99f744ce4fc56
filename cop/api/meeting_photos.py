"""API: a meeting's photos (dokumentasi): listed for whoever may see the meeting, added
and deleted by coordinators."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import add_schemas, obj
from cop.api.views import ID, bp
from cop.core.errors import ValidationError
from cop.core.ratelimit import per_account_and_ip
from cop.core.web import current, viewer
from cop.meetings import limits, services
from cop.meetings.serializers import photo_json
from cop.resources import services as resource_services

add_schemas(
    {
        "MeetingPhoto": obj(
            {
                "id": {"type": "integer"},
                "caption": {"type": "string"},
                "content_type": {"type": "string"},
                "size": {"type": "integer", "description": "Bytes, as stored."},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "created_at": {"type": "string", "format": "date-time"},
                "url": {"type": "string", "description": "The photo (access-checked)."},
                "thumb_url": {"type": "string", "description": "A thumbnail (320 px)."},
            }
        ),
        "MeetingPhotoList": obj(
            {"items": {"type": "array", "items": {"$ref": "#/components/schemas/MeetingPhoto"}}}
        ),
        "MeetingPhotoUpload": {
            "type": "object",
            "required": ["file"],
            "description": "multipart/form-data with `file` (a JPG, PNG, GIF or WebP picture) "
            "and an optional `caption`.",
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "caption": {"type": "string", "maxLength": limits.PHOTO_CAPTION_MAX},
            },
        },
    }
)


@bp.get(f"/meetings/<{ID}:meeting_id>/photos")
@documented(
    "The meeting's photos (dokumentasi)",
    tag="meetings",
    response="MeetingPhotoList",
    errors=(404,),
    auth="optional",
    description="Whoever may see the meeting; in the order they were added "
    f"(at most {limits.PHOTOS_MAX}).",
)
def meeting_photos(meeting_id: int) -> ResponseReturnValue:
    """The photos."""
    meeting = services.visible_meeting(viewer(), meeting_id)
    return {"items": [photo_json(p) for p in services.photos_of(meeting)]}


@bp.post(f"/meetings/<{ID}:meeting_id>/photos")
@documented(
    "Add a photo to a meeting (coordinators)",
    tag="meetings",
    status=201,
    body="MeetingPhotoUpload",
    media="multipart/form-data",
    response="MeetingPhoto",
    errors=(400, 403, 404, 409, 413),
    description="Resized to at most 1600 px, turned upright and stored without EXIF (no "
    f"GPS location). 409 `too_many_photos` once the meeting has {limits.PHOTOS_MAX}; 400 "
    "`bad_image` for a file that is not a picture; 413 above COP_MAX_UPLOAD_MB.",
    rate_limited=True,
)
@per_account_and_ip("upload", "UPLOAD_RATE_LIMIT")
def add_meeting_photo(meeting_id: int) -> ResponseReturnValue:
    """Coordinators of the meeting's community."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(fields={"file": _l("Choose a photo to upload.")})
    caption = request.form.get("caption", "")
    if "\x00" in caption:
        raise ValidationError(fields={"caption": _l("Contains a character that is not allowed.")})
    photo = services.add_photo(
        current(), meeting, resource_services.Upload(upload.stream, upload.filename), caption
    )
    return photo_json(photo), 201


@bp.delete(f"/meetings/<{ID}:meeting_id>/photos/<{ID}:photo_id>")
@documented("Delete a meeting photo (coordinators)", tag="meetings", status=204, errors=(403, 404))
def delete_meeting_photo(meeting_id: int, photo_id: int) -> ResponseReturnValue:
    """Coordinators of the meeting's community."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    services.delete_photo(current(), meeting, photo_id)
    return Response(status=204)
