"""Browser, phone size: pick a colleague from the @-autocomplete with the keyboard and by
tap, reply to a message, send a photo, and see both arrive in a second browser."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from cop.chat.models import Message
from cop.extensions import db
from tests.chat import general_channel, post
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def test_mention_from_the_autocomplete_and_a_reply_arrive_in_a_second_browser(
    new_page, live_server, factory, app, tmp_path
):
    rina = factory.user(name="Bu Rina Marlina, S.Pd.", email="rina@example.id")
    andi = factory.user(name="Andi Pratama", email="andi@example.id")
    community = factory.community(rina, name="KKG Gugus 3 Tamalate")
    factory.member(community, andi)
    outsider = factory.user(name="Andika Luar")
    channel = general_channel(app, community)
    question = post(app, andi, channel, "Siapa yang membawa proyektor Sabtu?")
    pages = {}
    for name, user in (("rina", rina), ("andi", andi)):
        page = new_page(name)
        log_in(page, live_server, user.email)
        page.goto(live_server(f"/chat/{channel.id}"))
        page.wait_for_selector("#chat-status[data-state=online]")
        pages[name] = page
    rina_page, andi_page = pages["rina"], pages["andi"]

    # the day separator and the clock, in Indonesian
    assert rina_page.locator("#chat-log .chat-day").first.inner_text().startswith("Hari ini")

    # reply to Andi's question, mentioning him from the list (keyboard)
    rina_page.click(f"#m{question.id} button[data-action=reply]")
    assert rina_page.locator("#chat-replying").is_visible()
    rina_page.click("#chat-body")
    rina_page.keyboard.type("Saya, @and")
    option = rina_page.wait_for_selector("#chat-body-mentions [role=option]")
    assert "Andi Pratama" in option.inner_text()
    assert rina_page.locator("#chat-body-mentions [role=option]").count() == 1  # no outsider
    assert rina_page.get_attribute("#chat-body", "aria-activedescendant") == option.get_attribute(
        "id"
    )
    rina_page.keyboard.press("Enter")  # picks; does not send
    assert rina_page.input_value("#chat-body") == f"Saya, @{andi.username} "
    rina_page.keyboard.type("bawa ya.")
    rina_page.keyboard.press("Enter")  # sends

    quoted = andi_page.wait_for_selector("#chat-log li[data-id] .chat-quote")
    assert "Siapa yang membawa proyektor" in quoted.inner_text()
    line = andi_page.locator("#chat-log li[data-id]").last
    assert f"@{andi.username}" in line.inner_text()
    assert line.locator("a.mention").count() == 1

    # the quote jumps to the original, which is highlighted for two seconds: a
    # MutationObserver records the class, so a busy machine cannot miss the window
    andi_page.evaluate(
        """(id) => {
            const original = document.getElementById(id);
            new MutationObserver(() => {
                if (original.classList.contains("highlight")) window.copHighlighted = true;
            }).observe(original, {attributes: true, attributeFilter: ["class"]});
        }""",
        f"m{question.id}",
    )
    quoted.click()
    andi_page.wait_for_function("() => window.copHighlighted === true")

    # the other side picks a suggestion with a tap instead of the keyboard
    andi_page.click("#chat-body")
    andi_page.keyboard.type("@rin")
    andi_page.wait_for_selector("#chat-body-mentions [role=option]")
    andi_page.locator("#chat-body-mentions [role=option]").first.click()
    assert andi_page.input_value("#chat-body") == f"@{rina.username} "

    with app.app_context():
        reply = db.session.query(Message).filter(Message.body.like("Saya, @%")).one()
        assert reply.reply_to_id == question.id
    assert outsider.username not in rina_page.content()

    # a photo with a caption: uploaded, sent, and shown as a thumbnail on the other side
    photo = tmp_path / "papan-tulis.jpg"
    Image.new("RGB", (1200, 900), (30, 110, 60)).save(photo, "JPEG")
    rina_page.fill("#chat-body", "Foto papan tulis kemarin")
    rina_page.set_input_files("#chat-file", str(photo))
    thumb = andi_page.wait_for_selector("#chat-log li[data-id] .chat-photo img")
    andi_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb)
    assert andi_page.evaluate("img => img.naturalWidth", thumb) == 320
    line = andi_page.locator("#chat-log li[data-id]").last
    assert "Foto papan tulis kemarin" in line.inner_text()
    # live lines and server-rendered lines write the clock the same way ("03.11")
    clocks = andi_page.eval_on_selector_all(
        "#chat-log li[data-id] time", "els => els.map(e => e.textContent.trim())"
    )
    assert all(re.fullmatch(r"\d\d\.\d\d", c) for c in clocks), clocks
    rina_page.wait_for_selector("#chat-log li.pending", state="detached")
    ARTIFACTS.mkdir(exist_ok=True)
    andi_page.screenshot(path=str(ARTIFACTS / "chat-phone-photo-reply.png"), full_page=False)
