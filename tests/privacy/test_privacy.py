"""Personal data: the export holds exactly the member's rows and files; deletion leaves no
personal field anywhere in the database while the communities' figures stay true."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import String, Text, select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings.models import Attendance
from cop.privacy import services
from cop.privacy.models import AccountDeletion, DataExport
from tests.conftest import csrf_token

EN = {"Accept-Language": "en"}
#: values planted in the member's personal fields, looked for everywhere afterwards
PLANTED = {
    "name": "Rina Unikwati",
    "email": "rina.unikwati@sekolah.id",
    "school": "SD Negeri Unik 77",
    "bio": "Guru kelas yang unikwati",
}


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Bu Ketua")
    community = factory.community(coordinator, name="KKG Gugus Unik")
    rina = factory.user(
        name=PLANTED["name"], email=PLANTED["email"], school=PLANTED["school"], bio=PLANTED["bio"]
    )
    other = factory.user(name="Pak Lain")
    for user in (rina, other):
        factory.member(community, user)
    topic = factory.topic(community, rina, title="Asesmen kelas 4", body="Pertanyaan Rina")
    factory.post(topic, other, "Jawaban Pak Lain")
    factory.post(topic, rina, "Terima kasih dari Rina")
    resource = factory.resource(community, rina, content=b"%PDF-1.4 modul rina")
    meeting = factory.meeting(community, coordinator, starts_in=timedelta(days=-3))
    for user in (rina, other):
        factory.attendance(meeting, user)
    return {
        "community": community,
        "rina": rina,
        "other": other,
        "topic": topic,
        "meeting": meeting,
        "resource": resource,
    }


def _login(app, user):
    from tests.conftest import Auth

    client = app.test_client()
    Auth(client).login(user.email)
    return client


def test_the_export_holds_exactly_the_members_rows_and_files(app, world):
    client = _login(app, world["rina"])
    assert (
        client.post("/privacy/export", data={"csrf_token": csrf_token(client)}).status_code == 302
    )
    client.post("/privacy/export", data={"csrf_token": csrf_token(client)})  # twice: one ZIP
    with app.app_context():
        exports = db.session.scalars(select(DataExport)).all()
        assert len(exports) == 1 and exports[0].state == "ready"
        token = services.download_token(exports[0])
    response = client.get(f"/privacy/exports/{token}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()
    data = json.loads(archive.read("data.json"))
    rina, other = world["rina"].id, world["other"].id
    assert [p["email"] for p in data["profile"]] == [PLANTED["email"]]
    assert "password_hash" not in data["profile"][0]
    assert all("key_hash" not in row for row in data.get("login_sessions", []))
    assert sorted(p["body"] for p in data["posts"]) == ["Pertanyaan Rina", "Terima kasih dari Rina"]
    assert all(p["author_id"] == rina for p in data["posts"])
    assert [a["user_id"] for a in data["meeting_attendance"]] == [rina]
    assert [m["user_id"] for m in data["memberships"]] == [rina]
    assert "Jawaban Pak Lain" not in archive.read("data.json").decode()
    # nobody else's row anywhere: every owner column names Rina
    for table, column in services.owned_tables():
        for row in data.get(table.name, []):
            assert row[column.name] in (rina, None), (table.name, row)
    assert other not in {r.get("user_id") for rows in data.values() for r in rows}
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 1 and archive.read(files[0]) == b"%PDF-1.4 modul rina"


def test_an_export_link_is_its_owners_only_and_tampering_is_refused(app, world):
    with app.app_context():
        services.request_export(db.session.merge(world["rina"]))
        export = db.session.scalar(select(DataExport))
        token = services.download_token(export)
    assert _login(app, world["other"]).get(f"/privacy/exports/{token}").status_code == 403
    owner = _login(app, world["rina"])
    assert owner.get(f"/privacy/exports/{token[:-2]}xx").status_code == 404
    with app.app_context():
        db.session.get(DataExport, export.id).expires_at -= timedelta(days=8)
        db.session.commit()
    expired = owner.get(f"/privacy/exports/{token}")
    assert expired.status_code == 404 and "kedaluwarsa" in expired.get_data(as_text=True)


def _all_text(app) -> str:
    """Every text value in every table of the database, joined."""
    parts = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                parts.extend(str(v) for v in row if v)
            if table.name == "notifications" or table.name == "audit_log":
                for row in db.session.execute(select(table)):
                    parts.extend(str(v) for v in row if v)
    return "\n".join(parts)


@pytest.mark.parametrize("keep_content", [True, False])
def test_a_deleted_account_leaves_no_personal_field_and_the_figures_stay(app, world, keep_content):
    from cop.notifications.services import notify

    with app.app_context():
        # another member's notification names her
        notify(db.session.merge(world["other"]), "reply", f"{PLANTED['name']} replied", "/")
        before = db.session.query(Attendance).filter_by(meeting_id=world["meeting"].id).count()
    assert PLANTED["name"] in _all_text(app)
    client = _login(app, world["rina"])
    response = client.post(
        "/privacy/delete",
        data={
            "csrf_token": csrf_token(client),
            "password": "pelangi-senja-42",
            "keep_content": "1" if keep_content else "0",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        pending = db.session.get(AccountDeletion, world["rina"].id)
        assert pending is not None and pending.due_at > pending.requested_at + timedelta(days=13)
        assert services.erase_due() == 0  # the grace period has not ended
        assert services.erase_due(pending.due_at + timedelta(minutes=1)) == 1
    text = _all_text(app)
    for field, value in PLANTED.items():
        assert value not in text, f"{field} survived"
    with app.app_context():
        user = db.session.get(User, world["rina"].id)
        assert user.name == "Mantan anggota" and not user.active
        after = db.session.query(Attendance).filter_by(meeting_id=world["meeting"].id).count()
        from cop.discussions.models import Post

        bodies = set(db.session.scalars(select(Post.body).where(Post.author_id == user.id)))
    assert after == before == 2  # the meeting's attendance figure is unchanged
    if keep_content:
        assert bodies == {"Pertanyaan Rina", "Terima kasih dari Rina"}
    else:
        assert bodies == {""}
    assert "Jawaban Pak Lain" in text  # the others' replies stay in the thread
    # the old session no longer works
    assert client.get("/privacy/my-data").status_code == 302


def test_deletion_needs_the_password_can_be_undone_and_stops_the_last_coordinator(
    app, world, factory
):
    client = _login(app, world["rina"])
    wrong = client.post(
        "/privacy/delete", data={"csrf_token": csrf_token(client), "password": "salah"}
    )
    assert wrong.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(AccountDeletion, world["rina"].id) is None
    client.post(
        "/privacy/delete", data={"csrf_token": csrf_token(client), "password": "pelangi-senja-42"}
    )
    client.post("/privacy/delete/cancel", data={"csrf_token": csrf_token(client)})
    with app.app_context():
        assert db.session.get(AccountDeletion, world["rina"].id) is None
    # the community's only coordinator must hand over first
    with app.app_context():
        from cop.core.errors import Conflict

        coordinator = db.session.get(User, world["community"].created_by_id)
        with pytest.raises(Conflict) as refused:
            services.request_deletion(
                coordinator, coordinator, password="pelangi-senja-42", keep_content=True
            )
        assert refused.value.code == "last_coordinator"
        assert db.session.get(AccountDeletion, coordinator.id) is None


def test_expired_exports_are_removed_from_disk_by_the_daily_job(app, world):
    from pathlib import Path

    with app.app_context():
        services.request_export(db.session.merge(world["rina"]))
        export = db.session.scalar(select(DataExport))
        path = Path(app.config["EXPORT_DIR"]) / export.filename
        assert path.exists()
        assert services.remove_expired_exports() == 0
        assert services.remove_expired_exports(export.expires_at + timedelta(seconds=1)) == 1
        assert not path.exists()
        assert db.session.get(DataExport, export.id).state == "expired"


def test_the_api_exports_and_asks_for_deletion(app, client, world):
    from tests.api import API, auth_headers

    headers = auth_headers(client, world["rina"])
    response = client.post(f"{API}/me/export", headers=headers)
    assert response.status_code == 202
    body = response.get_json()
    assert body["state"] == "ready" and body["download_url"].startswith("/privacy/exports/")
    assert client.post(f"{API}/me/export", headers=headers).get_json()["id"] == body["id"]
    wrong = client.delete(f"{API}/me", json={"password": "salah"}, headers=headers)
    assert wrong.status_code == 400 and "password" in wrong.get_json()["error"]["fields"]
    done = client.delete(
        f"{API}/me", json={"password": "pelangi-senja-42", "keep_content": False}, headers=headers
    )
    assert done.status_code == 202 and done.get_json()["keep_content"] is False


def test_registration_records_the_policy_version_the_member_accepted(app, client, factory):
    from cop.admin import services as admin_services
    from cop.privacy import policy
    from cop.privacy.models import PrivacyAcceptance

    body = {"email": "baru1@sekolah.id", "password": "hujan-di-bulan-juni", "name": "Bu Baru"}
    assert client.post("/api/v1/users", json=body).status_code == 202
    admin = factory.user(admin=True)
    with app.app_context():
        admin_services.save_settings(
            db.session.merge(admin), {"privacy_policy_id": "Kebijakan kami: ..."}
        )
    assert (
        client.post("/api/v1/users", json={**body, "email": "baru2@sekolah.id"}).status_code == 202
    )
    with app.app_context():
        rows = db.session.execute(
            select(User.email, PrivacyAcceptance.version)
            .join(PrivacyAcceptance, PrivacyAcceptance.user_id == User.id)
            .order_by(PrivacyAcceptance.id)
        ).all()
        assert rows[0] == ("baru1@sekolah.id", policy.BUILTIN_POLICY)
        assert rows[1][0] == "baru2@sekolah.id" and rows[1][1].startswith("site-")
        assert rows[1][1] == policy.policy_version("id")


def test_the_registration_page_needs_the_privacy_box_ticked(app, client):
    from cop.privacy import policy
    from cop.privacy.models import PrivacyAcceptance

    form = {
        "csrf_token": csrf_token(client),
        "name": "Bu Baru",
        "email": "baru@sekolah.id",
        "password": "hujan-di-bulan-juni",
        "confirm": "hujan-di-bulan-juni",
        "timezone": "Asia/Makassar",
        "locale": "id",
    }
    refused = client.post("/auth/register", data=form)
    assert refused.status_code == 400
    assert "Centang kotak ini untuk menyetujui kebijakan privasi." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "baru@sekolah.id")) is None
    assert client.post("/auth/register", data={**form, "accept_privacy": "y"}).status_code == 302
    with app.app_context():
        version = db.session.scalar(
            select(PrivacyAcceptance.version)
            .join(User, User.id == PrivacyAcceptance.user_id)
            .where(User.email == "baru@sekolah.id")
        )
    assert version == policy.BUILTIN_POLICY


def test_a_site_admin_asks_for_a_deletion_on_a_members_request(app, world, factory):
    from cop.admin.models import AuditLog

    admin = factory.user(admin=True)
    console = _login(app, admin)
    response = console.post(
        f"/admin/users/{world['rina'].id}/delete",
        data={"csrf_token": csrf_token(console), "keep_content": "0"},
    )
    assert response.status_code == 302
    with app.app_context():
        pending = db.session.get(AccountDeletion, world["rina"].id)
        assert pending is not None and pending.requested_by_id == admin.id
        assert pending.keep_content is False
        entry = db.session.scalar(
            select(AuditLog).where(AuditLog.action == "account.delete_requested")
        )
        assert entry.actor_id == admin.id and entry.target_id == world["rina"].id


@pytest.mark.parametrize("keep", [True, False])
def test_a_deleted_members_certificate_stays_verifiable_without_the_name_or_is_revoked(
    app, world, keep
):
    from cop.meetings.models import Certificate
    from cop.meetings.services import certificates

    with app.app_context():
        meeting = db.session.merge(world["meeting"])
        issued = certificates.issue_certificates(meeting)
        number = next(c.number for c in issued if c.user_id == world["rina"].id)
        pending = services.request_deletion(
            db.session.merge(world["rina"]),
            db.session.merge(world["rina"]),
            password="pelangi-senja-42",
            keep_content=True,
            keep_certificates=keep,
        )
        assert services.erase_due(pending.due_at + timedelta(minutes=1)) == 1
        again = certificates.issue_certificates(db.session.merge(world["meeting"]))
        assert len(again) == len(issued) == 2  # none issued anew to the tombstone
        row = db.session.scalar(select(Certificate).where(Certificate.number == number))
        assert row.user_id is None and row.name == ""
    assert PLANTED["name"] not in _all_text(app)

    visitor = app.test_client()  # logged out, as whoever scans the QR code
    page = visitor.get(f"/certificates/{number}", headers=EN).get_data(as_text=True)
    api = visitor.get(f"/api/v1/certificates/{number}?name=rina  UNIKWATI").get_json()
    assert api["name"] is None
    if keep:
        assert "valid" in page and "anonymous record" in page
        assert api["status"] == "valid" and api["name_matches"] is True
        checked = visitor.get(f"/certificates/{number}?name=Rina+Unikwati", headers=EN)
        assert "This certificate was issued to that name." in checked.get_data(as_text=True)
        wrong = visitor.get(f"/certificates/{number}?name=Pak+Lain", headers=EN)
        assert "This certificate was not issued to that name." in wrong.get_data(as_text=True)
    else:
        assert "The holder deleted their account and did not keep it." in page
        assert api["status"] == "revoked" and api["name_matches"] is False
        assert api["revoke_reason"] == "Pemegangnya menghapus akunnya dan tidak menyimpannya."
