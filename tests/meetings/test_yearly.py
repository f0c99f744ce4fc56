"""The yearly summary of participation as a real PDF (read back with pdftotext): the
meetings attended in the year with their hours and certificate numbers, the totals and
the hours per community, in the teacher's language."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Certificate, Meeting
from tests.meetings.test_certificates import needs_pdftotext, pdf_text


@pytest.fixture
def teacher(app, factory):
    teacher = factory.user(name="Bu Rina Wulandari", school="SDN 7 Makassar", locale="en")
    coordinator = factory.user(name="Pak Ketua")
    kkg = factory.community(coordinator, name="KKG Gugus 3 Tamalate", kind="KKG")
    mgmp = factory.community(coordinator, name="MGMP Matematika Makassar", kind="MGMP")
    for community in (kkg, mgmp):
        factory.member(community, teacher)
    attended = [
        factory.meeting(
            kkg, coordinator, title="Asesmen diagnostik", starts_in=timedelta(days=-3), pkb_hours=4
        ),
        factory.meeting(
            kkg, coordinator, title="Modul ajar pecahan", starts_in=timedelta(days=-2), pkb_hours=3
        ),
        factory.meeting(
            mgmp, coordinator, title="Lesson study", starts_in=timedelta(days=-1), pkb_hours=2
        ),
    ]
    for meeting in attended:
        factory.attendance(meeting, teacher)
    # a meeting the teacher missed counts for nothing
    factory.meeting(kkg, coordinator, title="Rapat yang terlewat", starts_in=timedelta(days=-4))
    year = attended[0].starts_at.astimezone(ZoneInfo(teacher.timezone)).year
    return {"teacher": teacher, "meetings": attended, "year": year}


@needs_pdftotext
def test_the_pdf_names_the_teacher_the_meetings_hours_and_communities(app, client, auth, teacher):
    auth.login(teacher["teacher"].email)
    response = client.get(f"/me/participation/{teacher['year']}/certificate")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for needle in (
        "Summary of participation",
        "Bu Rina Wulandari",
        "SDN 7 Makassar",
        "3 meetings attended",
        "9 JP (405 minutes)",
        "Asesmen diagnostik",
        "Modul ajar pecahan",
        "Lesson study",
        "KKG Gugus 3 Tamalate",
        "MGMP Matematika Makassar",
    ):
        assert needle in text, needle
    assert "Rapat yang terlewat" not in text
    with app.app_context():
        numbers = db.session.scalars(
            db.select(Certificate.number).where(Certificate.user_id == teacher["teacher"].id)
        ).all()
    assert len(numbers) == 3  # numbered on the way, one per meeting attended
    for number in numbers:
        assert number in text


@needs_pdftotext
def test_a_revoked_certificate_is_not_renumbered(app, client, auth, teacher, factory):
    meeting = teacher["meetings"][0]
    with app.app_context():
        m = db.session.get(Meeting, meeting.id)
        certificate = next(
            c for c in services.issue_certificates(m) if c.user_id == teacher["teacher"].id
        )
        coordinator = db.session.get(type(teacher["teacher"]), m.created_by_id)
        services.revoke(coordinator, certificate, "Salah nama")
        revoked = certificate.number
    auth.login(teacher["teacher"].email)
    text = pdf_text(client.get(f"/me/participation/{teacher['year']}/certificate").data)
    assert revoked not in text and "Asesmen diagnostik" in text
    with app.app_context():
        count = db.session.scalar(
            db.select(db.func.count(Certificate.id)).where(
                Certificate.user_id == teacher["teacher"].id, Certificate.meeting_id == meeting.id
            )
        )
    assert count == 1


@needs_pdftotext
def test_it_speaks_indonesian_and_an_empty_year_says_so(app, client, auth, factory):
    teacher = factory.user(name="Pak Baru", locale="id")
    auth.login(teacher.email)
    text = pdf_text(client.get("/me/participation/2021/certificate").data)
    assert "Pak Baru" in text and "Rekap keikutsertaan 2021" in text and "Total jam PKB" in text
    assert "0 JP" in text
