"""Browser: a site admin's morning. Close registration, approve a new MGMP, deactivate a
spam account; the audit log shows each step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import site
from cop.extensions import db
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def test_an_admin_closes_registration_approves_a_community_and_stops_a_spammer(
    new_page, live_server, factory, app
):
    from cop.admin import services

    admin = factory.user(name="Admin Dinas", email="admin@dinas.id", admin=True)
    with app.app_context():
        services.save_settings(db.session.merge(admin), {"community_approval": True})
        site.forget()
    creator = factory.user(name="Pak Koordinator", email="koordinator@sekolah.id")
    spammer = factory.user(name="Jual Pulsa Murah", email="spam@contoh.id")
    with app.app_context():
        from cop.communities import services as community_services

        community = community_services.create_community(
            db.session.merge(creator),
            community_services.CommunityData(
                name="MGMP Informatika Gowa", kind="MGMP", level="SMA"
            ),
        )
        assert community.status == "pending"

    page = new_page("admin", viewport={"width": 1280, "height": 900})
    log_in(page, live_server, admin.email)

    # 1. close registration
    page.goto(live_server("/admin/settings?q=pendaftaran"))
    page.select_option("#setting-registration", "closed")
    page.click("form.settings-form button[type=submit]")
    page.wait_for_selector(".flash >> text=disimpan")

    # 2. approve the new MGMP
    page.goto(live_server("/admin/communities"))
    row = page.locator(f"#community-{community.id}")
    assert "MGMP Informatika Gowa" in row.inner_text()
    row.locator("button", has_text="Setujui").click()
    page.wait_for_selector(".flash >> text=disetujui")

    # 3. deactivate the spam account
    page.goto(live_server("/admin/users?q=spam"))
    page.locator("tr", has_text="Jual Pulsa Murah").locator(
        "button", has_text="Nonaktifkan"
    ).click()
    page.wait_for_selector(".flash >> text=dinonaktifkan")

    # the audit log shows the three steps, newest first
    page.goto(live_server("/admin/audit"))
    log = page.locator("table").inner_text()
    for action in ("site.setting", "community.approved", "user.deactivate"):
        assert action in log
    assert (
        log.index("user.deactivate") < log.index("community.approved") < log.index("site.setting")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-audit.png"), full_page=True)

    with app.app_context():
        site.forget()
        assert site.get("registration") == "closed"
        assert db.session.get(Community, community.id).status == "active"
        assert not db.session.scalar(select(User.active).where(User.id == spammer.id))
