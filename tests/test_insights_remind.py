"""One-tap reminders to members gone quiet: a notification of its own kind (with its
preference), at most once per member in 30 days (the database's unique key decides),
audited as the coordinator's action, coordinators only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cop.admin.models import AuditLog
from cop.communities.models import Community, Membership
from cop.core.errors import Forbidden, NotFound
from cop.core.types import utcnow
from cop.extensions import db
from cop.insights import services
from cop.insights.models import QuietReminder
from cop.notifications.models import Notification
from tests.conftest import csrf_token


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    quiet = [factory.user(name=n, locale="en") for n in ("Bu Sepi", "Pak Diam")]
    active = factory.user(name="Pak Rajin", locale="en")
    for member in [*quiet, active]:
        factory.member(community, member)
    with app.app_context():
        for row in db.session.scalars(
            select(Membership).where(Membership.user_id.in_([u.id for u in quiet]))
        ):
            row.joined_at = utcnow() - timedelta(days=200)  # joined long ago, silent since
        db.session.commit()
    factory.topic(community, active, title="Asesmen diagnostik kelas 3")
    return {"coordinator": coordinator, "community": community, "quiet": quiet, "active": active}


def _reminders(app, user):
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification).where(
                    Notification.user_id == user.id, Notification.kind == "quiet_reminder"
                )
            )
        )


def _post(client, path):
    return client.post(path, data={"csrf_token": csrf_token(client)})


def test_one_tap_notifies_that_member_and_is_audited(app, client, auth, world):
    auth.login(world["coordinator"].email)
    sepi, diam = world["quiet"]
    response = _post(client, f"/c/{world['community'].slug}/dashboard/remind/{sepi.id}")
    assert response.status_code == 303
    [note] = _reminders(app, sepi)
    assert "Ibu Ketua of KKG Gugus 3 Tamalate misses you" in note.title
    assert note.url.endswith(f"/c/{world['community'].slug}") and note.read_at is None
    assert _reminders(app, diam) == []
    with app.app_context():
        [entry] = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "community.remind_quiet")
        ).all()
        assert entry.actor_id == world["coordinator"].id
        assert entry.data["user_ids"] == [sepi.id]
    page = client.get(f"/c/{world['community'].slug}/dashboard").get_data(as_text=True)
    assert "Reminder sent to 1 member." in page and "reminded " in page


def test_at_most_once_in_30_days_then_again(app, client, auth, world):
    sepi, diam = world["quiet"]
    with app.app_context():
        actor = db.session.merge(world["coordinator"])
        community = db.session.get(Community, world["community"].id)
        assert [u.id for u in services.remind_quiet(actor, community, sepi.id)] == [sepi.id]
        # "remind all" a moment later skips the one already reminded
        assert [u.id for u in services.remind_quiet(actor, community)] == [diam.id]
        assert services.remind_quiet(actor, community) == []
        later = utcnow() + timedelta(days=29)
        assert services.remind_quiet(actor, community, now=later) == []
        again = utcnow() + timedelta(days=31)
        assert len(services.remind_quiet(actor, community, now=again)) == 2
        assert db.session.scalar(select(db.func.count(QuietReminder.id))) == 2  # one row each
    assert len(_reminders(app, sepi)) == 2 and len(_reminders(app, diam)) == 2


def test_the_second_tap_says_nobody_was_reminded(app, client, auth, world):
    auth.login(world["coordinator"].email)
    path = f"/c/{world['community'].slug}/dashboard/remind"
    _post(client, path)
    client.get(f"/c/{world['community'].slug}/dashboard")  # the first flash is read
    response = _post(client, path)
    assert response.status_code == 303
    page = client.get(f"/c/{world['community'].slug}/dashboard").get_data(as_text=True)
    assert "Nobody was reminded" in page
    assert [len(_reminders(app, u)) for u in world["quiet"]] == [1, 1]


def test_the_members_own_setting_is_respected(app, world):
    from cop.notifications import preferences

    sepi = world["quiet"][0]
    with app.app_context():
        user = db.session.merge(sepi)
        preferences.save_preferences(
            user,
            {"nudges": {"inapp": False, "email": "off"}},
            quiet_start=None,
            quiet_end=None,
        )
        services.remind_quiet(
            db.session.merge(world["coordinator"]), db.session.get(Community, world["community"].id)
        )
    [note] = _reminders(app, sepi)
    assert note.read_at is not None  # kept for the record, never rung


def test_only_the_quiet_and_only_by_coordinators(app, world):
    with app.app_context():
        community = db.session.get(Community, world["community"].id)
        with pytest.raises(NotFound):
            services.remind_quiet(
                db.session.merge(world["coordinator"]), community, world["active"].id
            )
        with pytest.raises(Forbidden):
            services.remind_quiet(db.session.merge(world["active"]), community)
    assert _reminders(app, world["quiet"][0]) == []


def test_a_member_gets_403_on_the_page(client, auth, world):
    auth.login(world["active"].email)
    response = _post(client, f"/c/{world['community'].slug}/dashboard/remind")
    assert response.status_code == 403


def test_two_coordinators_at_once_send_one_reminder(app, factory, world):
    """Two remind-all taps at the same moment (two coordinators, two processes): the
    unique row lets one of them through for each member, whatever the interleaving."""
    import threading

    second = factory.user(name="Pak Wakil")
    factory.member(world["community"], second, role="coordinator")
    start = threading.Barrier(2)
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def tap(user_id: int) -> None:
        try:
            with app.app_context():
                actor = db.session.get(type(world["active"]), user_id)
                community = db.session.get(Community, world["community"].id)
                start.wait(5)
                results[user_id] = [u.id for u in services.remind_quiet(actor, community)]
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=tap, args=(u.id,)) for u in (world["coordinator"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    reminded = [i for ids in results.values() for i in ids]
    assert len(reminded) == len(set(reminded))  # nobody twice
    assert {u.id for u in world["quiet"]} <= set(reminded)  # each by one of the two
    assert [len(_reminders(app, u)) for u in world["quiet"]] == [1, 1]
