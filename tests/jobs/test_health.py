"""GET /healthz: 200 while the database (and Redis) answer, 503 naming what fails;
the queue's backlog only for site admins."""

from __future__ import annotations

from datetime import timedelta

from cop.core.jobs.models import Job
from cop.core.types import utcnow
from cop.extensions import db
from tests.conftest import make_app


def test_everyone_gets_the_status_and_nothing_more(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_admins_see_the_queue(app, client, auth, factory):
    admin = factory.user(admin=True)
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            [
                Job(kind="mail.deliver", key="a", payload={}, run_after=now - timedelta(minutes=5)),
                Job(kind="mail.deliver", key="b", payload={}, state="dead", attempts=8),
            ]
        )
        db.session.commit()
    auth.login(admin.email)
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    jobs = body["details"]["jobs"]
    assert (jobs["queued"], jobs["dead"], jobs["running"]) == (1, 1, 0)
    assert 295 < jobs["oldest_queued_seconds"] < 400
    assert set(body["details"]["checks_ms"]) == {"database"}


def test_a_member_sees_no_details(client, auth, factory):
    auth.login(factory.user().email)
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_a_database_that_does_not_answer_is_a_503(database_template, tmp_path):
    broken = make_app(
        database_template, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/cop.sqlite"
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "failing", "failing": ["database"]}


def test_a_redis_that_does_not_answer_is_a_503(database_template, tmp_path, unused_tcp_port):
    broken = make_app(
        database_template,
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{unused_tcp_port}/0",
        RATELIMIT_STORAGE_URI="memory://",
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "failing", "failing": ["redis"]}
