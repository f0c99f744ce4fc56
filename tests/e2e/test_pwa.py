"""Browser, phone size: cop installs as an app, reads a topic offline, and sends a reply
written offline once the connection is back (exactly once)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.discussions.models import Post
from cop.extensions import db
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def _controlled(page) -> None:
    """Wait until the service worker is active and controls the page (a reload after the
    first visit makes the page itself go through it)."""
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)"
    )
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_the_install_criteria_are_met(page, live_server):
    page.goto(live_server("/"))
    _controlled(page)
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # a Playwright context is an incognito profile, where Chromium never offers to install;
    # every other criterion (manifest, icons, service worker, secure origin) is checked
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


def test_a_topic_opens_offline_and_a_reply_written_offline_is_posted_once(
    page, live_server, factory, app
):
    owner = factory.user(name="Andi Pratama")
    rina = factory.user(name="Bu Rina")
    community = factory.community(owner, name="KKG Gugus 3")
    factory.member(community, rina)
    topic = factory.topic(community, owner, title="Asesmen diagnostik", body="Bagaimana caranya?")
    log_in(page, live_server, rina.email)
    page.goto(live_server(f"/t/{topic.id}"))
    _controlled(page)  # the topic page, kept for offline reading

    page.context.set_offline(True)
    assert page.reload().from_service_worker
    assert "Asesmen diagnostik" in page.locator("main h1").inner_text()
    assert page.locator(".offline-banner").is_visible()
    page.goto(live_server("/c/"))  # never opened: the offline page
    assert page.locator("main h1").inner_text().strip() == "Anda sedang luring"
    page.goto(live_server(f"/t/{topic.id}"))  # from the cache again

    page.fill("form.reply-form textarea[name=body]", "Saya coba dengan kuis singkat.")
    page.click("form.reply-form button[type=submit]:not([formaction]):not([name=preview])")
    page.wait_for_selector(".outbox-note")
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 1  # only the first post

    page.context.set_offline(False)
    page.wait_for_function("() => !localStorage.getItem('cop:outbox')")
    page.wait_for_selector("text=Saya coba dengan kuis singkat.")
    page.reload()
    with app.app_context():
        bodies = db.session.scalars(select(Post.body).order_by(Post.id)).all()
        db.session.remove()
    assert bodies.count("Saya coba dengan kuis singkat.") == 1


def test_logging_out_empties_the_page_cache(page, live_server, factory):
    owner = factory.user()
    rina = factory.user()
    community = factory.community(owner)
    factory.member(community, rina)
    topic = factory.topic(community, owner, title="Rahasia komunitas")
    log_in(page, live_server, rina.email)
    page.goto(live_server(f"/t/{topic.id}"))
    _controlled(page)
    assert page.evaluate("caches.open('cop-pages').then(c => c.keys()).then(k => k.length)") >= 1
    page.locator("details.nav-menu summary").click()
    page.click("form[data-clear-drafts] button[type=submit]")
    page.wait_for_url(lambda url: "/t/" not in url)
    assert page.evaluate("caches.has('cop-pages')") is False


def test_a_visitors_pages_are_not_kept(page, live_server, factory):
    owner = factory.user()
    factory.community(owner, name="KKG Terbuka", visibility="public")
    page.goto(live_server("/c/"))
    _controlled(page)
    page.goto(live_server("/"))
    kept = page.evaluate(
        "caches.has('cop-pages').then(h => h && caches.open('cop-pages')"
        ".then(c => c.keys()).then(k => k.length))"
    )
    kept = kept or 0
    assert kept == 0
