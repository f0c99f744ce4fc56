"""The site's logo: a picture a site admin uploads in the console (Settings), shown in
every page's header. Received through the chat photos' checks (the upload cap and
sniffing, then Pillow: bombs refused, upright, without EXIF) and kept at the
thumbnail's size; its storage key is the ``logo`` site setting, so a change is audited
like any other setting and every process sees it within the settings' cache time."""

from __future__ import annotations

from typing import IO

from flask_babel import lazy_gettext as _l

from cop.admin.services import store_setting
from cop.auth.models import User
from cop.chat import attachments
from cop.core import site
from cop.core.db import after_commit, unit_of_work
from cop.core.errors import NotFound
from cop.resources import services as resource_services
from cop.resources.storage import get_storage

NO_LOGO = _l("This site has no such logo.")
#: stored name suffix -> the type it is served with
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def _storage_key(value: str) -> str:
    """The stored file of a ``logo`` setting value (``<storage key>.<ext>``)."""
    return value.rsplit(".", 1)[0]


def public_name(value: str) -> str:
    """The logo's file name in its URL: its random key's last part and its type
    (a new logo, a new URL: it is cached for a year)."""
    return value.rsplit("/", 1)[-1]


def logo_file(name: str) -> tuple[IO[bytes], str]:
    """The current logo's file and type when ``name`` is its public name; NotFound else."""
    value = str(site.get("logo") or "")
    if not value or public_name(value) != name:
        raise NotFound(NO_LOGO)
    ext = value.rsplit(".", 1)[-1]
    try:
        return get_storage().open(_storage_key(value)), CONTENT_TYPES.get(ext, "image/png")
    except FileNotFoundError as exc:
        raise NotFound(NO_LOGO) from exc


def _store(actor: User, key: str) -> None:
    """Point the ``logo`` setting at ``key`` ("" for none), audited; the old file goes
    once that is committed."""
    old = str(site.get("logo") or "")
    with unit_of_work():
        store_setting(actor, "logo", old, key)
        if old and old != key:
            after_commit(lambda: get_storage().delete(_storage_key(old)))
    site.forget()


def set_logo(actor: User, upload: resource_services.Upload) -> str:
    """Store ``upload`` as the site's logo (site admins; the view checks); its key."""
    storage = get_storage()
    full, thumb, _width, _height, content_type, _name = attachments.receive_photo(
        upload, storage.tmp_dir
    )
    full.discard()
    ext = next(e for e, t in CONTENT_TYPES.items() if t == content_type)
    key = None
    try:
        key = storage.put(thumb)
        _store(actor, f"{key}.{ext}")
    except BaseException:
        if key is not None:
            storage.delete(key)
        raise
    finally:
        thumb.discard()
    return f"{key}.{ext}"


def remove_logo(actor: User) -> None:
    """Back to cop's own mark (nothing happens when there is no logo)."""
    if site.get("logo"):
        _store(actor, "")
