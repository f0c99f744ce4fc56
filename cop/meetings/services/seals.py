"""The certificates' signature block: the coordinator's signature and the community's
stamp as images (one of each per community; uploading again replaces it). Received
through the chat photos' checks (the library's upload cap and sniffing, then Pillow:
decompression bombs refused, upright, resized, saved without EXIF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.chat import attachments
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import after_commit, unit_of_work
from cop.core.errors import NotFound
from cop.extensions import db
from cop.meetings.models import SEAL_KINDS, CommunitySeal
from cop.resources import services as resource_services
from cop.resources.storage import get_storage

UNKNOWN_SEAL = _l("There is no such signature or stamp image.")


def seals_of(community: Community) -> dict[str, CommunitySeal]:
    """The community's images by kind (``signature``, ``stamp``), those it has."""
    rows = db.session.scalars(
        select(CommunitySeal).where(CommunitySeal.community_id == community.id)
    )
    return {row.kind: row for row in rows}


def _kind(kind: str) -> str:
    if kind not in SEAL_KINDS:
        raise NotFound(UNKNOWN_SEAL)
    return kind


def set_seal(
    actor: User, community: Community, kind: str, upload: resource_services.Upload
) -> CommunitySeal:
    """Store ``upload`` as the community's signature or stamp (coordinators), replacing
    the one before; the old file goes once the new row is committed."""
    permissions.authorize(actor, "community.sign_certificates", community)
    kind = _kind(kind)
    storage = get_storage()
    full, thumb, width, height, content_type, _name = attachments.receive_photo(
        upload, storage.tmp_dir
    )
    thumb.discard()
    key = None
    try:
        key = storage.put(full)
        with unit_of_work():
            # one writer per community at a time: two uploads at once replace in turn
            db.session.execute(
                select(Community.id).where(Community.id == community.id).with_for_update()
            )
            seal = seals_of(community).get(kind)
            old_key = seal.storage_key if seal else None
            if seal is None:
                seal = CommunitySeal(community_id=community.id, kind=kind)
            seal.storage_key = key
            seal.content_type = content_type
            seal.width, seal.height = width, height
            seal.uploaded_by_id = actor.id
            seal.uploaded_by = actor
            db.session.add(seal)
            if old_key:
                after_commit(lambda: storage.delete(old_key))
    except BaseException:
        if key is not None:
            storage.delete(key)
        raise
    finally:
        full.discard()
    return seal


def remove_seal(actor: User, community: Community, kind: str) -> None:
    """Remove the community's signature or stamp image (coordinators); NotFound when
    there is none."""
    permissions.authorize(actor, "community.sign_certificates", community)
    seal = seals_of(community).get(_kind(kind))
    if seal is None:
        raise NotFound(UNKNOWN_SEAL)
    key = seal.storage_key
    with unit_of_work():
        db.session.delete(seal)
        after_commit(lambda: get_storage().delete(key))


def seal_bytes(seal: CommunitySeal) -> bytes:
    """The stored image; NotFound when its file is gone."""
    try:
        with get_storage().open(seal.storage_key) as stored:
            return stored.read()
    except FileNotFoundError as exc:
        raise NotFound(UNKNOWN_SEAL) from exc
