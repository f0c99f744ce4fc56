"""Discussions in a real browser, in Indonesian, on a 390px-wide phone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.admin.models import AuditLog
from cop.discussions.models import Draft, Post, Topic
from cop.extensions import db
from cop.notifications.models import Notification
from tests.discussions import make_reply, make_topic
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def test_reply_quote_mention_like_solve_read_and_moderate(page, new_page, live_server, factory):
    app = live_server.app
    coordinator = factory.user(name="Ibu Nurhayati")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate")
    sari = factory.user(name="Sari Wulandari")
    budi = factory.user(name="Budi Santoso")
    for user in (sari, budi):
        factory.member(community, user)
    topic = make_topic(app, sari, community, title="Asesmen diagnostik kelas 4")
    answer = make_reply(app, coordinator, topic, "Pakai angket singkat dengan emoji.")

    # Budi replies to the coordinator's post, mentioning Sari, with the live preview.
    log_in(page, live_server, budi.email)
    page.goto(live_server(f"/t/{topic.id}?reply_to={answer.id}#reply"))
    page.fill("#body", f"Setuju, @{sari.username}: **angket** itu cepat.")
    page.wait_for_selector(".md-preview strong")
    page.click("form.reply-form button[data-once]")
    page.wait_for_url(lambda url: "#post-" in url)
    assert page.locator(".in-reply-to").count() >= 1

    # ...quotes the first post, and likes it.
    page.goto(live_server(f"/t/{topic.id}?quote={topic.first_post_id}#reply"))
    assert "> Bagaimana" in page.input_value("#body")
    page.fill("#body", page.input_value("#body") + "Saya juga ingin tahu.")
    page.click("form.reply-form button[data-once]")
    page.wait_for_url(lambda url: "#post-" in url)
    page.goto(live_server(f"/t/{topic.id}"))
    page.click(f"#post-{topic.first_post_id} form[action$='/react'] button >> nth=0")
    page.wait_for_load_state()
    with app.app_context():
        assert db.session.get(Post, topic.first_post_id).like_count == 1

    # A dropped connection while typing loses nothing: the draft is on the server
    # (and in this browser's localStorage).
    page.goto(live_server(f"/t/{topic.id}#reply"))
    page.fill("#body", "Draf yang belum selesai tentang rubrik")
    page.wait_for_selector(".draft-status:not(:empty)", timeout=8000)
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.reload()
    assert page.input_value("#body") == "Draf yang belum selesai tentang rubrik"
    with app.app_context():
        assert db.session.scalar(select(Draft.body)) == "Draf yang belum selesai tentang rubrik"

    # Sari sees the topic unread, marks the coordinator's answer as the solution.
    sari_page = new_page("sari")
    log_in(sari_page, live_server, sari.email)
    sari_page.goto(live_server(f"/c/{community.slug}/topics"))
    assert sari_page.locator(".topic-row.unread").count() == 1
    sari_page.goto(live_server(f"/t/{topic.id}"))
    sari_page.click(f"#post-{answer.id} form[action$='/solution'] button")
    sari_page.wait_for_load_state()
    assert sari_page.locator(f"#post-{answer.id}.solution").count() == 1
    sari_page.goto(live_server(f"/c/{community.slug}/topics"))
    assert sari_page.locator(".topic-row.unread").count() == 0

    # Sari flags Budi's reply; the coordinator hides it from the queue; the audit log shows it.
    with app.app_context():
        budi_post = db.session.scalar(
            select(Post).where(Post.author_id == budi.id).order_by(Post.id).limit(1)
        )
    sari_page.goto(live_server(f"/p/{budi_post.id}/flag"))
    sari_page.select_option("#reason", "off_topic")
    sari_page.click("main form button[data-once]")
    sari_page.wait_for_load_state()
    moderator = new_page("moderator")
    log_in(moderator, live_server, coordinator.email)
    moderator.goto(live_server(f"/c/{community.slug}/flags"))
    moderator.click("button[value=hide]")
    moderator.wait_for_load_state()
    with app.app_context():
        assert db.session.get(Post, budi_post.id).hidden_at is not None
        actions = set(db.session.scalars(select(AuditLog.action)))
        assert {"flag.hide", "post.hide"} <= actions
        assert db.session.get(Topic, topic.id).solution_post_id == answer.id
        kinds = set(
            db.session.scalars(select(Notification.kind).where(Notification.user_id == sari.id))
        )
        assert {"mention", "reply"} <= kinds
