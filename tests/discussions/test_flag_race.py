"""Two members flag the same post at the same instant: each moderator is told once.

The flaggers run in two threads, each with its own session and transaction on
the test database. A barrier holds both just before they notify the first
moderator (after their flag committed), so neither notification has committed:
whatever either read about unread notifications, only the database can keep the
second notification out.

SQLite cannot interleave them: every write transaction starts with ``BEGIN
IMMEDIATE`` (cop/core/db.py), so the second flagger waits for the first to
commit before it reads anything. The race is run on PostgreSQL
(``COP_TEST_DATABASE_URL``); on SQLite the test is skipped.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Flag, Post
from cop.extensions import db
from cop.notifications import services as notification_services
from cop.notifications.models import Notification
from tests.discussions import forum


def _flag_in_thread(app: Flask, user_id: int, post_id: int, errors: list[BaseException]) -> None:
    """One flagger: a request-like app context with a session of its own."""
    try:
        with app.app_context():
            user = db.session.get(User, user_id)
            post = db.session.get(Post, post_id)
            assert user is not None and post is not None
            services.flag_post(user, post, "spam")
            db.session.remove()
    except BaseException as exc:  # reported by the test, not lost in the thread
        errors.append(exc)


@pytest.mark.postgres
def test_simultaneous_flags_notify_each_moderator_once(app, factory, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite serializes write transactions; the race needs PostgreSQL")
    f = forum(app, factory)
    moderator = factory.user(name="Bu Moderator")
    factory.member(f.community, moderator, role="moderator")
    flaggers = [factory.user(name=f"Pelapor {i}") for i in range(2)]
    for flagger in flaggers:
        factory.member(f.community, flagger)
    post_id = f.topic.first_post_id

    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()
    real_notify = notification_services.notify

    def notify_together(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()  # both about to notify, neither notification committed
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(notification_services, "notify", notify_together)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_flag_in_thread, args=(app, u.id, post_id, errors))
        for u in flaggers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Flag.id))) == 2
        told = sorted(
            db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "flag"))
        )
    assert told == sorted([f.coordinator.id, moderator.id])
