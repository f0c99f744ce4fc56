"""Browser, phone size (390 px, id-ID, Asia/Makassar): a teacher's day in one pass.

Bu Rina logs in, sees today's meeting on the dashboard and checks in from there,
searches from the header and opens the grouped hit, mentions a colleague in a
reply by picking him from the autocomplete, then sends a photo and a reply in
chat, and both arrive in Pak Andi's browser.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PIL import Image

from cop.chat.models import Message
from cop.discussions.models import Post
from cop.extensions import db
from cop.meetings.models import Attendance
from tests.chat import general_channel, post
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def test_a_teachers_day_on_a_phone(new_page, live_server, factory, app, tmp_path):
    rina = factory.user(
        name="Bu Rina Marlina, S.Pd.", email="rina@example.id", timezone="Asia/Makassar"
    )
    andi = factory.user(name="Andi Pratama", email="andi@example.id", timezone="Asia/Makassar")
    community = factory.community(andi, name="KKG Gugus 3 Tamalate")
    factory.member(community, rina)
    meeting = factory.meeting(
        community, andi, title="Asesmen diagnostik kelas 4", starts_in=timedelta(minutes=-10)
    )
    topic = factory.topic(
        community,
        andi,
        title="Contoh modul ajar Kurikulum Merdeka",
        body="Siapa punya contoh **modul ajar** untuk kelas 4?",
    )
    for body in (
        "Modul ajar saya untuk IPAS.",
        "Modul ajar Bahasa Indonesia terlampir.",
        "Terima kasih, modul ajar ini membantu.",
    ):
        factory.post(topic, andi, body)
    channel = general_channel(app, community)
    question = post(app, andi, channel, "Siapa yang membawa proyektor Sabtu?")

    page = new_page("rina")
    log_in(page, live_server, rina.email)

    # the dashboard: today's meeting, check-in from there
    page.goto(live_server("/"))
    card = page.locator(f"#meeting-{meeting.id}")
    assert "Asesmen diagnostik kelas 4" in card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "day-dashboard.png"), full_page=True)
    card.locator("input[name=code]").fill("KODE42")
    card.locator("button[type=submit]", has_text="Presensi").click()
    page.wait_for_selector(f"#meeting-{meeting.id} >> text=Anda sudah presensi")
    with app.app_context():
        assert (
            db.session.query(Attendance)
            .filter_by(meeting_id=meeting.id, user_id=rina.id)
            .one()
            .checked_in_at
            is not None
        )

    # header search: one hit for the topic (its four posts collapsed), plain snippet
    page.fill("#header-q", "modul ajar")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search?**")
    hits = page.locator(".search-hit", has_text="Contoh modul ajar Kurikulum Merdeka")
    assert hits.count() == 1
    assert "dan 4 lainnya dalam topik ini" in hits.inner_text()
    assert "KKG Gugus 3 Tamalate" in hits.inner_text()  # the community's name, not its slug
    assert "**" not in hits.inner_text()
    assert hits.locator(".snippet mark").first.inner_text().lower() in ("modul", "ajar")
    hits.locator("a").first.click()
    page.wait_for_url(f"**/t/{topic.id}**")

    # a reply mentioning Andi, picked from the autocomplete by tap
    page.click("#body")
    page.keyboard.type("Terima kasih @and")
    page.wait_for_selector("#body-mentions [role=option]")
    page.locator("#body-mentions [role=option]", has_text="Andi Pratama").click()
    assert page.input_value("#body") == f"Terima kasih @{andi.username} "
    page.keyboard.type("sangat membantu.")
    page.click("#reply button[type=submit]:has-text('Kirim balasan')")
    page.wait_for_selector(f"a.mention:has-text('@{andi.username}')")
    with app.app_context():
        reply = db.session.query(Post).filter(Post.body.like("Terima kasih @%")).one()
        assert reply.author_id == rina.id

    # chat: Andi is in the channel; Rina replies to his question and sends a photo
    andi_page = new_page("andi")
    log_in(andi_page, live_server, andi.email)
    andi_page.goto(live_server(f"/chat/{channel.id}"))
    andi_page.wait_for_selector("#chat-status[data-state=online]")
    page.goto(live_server(f"/chat/{channel.id}"))
    page.wait_for_selector("#chat-status[data-state=online]")
    page.click(f"#m{question.id} button[data-action=reply]")
    page.fill("#chat-body", "Saya bawa proyektornya.")
    page.press("#chat-body", "Enter")
    quoted = andi_page.wait_for_selector("#chat-log li[data-id] .chat-quote")
    assert "Siapa yang membawa proyektor" in quoted.inner_text()

    photo = tmp_path / "papan-tulis.jpg"
    Image.new("RGB", (1600, 1200), (30, 110, 60)).save(photo, "JPEG")
    page.fill("#chat-body", "Foto papan tulis kemarin")
    page.set_input_files("#chat-file", str(photo))
    thumb = andi_page.wait_for_selector("#chat-log li[data-id] .chat-photo img")
    andi_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb)
    page.wait_for_selector("#chat-log li.pending", state="detached")
    with app.app_context():
        stored = db.session.query(Message).filter_by(channel_id=channel.id, author_id=rina.id)
        assert stored.count() == 2
        assert stored.filter(Message.reply_to_id == question.id).count() == 1
    andi_page.screenshot(path=str(ARTIFACTS / "day-chat-photo-reply.png"))
