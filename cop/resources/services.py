"""Resource operations: share a file or a link, like, feature, hide, remove, download.

Uploads are checked in this order, and nothing is kept when a check fails:
size cap (while streaming to a temp file), empty file, extension allow-list,
magic bytes against the extension, duplicate in the community (by SHA-256).
Only then is the file moved into storage and the row written; if the row
cannot be written the stored file is removed again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, CopError, NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.inputs import is_web_url
from cop.core.types import utcnow
from cop.extensions import db
from cop.resources import sniff
from cop.resources.models import (
    KINDS,
    LEVELS,
    LICENSES,
    PHASES,
    Resource,
    ResourceDownload,
    ResourceLike,
)
from cop.resources.storage import (
    Spooled,
    UploadTooLarge,
    get_storage,
    max_upload_bytes,
    spool,
)

#: the one message for a resource that does not exist or is not visible
UNKNOWN = _l("That resource does not exist.")
#: a second download by the same user within this window is not counted
DOWNLOAD_WINDOW = timedelta(minutes=1)
MAX_TAGS = 10
TAG_RE = re.compile(r"[^\w-]+", re.UNICODE)


class TooLarge(CopError):
    """The upload is over the size cap."""

    status = 413
    code = "too_large"
    default_message = _l("The upload is too large.")


class Duplicate(Conflict):
    """The same file was already shared in this community; ``existing`` is it."""

    code = "duplicate_resource"

    def __init__(self, existing: Resource) -> None:
        self.existing = existing
        super().__init__(
            _l(
                "This file was already shared here as \u201c%(title)s\u201d: /resources/%(id)d",
                title=existing.title,
                id=existing.id,
            )
        )


@dataclass
class ResourceData:
    """What a teacher fills in when sharing (the file or link comes separately)."""

    title: str
    kind: str
    description: str = ""
    subject: str = ""
    level: str | None = None
    phase: str = ""
    tags: list[str] = field(default_factory=list)
    license: str = "cc-by"
    public: bool = False


@dataclass
class Upload:
    """A file as received: its stream and the name the teacher's device gave it."""

    stream: IO[bytes]
    filename: str


def parse_tags(raw: str | list[str] | None) -> list[str]:
    """'Pecahan, kelas 4' -> ['pecahan', 'kelas-4'] (lower case, unique, at most 10)."""
    if raw is None:
        return []
    parts = raw.split(",") if isinstance(raw, str) else [str(p) for p in raw]
    tags: list[str] = []
    for part in parts:
        tag = TAG_RE.sub("-", part.strip().lower()).strip("-_")[:30]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def sanitize_filename(raw: str) -> str:
    """A display name safe to put in a header: no path, no control characters.

    '../../etc/passwd.pdf' -> 'passwd.pdf'. The file is never stored under it.
    """
    name = unicodedata.normalize("NFKC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*;')
    # No leading dot (a hidden file) nor space, however they alternate (". .x").
    name = re.sub(r"^[\s.]+", "", re.sub(r"\s+", " ", name)).strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 150 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 10 else name[:150]
    return name or "berkas"


def check_url(raw: str) -> str:
    """An http(s) link with a host; javascript:, data: and the like are refused."""
    url = (raw or "").strip()
    error = ValidationError(
        fields={"url": _l("Enter a link that starts with http:// or https://.")}
    )
    if not is_web_url(url):
        raise error
    return url


def validate_data(data: ResourceData) -> ResourceData:
    """Check and normalise the fields; one ValidationError with every problem."""
    errors: dict[str, object] = {}
    data.title = (data.title or "").strip()
    if "\x00" in data.title:
        errors["title"] = _l("Contains a character that is not allowed.")
    elif not 3 <= len(data.title) <= 200:
        errors["title"] = _l("Enter a title of 3 to 200 characters.")
    if data.kind not in KINDS:
        errors["kind"] = _l("Choose one of: %(options)s.", options=", ".join(KINDS))
    data.level = data.level or None
    if data.level is not None and data.level not in LEVELS:
        errors["level"] = _l("Choose SD, SMP, SMA or SMK.")
    data.phase = (data.phase or "").strip()
    if data.phase and data.phase not in PHASES:
        errors["phase"] = _l("Choose a phase from A to F.")
    if data.license not in LICENSES:
        errors["license"] = _l("Choose one of: %(options)s.", options=", ".join(LICENSES))
    for name, limit in {"description": 10000, "subject": 80}.items():
        value = (getattr(data, name) or "").strip()
        setattr(data, name, value)
        if len(value) > limit or "\x00" in value:
            errors[name] = _l("At most %(n)d characters.", n=limit)
    data.tags = parse_tags(data.tags)
    if len(data.tags) > MAX_TAGS:
        errors["tags"] = _l("At most %(n)d tags.", n=MAX_TAGS)
    if errors:
        raise ValidationError(fields=errors)
    return data


def _new_resource(actor: User, community: Community, data: ResourceData) -> Resource:
    return Resource(
        community_id=community.id,
        uploader_id=actor.id,
        title=data.title,
        description=data.description,
        kind=data.kind,
        subject=data.subject,
        level=data.level,
        phase=data.phase,
        tags_text="," + ",".join(data.tags) + "," if data.tags else "",
        license=data.license,
        public=bool(data.public),
    )


def find_duplicate(community: Community, sha256: str) -> Resource | None:
    """The resource in ``community`` holding exactly this file, if any."""
    return db.session.scalar(
        select(Resource).where(Resource.community_id == community.id, Resource.sha256 == sha256)
    )


def _receive(upload: Upload) -> tuple[Spooled, str, str]:
    """Spool and check the upload; returns it with its clean name and extension."""
    filename = sanitize_filename(upload.filename)
    ext = sniff.extension_of(filename)
    if ext not in sniff.ALLOWED_EXTENSIONS:
        raise ValidationError(
            fields={
                "file": _l(
                    "This kind of file is not accepted. Allowed: %(types)s.",
                    types=", ".join(sniff.ALLOWED_EXTENSIONS),
                )
            },
            code="file_type_not_allowed",
        )
    storage = get_storage()
    try:
        spooled = spool(upload.stream, storage.tmp_dir, max_upload_bytes())
    except UploadTooLarge as exc:
        mb = max_upload_bytes() // (1024 * 1024)
        raise TooLarge(_l("The file is larger than %(mb)d MB.", mb=mb)) from exc
    try:
        if spooled.size == 0:
            raise ValidationError(fields={"file": _l("The file is empty.")}, code="empty_file")
        if not sniff.matches(spooled.path, ext, spooled.head):
            raise ValidationError(
                fields={
                    "file": _l("The file's content does not match its .%(ext)s name.", ext=ext)
                },
                code="file_type_mismatch",
            )
    except BaseException:
        spooled.discard()
        raise
    return spooled, filename, ext


def receive_upload(upload: Upload) -> tuple[Spooled, str, str]:
    """The library's upload checks for other features (chat attachments): the file
    spooled under the size cap, its type sniffed against its name; returns the
    spooled file (the caller keeps or discards it), its clean name and extension."""
    return _receive(upload)


def share_file(actor: User, community: Community, data: ResourceData, upload: Upload) -> Resource:
    """Share an uploaded file in ``community`` (active members)."""
    permissions.authorize(actor, "community.participate", community)
    data = validate_data(data)
    spooled, filename, ext = _receive(upload)
    storage = get_storage()
    key: str | None = None
    try:
        existing = find_duplicate(community, spooled.sha256)
        if existing is not None:
            raise Duplicate(existing)
        key = storage.put(spooled)
        with unit_of_work():
            resource = _new_resource(actor, community, data)
            resource.storage_key = key
            resource.filename = filename
            resource.size = spooled.size
            resource.content_type = sniff.CONTENT_TYPES[ext]
            resource.sha256 = spooled.sha256
            db.session.add(resource)
    except IntegrityError as exc:
        # A double submit: the first request stored the same file a moment ago.
        if key is not None:
            storage.delete(key)
        existing = find_duplicate(community, spooled.sha256)
        if existing is None:  # pragma: no cover - another constraint failed
            raise
        raise Duplicate(existing) from exc
    except BaseException:
        if key is not None:
            storage.delete(key)
        raise
    finally:
        spooled.discard()
    signals.resource_shared.send(resource, resource=resource, actor=actor)
    return resource


def share_link(actor: User, community: Community, data: ResourceData, url: str) -> Resource:
    """Share a link (http/https only) in ``community``."""
    permissions.authorize(actor, "community.participate", community)
    errors: dict[str, object] = {}
    try:
        data = validate_data(data)
    except ValidationError as error:
        errors.update(error.fields)
    try:
        url = check_url(url)
    except ValidationError as error:
        errors.update(error.fields)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        resource = _new_resource(actor, community, data)
        resource.url = url
        db.session.add(resource)
    signals.resource_shared.send(resource, resource=resource, actor=actor)
    return resource


def get(resource_id: int) -> Resource:
    """The resource with this id (no access check), or NotFound."""
    resource = db.session.get(Resource, resource_id) if is_id(resource_id) else None
    if resource is None:
        raise NotFound(UNKNOWN)
    return resource


def get_visible(viewer: User | None, resource_id: int, action: str = "resource.view") -> Resource:
    """The resource if ``viewer`` may ``action`` it; one 404 for unknown and invisible."""
    resource = db.session.get(Resource, resource_id) if is_id(resource_id) else None
    return permissions.visible(viewer, action, resource, missing=UNKNOWN)


def record_download(viewer: User | None, resource: Resource) -> bool:
    """Count a download (not twice per user per minute); True when counted."""
    permissions.authorize(viewer, "resource.download", resource)
    with unit_of_work():
        if viewer is not None:
            recent = db.session.scalar(
                select(ResourceDownload.id).where(
                    ResourceDownload.resource_id == resource.id,
                    ResourceDownload.user_id == viewer.id,
                    ResourceDownload.created_at >= utcnow() - DOWNLOAD_WINDOW,
                )
            )
            if recent is not None:
                return False
        db.session.add(
            ResourceDownload(resource_id=resource.id, user_id=viewer.id if viewer else None)
        )
        db.session.execute(
            update(Resource)
            .where(Resource.id == resource.id)
            .values(download_count=Resource.download_count + 1)
        )
        if viewer is not None and viewer.id != resource.uploader_id:
            signals.send_after_commit(
                signals.resource_downloaded, resource, resource=resource, actor=viewer
            )
    # Show the new count without marking the row dirty (a later flush must not
    # overwrite concurrent increments).
    set_committed_value(resource, "download_count", resource.download_count + 1)
    return True


def open_file(resource: Resource) -> IO[bytes]:
    """The stored file for reading; NotFound when it is a link or the file is gone."""
    if resource.storage_key is None:
        raise NotFound(_l("That resource is a link, not a file."))
    try:
        return get_storage().open(resource.storage_key)
    except (OSError, ValueError) as exc:
        raise NotFound(_l("The file of this resource is missing.")) from exc


def _recount_likes(resource: Resource) -> None:
    db.session.flush()
    count = db.session.scalar(
        select(func.count(ResourceLike.id)).where(ResourceLike.resource_id == resource.id)
    )
    resource.like_count = count or 0


def set_like(actor: User, resource: Resource, liked: bool) -> Resource:
    """Like or unlike (idempotent: liking twice is one like)."""
    permissions.authorize(actor, "resource.like", resource)
    try:
        with unit_of_work():
            exists = db.session.scalar(
                select(ResourceLike.id).where(
                    ResourceLike.resource_id == resource.id, ResourceLike.user_id == actor.id
                )
            )
            if liked and exists is None:
                db.session.add(ResourceLike(resource_id=resource.id, user_id=actor.id))
            elif not liked and exists is not None:
                db.session.execute(delete(ResourceLike).where(ResourceLike.id == exists))
            if liked != (exists is not None):
                signals.send_after_commit(
                    signals.resource_liked, resource, resource=resource, actor=actor, liked=liked
                )
            _recount_likes(resource)
            db.session.add(resource)
    except IntegrityError:
        # Two clicks at once: the other request already liked it.
        db.session.refresh(resource)
    return resource


def set_featured(actor: User, resource: Resource, featured: bool) -> Resource:
    """A coordinator marks (or unmarks) a resource as "pilihan pengurus"."""
    return _set_flag(actor, resource, "featured", featured, "resource.feature")


def set_hidden(actor: User, resource: Resource, hidden: bool) -> Resource:
    """A moderator hides a resource from members (or shows it again)."""
    return _set_flag(actor, resource, "hidden", hidden, "resource.hide")


def _set_flag(actor: User, resource: Resource, flag: str, value: bool, action: str) -> Resource:
    """Set a curation flag (``featured``/``hidden``) if ``actor`` may ``action`` it.

    The ``resource_updated`` change is the flag's name, prefixed "un" when cleared
    ("featured", "unfeatured", "hidden", "unhidden").
    """
    permissions.authorize(actor, action, resource)
    with unit_of_work():
        setattr(resource, flag, value)
        resource.updated_at = utcnow()
        db.session.add(resource)
    change = flag if value else f"un{flag}"
    signals.resource_updated.send(resource, resource=resource, actor=actor, change=change)
    return resource


def remove(actor: User, resource: Resource) -> None:
    """Delete a resource and its file (the uploader, moderators, admins)."""
    permissions.authorize(actor, "resource.remove", resource)
    key = resource.storage_key
    resource_id, community_id = resource.id, resource.community_id
    with unit_of_work():
        db.session.delete(resource)
    if key is not None:
        get_storage().delete(key)
    signals.resource_removed.send(
        None, resource_id=resource_id, community_id=community_id, actor=actor
    )
