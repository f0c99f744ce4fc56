"""A member's data, exported and erased.

What belongs to a member is found from the schema, not listed by hand: every
row of every table whose *owner column* (``user_id``, ``author_id``,
``uploader_id``, ``assignee_id``, ``presenter_id``) points at them, so a feature
added later is exported and erased without anyone remembering to. Columns that
record what someone did to others (``marked_by_id``, ``hidden_by_id``...) are
not ownership: another member's attendance marked by a coordinator is that
member's data. Secrets (password and token hashes) never leave the database.

Deletion keeps the account's row as a tombstone named "Mantan anggota" with
every personal field erased, so attendance, RSVPs and reactions keep counting
(a community's figures stay true) while nothing says who it was.
"""

from __future__ import annotations

import json
import secrets
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Column, Table, delete, select

from cop.admin.services import record
from cop.auth import services as auth_services
from cop.auth.models import User
from cop.core import jobs, signing
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.privacy import erasure
from cop.privacy.models import AccountDeletion, DataExport

#: columns through which a row belongs to a user
OWNER_COLUMNS = ("user_id", "author_id", "uploader_id", "assignee_id", "presenter_id")
#: columns that never leave the database, whoever asks
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "key_hash", "salt", "secret"})
#: tables that are the privacy feature's own bookkeeping, or hold no member content
SKIPPED_TABLES = frozenset({"data_exports", "account_deletions", "users"})
#: the users table's personal fields, erased on deletion (the rest is bookkeeping)
PERSONAL_FIELDS = ("email", "username", "name", "school", "subjects", "province", "city", "bio")
#: how long a member can change their mind
GRACE = timedelta(days=14)
#: how long an export's download link works
EXPORT_DAYS = 7
#: the name a deleted member's kept content shows


# --- what belongs to whom -----------------------------------------------------------------


def owned_tables() -> list[tuple[Table, Column[Any]]]:
    """(table, owner column) for every table with a row per user (from the schema)."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        for column in table.columns:
            if column.name in OWNER_COLUMNS and any(
                fk.column.table.name == "users" for fk in column.foreign_keys
            ):
                found.append((table, column))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return None
    return value


def _rows(table: Table, where: Any) -> list[dict[str, Any]]:
    columns = [c for c in table.columns if c.name not in SECRET_COLUMNS]
    result = db.session.execute(select(*columns).where(where).order_by(*table.primary_key))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def member_data(user_id: int) -> dict[str, Any]:
    """Everything that belongs to the member, as {table: [rows]} plus their profile."""
    users: Table = User.__table__
    data: dict[str, Any] = {"profile": _rows(users, users.c.id == user_id)}
    for table, column in owned_tables():
        rows = _rows(table, column == user_id)
        if rows:
            data.setdefault(table.name, []).extend(rows)
    return data


def _files(user_id: int) -> Iterator[tuple[str, str]]:
    """(storage key, name in the ZIP) of the files the member uploaded."""
    from cop.chat.models import Attachment
    from cop.resources.models import Resource

    for rid, key, name in db.session.execute(
        select(Resource.id, Resource.storage_key, Resource.filename).where(
            Resource.uploader_id == user_id, Resource.storage_key.is_not(None)
        )
    ):
        yield str(key), f"files/resources/{rid}-{Path(name or 'file').name}"
    for aid, key, name in db.session.execute(
        select(Attachment.id, Attachment.storage_key, Attachment.filename).where(
            Attachment.uploader_id == user_id
        )
    ):
        yield key, f"files/chat/{aid}-{Path(name or 'file').name}"


# --- export -------------------------------------------------------------------------------


def _exports_dir() -> Path:
    configured = current_app.config.get("EXPORT_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer() -> URLSafeTimedSerializer:
    return signing.timed("cop.privacy.export")


def request_export(user: User) -> DataExport:
    """Start building the member's export; asking again while one is being built or is
    still downloadable gives that one (two clicks, one ZIP)."""
    with unit_of_work():
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
        existing = db.session.scalar(
            select(DataExport)
            .where(DataExport.user_id == user.id, DataExport.state.in_(("queued", "ready")))
            .order_by(DataExport.id.desc())
        )
        if existing is not None and (
            existing.state == "queued" or (existing.expires_at or utcnow()) > utcnow()
        ):
            return existing
        export = DataExport(user_id=user.id)
        db.session.add(export)
        db.session.flush()
        jobs.enqueue("privacy.export", f"export:{export.id}", export_id=export.id)
    return export


@jobs.handler("privacy.export")
def build_export(export_id: int) -> None:
    """Write the ZIP: data.json (every row that is the member's) and their uploaded files."""
    from cop.notifications.services import notify
    from cop.resources.storage import get_storage

    export = db.session.get(DataExport, export_id)
    if export is None:
        raise jobs.Gone()
    name = f"{secrets.token_urlsafe(24)}.zip"
    path = _exports_dir() / name
    storage = get_storage()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = member_data(export.user_id)
        archive.writestr(
            "data.json", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        )
        archive.writestr("README.txt", _readme())
        for key, inside in _files(export.user_id):
            if storage.exists(key):
                with storage.open(key) as source, archive.open(inside, "w") as target:
                    while chunk := source.read(64 * 1024):
                        target.write(chunk)
    with unit_of_work():
        export = db.session.get(DataExport, export_id)
        if export is None:
            path.unlink(missing_ok=True)
            raise jobs.Gone()
        export.state = "ready"
        export.filename = name
        export.size = path.stat().st_size
        export.ready_at = utcnow()
        export.expires_at = utcnow() + timedelta(days=EXPORT_DAYS)
    user = db.session.get(User, export.user_id)
    if user is not None:
        notify(user, "data_export", _l("Your data is ready to download"), "/privacy/my-data")


def _readme() -> str:
    return (
        "cop: your data\n\n"
        "data.json holds every row of the database that is yours, by table\n"
        "(profile, posts, chat messages, RSVPs, attendance, materials, badges,\n"
        "notifications...). files/ holds what you uploaded.\n\n"
        "data.json berisi setiap baris basis data milik Anda, per tabel; files/ berisi\n"
        "berkas yang Anda unggah.\n"
    )


@jobs.periodic("privacy.exports_cleanup", hour="3", minute="41")
def remove_expired_exports(now: datetime | None = None) -> int:
    """Once a day: delete the ZIPs whose links have expired (the rows stay, marked failed
    so a new export can be asked for); how many."""
    expired = db.session.scalars(
        select(DataExport).where(
            DataExport.state == "ready", DataExport.expires_at <= (now or utcnow())
        )
    ).all()
    with unit_of_work():
        for export in expired:
            (_exports_dir() / export.filename).unlink(missing_ok=True)
            current = db.session.get(DataExport, export.id)
            if current is not None:
                current.state = "expired"
    return len(expired)


def download_token(export: DataExport) -> str:
    """The signed part of the download link (it expires with the export)."""
    return str(_serializer().dumps({"id": export.id, "user": export.user_id}))


def export_for_download(token: str, viewer: User | None) -> tuple[DataExport, Path]:
    """The export a download link names, for its owner only, while it has not expired."""
    try:
        data = _serializer().loads(token, max_age=EXPORT_DAYS * 86400)
    except SignatureExpired as exc:
        raise NotFound(_l("This download link has expired: ask for a new export.")) from exc
    except BadSignature as exc:
        raise NotFound(_l("This download link is not valid.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise NotFound(_l("This download link is not valid."))
    export = db.session.get(DataExport, data["id"])
    if export is None or export.user_id != data.get("user") or export.state != "ready":
        raise NotFound(_l("This download link is not valid."))
    if viewer is None or viewer.id != export.user_id:
        raise Forbidden(_l("Log in as the owner of this export to download it."))
    path = _exports_dir() / export.filename
    if export.expires_at is None or export.expires_at <= utcnow() or not path.is_file():
        raise NotFound(_l("This download link has expired: ask for a new export."))
    return export, path


def latest_export(user: User) -> DataExport | None:
    """The member's newest export, if any."""
    return db.session.scalar(
        select(DataExport).where(DataExport.user_id == user.id).order_by(DataExport.id.desc())
    )


# --- deletion -----------------------------------------------------------------------------


def request_deletion(
    actor: User,
    user: User,
    *,
    password: str | None,
    keep_content: bool,
    keep_certificates: bool = True,
) -> AccountDeletion:
    """Ask for the account to be erased when the grace period ends (14 days).

    ``keep_certificates``: the member's certificates stay verifiable as anonymous
    records (the name printed on the paper can still be checked); otherwise they
    are revoked. Either way the name leaves the database.

    The member confirms with their password; a site admin may ask on a member's
    behalf (audited). The last coordinator of a community must hand over first.
    """
    if actor.id == user.id:
        if not password or auth_services.authenticate(user.email, password) is None:
            raise ValidationError(fields={"password": _l("The password is not right.")})
    elif not actor.is_admin:
        raise Forbidden()
    blocking = _sole_coordinator_of(user.id)
    if blocking:
        raise Conflict(
            _l(
                "You are the last coordinator of %(names)s: make another member coordinator first.",
                names=", ".join(blocking),
            ),
            code="last_coordinator",
        )
    with unit_of_work():
        pending = db.session.get(AccountDeletion, user.id)
        if pending is None:
            pending = AccountDeletion(user_id=user.id, due_at=utcnow() + GRACE)
            db.session.add(pending)
        pending.keep_content = keep_content
        pending.keep_certificates = keep_certificates
        pending.requested_by_id = actor.id
        record(
            actor,
            "account.delete_requested",
            "user",
            user.id,
            keep_content=keep_content,
            keep_certificates=keep_certificates,
        )
    return pending


def cancel_deletion(actor: User, user: User) -> bool:
    """Undo a pending deletion (during the grace period); False when none was pending."""
    with unit_of_work():
        pending = db.session.get(AccountDeletion, user.id)
        if pending is None:
            return False
        db.session.delete(pending)
        record(actor, "account.delete_cancelled", "user", user.id)
    return True


def pending_deletion(user: User) -> AccountDeletion | None:
    """The member's pending deletion, if any."""
    return db.session.get(AccountDeletion, user.id)


def _sole_coordinator_of(user_id: int) -> list[str]:
    """Names of the communities whose only active coordinator is the user."""
    from sqlalchemy import func

    from cop.communities.models import Community, Membership

    theirs = select(Membership.community_id).where(
        Membership.user_id == user_id,
        Membership.role == "coordinator",
        Membership.status == "active",
    )
    counts = (
        select(Membership.community_id)
        .where(
            Membership.community_id.in_(theirs),
            Membership.role == "coordinator",
            Membership.status == "active",
        )
        .group_by(Membership.community_id)
        .having(func.count() == 1)
    )
    return list(db.session.scalars(select(Community.name).where(Community.id.in_(counts))))


@jobs.periodic("privacy.erase_due", hour="*", minute="23")
def erase_due(now: datetime | None = None) -> int:
    """Every hour: erase the accounts whose grace period has ended; how many."""
    due = db.session.scalars(
        select(AccountDeletion.user_id).where(AccountDeletion.due_at <= (now or utcnow()))
    ).all()
    for user_id in due:
        erase(user_id)
    return len(due)


def erase(user_id: int) -> None:
    """Carry out a deletion now: the tombstone, the content kept or removed, the rest gone."""
    pending = db.session.get(AccountDeletion, user_id)
    user = db.session.get(User, user_id)
    if pending is None or user is None:
        return
    keep = pending.keep_content
    old_name = user.name
    files: list[str] = []
    with unit_of_work():
        erasure.forget_in_notifications(user_id, old_name)
        if not keep:
            files = erasure.remove_content(user_id)
        erasure.anonymise_certificates(user_id, keep=pending.keep_certificates)
        for table, column in owned_tables():
            if table.name in erasure.KEPT_TABLES or table.name in erasure.CONTENT_TABLES:
                continue  # stays, pointing at the tombstone
            db.session.execute(delete(table).where(column == user_id))
        erasure.leave_communities(user_id)
        erasure.tombstone(user)
        db.session.delete(pending)
        record(None, "account.erased", "user", user_id, keep_content=keep)
    auth_services.revoke_sessions(user)
    from cop.resources.storage import get_storage

    storage = get_storage()
    for key in files:
        storage.delete(key)


def zip_names(path: Path) -> list[str]:
    """The files inside an export (for its page)."""
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()
