"""Browser: two teachers chat live; one goes offline, sends, comes back: it arrives once."""

from __future__ import annotations

import re

import pytest

from cop.auth.models import User
from cop.chat.models import Message
from cop.extensions import db
from cop.notifications import queries as notification_queries
from cop.notifications import services as notification_services
from tests.chat import general_channel
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def test_two_teachers_chat_live_and_an_offline_message_arrives_once(
    new_page, live_server, factory, app
):
    sari = factory.user(name="Bu Sari", email="sari@example.id")
    budi = factory.user(name="Pak Budi", email="budi@example.id")
    community = factory.community(sari, name="KKG Gugus 3 Tamalate")
    factory.member(community, budi)
    channel = general_channel(app, community)
    pages = {}
    for name, user in (("sari", sari), ("budi", budi)):
        page = new_page(name)
        log_in(page, live_server, user.email)
        page.goto(live_server(f"/chat/{channel.id}"))
        page.wait_for_selector("#chat-status[data-state=online]")
        pages[name] = page

    pages["sari"].fill("#chat-body", "Selamat pagi, Bapak Ibu!")
    pages["sari"].click("#chat-send")
    pages["budi"].wait_for_selector("#chat-log li[data-id] >> text=Selamat pagi, Bapak Ibu!")

    pages["budi"].fill("#chat-body", "Pagi")  # typing shows on the other side
    pages["sari"].wait_for_selector("#chat-typing >> text=Pak Budi")

    offline = pages["budi"]
    offline.context.set_offline(True)
    offline.wait_for_selector("#chat-status[data-state=offline]")
    offline.fill("#chat-body", "Maaf, sinyal di sekolah lemah")
    offline.click("#chat-send")
    offline.wait_for_selector("#chat-log li.pending")
    offline.context.set_offline(False)
    pages["sari"].wait_for_selector("#chat-log li[data-id] >> text=sinyal di sekolah lemah")
    offline.wait_for_selector("#chat-log li.pending", state="detached")
    offline.wait_for_timeout(500)  # a duplicate would have arrived by now
    for page in pages.values():
        assert page.locator("#chat-log li >> text=sinyal di sekolah lemah").count() == 1
    with app.app_context():
        stored = db.session.query(Message).filter(Message.body.like("%sinyal%")).count()
    assert stored == 1

    # the bell rings live (Sari may already hold a badge notification for her first share)
    with app.app_context():
        sari_user = db.session.get(User, sari.id)
        notification_services.notify(sari_user, "mention", "Halo", "/")
        unread = notification_queries.unread_count(sari_user)
    assert unread >= 1
    pages["sari"].wait_for_selector(f'#notification-bell .count:not([hidden]) >> text="{unread}"')


def test_unread_counts_in_the_header_and_tabs_refresh_without_a_reload(
    new_page, live_server, factory, app
):
    """Budi reads #umum while Sari writes in another channel and another community."""
    from cop.chat import services as chat_services
    from cop.communities.models import Community
    from tests.chat import post

    app.config["CHAT_UNREAD_POLL"] = 1
    sari = factory.user(name="Bu Sari", email="sari@example.id")
    budi = factory.user(name="Pak Budi", email="budi@example.id")
    community = factory.community(sari, name="KKG Gugus 3 Tamalate")
    factory.member(community, budi)
    other = factory.community(sari, name="MGMP IPA Makassar")
    factory.member(other, budi)
    general = general_channel(app, community)
    with app.app_context():
        rapat = chat_services.create_channel(
            db.session.get(User, sari.id), db.session.get(Community, community.id), "rapat"
        )
    page = new_page("budi")
    log_in(page, live_server, budi.email)
    page.goto(live_server(f"/chat/{general.id}"))
    page.wait_for_selector("#chat-status[data-state=online]")
    assert page.locator("#chat-link .count").is_hidden()

    post(app, sari, rapat, "Rapat Kamis jam 9")
    post(app, sari, general_channel(app, other), "Praktikum minggu depan")
    page.wait_for_selector("#chat-link .count:not([hidden]) >> text=2")
    page.wait_for_selector(f"[data-unread-for='{rapat.id}']:not([hidden]) >> text=1")
    # its name is read from the text, visible count included (axe: label-content-name-mismatch)
    assert page.get_by_role("link", name=re.compile(r"^Obrolan 2 belum dibaca$")).count() == 1
    # The open channel's own messages are read as they arrive: no badge for it.
    writer = new_page("sari")
    log_in(writer, live_server, sari.email)
    writer.goto(live_server(f"/chat/{general.id}"))
    writer.wait_for_selector("#chat-status[data-state=online]")
    writer.fill("#chat-body", "Selamat pagi")
    writer.click("#chat-send")
    page.wait_for_selector("#chat-log li[data-id] >> text=Selamat pagi")
    # Before and after chat.js stores the read marker (0.8 s later), every refresh
    # leaves the open channel out: the header never shows 3.
    for _ in range(5):
        page.wait_for_timeout(500)
        assert page.locator(f"[data-unread-for='{general.id}']").is_hidden()
        assert page.locator("#chat-link .count .n").inner_text() == "2"


def test_a_live_message_shows_its_time_as_the_server_does(new_page, live_server, factory, app):
    """In the teacher's zone (here WIT, while the browser is in WITA): the clock as
    "14.03", the zone once on the day separator, exactly as after a reload."""
    budi = factory.user(name="Pak Budi", email="budi@example.id", timezone="Asia/Jayapura")
    community = factory.community(budi, name="KKG Gugus 1 Jayapura")
    channel = general_channel(app, community)
    page = new_page("budi")  # the browser's own zone is Asia/Makassar (WITA)
    log_in(page, live_server, budi.email)
    page.goto(live_server(f"/chat/{channel.id}"))
    page.wait_for_selector("#chat-status[data-state=online]")
    page.fill("#chat-body", "Jam berapa sekarang?")
    page.click("#chat-send")
    live = page.locator("#chat-log li[data-id] time").last
    live.wait_for()
    page.wait_for_selector("#chat-log li.pending", state="detached")
    shown_live = live.inner_text().strip()
    assert re.fullmatch(r"\d\d\.\d\d", shown_live), shown_live
    separator = page.locator("#chat-log .chat-day").last.inner_text().strip()
    assert separator == "Hari ini · WIT", separator
    page.reload()
    page.wait_for_selector("#chat-status[data-state=online]")
    assert page.locator("#chat-log li[data-id] time").last.inner_text().strip() == shown_live
    assert page.locator("#chat-log .chat-day").last.inner_text().strip() == separator
