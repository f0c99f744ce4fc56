"""Reminders in the background: a daemon thread for the embedded default.

Enabled with COP_MEETING_REMINDERS_THREAD=1 (off in tests). Several processes
may run it at once, or alongside ``flask --app wsgi cop send-reminders`` from
cron: each reminder is claimed in the database before it goes out, so nobody
gets one twice.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

log = logging.getLogger(__name__)
_started = False
_lock = threading.Lock()


def enabled(app: Any) -> bool:
    """True when the config (or COP_MEETING_REMINDERS_THREAD) asks for the thread."""
    value = app.config.get("MEETING_REMINDERS_THREAD", False)
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def run_once(app: Any) -> int:
    """Send what is due now; returns how many reminders went out."""
    from cop.meetings.services import send_reminders

    with app.app_context():
        server = app.config.get("SERVER_NAME")
        if server:
            return send_reminders()
        with app.test_request_context(base_url=app.config.get("PUBLIC_URL", "http://localhost")):
            return send_reminders()


def _loop(app: Any, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            sent = run_once(app)
            if sent:
                log.info("sent %d meeting reminders", sent)
        except Exception:  # keep the thread alive; the next round retries
            log.exception("meeting reminders failed")


def maybe_start(app: Any) -> threading.Event | None:
    """Start the reminder thread once per process when enabled."""
    global _started
    if not enabled(app) or os.environ.get("WERKZEUG_RUN_MAIN") == "false":
        return None
    with _lock:
        if _started:
            return None
        _started = True
    stop = threading.Event()
    interval = float(app.config.get("MEETING_REMINDERS_INTERVAL", 60))
    thread = threading.Thread(
        target=_loop, args=(app, interval, stop), daemon=True, name="cop-reminders"
    )
    thread.start()
    return stop
