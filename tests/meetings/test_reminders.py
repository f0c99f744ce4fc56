"""Reminders: due windows, recipients, exactly once with concurrent runners, the command."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from cop.core import mail
from cop.extensions import db
from cop.meetings.models import ReminderSent
from cop.meetings.scheduler import run_once
from cop.notifications.models import Notification
from tests.meetings import make_meeting


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


def test_the_cron_command(app, community_of_four):
    community, coordinator, _members = community_of_four
    make_meeting(app, community, coordinator, starts_in=timedelta(minutes=10))
    result = app.test_cli_runner().invoke(args=["cop", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "4 reminder(s) sent." in result.output
    again = app.test_cli_runner().invoke(args=["cop", "send-reminders"])
    assert "0 reminder(s) sent." in again.output


@pytest.mark.parametrize(
    ("value", "expected"), [(None, False), ("0", False), ("1", True), (True, True), ("yes", True)]
)
def test_the_reminder_thread_is_behind_a_config_flag(value, expected):
    from types import SimpleNamespace

    from cop.meetings.scheduler import enabled

    config = {} if value is None else {"MEETING_REMINDERS_THREAD": value}
    assert enabled(SimpleNamespace(config=config)) is expected


def test_the_thread_is_off_in_tests(app):
    from cop.meetings.scheduler import maybe_start

    assert maybe_start(app) is None
