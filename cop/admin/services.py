"""Writing the audit log (called by other features' services, inside their transaction),
and the console's own actions (retrying a dead job)."""

from __future__ import annotations

from typing import Any

from cop.admin.models import AuditLog
from cop.auth.models import User
from cop.core import jobs
from cop.core.db import unit_of_work
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
    )
    db.session.add(entry)
    return entry


def retry_job(actor: User, job_id: int) -> bool:
    """Queue a dead or dropped job again (audited); False when it is not one."""
    with unit_of_work():
        retried = jobs.retry(job_id)
        if retried:
            record(actor, "job.retry", "job", job_id)
    return retried
