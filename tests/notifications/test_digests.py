"""Daily and weekly digests: the right items in the member's language, once per member and
period however many runners race (run on SQLite and on PostgreSQL by the two suites)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import utcnow
from cop.extensions import db
from cop.notifications import digests, preferences, services
from cop.notifications.models import DigestSent, Notification
from tests.factories import Factory

WITA = ZoneInfo("Asia/Makassar")


def _next_local(hour: int, minute: int = 30) -> datetime:
    """The next moment after now when it is hour:minute in WITA (as UTC)."""
    local = utcnow().astimezone(WITA)
    at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at.astimezone(UTC)


def _notify(app, user, kind, title, community_id=None, read=False):
    with app.app_context():
        row = services.notify(
            db.session.get(User, user.id), kind, title, "/c/", community_id=community_id
        )
        if read:
            services.mark_read(db.session.get(User, user.id), [row.id])
        return row


def _mails_to(server, address):
    with server.lock:
        return [m for m in server.received if m["To"] == address]


@pytest.fixture
def member(mail_app):
    factory = Factory(mail_app)
    user = factory.user(name="Bu Sari", locale="id", timezone="Asia/Makassar")
    owner = factory.user()
    community = factory.community(owner)
    muted = factory.community(owner, name="KKG Dibisukan")
    for c in (community, muted):
        factory.member(c, user)
    with mail_app.app_context():
        preferences.set_muted(
            db.session.get(User, user.id), db.session.get(Community, muted.id), True
        )
    return user, community, muted


def test_the_daily_digest_holds_the_right_items_in_the_members_language(
    mail_app, mail_server, member
):
    server, _port = mail_server
    user, community, muted = member
    _notify(
        mail_app, user, "reply", _l("New meeting: %(title)s", title="Balasan satu"), community.id
    )
    _notify(
        mail_app,
        user,
        "minutes_published",
        _l("Minutes published: %(title)s", title="Rapat Desember"),
        community.id,
    )
    _notify(
        mail_app,
        user,
        "mention",
        _l("New meeting: %(title)s", title="Sebutan langsung"),
        community.id,
    )
    _notify(
        mail_app,
        user,
        "reply",
        _l("New meeting: %(title)s", title="Sudah dibaca"),
        community.id,
        read=True,
    )
    _notify(mail_app, user, "reply", _l("New meeting: %(title)s", title="Dibisukan"), muted.id)
    server.received.clear()  # the mention went out at once
    with mail_app.app_context():
        digests.send_digests(_next_local(7))  # the owner gets a weekly one (their badge)
    [message] = _mails_to(server, user.email)
    assert message["Subject"] == "Ringkasan harian Anda dari cop (2 baru)"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert "Balasan satu" in text and "Notulen terbit: Rapat Desember" in text
    assert "Topik yang dipantau" in text and "Notulen sudah terbit" in text  # the kinds
    for absent in ("Sebutan langsung", "Sudah dibaca", "Dibisukan"):
        assert absent not in text
    assert "WITA" in text


def test_a_member_who_switched_language_reads_the_digest_in_the_new_one(
    mail_app, mail_server, member
):
    server, _port = mail_server
    user, community, _muted = member
    _notify(
        mail_app,
        user,
        "minutes_published",
        _l("Minutes published: %(title)s", title="Rapat Desember"),
        community.id,
    )
    with mail_app.app_context():
        row = db.session.get(User, user.id)
        row.locale = "en"  # after the event, before the digest
        db.session.commit()
        digests.send_digests(_next_local(7))
    [message] = _mails_to(server, user.email)
    assert message["Subject"] == "Your daily summary from cop (1 new)"
    text = message.get_body(("plain",)).get_content()
    assert "Minutes published: Rapat Desember" in text
    assert "Notulen terbit" not in text


def test_a_digest_goes_out_once_per_period_and_the_next_starts_where_it_ended(
    mail_app, mail_server, member
):
    server, _port = mail_server
    user, community, _muted = member
    _notify(mail_app, user, "reply", _l("New meeting: %(title)s", title="Pertama"), community.id)
    due = _next_local(7)
    with mail_app.app_context():
        assert digests.send_digest(db.session.get(User, user.id), "daily", due) is True
        again = due + timedelta(hours=3)  # the same local day
        assert digests.send_digest(db.session.get(User, user.id), "daily", again) is None
    second = _notify(
        mail_app, user, "reply", _l("New meeting: %(title)s", title="Kedua"), community.id
    )
    with mail_app.app_context():
        row = db.session.get(Notification, second.id)
        row.created_at = due + timedelta(hours=5)  # after the first digest (in test time)
        db.session.commit()
        next_day = due + timedelta(days=1)
        assert digests.send_digest(db.session.get(User, user.id), "daily", next_day) is True
    first, second = _mails_to(server, user.email)
    assert "Pertama" in first.get_body(("plain",)).get_content()
    assert "Pertama" not in second.get_body(("plain",)).get_content()
    assert "Kedua" in second.get_body(("plain",)).get_content()


def test_a_period_with_nothing_new_sends_no_mail(mail_app, mail_server, member):
    server, _port = mail_server
    user, community, _muted = member
    _notify(mail_app, user, "mention", _l("New meeting: %(title)s", title="Sebutan"), community.id)
    server.received.clear()
    with mail_app.app_context():
        digests.send_digests(_next_local(7))
        claims = db.session.scalars(select(DigestSent).where(DigestSent.user_id == user.id)).all()
    assert _mails_to(server, user.email) == []
    assert sorted((c.period, c.items) for c in claims) == [("daily", 0), ("weekly", 0)]


def test_nothing_is_sent_before_the_digest_hour(mail_app, mail_server, member):
    _server, _port = mail_server
    user, community, _muted = member
    _notify(mail_app, user, "reply", _l("New meeting: %(title)s", title="Pagi"), community.id)
    with mail_app.app_context():
        member = db.session.get(User, user.id)
        assert digests.send_digest(member, "daily", _next_local(6)) is None
        assert db.session.scalars(select(DigestSent)).all() == []


@pytest.mark.parametrize(
    ("period", "local", "key"),
    [
        ("daily", datetime(2026, 12, 4, 6, 59), None),
        ("daily", datetime(2026, 12, 4, 7, 0), "2026-12-04"),
        ("weekly", datetime(2026, 12, 7, 6, 0), None),  # Monday before the hour
        ("weekly", datetime(2026, 12, 7, 7, 0), "2026-W50"),
        ("weekly", datetime(2026, 12, 10, 3, 0), "2026-W50"),  # missed Monday: later that week
    ],
)
def test_period_keys(period, local, key):
    assert digests.period_key(period, local, 7) == key


def test_two_runners_at_once_send_each_digest_once(mail_app, mail_server):
    server, _port = mail_server
    factory = Factory(mail_app)
    owner = factory.user()
    community = factory.community(owner)
    members = [factory.user(locale="en", timezone="Asia/Makassar") for _ in range(6)]
    for user in members:
        factory.member(community, user)
        _notify(mail_app, user, "reply", _l("New meeting: %(title)s", title="Ramai"), community.id)
    due = _next_local(7)
    start = threading.Barrier(3)
    results: list[int] = []
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            with mail_app.app_context():
                start.wait(timeout=10)
                results.append(digests.send_digests(due))
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for user in members:
        assert len(_mails_to(server, user.email)) == 1
    with mail_app.app_context():
        daily = db.session.scalars(select(DigestSent).where(DigestSent.period == "daily")).all()
    assert sorted(claim.user_id for claim in daily) == sorted(user.id for user in members)
    assert sum(results) == len(members) + 1  # and the owner's weekly one (their badge)


def test_the_cli_command_sends_the_due_digests(mail_app, mail_server, member):
    server, _port = mail_server
    user, community, _muted = member
    _notify(
        mail_app, user, "reply", _l("New meeting: %(title)s", title="Lewat perintah"), community.id
    )
    mail_app.config["DIGEST_HOUR"] = 0  # due at any hour
    result = mail_app.test_cli_runner().invoke(args=["cop", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "digest(s) sent." in result.output
    assert len(_mails_to(server, user.email)) == 1


def test_the_digest_is_a_periodic_job():
    from cop.core.jobs.queue import _periodic

    assert _periodic["notifications.digests"] == {"minute": "5"}
