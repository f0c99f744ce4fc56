"""The foundation's flows in a real browser, in Indonesian (the default locale)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.extensions import db
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, live_server, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(live_server("/auth/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form[action='/auth/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_pages_are_in_indonesian_by_default(page, live_server):
    page.goto(live_server("/auth/login"))
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("main h1").inner_text().strip() == "Masuk"


def test_register_and_fill_in_profile(page, live_server):
    app = live_server.app
    page.goto(live_server("/auth/register"))
    page.fill("#name", "Ibu Sari Wulandari")
    page.fill("#email", "sari@sdn12makassar.sch.id")
    page.fill("#password", "pelangi-senja-42")
    page.fill("#confirm", "pelangi-senja-42")
    page.select_option("#timezone", "Asia/Makassar")
    page.check("#accept_privacy")
    page.click("main form[action='/auth/register'] button[type=submit]")
    # the same answer for a new and a taken address: go and log in
    page.wait_for_url(lambda url: "/auth/login" in url)
    log_in(page, live_server, "sari@sdn12makassar.sch.id", "pelangi-senja-42")

    page.goto(live_server("/auth/profile"))
    page.fill("#school", "SD Negeri 12 Makassar")
    page.fill("#subjects", "Tematik, Matematika")
    page.select_option("#level", "SD")
    page.fill("#province", "Sulawesi Selatan")
    page.fill("#city", "Kota Makassar")
    page.fill("#bio", "Guru kelas 4. Suka **pembelajaran berdiferensiasi**.")
    page.click("main form[action='/auth/profile'] button[type=submit]:not([name=preview])")
    page.wait_for_load_state()
    assert page.locator(".flash").count() >= 1

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "sari@sdn12makassar.sch.id"))
        assert (user.name, user.timezone, user.school, user.city, user.level) == (
            "Ibu Sari Wulandari",
            "Asia/Makassar",
            "SD Negeri 12 Makassar",
            "Kota Makassar",
            "SD",
        )
        assert user.password_hash.startswith("$argon2id$")


def test_log_in_and_out(page, live_server, factory):
    factory.user(email="budi@example.id", name="Pak Budi Santoso")
    log_in(page, live_server, "budi@example.id")
    header = page.locator("header.site-header")
    assert "Pak Budi Santoso" in header.text_content()
    header.locator("summary").click()  # the phone menu
    # the click starts a navigation: wait for its page, not the one already loaded
    with page.expect_navigation():
        header.locator("form[action='/auth/logout'] button").click()
    assert header.locator("a[href='/auth/login']").count() == 1
    assert "Pak Budi Santoso" not in header.text_content()


def test_create_a_community(page, live_server, factory):
    factory.user(email="ketua@example.id", name="Bu Ketua")
    log_in(page, live_server, "ketua@example.id")
    page.goto(live_server("/c/new"))
    page.fill("#name", "KKG Gugus 3 Kecamatan Tamalate")
    page.select_option("#kind", "KKG")
    page.select_option("#level", "SD")
    page.fill("#province", "Sulawesi Selatan")
    page.fill("#city", "Kota Makassar")
    page.fill("#description", "Pertemuan rutin setiap Sabtu kedua.")
    page.check("input[name=visibility][value=public]")
    page.click("main form[action='/c/new'] button[type=submit]")
    page.wait_for_url(live_server("/c/kkg-gugus-3-kecamatan-tamalate"))
    assert "KKG Gugus 3 Kecamatan Tamalate" in page.locator("main h1").inner_text()
    with live_server.app.app_context():
        community = db.session.scalar(
            select(Community).where(Community.slug == "kkg-gugus-3-kecamatan-tamalate")
        )
        coordinator = db.session.scalar(
            select(Membership).where(Membership.community_id == community.id)
        )
        assert coordinator.role == "coordinator"


def test_find_a_kkg_by_region_and_join_it(page, live_server, factory):
    factory.community(
        name="KKG Gugus 3 Tamalate", kind="KKG", province="Sulawesi Selatan", city="Kota Makassar"
    )
    factory.community(
        name="KKG Gugus 1 Oebobo", kind="KKG", province="Nusa Tenggara Timur", city="Kota Kupang"
    )
    factory.community(name="MGMP IPA Makassar", kind="MGMP", level="SMP", city="Kota Makassar")
    teacher = factory.user(email="rina@example.id")
    log_in(page, live_server, "rina@example.id")

    page.goto(live_server("/c/"))
    page.select_option("form.filters select[name=kind]", "KKG")
    page.fill("form.filters input[name=region]", "Makassar")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(lambda url: "region=Makassar" in url)
    cards = page.locator(".community-card h3")
    assert cards.all_inner_texts() == ["KKG Gugus 3 Tamalate"]

    page.click(".community-card a")
    page.click("main form[action$='/join'] button[type=submit]")
    page.wait_for_load_state()
    with live_server.app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == teacher.id))
        assert (membership.status, membership.role) == ("active", "member")


def test_coordinator_approves_a_request_and_promotes_a_moderator(new_page, live_server, factory):
    coordinator = factory.user(email="koordinator@example.id", name="Bu Koordinator")
    community = factory.community(
        coordinator, name="MGMP Bahasa Inggris SMA Jayapura", kind="MGMP", visibility="private"
    )
    teacher = factory.user(email="yohana@example.id", name="Yohana Wenda")

    teacher_page = new_page("teacher")
    log_in(teacher_page, live_server, "yohana@example.id")
    teacher_page.goto(live_server(f"/c/{community.slug}"))
    teacher_page.click("main form[action$='/join'] button[type=submit]")
    teacher_page.wait_for_load_state()

    coordinator_page = new_page("coordinator")
    log_in(coordinator_page, live_server, "koordinator@example.id")
    coordinator_page.goto(live_server(f"/c/{community.slug}/members"))
    approve = (
        f"form[action='/c/{community.slug}/members/{teacher.id}'] button[name=status][value=active]"
    )
    coordinator_page.click(approve)
    coordinator_page.wait_for_load_state()

    role_form = coordinator_page.locator(
        f"form[action='/c/{community.slug}/members/{teacher.id}']:has(select[name=role])"
    )
    role_form.locator("select[name=role]").select_option("moderator")
    role_form.locator("button[type=submit]:not([name])").click()
    coordinator_page.wait_for_load_state()

    with live_server.app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == teacher.id))
        assert (membership.status, membership.role) == ("active", "moderator")
    teacher_page.goto(live_server(f"/c/{community.slug}/members"))
    assert "Yohana Wenda" in teacher_page.locator("main").inner_text()
