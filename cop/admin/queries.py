"""Read helpers for the admin area: users, the audit log and the job queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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

#: the account lists an admin can narrow to
USER_FILTERS = ("all", "inactive", "admins", "unconfirmed")


def users(q: str, *, cursor: str | None, limit: int, show: str = "all") -> Page[User]:
    """Accounts, newest first, by name, email or username; ``show`` narrows them."""
    stmt = select(User)
    if show == "inactive":
        stmt = stmt.where(User.active.is_(False))
    elif show == "admins":
        stmt = stmt.where(User.is_admin.is_(True))
    elif show == "unconfirmed":
        stmt = stmt.where(User.email_confirmed_at.is_(None))
    if q:
        pattern = _contains(q)
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


@dataclass
class AuditFilters:
    """What the audit log is narrowed to (all optional)."""

    action: str = ""
    actor: str = ""
    community: str = ""
    since: date | None = None
    until: date | None = None


def _audit_stmt(filters: AuditFilters) -> Any:
    stmt = select(AuditLog).options(joinedload(AuditLog.actor))
    if filters.action:
        stmt = stmt.where(AuditLog.action.startswith(filters.action, autoescape=True))
    if filters.actor:
        pattern = _contains(filters.actor)
        stmt = stmt.where(
            AuditLog.actor_id.in_(
                select(User.id).where(
                    or_(
                        User.name.ilike(pattern, escape="\\"),
                        User.email.ilike(pattern, escape="\\"),
                        User.username.ilike(pattern, escape="\\"),
                    )
                )
            )
        )
    if filters.community:
        stmt = stmt.where(
            AuditLog.community_id.in_(
                select(Community.id).where(Community.slug == filters.community)
            )
        )
    if filters.since:
        stmt = stmt.where(AuditLog.created_at >= _start_of(filters.since))
    if filters.until:
        stmt = stmt.where(AuditLog.created_at < _start_of(filters.until + timedelta(days=1)))
    return stmt


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the viewer's zone, as a UTC moment."""
    from flask_babel import get_timezone

    return datetime.combine(day, time.min, tzinfo=get_timezone()).astimezone(UTC)


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def audit_log(filters: AuditFilters, *, cursor: str | None, limit: int) -> Page[AuditLog]:
    """The audit log, newest first, narrowed by ``filters``, with the actors loaded."""
    return keyset_page(
        _audit_stmt(filters),
        [SortKey(AuditLog.id, descending=True)],
        cursor=cursor,
        limit=limit,
        key_of=lambda e: (e.id,),
    )


def audit_export(filters: AuditFilters, cap: int = 50_000) -> list[AuditLog]:
    """The filtered log for a CSV download, newest first, at most ``cap`` entries."""
    stmt = _audit_stmt(filters).order_by(AuditLog.id.desc()).limit(cap)
    return list(db.session.scalars(stmt))


def audit_actions() -> list[str]:
    """The action families recorded so far ("community", "site", ...), for the filter."""
    rows = db.session.scalars(select(AuditLog.action).distinct())
    return sorted({action.split(".")[0] for action in rows})


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
