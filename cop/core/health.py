"""``GET /healthz``: is this process able to serve? For load balancers and monitors.

200 ``{"status": "ok"}`` when the database (and Redis, when configured) answer,
503 ``{"status": "failing", "failing": [...]}`` otherwise. A site admin also gets
``details``: each check's time and the job queue's backlog (docs/operations.md).
The answer is never cached and reveals nothing to anyone else.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from cop.core import jobs, permissions, web
from cop.extensions import db

log = logging.getLogger(__name__)


def _database() -> None:
    db.session.execute(text("SELECT 1"))


def _redis() -> None:
    from redis import Redis

    client = Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2)
    try:
        if not client.ping():
            raise RuntimeError("no PONG")
    finally:
        client.close()


def healthz() -> ResponseReturnValue:
    checks: dict[str, Any] = {"database": _database}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis
    failing: list[str] = []
    timings: dict[str, float] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            log.exception("health check %s failed", name)
            failing.append(name)
            if name == "database":
                db.session.rollback()
        timings[name] = round((time.perf_counter() - started) * 1000, 1)
    body: dict[str, Any] = {"status": "failing" if failing else "ok"}
    if failing:
        body["failing"] = failing
    if permissions.can(web.viewer(), "site.admin", None):
        details: dict[str, Any] = {"checks_ms": timings}
        if "database" not in failing:
            details["jobs"] = jobs.stats().as_dict()
        body["details"] = details
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def init_health(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
