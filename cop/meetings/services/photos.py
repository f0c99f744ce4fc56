"""Meeting photos (dokumentasi): a few per meeting (limits.PHOTOS_MAX), uploaded by
coordinators through the chat photos' checks (resized, upright, EXIF stripped, bombs
refused), seen by whoever may see the meeting, printed in the laporan kegiatan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from cop.auth.models import User
from cop.chat import attachments
from cop.core import permissions
from cop.core.db import after_commit, unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.ids import is_id
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import Meeting, MeetingPhoto
from cop.resources import services as resource_services
from cop.resources.storage import get_storage

UNKNOWN_PHOTO = _l("That photo does not exist.")


class TooManyPhotos(Conflict):
    """The meeting has its photos already."""

    code = "too_many_photos"


def photos_of(meeting: Meeting) -> list[MeetingPhoto]:
    """The meeting's photos in the order they were added."""
    return list(
        db.session.scalars(
            select(MeetingPhoto)
            .where(MeetingPhoto.meeting_id == meeting.id)
            .order_by(MeetingPhoto.id)
        )
    )


def _caption(caption: str) -> str:
    caption = " ".join((caption or "").split())
    if len(caption) > limits.PHOTO_CAPTION_MAX:
        raise ValidationError(
            fields={"caption": _l("At most %(n)d characters.", n=limits.PHOTO_CAPTION_MAX)}
        )
    return caption


def _full() -> TooManyPhotos:
    return TooManyPhotos(
        _l("A meeting keeps at most %(n)d photos. Delete one first.", n=limits.PHOTOS_MAX)
    )


def add_photo(
    actor: User, meeting: Meeting, upload: resource_services.Upload, caption: str = ""
) -> MeetingPhoto:
    """Add a photo to ``meeting`` (coordinators), at most limits.PHOTOS_MAX of them."""
    permissions.authorize(actor, "meeting.manage", meeting)
    caption = _caption(caption)
    if len(photos_of(meeting)) >= limits.PHOTOS_MAX:
        raise _full()  # before the upload is processed: no work for a full meeting
    storage = get_storage()
    full, thumb, width, height, content_type, filename = attachments.receive_photo(
        upload, storage.tmp_dir
    )
    keys: list[str] = []
    try:
        keys = [storage.put(full), storage.put(thumb)]
        with unit_of_work():
            # The meeting's row locked: two uploads at once cannot both take the last place.
            db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
            count = db.session.scalar(
                select(func.count(MeetingPhoto.id)).where(MeetingPhoto.meeting_id == meeting.id)
            )
            if (count or 0) >= limits.PHOTOS_MAX:
                raise _full()
            photo = MeetingPhoto(
                meeting_id=meeting.id,
                uploader_id=actor.id,
                caption=caption,
                filename=filename,
                content_type=content_type,
                size=full.size,
                storage_key=keys[0],
                thumb_key=keys[1],
                width=width,
                height=height,
            )
            db.session.add(photo)
    except BaseException:
        for key in keys:
            storage.delete(key)
        raise
    finally:
        full.discard()
        thumb.discard()
    return photo


def meeting_photo(meeting: Meeting, photo_id: int) -> MeetingPhoto:
    """One photo of ``meeting`` (the caller checked the meeting), or NotFound."""
    photo = db.session.get(MeetingPhoto, photo_id) if is_id(photo_id) else None
    if photo is None or photo.meeting_id != meeting.id:
        raise NotFound(UNKNOWN_PHOTO)
    return photo


def delete_photo(actor: User, meeting: Meeting, photo_id: int) -> None:
    """Delete one of the meeting's photos (coordinators); its files go after the commit."""
    permissions.authorize(actor, "meeting.manage", meeting)
    photo = meeting_photo(meeting, photo_id)
    keys = (photo.storage_key, photo.thumb_key)
    with unit_of_work():
        db.session.delete(photo)

        def _remove() -> None:
            storage = get_storage()
            for key in keys:
                storage.delete(key)

        after_commit(_remove)


def photo_bytes(photo: MeetingPhoto, *, thumb: bool = False) -> bytes:
    """The stored photo (or its thumbnail); NotFound when its file is gone."""
    try:
        with get_storage().open(photo.thumb_key if thumb else photo.storage_key) as stored:
            return stored.read()
    except FileNotFoundError as exc:
        raise NotFound(UNKNOWN_PHOTO) from exc
