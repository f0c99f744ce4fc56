"""Browser, phone size (360 px, id-ID, Asia/Makassar): the coordinator's month.

Pak Andi schedules a monthly series with its agenda from the form, takes the roll of
today's session for 20 members with one tap each (posted by the page's script) and
records 2 guests, publishes the notulen, and once the session is over downloads the
laporan and the certificates PDF; pdftotext reads the names, numbers, hours and
agenda back, and a certificate's QR URL verifies in a browser that is not logged in.
Screenshots of the sheet, the dashboard and a certificate page (pdftoppm) are kept in
test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import Attendance, Guest, Meeting
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return done.stdout.decode()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_the_coordinators_month_on_a_phone(new_page, live_server, factory, app):
    app.config["BASE_URL"] = live_server.url  # the certificates' QR links point at this server
    andi = factory.user(name="Andi Pratama, S.Pd.", email="andi@example.id")
    community = factory.community(andi, name="KKG Gugus 3 Tamalate")
    members = [factory.user(name=f"Guru Kelas {n:02d}") for n in range(20)]
    for member in members:
        factory.member(community, member)
    today = factory.meeting(
        community,
        andi,
        title="Pertemuan rutin Desember",
        starts_in=timedelta(minutes=-90),
        hours=2,
        agenda=["Asesmen diagnostik", "Berbagi praktik baik"],
    )
    page = new_page("andi", viewport=PHONE)
    log_in(page, live_server, andi.email)

    # 1. a monthly series with its agenda, from the form
    page.goto(live_server(f"/c/{community.slug}/meetings/new"))
    page.fill("#title", "KKG bulanan Gugus 3")
    day = (utcnow() + timedelta(days=45)).date()
    page.fill("#date", day.isoformat())
    page.fill("#location", "SD Inpres Tamalate")
    page.fill("#pkb_hours", "4")
    page.select_option("#repeat", "monthly_nth")
    page.fill("#count", "3")
    page.fill("#agenda-0-title", "Refleksi pembelajaran")
    page.fill("#agenda-0-duration_min", "60")
    page.fill("#agenda-1-title", "Penyusunan modul ajar")
    page.click("main form button[type=submit][data-once]")
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    with app.app_context():
        series = db.session.query(Meeting).filter_by(title="KKG bulanan Gugus 3").all()
        assert len(series) == 3
        assert all([a.title for a in m.agenda][:1] == ["Refleksi pembelajaran"] for m in series)

    # 2. the roll: one tap each, saved by the script without a page load
    page.goto(live_server(f"/meetings/{today.id}/attendance"))
    _no_sideways_scroll(page)
    for n, member in enumerate(members):
        status = "excused" if n == 18 else "sick" if n == 19 else "present"
        page.click(f"#member-{member.id} button[value={status}]")
    page.wait_for_function(
        "() => document.getElementById('roll-state').textContent === 'Tersimpan'"
    )
    with app.app_context():
        statuses = [a.status for a in db.session.query(Attendance).filter_by(meeting_id=today.id)]
        assert sorted(statuses).count("present") == 18 and len(statuses) == 20
    for name, role in (("Drs. H. Syamsul, M.Pd.", "Pengawas sekolah"), ("Ibu Sari", "Guru tamu")):
        page.fill("#name", name)
        page.fill("#role", role)
        page.click("form[action$='/guests'] button[type=submit]")
        page.wait_for_url(re.compile(r"/attendance#guests$"))
    with app.app_context():
        assert db.session.query(Guest).filter_by(meeting_id=today.id).count() == 2
    page.reload()
    _no_sideways_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "month-attendance-sheet.png"), full_page=True)

    # 3. the notulen, published
    page.goto(live_server(f"/meetings/{today.id}/minutes"))
    page.fill(
        "textarea[name=body]", "## Hasil\n\nAsesmen diagnostik dibahas; modul ajar disepakati."
    )
    page.check("input[name=publish]")
    page.click("main form button[type=submit][data-once]")
    page.wait_for_load_state()

    # 4. the session is over: the laporan and the certificates
    with app.app_context():
        row = db.session.get(Meeting, today.id)
        row.ends_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    report = page.request.get(live_server(f"/meetings/{today.id}/report.pdf"))
    text = _pdf_text(report.body())
    for needle in (
        "LAPORAN KEGIATAN",
        "Daftar hadir",
        "Tanda tangan",
        "Guru Kelas 00",
        "Drs. H. Syamsul, M.Pd.",
        "modul ajar disepakati",
        "Asesmen diagnostik",
    ):
        assert needle in text, needle
    certificates = page.request.get(live_server(f"/meetings/{today.id}/certificates.pdf"))
    text = _pdf_text(certificates.body())
    numbers = re.findall(r"\d{4}/KKG-G3T/[IVX]+/\d{4}", text)
    assert len(set(numbers)) == 20  # 18 present members and 2 guests
    assert "Guru Kelas 00" in text and "Ibu Sari" in text and "Guru Kelas 19" not in text
    assert "4 JP (180 menit)" in text and "Asesmen diagnostik" in text
    pdf_path = ARTIFACTS / "month-certificates.pdf"
    pdf_path.write_bytes(certificates.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-scale-to",
                "1123",
                str(pdf_path),
                str(ARTIFACTS / "month-certificate-page"),
            ],
            check=True,
        )

    # 5. the QR code's URL verifies logged out
    url = re.search(r"http://127\.0\.0\.1:\d+/certificates/\S+", text)
    assert url is not None
    stranger = new_page("stranger", viewport=PHONE)
    stranger.goto(url.group(0))
    assert "sah" in stranger.locator("main").inner_text()
    assert (
        "Guru Kelas" in stranger.locator("main").inner_text()
        or "Ibu" in stranger.locator("main").inner_text()
    )

    # 6. the dashboard
    page.goto(live_server(f"/c/{community.slug}/dashboard"))
    _no_sideways_scroll(page)
    assert page.locator("svg rect").count() > 0
    page.screenshot(path=str(ARTIFACTS / "month-dashboard.png"), full_page=True)
