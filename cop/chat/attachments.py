"""Photos and files in chat: received through the resource library's upload checks.

* Every upload goes through ``resources.services.receive_upload``: the size cap
  (COP_MAX_UPLOAD_MB), the allowed types, the content sniffed against the name.
* Photos (jpg, png, gif, webp) are then opened with Pillow: more than
  MAX_PIXELS pixels (a decompression bomb) or an undecodable file is refused;
  the picture is turned upright by its EXIF orientation, shrunk to MAX_SIDE
  pixels on its longer side and saved again *without* EXIF (no GPS location,
  no camera serial), with a THUMB_SIDE thumbnail for the chat line.
* Other files are stored as received, like the library's.
* A retried upload (same uploader and ``client_id``) answers with the first
  attachment and stores nothing more.

The attachment is sent with a message (``message:send`` with ``attachment_id``)
and from then on is seen by whoever sees the channel (``chat.view_attachment``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.chat.models import Attachment, Channel
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import ValidationError
from cop.extensions import db
from cop.resources import services as resource_services
from cop.resources.storage import Spooled, get_storage

#: photo types, and the format each is stored in
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "PNG", "webp": "WEBP"}
FORMAT_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
#: the longer side of a stored photo, and of its thumbnail
MAX_SIDE = 1600
THUMB_SIDE = 320
#: more pixels than this is refused before decoding (a 12-megapixel phone photo is 12e6)
MAX_PIXELS = 40_000_000


def find(uploader_id: int, client_id: str) -> Attachment | None:
    """The uploader's attachment sent with ``client_id`` (a retried upload)."""
    return db.session.scalar(
        select(Attachment).where(
            Attachment.uploader_id == uploader_id, Attachment.client_id == client_id
        )
    )


def get(attachment_id: int) -> Attachment | None:
    """An attachment with its channel and community, or None."""
    return db.session.get(Attachment, attachment_id)


def _not_an_image() -> ValidationError:
    return ValidationError(
        fields={"file": _l("This photo cannot be read. Send a JPG, PNG, GIF or WebP picture.")},
        code="bad_image",
    )


def _saved(image: Image.Image, fmt: str, tmp_dir: Path) -> Spooled:
    """``image`` written to a new temporary file in ``fmt``, with no metadata."""
    fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="img-")
    os.close(fd)
    path = Path(name)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if fmt == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    image.info.clear()  # no EXIF, XMP, ICC text or comments travel on
    options: dict[str, Any] = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    image.save(path, fmt, **options)
    data = path.read_bytes()
    return Spooled(
        path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(), head=data[:64]
    )


def process_image(path: Path, ext: str, tmp_dir: Path) -> tuple[Spooled, Spooled, int, int]:
    """The photo re-encoded without EXIF and at most MAX_SIDE, its thumbnail, and the
    stored size; ValidationError for a bomb or a file Pillow cannot decode."""
    fmt = IMAGE_FORMATS[ext]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        fields={"file": _l("This photo has too many pixels.")}, code="image_too_big"
                    )
                opened.seek(0)
                opened.load()
                upright = ImageOps.exif_transpose(opened)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                fields={"file": _l("This photo has too many pixels.")}, code="image_too_big"
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _not_an_image() from exc
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    full = _saved(upright, fmt, tmp_dir)
    try:
        thumb_image = upright.copy()
        thumb_image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumb = _saved(thumb_image, fmt, tmp_dir)
    except BaseException:
        full.discard()
        raise
    return full, thumb, upright.width, upright.height


def receive_photo(
    upload: resource_services.Upload, tmp_dir: Path
) -> tuple[Spooled, Spooled, int, int, str, str]:
    """A photo for another feature (meeting photos, certificate signatures): the
    library's upload checks, then ``process_image``; anything but a JPG, PNG, GIF or
    WebP picture is refused. Returns the stored-size photo and its thumbnail (the
    caller keeps or discards both), width, height, content type and file name."""
    spooled, filename, ext = resource_services.receive_upload(upload)
    try:
        if ext not in IMAGE_FORMATS:
            raise _not_an_image()
        full, thumb, width, height = process_image(spooled.path, ext, tmp_dir)
    finally:
        spooled.discard()
    content_type, out_ext = FORMAT_TYPES[IMAGE_FORMATS[ext]]
    stem = filename.rsplit(".", 1)[0] or "foto"
    return full, thumb, width, height, content_type, f"{stem}.{out_ext}"


def receive(
    actor: User, channel: Channel, upload: resource_services.Upload, client_id: Any
) -> tuple[Attachment, bool]:
    """Store a photo or file for ``channel`` (members who may write there); returns
    (attachment, created). The same ``client_id`` again returns the first one."""
    from cop.chat.services import check_client_id

    permissions.authorize(actor, "chat.send", channel)
    client_id = check_client_id(client_id)
    earlier = find(actor.id, client_id)
    if earlier is not None:
        return earlier, False
    spooled, filename, ext = resource_services.receive_upload(upload)
    storage = get_storage()
    keys: list[str] = []
    extra: list[Spooled] = []
    try:
        if ext in IMAGE_FORMATS:
            full, thumb, width, height = process_image(spooled.path, ext, storage.tmp_dir)
            extra = [full, thumb]
            content_type, out_ext = FORMAT_TYPES[IMAGE_FORMATS[ext]]
            stem = filename.rsplit(".", 1)[0] or "foto"
            stored_name = f"{stem}.{out_ext}"
            keys.append(storage.put(full))
            keys.append(storage.put(thumb))
            row = Attachment(
                kind="image",
                filename=stored_name,
                content_type=content_type,
                size=full.size,
                sha256=full.sha256,
                storage_key=keys[0],
                thumb_key=keys[1],
                width=width,
                height=height,
            )
        else:
            from cop.resources import sniff

            keys.append(storage.put(spooled))
            row = Attachment(
                kind="file",
                filename=filename,
                content_type=sniff.CONTENT_TYPES[ext],
                size=spooled.size,
                sha256=spooled.sha256,
                storage_key=keys[0],
            )
        row.channel_id = channel.id
        row.uploader_id = actor.id
        row.client_id = client_id
        with unit_of_work():
            db.session.add(row)
    except IntegrityError:
        # Two tries of the same upload at once: the first one stands.
        for key in keys:
            storage.delete(key)
        first = find(actor.id, client_id)
        if first is None:  # pragma: no cover - another constraint failed
            raise
        return first, False
    except BaseException:
        for key in keys:
            storage.delete(key)
        raise
    finally:
        spooled.discard()
        for item in extra:
            item.discard()
    return row, True


def open_stored(attachment: Attachment, *, thumb: bool = False) -> Any:
    """The stored photo, its thumbnail, or the file, for reading (the caller closes it)."""
    key = attachment.thumb_key if thumb and attachment.thumb_key else attachment.storage_key
    return get_storage().open(key)
