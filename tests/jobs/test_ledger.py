"""The job ledger: after-commit dispatch, dedup keys, the claim, backoff, dead and dropped
jobs, the sweep and the stats (in immediate mode: the job runs in the caller's thread)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from cop.core import jobs, mail
from cop.core.db import unit_of_work
from cop.core.jobs.models import Job
from cop.core.types import utcnow
from cop.extensions import db

#: what the test handler does on each call: "ok", "fail" or "gone"; and what it saw
script: list[str] = []
calls: list[str] = []


@jobs.handler("test.echo")
def _echo(word: str) -> None:
    calls.append(word)
    outcome = script.pop(0) if script else "ok"
    if outcome == "fail":
        raise ConnectionRefusedError("the other side is down")
    if outcome == "gone":
        raise jobs.Gone(f"{word} was deleted")


@pytest.fixture(autouse=True)
def _reset_script():
    script.clear()
    calls.clear()
    yield
    script.clear()
    calls.clear()


def _jobs(app) -> list[Job]:
    with app.app_context():
        return list(db.session.scalars(select(Job).order_by(Job.id)))


def test_a_job_runs_after_the_commit_and_once_per_key(app):
    with app.app_context():
        with unit_of_work():
            jobs.enqueue("test.echo", key="echo:1", word="halo")
            assert calls == []  # not before the commit
        assert calls == ["halo"]
        jobs.enqueue("test.echo", key="echo:1", word="halo")  # the same key: nothing new
    assert calls == ["halo"]
    (job,) = _jobs(app)
    assert (job.kind, job.state, job.attempts, job.payload) == (
        "test.echo",
        "done",
        1,
        {"word": "halo"},
    )
    assert job.finished_at is not None


def test_a_rolled_back_unit_of_work_enqueues_nothing(app):
    with app.app_context(), pytest.raises(RuntimeError), unit_of_work():
        jobs.enqueue("test.echo", word="never")
        raise RuntimeError("the request failed")
    assert calls == []
    assert _jobs(app) == []


def test_an_unknown_kind_is_a_programming_error(app):
    with app.app_context(), pytest.raises(RuntimeError, match="no handler"):
        jobs.enqueue("test.nobody-handles-this")


def test_a_failure_waits_with_doubling_backoff_then_succeeds(app):
    app.config.update(JOB_RETRY_DELAY=30.0, JOB_RETRY_MAX_DELAY=100.0)
    script.extend(["fail", "fail"])
    with app.app_context():
        before = utcnow()
        jobs.enqueue("test.echo", word="coba")
        (job,) = _jobs(app)
        assert (job.state, job.attempts) == ("queued", 1)
        assert "ConnectionRefusedError: the other side is down" in (job.last_error or "")
        assert timedelta(seconds=29) < job.run_after - before < timedelta(seconds=32)
        assert jobs.run(job.id) is None  # not due yet: nobody runs it early
        assert jobs.run(job.id, now=utcnow() + timedelta(seconds=31)) == "queued"
        (job,) = _jobs(app)
        assert job.attempts == 2
        assert timedelta(seconds=59) < job.run_after - utcnow() < timedelta(seconds=61)
        assert jobs.run(job.id, now=utcnow() + timedelta(seconds=61)) == "done"
        assert [jobs.runner.retry_delay(n) for n in (1, 2, 3, 4, 5)] == [30, 60, 100, 100, 100]
    assert calls == ["coba", "coba", "coba"]


def test_it_gives_up_into_the_dead_list_and_an_admin_retry_starts_again(app):
    app.config.update(JOB_MAX_ATTEMPTS=3)
    script.extend(["fail"] * 3)
    with app.app_context():
        jobs.enqueue("test.echo", word="rusak")
        job_id = _jobs(app)[0].id
        later = utcnow()
        for _ in range(2):
            later += timedelta(hours=2)
            jobs.run(job_id, now=later)
        (job,) = _jobs(app)
        assert (job.state, job.attempts) == ("dead", 3)
        assert jobs.run(job_id, now=later + timedelta(days=1)) is None  # dead stays dead
        assert jobs.stats().dead == 1
        assert jobs.retry(job_id) is True  # runs at once in immediate mode, and succeeds
        assert jobs.retry(job_id) is False  # done: not a dead job any more
    (job,) = _jobs(app)
    assert (job.state, job.attempts, job.last_error) == ("done", 1, None)
    assert len(calls) == 4


def test_a_job_whose_target_is_gone_is_dropped_with_a_log_line(app, caplog):
    script.append("gone")
    with app.app_context(), caplog.at_level(logging.INFO, logger="cop.core.jobs.runner"):
        jobs.enqueue("test.echo", word="topik-42")
    (job,) = _jobs(app)
    assert (job.state, job.last_error) == ("dropped", "topik-42 was deleted")
    assert "dropped: topik-42 was deleted" in caplog.text


def test_the_claim_lets_only_one_runner_in(app):
    with app.app_context():
        job = Job(kind="test.echo", key="claim", payload={"word": "satu"}, run_after=utcnow())
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        # a runner holds it (its lease runs): a second runner does nothing
        db.session.execute(
            Job.__table__.update()
            .where(Job.id == job_id)
            .values(state="running", locked_until=utcnow() + timedelta(minutes=5))
        )
        db.session.commit()
        assert jobs.run(job_id) is None
        assert calls == []
        # its worker died: once the lease is over the job runs again, once
        assert jobs.run(job_id, now=utcnow() + timedelta(minutes=6)) == "done"
        assert jobs.run(job_id, now=utcnow() + timedelta(minutes=7)) is None
    assert calls == ["satu"]


def test_the_sweep_sends_lost_and_abandoned_jobs_and_forgets_old_ones(app):
    now = utcnow()
    with app.app_context():
        db.session.add_all(
            [
                # lost by the queue (Redis restarted): queued and due two minutes ago
                Job(
                    kind="test.echo",
                    key="lost",
                    payload={"word": "hilang"},
                    run_after=now - timedelta(minutes=2),
                ),
                # its worker was killed: the lease ran out
                Job(
                    kind="test.echo",
                    key="abandoned",
                    payload={"word": "yatim"},
                    state="running",
                    attempts=1,
                    run_after=now - timedelta(minutes=10),
                    locked_until=now - timedelta(seconds=1),
                ),
                # just queued: the queue has it, the sweep leaves it alone
                Job(kind="test.echo", key="fresh", payload={"word": "baru"}, run_after=now),
                # finished long ago: forgotten; finished lately: kept
                Job(
                    kind="test.echo",
                    key="old",
                    payload={},
                    state="done",
                    finished_at=now - timedelta(days=15),
                ),
                Job(
                    kind="test.echo",
                    key="recent",
                    payload={},
                    state="done",
                    finished_at=now - timedelta(days=1),
                ),
                Job(
                    kind="test.echo",
                    key="dead",
                    payload={},
                    state="dead",
                    finished_at=now - timedelta(days=30),
                ),
            ]
        )
        db.session.commit()
        assert jobs.sweep() == 2
    assert sorted(calls) == ["hilang", "yatim"]
    states = {job.key: (job.state, job.attempts) for job in _jobs(app)}
    assert states == {
        "lost": ("done", 1),
        "abandoned": ("done", 2),
        "fresh": ("queued", 0),
        "recent": ("done", 0),
        "dead": ("dead", 0),  # the dead stay until an admin acts
    }


def test_stats_count_the_backlog_and_its_age(app):
    now = utcnow()
    with app.app_context():
        assert jobs.stats(now).as_dict() == {
            "queued": 0,
            "running": 0,
            "dead": 0,
            "failing": 0,
            "oldest_queued_seconds": None,
        }
        db.session.add_all(
            [
                Job(kind="test.echo", key="a", payload={}, run_after=now - timedelta(seconds=300)),
                Job(kind="test.echo", key="b", payload={}, attempts=2, run_after=now),
                Job(kind="test.echo", key="c", payload={}, state="running", run_after=now),
                Job(kind="test.echo", key="d", payload={}, state="dead", run_after=now),
            ]
        )
        db.session.commit()
        stats = jobs.stats(now)
    assert (stats.queued, stats.running, stats.dead, stats.failing) == (2, 1, 1, 1)
    assert stats.oldest_queued_seconds == pytest.approx(300, abs=1)


def test_mail_is_rendered_in_the_request_and_delivered_by_a_job(app, client, factory):
    user = factory.user(email="rina@sekolah.id", locale="en")
    from tests.conftest import csrf_token

    response = client.post(
        "/auth/reset", data={"email": user.email, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    (job,) = _jobs(app)
    assert (job.kind, job.state) == ("mail.deliver", "done")
    assert job.key == f"mail:{message['Message-ID']}"
    assert message["To"] == "rina@sekolah.id"
    assert "/auth/reset/" in message.get_body(("plain",)).get_content()


def test_a_dead_mail_server_does_not_fail_the_request(app, client, factory, unused_tcp_port):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=unused_tcp_port)
    user = factory.user(email="budi@sekolah.id")
    from tests.conftest import csrf_token

    response = client.post(
        "/auth/reset", data={"email": user.email, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302  # the same answer as with a live server
    (job,) = _jobs(app)
    assert (job.kind, job.state, job.attempts) == ("mail.deliver", "queued", 1)
    assert "ConnectionRefusedError" in (job.last_error or "")
