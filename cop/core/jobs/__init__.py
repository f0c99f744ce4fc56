"""Background jobs: a ledger in the database (what, once, with what outcome) and a
Huey queue under it (when, where). See docs/jobs.md.

    from cop.core import jobs

    @jobs.handler("mail.deliver")
    def deliver(message: str) -> None: ...

    jobs.enqueue("mail.deliver", key=f"mail:{message_id}", message=text)

    @jobs.periodic("meetings.reminders", minute="*")
    def send_reminders() -> int: ...
"""

from cop.core.jobs.queue import (
    fire_periodic,
    init_app,
    job_context,
    periodic,
    start_in_process,
    worker,
)
from cop.core.jobs.runner import Gone, Stats, enqueue, handler, retry, run, stats, sweep

__all__ = [
    "Gone",
    "Stats",
    "enqueue",
    "fire_periodic",
    "handler",
    "init_app",
    "job_context",
    "periodic",
    "retry",
    "run",
    "start_in_process",
    "stats",
    "sweep",
    "worker",
]
