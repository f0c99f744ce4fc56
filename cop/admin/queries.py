"""Read helpers for the admin area: users, the audit log and the job queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from cop.admin.models import AuditLog, SiteSetting
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import site
from cop.core.jobs.models import STATES, Job
from cop.core.pagination import Page, SortKey, keyset_page
from cop.extensions import db


def users(q: str, *, cursor: str | None, limit: int) -> Page[User]:
    """Every account, newest first, optionally filtered by name, email or username."""
    stmt = select(User)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                User.name.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
                User.username.ilike(pattern, escape="\\"),
            )
        )
    return keyset_page(
        stmt,
        [SortKey(User.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda u: (u.id,),
    )


def audit_log(*, cursor: str | None, limit: int) -> Page[AuditLog]:
    """The audit log, newest first, with the actors loaded."""
    stmt = select(AuditLog).options(joinedload(AuditLog.actor))
    return keyset_page(
        stmt,
        [SortKey(AuditLog.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda e: (e.id,),
    )


def communities(status: str, *, cursor: str | None, limit: int) -> Page[Community]:
    """Communities of one status, newest first, with their creators."""
    stmt = (
        select(Community)
        .options(joinedload(Community.created_by))
        .where(Community.status == status)
    )
    return keyset_page(
        stmt,
        [SortKey(Community.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda c: (c.id,),
    )


def community_status_counts() -> dict[str, int]:
    """How many communities are in each status (the console's tab counts)."""
    rows = db.session.execute(select(Community.status, func.count()).group_by(Community.status))
    return {status: count for status, count in rows}


#: what the jobs page lists: ``problems`` (dead, and queued again after a failure) or a state
JOB_VIEWS = ("problems", *STATES)


def jobs(view: str, *, cursor: str | None, limit: int) -> Page[Job]:
    """Jobs of one view, newest first (``problems``: dead or retrying)."""
    stmt = select(Job)
    if view == "problems":
        stmt = stmt.where(or_(Job.state == "dead", (Job.state == "queued") & (Job.attempts > 0)))
    else:
        stmt = stmt.where(Job.state == view)
    return keyset_page(
        stmt,
        [SortKey(Job.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda job: (job.id,),
    )


def totals() -> dict[str, int]:
    """Headline numbers for the admin page."""
    return {
        "users": db.session.scalar(select(func.count(User.id))) or 0,
        "inactive": db.session.scalar(select(func.count(User.id)).where(User.active.is_(False)))
        or 0,
        "communities": db.session.scalar(select(func.count(Community.id))) or 0,
        "audit": db.session.scalar(select(func.count(AuditLog.id))) or 0,
    }


def community_names(ids: set[int]) -> dict[int, str]:
    """Community names for audit entries (one query)."""
    if not ids:
        return {}
    rows = db.session.execute(select(Community.id, Community.name).where(Community.id.in_(ids)))
    return {row.id: row.name for row in rows}


def user_by_id(user_id: int) -> User | None:
    """One account by id (any status)."""
    return db.session.get(User, user_id)


@dataclass
class SettingRow:
    """A setting as the console shows it: declaration, value (or what was typed), error."""

    setting: site.Setting
    value: Any
    error: Any = None
    changed_at: datetime | None = None
    changed_by: User | None = None


def settings_rows(q: str, typed: dict[str, Any], errors: dict[str, Any]) -> list[SettingRow]:
    """The settings matching ``q`` (in their key, label or help), in declaration order."""
    values = site.current()
    changed = {
        row.key: row
        for row in db.session.scalars(
            select(SiteSetting).options(joinedload(SiteSetting.updated_by))
        )
    }
    needle = q.lower()
    rows = []
    for key, setting in site.SETTINGS.items():
        text = f"{key} {setting.label} {setting.help}".lower()
        if needle and needle not in text and key not in errors:
            continue
        stored = changed.get(key)
        rows.append(
            SettingRow(
                setting,
                typed.get(key, values[key]),
                errors.get(key),
                stored.updated_at if stored else None,
                stored.updated_by if stored else None,
            )
        )
    return rows
