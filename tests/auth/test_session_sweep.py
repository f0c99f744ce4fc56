"""Ended login sessions are deleted by a daily job, a grace period after they ended:
revoked ones, and open ones unused for longer than any of their cookies lasts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from cop.auth import services
from cop.auth.models import ApiToken, LoginSession
from cop.core.types import utcnow
from cop.extensions import db
from tests.auth import post

#: the longer cookie (remember-me, 30 days) plus the grace (1 day), as configured
LIFETIME = timedelta(days=30)
GRACE = timedelta(days=1)


def sessions(app) -> dict[int, LoginSession]:
    with app.app_context():
        return {row.id: row for row in db.session.scalars(select(LoginSession))}


def age(app, session_id: int, **moves: timedelta) -> None:
    """Move a session's timestamps into the past (``created_at=timedelta(days=40)``)."""
    now = utcnow()
    with app.app_context():
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.id == session_id)
            .values({column: now - delta for column, delta in moves.items()})
        )
        db.session.commit()


def sweep(app, now=None) -> int:
    with app.app_context():
        return services.sweep_sessions(now)


def test_a_revoked_session_is_deleted_after_the_grace(app, client, auth, factory):
    user = factory.user()
    auth.login(user.email)
    assert post(client, "/auth/logout").status_code == 302
    [row] = sessions(app).values()
    assert row.revoked_at is not None
    assert sweep(app) == 0  # just ended: kept for the grace
    assert sweep(app, utcnow() + GRACE - timedelta(minutes=5)) == 0
    assert sweep(app, utcnow() + GRACE + timedelta(minutes=5)) == 1
    assert sessions(app) == {}


def test_an_unused_session_is_deleted_once_no_cookie_can_last_and_its_tokens_end(
    app, client, auth, factory
):
    user = factory.user()
    auth.login(user.email, remember=True)
    [session_id] = sessions(app)
    with app.app_context():
        services.create_token(db.session.merge(user), "ponsel", session_id=session_id)
    assert sweep(app, utcnow() + LIFETIME) == 0  # a remember-me cookie may still come
    assert sweep(app, utcnow() + LIFETIME + GRACE + timedelta(minutes=5)) == 1
    assert sessions(app) == {}
    with app.app_context():
        [token] = db.session.scalars(select(ApiToken)).all()
        assert token.revoked_at is not None and token.session_id is None


def test_a_session_in_use_is_kept_however_old(app, client, auth, factory):
    user = factory.user()
    auth.login(user.email)
    [session_id] = sessions(app)
    # started 90 days ago, last used 40 days ago: the next request moves its last use
    age(app, session_id, created_at=timedelta(days=90), last_seen_at=timedelta(days=40))
    assert client.get("/auth/profile").status_code == 200
    seen = sessions(app)[session_id].last_seen_at
    assert seen is not None and utcnow() - seen < timedelta(minutes=1)
    assert sweep(app) == 0
    assert client.get("/auth/profile").status_code == 200


def test_the_cookie_of_a_swept_session_logs_nobody_in(app, client, auth, factory):
    user = factory.user()
    auth.login(user.email)
    [session_id] = sessions(app)
    age(app, session_id, created_at=timedelta(days=60))
    assert sweep(app) == 1
    assert client.get("/auth/profile").status_code == 302  # to the login page


def test_the_sweep_is_a_daily_job():
    from cop.core.jobs.queue import _periodic

    assert _periodic["auth.sessions_sweep"] == {"hour": "3", "minute": "11"}
