"""The queue under the ledger: Huey, in one of three shapes chosen by the settings.

- ``JOB_IMMEDIATE`` (tests): jobs run at once, in the caller's thread.
- ``REDIS_URL`` set: Redis, shared by every web process and every ``cop worker``
  on any machine (the scaled-out shape).
- otherwise: a SQLite file (``JOB_QUEUE_PATH``, in the instance folder), with a
  consumer that ``cop serve`` starts in its own process (the embedded default).

The queue carries only job ids (``cop.run_job``); what a job is and whether it
already ran lives in the ledger (runner.py). Periodic work is declared with
``@periodic(name, minute=..., hour=...)``: every consumer's scheduler fires it,
and a ledger key per minute makes it run once however many consumers there are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

log = logging.getLogger(__name__)

#: an idle consumer polls a SQLite queue less and less often, but at least this often
#: (seconds): a new job waits at most this long (Redis wakes the consumer at once)
POLL_MAX_DELAY = 2.0

#: name -> crontab arguments, filled by @periodic at import time (the function itself is
#: the handler of the job ``periodic.<name>``)
_periodic: dict[str, dict[str, str]] = {}


def periodic(name: str, **schedule: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Run the decorated function on a crontab schedule (``minute="*"`` = every minute).

    It runs as the job ``periodic.<name>``, once per scheduled minute across all
    consumers, retried like any job.
    """

    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        from cop.core.jobs.runner import handler

        _periodic[name] = schedule
        handler(f"periodic.{name}")(function)
        return function

    return register


def build(app: Flask) -> Huey:
    """The Huey instance for ``app``'s settings, with cop's tasks registered on it."""
    config = app.config
    name = str(config["JOB_QUEUE_NAME"])
    huey: Huey
    if config["JOB_IMMEDIATE"]:
        huey = MemoryHuey(name, immediate=True)
    elif config.get("REDIS_URL"):
        huey = RedisHuey(name, url=config["REDIS_URL"])
    else:
        path = Path(config["JOB_QUEUE_PATH"] or Path(app.instance_path) / "jobs.sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=str(path))

    @huey.task(name="cop.run_job")
    def run_job(job_id: int) -> None:
        from cop.core.jobs import runner

        with job_context(app):
            runner.run(job_id)

    @huey.periodic_task(crontab(minute="*"), name="cop.sweep")
    def sweep() -> None:
        from cop.core.jobs import runner

        with job_context(app):
            runner.sweep()

    @huey.on_startup()
    def sweep_on_start() -> None:
        from cop.core.jobs import runner

        try:
            with job_context(app):
                runner.sweep()
        except Exception:  # the database may be down at start; the minute's sweep retries
            log.exception("startup sweep failed")

    for periodic_name, schedule in _periodic.items():
        huey.periodic_task(crontab(**schedule), name=f"cop.periodic.{periodic_name}")(
            lambda name=periodic_name: fire_periodic(app, name)
        )
    huey.cop_run_job = run_job
    return huey


def fire_periodic(app: Flask, name: str) -> None:
    """Enqueue this minute's run of periodic job ``name`` (a second call in the minute: none)."""
    from cop.core.jobs.runner import enqueue
    from cop.core.types import utcnow

    with job_context(app):
        minute = utcnow().strftime("%Y%m%d%H%M")
        enqueue(f"periodic.{name}", key=f"periodic:{name}:{minute}")


class job_context:
    """An app context plus a request context on ``BASE_URL``, so ``url_for`` works and
    ``core.urls.external_url`` builds the public links a job's mail needs; the
    Session is removed afterwards.

    Inside a context of the same app already (immediate mode: the job runs in the
    request that enqueued it) it adds nothing and leaves that context's Session alone.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.context: Any = None

    def __enter__(self) -> None:
        if has_app_context() and current_app._get_current_object() is self.app:  # type: ignore[attr-defined]
            return
        self.context = self.app.test_request_context(base_url=str(self.app.config["BASE_URL"]))
        self.context.push()

    def __exit__(self, *exc: object) -> None:
        if self.context is None:
            return
        from cop.extensions import db

        try:
            db.session.remove()
        finally:
            self.context.pop()


def huey_of(app: Flask) -> Huey:
    return app.extensions["cop_jobs"]


def send(job_id: int, delay: float | None = None) -> None:
    """Put a job id on the queue (``delay`` seconds from now)."""
    huey = huey_of(current_app)
    task = huey.cop_run_job
    if delay and not huey.immediate:
        task.schedule((job_id,), delay=delay)
    elif delay:
        return  # immediate mode runs nothing later: the ledger keeps it for run()/sweep()
    else:
        task(job_id)


class _QuietConsumer(Consumer):
    """A consumer inside another program (``cop serve``): the program owns the signals."""

    def _set_signal_handlers(self) -> None:
        pass


def start_in_process(app: Flask, workers: int = 1) -> Consumer:
    """Start a consumer's threads beside the web server; stop it with ``.stop(graceful=True)``."""
    consumer = _QuietConsumer(
        huey_of(app), workers=workers, worker_type="thread", max_delay=POLL_MAX_DELAY
    )
    consumer.start()
    return consumer


def worker(app: Flask, workers: int = 1, periodic: bool = True) -> None:
    """Run a consumer in the foreground until SIGINT (finish the running jobs) or SIGTERM."""
    Consumer(
        huey_of(app),
        workers=workers,
        worker_type="thread",
        periodic=periodic,
        max_delay=POLL_MAX_DELAY,
    ).run()


def init_app(app: Flask) -> None:
    """Build the queue for this app (after every feature registered its handlers)."""
    app.extensions["cop_jobs"] = build(app)
