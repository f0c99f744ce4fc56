"""Reminders: due windows, recipients, exactly once with concurrent runners, the periodic job."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from cop.core import jobs, mail
from cop.core.jobs.models import Job
from cop.extensions import db
from cop.meetings.models import ReminderSent
from cop.meetings.services import send_reminders
from cop.notifications.models import Notification
from tests.meetings import make_meeting


def run_once(app) -> int:
    """One round of the periodic job's work, as a worker runs it."""
    with jobs.job_context(app):
        return send_reminders()


@pytest.fixture
def community_of_four(factory):
    coordinator = factory.user(name="Ibu Ketua")
    community = factory.community(coordinator)
    members = [factory.user(name=f"Guru {i}") for i in range(3)]
    for member in members:
        factory.member(community, member)
    return community, coordinator, members


def test_two_concurrent_runners_send_each_reminder_once(app, community_of_four):
    community, coordinator, members = community_of_four
    meeting = make_meeting(app, community, coordinator, starts_in=timedelta(minutes=30))
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results.append(run_once(app))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(results) == 4  # the coordinator and three members, once each
    with app.app_context():
        sent = db.session.query(ReminderSent).filter_by(meeting_id=meeting.id).all()
        assert sorted(r.user_id for r in sent) == sorted([coordinator.id, *(m.id for m in members)])
        assert {r.kind for r in sent} == {"hour"}
        assert db.session.query(Notification).filter_by(kind="meeting_reminder_hour").count() == 4
    assert len(mail.outbox) == 4


def test_workshops_remind_only_those_who_said_yes_or_maybe(app, client, community_of_four, factory):
    community, coordinator, members = community_of_four
    meeting = make_meeting(
        app, community, coordinator, kind="workshop", starts_in=timedelta(hours=20)
    )
    from cop.meetings import services

    with app.app_context():
        from cop.auth.models import User

        services.rsvp(db.session.get(User, members[0].id), meeting, "yes")
        services.rsvp(db.session.get(User, members[1].id), meeting, "no")
    assert run_once(app) == 1
    with app.app_context():
        (sent,) = db.session.query(ReminderSent).all()
        assert (sent.user_id, sent.kind) == (members[0].id, "day")


def test_nothing_is_due_far_ahead_or_for_cancelled_meetings(app, community_of_four):
    community, coordinator, _members = community_of_four
    make_meeting(app, community, coordinator, starts_in=timedelta(days=3))
    make_meeting(app, community, coordinator, starts_in=timedelta(hours=2), status="cancelled")
    assert run_once(app) == 0


def test_the_periodic_job_runs_once_per_minute_however_many_consumers_fire_it(
    app, community_of_four
):
    community, coordinator, _members = community_of_four
    make_meeting(app, community, coordinator, starts_in=timedelta(minutes=10))
    jobs.fire_periodic(app, "meetings.reminders")  # two consumers' schedulers, same minute
    jobs.fire_periodic(app, "meetings.reminders")
    with app.app_context():
        (job,) = db.session.query(Job).filter_by(kind="periodic.meetings.reminders").all()
        assert job.state == "done"
        assert db.session.query(ReminderSent).count() == 4
    assert len(mail.outbox) == 4
    assert run_once(app) == 0  # a later minute's run finds them all claimed


def test_no_feature_starts_a_thread_of_its_own():
    """Background work goes through the queue: `grep -r threading.Thread cop/` is empty."""
    package = Path(__file__).resolve().parents[2] / "cop"
    starters = [
        str(path.relative_to(package.parent))
        for path in package.rglob("*.py")
        if "threading.Thread(" in path.read_text(encoding="utf-8")
    ]
    assert starters == []
