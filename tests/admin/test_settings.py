"""Site settings: the console validates, stores all or nothing, audits each change, and the
app follows the values (default language and zone, the upload cap)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cop.admin.models import AuditLog, SiteSetting
from cop.core import site
from cop.extensions import db
from tests.conftest import csrf_token

EN = {"Accept-Language": "en"}


@pytest.fixture
def admin_client(client, auth, factory):
    admin = factory.user(admin=True, locale="en")
    auth.login(admin.email)
    return client, admin


def _save(client, **values):
    data = {"csrf_token": csrf_token(client), "shown": list(values)}
    data.update({k: v for k, v in values.items() if v is not None})
    return client.post("/admin/settings", data=data)


def test_the_console_lists_every_setting_and_finds_one(admin_client):
    client, _admin = admin_client
    page = client.get("/admin/settings").get_data(as_text=True)
    for key, setting in site.SETTINGS.items():
        if setting.kind == "image":  # its own upload form (tests/admin/test_logo.py)
            assert f'id="setting-{key}-heading"' in page
        else:
            assert f'name="{key}"' in page
    found = client.get("/admin/settings?q=domain").get_data(as_text=True)
    assert 'name="allowed_email_domains"' in found and 'name="site_name"' not in found
    assert "No setting matches" in client.get("/admin/settings?q=zzzz").get_data(as_text=True)


def test_a_save_stores_the_changes_and_audits_each(app, admin_client):
    client, admin = admin_client
    response = _save(
        client,
        registration="invite",
        allowed_email_domains="Belajar.ID\n@guru.sulsel.belajar.id, belajar.id",
        community_approval="1",
        upload_max_mb="5",
        site_name="cop Sulawesi Selatan",
    )
    assert response.status_code == 302
    with app.app_context():
        assert site.get("registration") == "invite"
        assert site.get("allowed_email_domains") == ["belajar.id", "guru.sulsel.belajar.id"]
        assert site.get("community_approval") is True
        assert site.get("upload_max_mb") == 5
        audited = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "site.setting").order_by(AuditLog.id)
        ).all()
    assert {e.data["key"] for e in audited} == {
        "registration",
        "allowed_email_domains",
        "community_approval",
        "upload_max_mb",
        "site_name",
    }
    assert all(e.actor_id == admin.id for e in audited)
    reg = next(e for e in audited if e.data["key"] == "registration")
    assert (reg.data["old"], reg.data["new"]) == ("open", "invite")
    # saving the same values again changes nothing and logs nothing
    _save(client, registration="invite", site_name="cop Sulawesi Selatan")
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="site.setting").count() == 5


def test_a_search_narrowed_form_leaves_the_other_settings_alone(app, admin_client):
    client, _admin = admin_client
    _save(client, community_approval="1")
    _save(client, site_name="cop Kupang")  # the box is not on this form: it stays ticked
    with app.app_context():
        assert site.get("community_approval") is True
    _save(client, community_approval=None)  # shown and unticked: off
    with app.app_context():
        assert site.get("community_approval") is False


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("upload_max_mb", "-1", "A whole number from 1 to 20"),
        ("upload_max_mb", "999", "A whole number from 1 to 20"),
        ("upload_max_mb", "lima", "A whole number from 1 to 20"),
        ("allowed_email_domains", "belajar.id\nnot a domain!", "is not an email domain"),
        ("allowed_email_domains", "x" * 2100, "At most 2000 characters"),
        ("registration", "everyone", "Choose one of the options"),
        ("default_timezone", "Europe/Paris", "Choose one of the options"),
        ("site_name", "   ", "This field is required"),
    ],
)
def test_an_invalid_value_is_a_readable_400_and_nothing_is_saved(
    app, admin_client, key, value, message
):
    client, _admin = admin_client
    other = "site_name" if key == "registration" else "registration"
    response = _save(client, **{other: "closed" if other == "registration" else "cop", key: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SiteSetting.key)) is None  # not even "registration"


def test_the_message_is_in_the_admins_language(client, auth, factory):
    admin = factory.user(admin=True, locale="id")
    auth.login(admin.email)
    response = _save(client, upload_max_mb="0")
    assert response.status_code == 400
    assert "Bilangan bulat dari 1 sampai 20" in response.get_data(as_text=True)


def test_visitors_get_the_default_language_and_zone(app, client, admin_client):
    admin_side, _admin = admin_client
    _save(admin_side, default_locale="en", default_timezone="Asia/Makassar")
    visitor = app.test_client()
    page = visitor.get("/auth/login").get_data(as_text=True)  # no Accept-Language
    assert '<html lang="en"' in page
    with app.test_request_context("/"):
        from flask_babel import get_timezone

        assert str(get_timezone()) == "Asia/Makassar"


def test_the_upload_cap_follows_the_setting(app, admin_client, factory):
    """The server allows 20 MB; the admin lowers it to 1 MB: a 2 MB file is refused."""
    from tests.resources.test_upload import multipart

    client, admin = admin_client
    _save(client, upload_max_mb="1")
    community = factory.community(admin)
    data = {
        "csrf_token": csrf_token(client),
        "title": "Modul besar",
        "kind": "lkpd",
        "license": "cc-by",
        "file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)), "modul.pdf"),
    }
    response = multipart(client, f"/c/{community.slug}/resources/new", data, headers=EN)
    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)


def test_the_audit_log_filters_exports_and_keeps_the_address(app, admin_client, factory):
    from datetime import timedelta

    from cop.admin import services
    from cop.core.types import utcnow

    client, admin = admin_client
    _save(client, site_name="cop Gowa")
    other = factory.community(factory.user(), name="KKG Lain")
    page = client.get("/admin/audit?action=site.", headers=EN).get_data(as_text=True)
    assert "site.setting" in page and "community.create" not in page
    assert "127.0.0.1" in page  # the test client's address
    by_actor = client.get(f"/admin/audit?actor={admin.email}").get_data(as_text=True)
    assert "site.setting" in by_actor and "community.create" not in by_actor
    in_other = client.get(f"/admin/audit?community={other.slug}").get_data(as_text=True)
    assert "community.create" in in_other and "site.setting" not in in_other
    bad = client.get("/admin/audit?since=2026-13-45", headers=EN)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    csv_text = client.get("/admin/audit.csv?action=site.").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("created_at,actor,action")
    assert len(lines) == 2 and "site.setting" in lines[1] and admin.username in lines[1]
    # the daily job drops what is older than COP_AUDIT_KEEP_DAYS
    with app.app_context():
        assert services.prune_audit_log(utcnow() + timedelta(days=729)) == 0
        assert services.prune_audit_log(utcnow() + timedelta(days=731)) == 2


def test_admin_rights_move_but_never_leave_the_last_admin(app, admin_client, factory):
    from cop.admin import services
    from cop.auth.models import User
    from cop.core.errors import Conflict

    client, admin = admin_client
    teacher = factory.user(name="Bu Calon Admin")
    response = client.post(
        f"/admin/users/{teacher.id}/admin", data={"csrf_token": csrf_token(client), "admin": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, teacher.id).is_admin
        services.set_admin(db.session.merge(admin), db.session.get(User, teacher.id), False)
        with pytest.raises(Conflict) as refused:
            services.set_admin(db.session.merge(admin), db.session.get(User, admin.id), False)
        assert refused.value.code == "last_admin"
        assert db.session.get(User, admin.id).is_admin
        actions = db.session.scalars(select(AuditLog.action)).all()
    assert "user.admin_granted" in actions and "user.admin_revoked" in actions
    admins = client.get("/admin/users?show=admins").get_data(as_text=True)
    assert admin.email in admins and teacher.email not in admins


def test_log_out_everywhere_ends_the_sessions_and_revokes_the_tokens(app, admin_client, factory):
    from cop.auth import services as auth_services
    from cop.auth.models import ApiToken, User
    from tests.conftest import Auth

    client, _admin = admin_client
    teacher = factory.user()
    with app.app_context():
        _token, raw = auth_services.create_token(db.session.get(User, teacher.id), "ponsel")
    browser = app.test_client()
    Auth(browser).login(teacher.email)
    assert browser.get("/auth/profile").status_code == 200
    client.post(f"/admin/users/{teacher.id}/revoke", data={"csrf_token": csrf_token(client)})
    assert browser.get("/auth/profile").status_code == 302  # sent to log in
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at)) is not None


@pytest.mark.parametrize(
    ("settings", "email", "invite", "status", "message"),
    [
        ({"registration": "closed"}, "baru@sekolah.id", False, 403, "Registration is closed"),
        ({"registration": "invite"}, "baru@sekolah.id", False, 403, "invite link"),
        ({"registration": "invite"}, "baru@sekolah.id", True, 202, None),
        ({"allowed_email_domains": "belajar.id"}, "baru@gmail.com", False, 400, "belajar.id"),
        ({"allowed_email_domains": "belajar.id"}, "baru@guru.belajar.id", False, 202, None),
    ],
)
def test_registration_follows_the_site_settings(
    app, client, factory, settings, email, invite, status, message
):
    from cop.admin import services
    from cop.auth.models import User

    admin = factory.user(admin=True)
    community = factory.community(admin)
    with app.app_context():
        services.save_settings(db.session.merge(admin), settings)
    body = {"email": email, "password": "hujan-di-bulan-juni", "name": "Bu Baru"}
    if invite:
        body["invite"] = community.invite_token
    response = client.post("/api/v1/users", json=body, headers=EN)
    assert response.status_code == status, response.get_json()
    with app.app_context():
        created = db.session.scalar(select(User.id).where(User.email == email))
    assert (created is not None) is (status == 202)
    if message:
        assert message in response.get_json()["error"]["message"]


def test_the_register_page_passes_the_invite_link_on(app, client, factory):
    from cop.admin import services
    from cop.auth.models import User

    admin = factory.user(admin=True)
    community = factory.community(admin)
    with app.app_context():
        services.save_settings(db.session.merge(admin), {"registration": "invite"})
    page = client.get(f"/auth/register?next=/c/invite/{community.invite_token}")
    data = {
        "csrf_token": csrf_token(client),
        "email": "undangan@sekolah.id",
        "password": "hujan-di-bulan-juni",
        "confirm": "hujan-di-bulan-juni",
        "name": "Bu Undangan",
        "timezone": "Asia/Makassar",
        "locale": "id",
        "accept_privacy": "y",
        "next": f"/c/invite/{community.invite_token}",
    }
    assert page.status_code == 200
    assert client.post("/auth/register", data=data).status_code == 302
    refused = client.post("/auth/register", data={**data, "email": "lain@sekolah.id", "next": ""})
    assert refused.status_code == 403
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
    assert "undangan@sekolah.id" in emails and "lain@sekolah.id" not in emails


def test_an_admin_finds_and_confirms_an_unconfirmed_address(app, admin_client, client):
    from cop.auth.models import User

    console, _admin = admin_client
    other = app.test_client()
    body = {"email": "belum@sekolah.id", "password": "hujan-di-bulan-juni", "name": "Bu Belum"}
    assert other.post("/api/v1/users", json=body).status_code == 202
    listing = console.get("/admin/users?show=unconfirmed").get_data(as_text=True)
    assert "belum@sekolah.id" in listing
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.email == "belum@sekolah.id"))
    console.post(f"/admin/users/{uid}/confirm", data={"csrf_token": csrf_token(console)})
    with app.app_context():
        assert db.session.get(User, uid).email_confirmed_at is not None
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.target_id == uid)) == (
            "user.email_confirmed"
        )
    listing = console.get("/admin/users?show=unconfirmed").get_data(as_text=True)
    assert "<td>belum@sekolah.id</td>" not in listing
