"""Browser, phone size, in Indonesian: a coordinator's month-end. Upload the signature on
the signature page and a photo on the meeting's photo page (real file choosers), remind a
member gone quiet from the dashboard with one tap; the laporan then prints the photo and
the signature. Screenshots (and the laporan's first pages as PNG, by pdftoppm) are kept in
test-artifacts/ and, with COP_SHOTS_DIR set, copied there."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from cop.communities.models import Membership
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting
from cop.notifications.models import Notification
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser


def _shot(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def _keep(path: Path) -> None:
    target = os.environ.get("COP_SHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def _signature_png(path: Path) -> Path:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(30, 150), (120, 40), (200, 160), (300, 50), (420, 150), (560, 70)],
        fill=(20, 40, 160, 255),
        width=9,
    )
    image.save(path, "PNG")
    return path


def _photo_jpg(path: Path) -> Path:
    image = Image.new("RGB", (1200, 900), (210, 180, 120))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.ellipse([80 + i * 180, 300, 220 + i * 180, 440], fill=(60, 90, 140))  # teachers
        draw.rectangle([60 + i * 180, 440, 240 + i * 180, 800], fill=(90, 120, 60))
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def month(app, factory):
    coordinator = factory.user(
        name="Ibu Rahmawati, S.Pd.", email="ketua@gugus3.id", locale="id", timezone="Asia/Makassar"
    )
    community = factory.community(coordinator, name="KKG Gugus 3 Tamalate", kind="KKG")
    present = factory.user(name="Pak Hadir", school="SDN 1 Tamalate")
    quiet = factory.user(name="Bu Sepi Lestari", school="SDN 4 Tamalate")
    for member in (present, quiet):
        factory.member(community, member)
    meeting = factory.meeting(
        community,
        coordinator,
        title="Asesmen diagnostik kelas rendah",
        starts_in=timedelta(hours=-5),
        agenda=["Asesmen diagnostik"],
    )
    with app.app_context():
        row = db.session.scalar(select(Membership).where(Membership.user_id == quiet.id))
        row.joined_at = utcnow() - timedelta(days=200)
        db.session.commit()
        services.set_status(
            db.session.merge(coordinator),
            db.session.get(Meeting, meeting.id),
            present.id,
            "present",
        )
    return {"coordinator": coordinator, "community": community, "quiet": quiet, "meeting": meeting}


def test_signature_photo_and_a_reminder_on_a_phone(page, live_server, app, month, tmp_path):
    slug, meeting_id = month["community"].slug, month["meeting"].id
    log_in(page, live_server, "ketua@gugus3.id")

    page.goto(live_server(f"/c/{slug}/signature"))
    page.set_input_files("#file-signature", str(_signature_png(tmp_path / "ttd.png")))
    page.click("form[action$='/signature/signature'] button[type=submit]")
    page.wait_for_url(lambda url: url.endswith(f"/c/{slug}/signature"))
    assert page.locator("img.seal-preview").count() == 1
    page.screenshot(path=str(_shot("month2-signature.png")), full_page=True)
    _keep(_shot("month2-signature.png"))

    page.goto(live_server(f"/meetings/{meeting_id}/photos"))
    page.set_input_files("#photo-file", str(_photo_jpg(tmp_path / "IMG_0001.jpg")))
    page.fill("#photo-caption", "Diskusi kelompok asesmen diagnostik")
    page.click("form[action$='/photos'] button[type=submit]")
    page.wait_for_selector(".meeting-photos img")
    page.goto(live_server(f"/meetings/{meeting_id}"))
    assert page.locator("#photos .meeting-photos img").count() == 1

    page.goto(live_server(f"/c/{slug}/dashboard"))
    row = page.locator(".quiet-list li", has_text="Bu Sepi Lestari")
    button = row.get_by_role("button", name="Ingatkan")
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(_shot("month2-dashboard-remind.png")), full_page=True)
    _keep(_shot("month2-dashboard-remind.png"))
    button.click()
    page.wait_for_selector("text=Pengingat dikirim ke 1 anggota.")
    assert (
        page.locator(".quiet-list li", has_text="Bu Sepi Lestari")
        .locator("text=diingatkan")
        .count()
        == 1
    )
    page.screenshot(path=str(_shot("month2-dashboard-reminded.png")), full_page=True)
    _keep(_shot("month2-dashboard-reminded.png"))
    with app.app_context():
        notes = db.session.scalars(
            select(Notification).where(
                Notification.user_id == month["quiet"].id, Notification.kind == "quiet_reminder"
            )
        ).all()
    assert len(notes) == 1 and "merindukan Anda" in notes[0].title

    # The laporan, fetched with the browser's own session, printed to PNG by pdftoppm.
    response = page.request.get(live_server(f"/meetings/{meeting_id}/report.pdf"))
    assert response.ok and response.body().startswith(b"%PDF")
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(response.body())
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "laporan")], check=True
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dokumentasi" in text and "Diskusi kelompok asesmen diagnostik" in text
    pages = sorted(tmp_path.glob("laporan-*.png"))
    assert len(pages) >= 3
    for index, png in enumerate(pages, start=1):
        with Image.open(png) as image:
            assert image.width > 300
        target = _shot(f"month2-laporan-page{index}.png")
        shutil.copy(png, target)
        _keep(target)

    # A certificate of the meeting carries the signature above the coordinator's name.
    response = page.request.get(live_server(f"/meetings/{meeting_id}/certificates.pdf"))
    certificate = tmp_path / "sertifikat.pdf"
    certificate.write_bytes(response.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(certificate),
            str(tmp_path / "sertifikat"),
        ],
        check=True,
    )
    [png] = sorted(tmp_path.glob("sertifikat-*.png"))
    shutil.copy(png, _shot("month2-certificate.png"))
    _keep(_shot("month2-certificate.png"))
