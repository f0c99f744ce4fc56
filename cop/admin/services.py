"""Writing the audit log (called by other features' services, inside their transaction),
and the console's own actions (retrying a dead job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete

from cop.admin.models import AuditLog, SiteSetting
from cop.auth.models import User
from cop.core import jobs, site
from cop.core.db import unit_of_work
from cop.core.errors import ValidationError
from cop.core.types import utcnow
from cop.core.web import client_address
from cop.extensions import db


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    community_id: int | None = None,
    **data: Any,
) -> AuditLog:
    """Add an audit entry to the caller's unit of work (it commits with it)."""
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        community_id=community_id,
        data=data,
        ip=client_address(),
    )
    db.session.add(entry)
    return entry


@jobs.periodic("admin.audit_retention", hour="2", minute="17")
def prune_audit_log(now: datetime | None = None) -> int:
    """Once a day: drop audit entries older than COP_AUDIT_KEEP_DAYS (730 by default)."""
    keep = int(current_app.config.get("AUDIT_KEEP_DAYS", 730))
    cutoff = (now or utcnow()) - timedelta(days=keep)
    with unit_of_work():
        result = db.session.execute(delete(AuditLog).where(AuditLog.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def retry_job(actor: User, job_id: int) -> bool:
    """Queue a dead or dropped job again (audited); False when it is not one."""
    with unit_of_work():
        retried = jobs.retry(job_id)
        if retried:
            record(actor, "job.retry", "job", job_id)
    return retried


def save_settings(actor: User, raw: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Validate and store the settings in ``raw`` (key -> what was typed); each change
    audited with its old and new value. All or nothing: one invalid value stores none.

    Returns the changes (key -> (old, new)).
    """
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, typed in raw.items():
        try:
            values[key] = site.parse(key, typed)
        except ValidationError as error:
            errors.update(error.fields)
    if errors:
        raise ValidationError(fields=errors)
    before = site.current()
    changes = {k: (before[k], v) for k, v in values.items() if before[k] != v}
    with unit_of_work():
        for key, (old, new) in changes.items():
            store_setting(actor, key, old, new)
    site.forget()
    return changes


def store_setting(actor: User, key: str, old: Any, new: Any) -> None:
    """Write one setting's new value into the caller's unit of work, audited (the caller
    validated it, and calls ``site.forget`` once committed)."""
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key)
        db.session.add(row)
    row.value = new
    row.updated_by_id = actor.id
    record(actor, "site.setting", "setting", None, key=key, old=_shown(old), new=_shown(new))


def _shown(value: Any) -> Any:
    """A value as the audit log keeps it: long texts by their length, not copied."""
    return f"<{len(value)} chars>" if isinstance(value, str) and len(value) > 200 else value


def set_admin(actor: User, user: User, admin: bool) -> User:
    """Grant or take back site admin rights (audited); the last admin stays one."""
    from flask_babel import lazy_gettext as _l
    from sqlalchemy import func, select

    from cop.core.errors import Conflict

    with unit_of_work():
        target = db.session.get(User, user.id, with_for_update=True)
        if target is None or target.is_admin == admin:
            return user
        if not admin:
            others = db.session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.is_admin.is_(True), User.active.is_(True), User.id != target.id)
            )
            if not others:
                raise Conflict(
                    _l("The site needs at least one admin: make someone else admin first."),
                    code="last_admin",
                )
        target.is_admin = admin
        record(actor, "user.admin_granted" if admin else "user.admin_revoked", "user", target.id)
    return target


def revoke_access(actor: User, user: User) -> int:
    """End every session of ``user`` and revoke their API tokens (audited); tokens revoked."""
    from sqlalchemy import update

    from cop.auth import services as auth_services
    from cop.auth.models import ApiToken

    with unit_of_work():
        result = db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        record(actor, "user.access_revoked", "user", user.id)
    auth_services.revoke_sessions(user)
    return int(getattr(result, "rowcount", 0) or 0)


def confirm_address(actor: User, user: User) -> None:
    """A site admin vouches for an account's address (the mail never arrived); audited."""
    with unit_of_work():
        target = db.session.get(User, user.id)
        if target is None or target.email_confirmed_at is not None:
            return
        target.email_confirmed_at = utcnow()
        record(actor, "user.email_confirmed", "user", target.id)
