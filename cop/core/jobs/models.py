"""The job ledger: every background job, its dedup key and its fate.

The queue library (Huey) only carries job ids; this table is the record of
truth. Its unique ``key`` makes a job idempotent (enqueuing the same key twice
makes one job), its ``state`` says what happened, and it survives a restart of
Redis or of every worker: the sweep re-dispatches what was lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

#: queued: waiting (maybe until run_after, after a failure); running: claimed by a
#: worker until locked_until; done; dropped: its target was gone (logged, not an
#: error); dead: gave up after JOB_MAX_ATTEMPTS, shown in the admin console.
STATES = ("queued", "running", "done", "dropped", "dead")


class Job(db.Model):  # type: ignore[name-defined]
    """One unit of background work (a mail to deliver, a periodic run, ...)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the handler's name, e.g. ``mail.deliver``
    kind: Mapped[str] = mapped_column(String(60))
    #: the dedup key: one job per key, whoever enqueues it and however often
    key: Mapped[str] = mapped_column(String(255), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: not before this time (now, or later after a failure: the backoff)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: a running job's lease: past it, the worker is presumed dead and the job runs again
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"
