"""Browser, phone size: push is asked for only when the member taps "turn on", and the
tap subscribes this phone so that a mention reaches it.

Headless Chromium here has no push service to register with (no network), so the page's
``PushManager`` hands out a subscription whose endpoint is the test's push service
stand-in (tests/push) and whose keys are a real P-256 key pair: everything after the
browser's own registration is real (the page's script, the API, the stored subscription,
the VAPID-signed encrypted push, which the stand-in checks and decrypts).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.push.models import PushSubscription
from tests.e2e.test_flows import log_in
from tests.factories import Factory
from tests.push.test_push import push_app, push_service  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

FAKE_PUSH_MANAGER = """
(() => {
  const config = %s;
  let current = null;
  window.__asked = 0;
  window.__serverKey = null;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => { window.__asked += 1; return ask(); };
  const subscription = {
    endpoint: config.endpoint, expirationTime: null,
    toJSON() { return {endpoint: config.endpoint, expirationTime: null, keys: config.keys}; },
    unsubscribe() { current = null; return Promise.resolve(true); },
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
  PushManager.prototype.subscribe = function (options) {
    const bytes = new Uint8Array(options.applicationServerKey);
    window.__serverKey = btoa(String.fromCharCode(...bytes))
      .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    current = subscription;
    return Promise.resolve(subscription);
  };
})();
"""


@pytest.fixture
def app(push_app):  # noqa: F811 (the live server serves the app with VAPID keys)
    return push_app


def _phone(new_page, push_service, name, **options):  # noqa: F811
    page = new_page(name, **options)
    config = {"endpoint": f"{push_service.url}/push/{name}", "keys": push_service.browser.keys()}
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps(config))
    return page


def _subscriptions(app, user):
    with app.app_context():
        return list(
            db.session.scalars(
                select(PushSubscription.endpoint).where(PushSubscription.user_id == user.id)
            )
        )


def test_push_is_asked_for_only_after_the_tap_and_a_mention_then_reaches_the_phone(
    new_page,
    live_server,
    push_service,  # noqa: F811
):
    app = live_server.app
    factory = Factory(app)
    coordinator = factory.user(name="Bu Koordinator")
    community = factory.community(coordinator, name="KKG Gugus 3")
    rina = factory.user(name="Bu Rina")
    factory.member(community, rina)
    topic = factory.topic(community, coordinator, title="Asesmen diagnostik")
    page = _phone(new_page, push_service, "rina", permissions=["notifications"])
    log_in(page, live_server, rina.email)
    page.goto(live_server("/notifications/preferences"))
    toggle = page.locator("[data-push-toggle]")
    toggle.wait_for(state="visible")  # shown once the service worker is ready
    assert toggle.inner_text().strip() == "Nyalakan notifikasi di ponsel ini"
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.evaluate("window.__asked") == 0  # opening the page asked nothing
    assert _subscriptions(app, rina) == []

    toggle.click()
    page.wait_for_selector("[data-push-toggle][aria-pressed=true]")
    assert page.evaluate("window.__asked") == 1
    with app.app_context():
        from cop.push import services as push_services

        assert page.evaluate("window.__serverKey") == push_services.public_key()
    assert _subscriptions(app, rina) == [f"{push_service.url}/push/rina"]
    assert toggle.inner_text().strip() == "Matikan di ponsel ini"

    factory.post(topic, coordinator, f"Bu @{rina.username}, silakan dicek.")
    assert push_service.problems == []
    [payload] = push_service.received
    assert payload["title"] == "Bu Koordinator menyebut Anda di “Asesmen diagnostik”"

    toggle.click()  # and off again: the server forgets this phone
    page.wait_for_selector("[data-push-toggle][aria-pressed=false]")
    assert _subscriptions(app, rina) == []


def test_a_refused_permission_says_so_and_subscribes_nothing(
    new_page,
    live_server,
    push_service,  # noqa: F811
):
    app = live_server.app
    rina = Factory(app).user(name="Bu Rina")
    page = _phone(new_page, push_service, "denied")  # no permission granted: refused
    log_in(page, live_server, rina.email)
    page.goto(live_server("/notifications/preferences"))
    toggle = page.locator("[data-push-toggle]")
    toggle.wait_for(state="visible")
    toggle.click()
    status = page.locator("[data-push-status]")
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('[data-push-status]').textContent !== ''")
    assert status.inner_text() == "Notifikasi untuk cop diblokir di pengaturan peramban ini."
    assert toggle.get_attribute("aria-pressed") == "false"
    assert _subscriptions(app, rina) == []
