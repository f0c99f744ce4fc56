"""Certificates: numbered once the meeting has ended for everyone present and every guest,
real PDFs (read back with pdftotext), verification logged out, revocation with a reason,
and the laporan kegiatan."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest

from cop.communities.models import Community
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Certificate, Meeting
from tests.api import API, check_response
from tests.conftest import csrf_token
from tests.meetings import make_meeting

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as poppler reads it."""
    assert data.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


@pytest.fixture
def world(app, factory):
    coordinator = factory.user(name="Ibu Ketua, S.Pd.", locale="en", timezone="Asia/Makassar")
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate", kind="KKG")
    present = factory.user(name="Pak Hadir", school="SDN 1 Tamalate", locale="en")
    sick = factory.user(name="Bu Sakit", locale="en")
    for member in (present, sick):
        factory.member(community, member)
    meeting = make_meeting(
        app,
        community,
        coordinator,
        starts_in=timedelta(hours=-5),
        hours=3,
        agenda=["Asesmen diagnostik", "Berbagi praktik baik"],
        timezone="Asia/Makassar",
        location="SD Inpres Tamalate, Makassar",
    )
    with app.app_context():
        actor = db.session.merge(coordinator)
        m = db.session.get(Meeting, meeting.id)
        services.set_status(actor, m, present.id, "present")
        services.set_status(actor, m, sick.id, "sick")
        services.add_guest(
            actor, m, services.GuestData(name="Drs. Pengawas", role="Pengawas", nip="1" * 18)
        )
    return {
        "coordinator": coordinator,
        "community": community,
        "present": present,
        "sick": sick,
        "meeting": meeting,
    }


def _issue(app, meeting_id):
    with app.app_context():
        return [
            (c.name, c.number, c.hours)
            for c in services.issue_certificates(db.session.get(Meeting, meeting_id))
        ]


@pytest.mark.parametrize(
    ("name", "kind", "code"),
    [
        ("KKG Gugus 3 Tamalate", "KKG", "KKG-G3T"),
        ("MGMP Matematika SMP Kota Makassar", "MGMP", "MGMP-MSKM"),
        ("Komunitas Belajar", "OTHER", "KOM-KB"),
    ],
)
def test_issuer_code(name, kind, code):
    assert services.issuer_code(Community(name=name, kind=kind)) == code


def test_numbers_follow_the_government_style(app, world):
    issued = _issue(app, world["meeting"].id)
    year = world["meeting"].starts_at.year
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
    with app.app_context():
        m = db.session.get(Meeting, world["meeting"].id)
        from zoneinfo import ZoneInfo

        local = m.starts_at.astimezone(ZoneInfo(m.timezone))
        month, year = roman[local.month - 1], local.year
    assert issued == [
        ("Pak Hadir", f"0001/KKG-G3T/{month}/{year}", 4),
        ("Drs. Pengawas", f"0002/KKG-G3T/{month}/{year}", 4),
    ]


def test_issuing_again_changes_nothing_and_the_next_meeting_continues(app, world):
    first = _issue(app, world["meeting"].id)
    assert _issue(app, world["meeting"].id) == first
    later = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(hours=-4)
    )
    with app.app_context():
        services.set_status(
            db.session.merge(world["coordinator"]),
            db.session.get(Meeting, later.id),
            world["sick"].id,
            "present",
        )
    assert _issue(app, later.id)[0][1].startswith("0003/")


def test_nothing_is_issued_before_the_meeting_ends(app, world):
    running = make_meeting(
        app, world["community"], world["coordinator"], starts_in=timedelta(minutes=-30)
    )
    with app.app_context():
        services.set_status(
            db.session.merge(world["coordinator"]),
            db.session.get(Meeting, running.id),
            world["present"].id,
            "present",
        )
    assert _issue(app, running.id) == []


@needs_pdftotext
def test_the_certificates_pdf_names_numbers_hours_and_agenda(app, client, auth, world):
    auth.login(world["coordinator"].email)
    response = client.get(f"/meetings/{world['meeting'].id}/certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for needle in (
        "CERTIFICATE",
        "Pak Hadir",
        "Drs. Pengawas",
        "0001/KKG-G3T/",
        "0002/KKG-G3T/",
        "4 JP (180 minutes)",
        "Asesmen diagnostik",
        "Ibu Ketua, S.Pd.",
        "/certificates/0001/KKG-G3T/",
    ):
        assert needle in text, needle
    assert "Bu Sakit" not in text
    assert text.count("\f") >= 2  # a page each


def test_the_zip_holds_one_pdf_per_certificate(app, client, auth, world):
    auth.login(world["coordinator"].email)
    response = client.get(f"/meetings/{world['meeting'].id}/certificates.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert all(archive.read(n).startswith(b"%PDF") for n in names)


@needs_pdftotext
def test_the_report_has_the_roll_with_a_signature_column_and_the_minutes(app, client, auth, world):
    auth.login(world["coordinator"].email)
    with app.app_context():
        services.save_minutes(
            db.session.merge(world["coordinator"]),
            db.session.get(Meeting, world["meeting"].id),
            "## Hasil\n\nModul ajar pecahan disepakati.",
            publish=True,
        )
    response = client.get(f"/meetings/{world['meeting'].id}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    for needle in (
        "ACTIVITY REPORT",
        "Attendance list",
        "Signature",
        "Pak Hadir",
        "SDN 1 Tamalate",
        "Bu Sakit",
        "Sick",
        "Drs. Pengawas",
        "111111111111111111",
        "Modul ajar pecahan disepakati.",
        "Asesmen diagnostik",
    ):
        assert needle in text, needle


def test_verification_works_logged_out(app, client, world):
    number = _issue(app, world["meeting"].id)[0][1]
    page = client.get(f"/certificates/{number}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pak Hadir" in html and ">valid<" in html
    assert ">sah<" in client.get(f"/certificates/{number}").get_data(as_text=True)
    assert client.get("/certificates/9999/KKG-G3T/XII/2026").status_code == 404


def test_a_revoked_certificate_says_why(app, client, auth, world):
    _issue(app, world["meeting"].id)
    with app.app_context():
        certificate = db.session.query(Certificate).filter_by(name="Pak Hadir").one()
        cid, number = certificate.id, certificate.number
    auth.login(world["coordinator"].email)
    url = f"/meetings/{world['meeting'].id}/certificates/{cid}/revoke"
    client.post(url, data={"csrf_token": csrf_token(client), "confirm": "1", "reason": " "})
    with app.app_context():
        assert db.session.get(Certificate, cid).revoked_at is None  # no reason: nothing
    client.post(
        url,
        data={"csrf_token": csrf_token(client), "confirm": "1", "reason": "Salah orang"},
    )
    auth.logout()
    html = client.get(f"/certificates/{number}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "was revoked" in html and "Salah orang" in html
    body = client.get(f"{API}/certificates/{number}").get_json()
    assert body["status"] == "revoked" and body["revoke_reason"] == "Salah orang"


def test_the_api_verifies_a_number_logged_out(app, client, world):
    number = _issue(app, world["meeting"].id)[0][1]
    path = f"/certificates/{number}"
    body = check_response(client, "GET", "/certificates/n", client.get(f"{API}{path}"))
    assert (body["number"], body["name"], body["hours"], body["status"]) == (
        number,
        "Pak Hadir",
        4,
        "valid",
    )
    missing = client.get(f"{API}/certificates/0099/KKG-G3T/I/2020")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_an_attendee_gets_their_own_pdf_only_after_the_end(app, client, auth, world, factory):
    auth.login(world["present"].email)
    assert client.get(f"/meetings/{world['meeting'].id}/certificate.pdf").status_code == 200
    html = client.get(f"/meetings/{world['meeting'].id}/certificate").get_data(as_text=True)
    assert "0001/KKG-G3T/" in html
    auth.logout()
    auth.login(world["sick"].email)
    assert client.get(f"/meetings/{world['meeting'].id}/certificate.pdf").status_code == 404


def test_the_attendance_list_gives_certificate_numbers(app, client, world):
    from tests.api import auth_headers

    headers = auth_headers(client, world["coordinator"])
    path = f"/meetings/{world['meeting'].id}/attendance"
    items = check_response(client, "GET", path, client.get(f"{API}{path}", headers=headers))
    numbers = {i["name"]: i["certificate_number"] for i in items["items"]}
    assert numbers["Pak Hadir"].startswith("0001/") and numbers["Bu Sakit"] is None
    assert numbers["Drs. Pengawas"].startswith("0002/")
