"""Jobs: enqueue after commit, claim once, retry with backoff, give up into the dead list.

The life of a job (docs/jobs.md):

1. ``enqueue(kind, key, **payload)`` inserts a ledger row (``INSERT ... ON
   CONFLICT DO NOTHING`` on the key) in the caller's unit of work, and hands
   the id to the queue only after that commits: a rolled-back request sends
   nothing, and the same key enqueued twice is one job.
2. A worker calls ``run(id)``. One UPDATE claims the row (queued and due, or
   running with an expired lease) and takes a lease of ``JOB_LEASE`` seconds;
   whoever does not win the claim does nothing. Then the handler runs.
3. Success: done. ``Gone`` (its target was deleted meanwhile): dropped, with a
   log line. Any other error: queued again after a delay that doubles from
   ``JOB_RETRY_DELAY`` up to ``JOB_RETRY_MAX_DELAY``, and dead after
   ``JOB_MAX_ATTEMPTS``; the admin console lists the dead with a retry button.
4. ``sweep()`` runs every minute and when a worker starts: it re-dispatches
   queued jobs the queue lost (Redis restarted without persistence, a process
   died between commit and dispatch) and running jobs whose lease expired (the
   worker was killed), and forgets finished jobs after ``JOB_KEEP_DAYS``.

Handlers must be idempotent: a worker killed after its side effect but before
the ledger says done runs the job again. Mail is keyed by its Message-ID.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from cop.core.db import after_commit, unit_of_work, upsert_insert
from cop.core.jobs.models import Job
from cop.core.types import utcnow
from cop.extensions import db

log = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, Handler] = {}

#: how many jobs one sweep re-dispatches at most (the next sweep takes the rest)
SWEEP_BATCH = 500


class Gone(Exception):
    """Raised by a handler whose target no longer exists: the job is dropped, not retried."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind`` (called with the payload's keys)."""

    def register(function: Handler) -> Handler:
        if _handlers.get(kind, function) is not function:
            raise RuntimeError(f"two handlers for job kind {kind!r}")
        _handlers[kind] = function
        return function

    return register


def enqueue(
    kind: str, key: str | None = None, run_after: datetime | None = None, **payload: Any
) -> None:
    """Record a job in the current unit of work; it is dispatched once that commits.

    ``key`` is the dedup key (a random one when omitted): enqueuing an existing
    key does nothing, whatever state that job is in. ``run_after`` defers it
    (a member's quiet hours): it is handed to the queue with that delay, and the
    sweep sends it should the queue lose it.
    """
    if kind not in _handlers:
        raise RuntimeError(f"no handler for job kind {kind!r}")
    key = key or f"{kind}:{uuid.uuid4().hex}"
    now = utcnow()
    due = max(now, run_after) if run_after is not None else now
    delay = (due - now).total_seconds() or None
    stmt = (
        upsert_insert(Job)
        .values(
            kind=kind,
            key=key[:255],
            payload=payload,
            state="queued",
            attempts=0,
            run_after=due,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Job.key])
        .returning(Job.id)
    )
    with unit_of_work():
        job_id = db.session.scalar(stmt)
        if job_id is not None:
            after_commit(lambda: dispatch(job_id, delay))


def dispatch(job_id: int, delay: float | None = None) -> None:
    """Hand a committed job to the queue (now, or after ``delay`` seconds).

    A queue that cannot take it (Redis down) is logged, not raised: the job is in
    the ledger and the sweep sends it again.
    """
    from cop.core.jobs import queue

    try:
        queue.send(job_id, delay)
    except Exception:
        log.exception("job %s: the queue did not take it; the sweep will retry", job_id)


def run(job_id: int, now: datetime | None = None) -> str | None:
    """Run one job if it is due and nobody else holds it; returns its new state or None."""
    config = current_app.config
    now = now or utcnow()
    lease = timedelta(seconds=float(config["JOB_LEASE"]))
    claim = (
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                and_(Job.state == "queued", Job.run_after <= now),
                and_(Job.state == "running", Job.locked_until < now),
            ),
        )
        .values(state="running", attempts=Job.attempts + 1, locked_until=now + lease)
        .returning(Job.kind, Job.payload, Job.attempts)
    )
    with unit_of_work():
        row = db.session.execute(claim).first()
    if row is None:
        return None  # done, held by another worker, or not due yet
    kind, payload, attempts = row
    function = _handlers.get(kind)
    try:
        if function is None:
            raise RuntimeError(f"no handler for job kind {kind!r}")
        function(**(payload or {}))
    except Gone as gone:
        db.session.rollback()
        log.info("job %s (%s) dropped: %s", job_id, kind, gone)
        return _finish(job_id, "dropped", error=str(gone) or "gone")
    except Exception as error:
        db.session.rollback()
        return _failed(job_id, kind, attempts, error)
    return _finish(job_id, "done")


def _finish(job_id: int, state: str, error: str | None = None) -> str:
    with unit_of_work():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=state, locked_until=None, finished_at=utcnow(), last_error=error)
        )
    return state


def _failed(job_id: int, kind: str, attempts: int, error: Exception) -> str:
    config = current_app.config
    text = "".join(traceback.format_exception_only(type(error), error)).strip()[:2000]
    if attempts >= int(config["JOB_MAX_ATTEMPTS"]):
        log.error("job %s (%s) is dead after %d attempts: %s", job_id, kind, attempts, text)
        return _finish(job_id, "dead", error=text)
    delay = retry_delay(attempts)
    log.warning(
        "job %s (%s) failed (attempt %d), again in %.0f s: %s", job_id, kind, attempts, delay, text
    )
    with unit_of_work():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                state="queued",
                locked_until=None,
                last_error=text,
                run_after=utcnow() + timedelta(seconds=delay),
            )
        )
        after_commit(lambda: dispatch(job_id, delay))
    return "queued"


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling, capped."""
    config = current_app.config
    first = float(config["JOB_RETRY_DELAY"])
    return float(min(first * 2 ** max(attempts - 1, 0), float(config["JOB_RETRY_MAX_DELAY"])))


def retry(job_id: int) -> bool:
    """Queue a dead (or dropped) job again from scratch; False when it is not one."""
    with unit_of_work():
        changed = db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(("dead", "dropped")))
            .values(state="queued", attempts=0, run_after=utcnow(), finished_at=None)
            .returning(Job.id)
        ).first()
        if changed is not None:
            after_commit(lambda: dispatch(job_id))
    return changed is not None


def sweep(now: datetime | None = None) -> int:
    """Re-dispatch lost and abandoned jobs, purge old finished ones; returns how many were sent."""
    now = now or utcnow()
    config = current_app.config
    keep = timedelta(days=float(config["JOB_KEEP_DAYS"]))
    lost = timedelta(seconds=float(config["JOB_LOST_AFTER"]))
    stuck = db.session.scalars(
        select(Job.id)
        .where(
            or_(
                and_(Job.state == "queued", Job.run_after < now - lost),
                and_(Job.state == "running", Job.locked_until < now),
            )
        )
        .order_by(Job.run_after)
        .limit(SWEEP_BATCH)
    ).all()
    with unit_of_work():
        db.session.execute(
            delete(Job).where(Job.state.in_(("done", "dropped")), Job.finished_at < now - keep)
        )
    for job_id in stuck:
        dispatch(job_id)
    if stuck:
        log.info("sweep: %d lost or abandoned job(s) sent again", len(stuck))
    return len(stuck)


@dataclass(frozen=True)
class Stats:
    """What an operator watches: the backlog, how old it is, and what failed."""

    queued: int
    running: int
    dead: int
    failing: int  #: queued again after at least one failure
    oldest_queued_seconds: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "running": self.running,
            "dead": self.dead,
            "failing": self.failing,
            "oldest_queued_seconds": self.oldest_queued_seconds,
        }


def stats(now: datetime | None = None) -> Stats:
    """Counts per state and the age of the oldest due job, in one query."""
    now = now or utcnow()
    row = db.session.execute(
        select(
            func.count().filter(Job.state == "queued"),
            func.count().filter(Job.state == "running"),
            func.count().filter(Job.state == "dead"),
            func.count().filter(Job.state == "queued", Job.attempts > 0),
            func.min(Job.run_after).filter(Job.state == "queued"),
        )
    ).one()
    oldest = row[4]  # min() keeps the column's type: an aware UTC datetime on both databases
    age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else None
    return Stats(row[0], row[1], row[2], row[3], age)
