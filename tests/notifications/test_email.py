"""Mail per notification through a real SMTP server: language, quiet hours, one-click
unsubscribe (RFC 8058), refused addresses and a server that is down."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import jobs
from cop.core.jobs.models import Job
from cop.core.types import utcnow
from cop.extensions import db
from cop.notifications import preferences
from cop.notifications.models import MailBounce
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, Factory


@pytest.fixture
def world(mail_app):
    """A community with a coordinator and a member, and a topic to mention in."""
    factory = Factory(mail_app)
    coordinator = factory.user(name="Bu Koordinator")
    community = factory.community(coordinator)
    member = factory.user(name="Pak Anggota", locale="en")
    factory.member(community, member)
    topic = factory.topic(community, coordinator, title="Asesmen diagnostik")
    return factory, coordinator, member, topic


def _mention(factory, coordinator, member, topic):
    return factory.post(topic, coordinator, f"Halo @{member.username}, bagaimana menurut Anda?")


def _mails_to(server, address):
    with server.lock:
        return [m for m in server.received if m["To"] == address]


def _unsubscribe_url(message) -> str:
    return re.fullmatch(r"<(.+)>", str(message["List-Unsubscribe"])).group(1)


def test_a_mention_is_mailed_at_once_in_the_recipients_language(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    _mention(factory, coordinator, member, topic)
    [message] = _mails_to(server, member.email)
    assert message["Subject"] == "Bu Koordinator mentioned you in “Asesmen diagnostik”"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_url(message).startswith("http://cop.test/notifications/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Someone mentioned you in cop." in text and "Stop these e-mails" in text
    assert "Someone mentioned you in cop." in html and "http://cop.test/notifications/" in html


def test_an_indonesian_member_gets_the_mail_in_indonesian(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, _member, topic = world
    guru = factory.user(name="Bu Guru", locale="id")
    factory.member(factory.get(Community, topic.community_id), guru)
    _mention(factory, coordinator, guru, topic)
    [message] = _mails_to(server, guru.email)
    assert message["Subject"] == "Bu Koordinator menyebut Anda di “Asesmen diagnostik”"
    assert "Berhenti" in message.get_body(("plain",)).get_content()


def _quiet_now(mail_app, member):
    """Quiet hours around the present moment in the member's zone; when they end."""
    local = utcnow().astimezone(ZoneInfo("Asia/Jakarta"))
    start = (local - timedelta(hours=1)).strftime("%H:%M")
    end = (local + timedelta(hours=1)).strftime("%H:%M")
    with mail_app.app_context():
        user = db.session.get(User, member.id)
        prefs = preferences.save_preferences(
            user,
            {},
            quiet_start=preferences.parse_clock(start, "s"),
            quiet_end=preferences.parse_clock(end, "e"),
        )
        return preferences.quiet_until(user, prefs, utcnow())


def test_nothing_is_mailed_during_quiet_hours_and_it_goes_out_after(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    ends = _quiet_now(mail_app, member)
    assert ends is not None
    _mention(factory, coordinator, member, topic)
    assert _mails_to(server, member.email) == []
    with mail_app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "mail.deliver"))
        assert job.state == "queued" and abs((job.run_after - ends).total_seconds()) < 1
        assert jobs.run(job.id) is None  # not due yet
        assert jobs.run(job.id, now=ends + timedelta(seconds=1)) == "done"
    assert len(_mails_to(server, member.email)) == 1


def test_one_click_unsubscribe_turns_the_kind_off_without_login(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    _mention(factory, coordinator, member, topic)
    [message] = _mails_to(server, member.email)
    path = _unsubscribe_url(message).removeprefix("http://cop.test")
    client = mail_app.test_client()
    # RFC 8058: the mail client POSTs this body to the List-Unsubscribe URL, no cookies
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Mentions" in response.get_data(as_text=True)
    with mail_app.app_context():
        prefs = preferences.preferences_of(db.session.get(User, member.id))
    assert prefs.choices["mention"].email == "off" and prefs.choices["mention"].inapp
    _mention(factory, coordinator, member, topic)
    assert len(_mails_to(server, member.email)) == 1


def test_the_unsubscribe_link_asks_first_then_says_what_was_turned_off(
    mail_app, mail_server, world
):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    _mention(factory, coordinator, member, topic)
    path = _unsubscribe_url(_mails_to(server, member.email)[0]).removeprefix("http://cop.test")
    client = mail_app.test_client()
    page = client.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Stop these e-mails?" in page.get_data(as_text=True)
    with mail_app.app_context():
        prefs = preferences.preferences_of(db.session.get(User, member.id))
        assert prefs.choices["mention"].email == "immediate"  # a link scanner's GET: nothing
    done = client.post(path, headers={"Accept-Language": "en"})
    assert "E-mail turned off" in done.get_data(as_text=True)
    assert "Mentions" in done.get_data(as_text=True)


@pytest.mark.parametrize("how", ["tampered", "expired"])
def test_a_tampered_or_expired_unsubscribe_link_is_refused(mail_app, mail_server, world, how):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    _mention(factory, coordinator, member, topic)
    path = _unsubscribe_url(_mails_to(server, member.email)[0]).removeprefix("http://cop.test")
    if how == "tampered":
        path = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    else:
        mail_app.config["UNSUBSCRIBE_MAX_AGE"] = -1
    response = mail_app.test_client().post(path, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Nothing was turned off" in response.get_data(as_text=True)
    with mail_app.app_context():
        prefs = preferences.preferences_of(db.session.get(User, member.id))
    assert prefs.choices["mention"].email == "immediate"


def test_a_refused_address_is_recorded_and_not_mailed_again(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    server.unknown.add(member.email)
    _mention(factory, coordinator, member, topic)
    with mail_app.app_context():
        [job] = db.session.scalars(select(Job).where(Job.kind == "mail.deliver")).all()
        assert job.state == "dropped" and job.attempts == 1  # no retry loop
        bounce = db.session.get(MailBounce, member.email.lower())
        assert bounce is not None and bounce.reason.startswith("550")
    _mention(factory, coordinator, member, topic)
    with mail_app.app_context():
        assert len(db.session.scalars(select(Job).where(Job.kind == "mail.deliver")).all()) == 1
    assert _mails_to(server, member.email) == []


def test_the_member_can_say_the_address_works_again(mail_app, mail_server, world):
    _server, _port = mail_server
    _factory, _coordinator, member, _topic = world
    with mail_app.app_context():
        preferences.record_bounce(member.email, "550 no such mailbox")
    client = mail_app.test_client()
    client.post(
        "/auth/login",
        data={
            "email": member.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    page = client.get("/notifications/preferences")
    assert "refused your address" in page.get_data(as_text=True)
    client.post("/notifications/preferences/bounce", data={"csrf_token": csrf_token(client)})
    with mail_app.app_context():
        assert db.session.get(MailBounce, member.email.lower()) is None


def test_a_server_that_is_down_gets_the_mail_later_once(mail_app, mail_server, world):
    server, _port = mail_server
    factory, coordinator, member, topic = world
    server.refusing = True
    _mention(factory, coordinator, member, topic)
    with mail_app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "mail.deliver"))
        assert job.state == "queued" and job.attempts == 1 and server.refused == 1
        server.refusing = False
        later = job.run_after + timedelta(seconds=1)
        assert jobs.run(job.id, now=later) == "done"
        assert jobs.run(job.id, now=later) is None
    assert len(_mails_to(server, member.email)) == 1
