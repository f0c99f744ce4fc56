"""The certificates' signature and stamp images: uploaded by coordinators through the
chat photos' checks, printed in the signature block (pdfimages finds them), replaced and
removed; anything but a picture, or too big, is a 4xx that says why."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import CommunitySeal
from tests.conftest import csrf_token
from tests.meetings.test_certificates import needs_pdftotext, pdf_text
from tests.meetings.test_certificates import world as world  # the same meeting and roll
from tests.resources.test_upload import multipart

needs_pdfimages = pytest.mark.skipif(
    shutil.which("pdfimages") is None, reason="poppler-utils (pdfimages) is not installed"
)


def pdf_images(data: bytes, tmp_path: Path) -> list[tuple[int, int]]:
    """(width, height) of every image drawn in the PDF, as ``pdfimages -list`` reads it."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout
    sizes = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if cols and cols[2] == "image":  # not the smask (alpha) lines
            sizes.append((int(cols[3]), int(cols[4])))
    return sizes


def picture(size=(600, 200), fmt="PNG", color=(20, 40, 160)) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def send(client, slug, kind, data: bytes, name: str):
    return multipart(
        client,
        f"/c/{slug}/signature/{kind}",
        {"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
    )


@needs_pdftotext
@needs_pdfimages
def test_the_signature_and_stamp_are_printed_with_the_signers_name(
    app, client, auth, world, tmp_path
):
    slug = world["community"].slug
    auth.login(world["coordinator"].email)
    before = pdf_images(
        client.get(f"/meetings/{world['meeting'].id}/certificates.pdf").data, tmp_path
    )
    assert send(client, slug, "signature", picture((600, 200)), "ttd.png").status_code == 303
    assert (
        send(client, slug, "stamp", picture((300, 300), "JPEG"), "stempel.jpg").status_code == 303
    )
    response = client.get(f"/meetings/{world['meeting'].id}/certificates.pdf")
    after = pdf_images(response.data, tmp_path)
    # two certificates: each page gains the signature and the stamp beside its QR code
    assert len(after) == len(before) + 4
    assert after.count((600, 200)) == 2 and after.count((300, 300)) == 2
    assert "Ibu Ketua, S.Pd." in pdf_text(response.data)
    # the laporan's signature block carries them too
    report = client.get(f"/meetings/{world['meeting'].id}/report.pdf")
    assert (600, 200) in pdf_images(report.data, tmp_path)


def test_the_page_shows_the_image_and_a_new_upload_replaces_it(app, client, auth, world):
    slug = world["community"].slug
    auth.login(world["coordinator"].email)
    send(client, slug, "signature", picture((600, 200)), "ttd.png")
    with app.app_context():
        first = db.session.query(CommunitySeal).one().storage_key
    send(client, slug, "signature", picture((500, 150)), "ttd-baru.png")
    with app.app_context():
        seal = db.session.query(CommunitySeal).one()
        assert seal.storage_key != first and (seal.width, seal.height) == (500, 150)
        root = Path(app.config["UPLOAD_DIR"] or Path(app.instance_path) / "uploads")
        assert not (root / first).exists()  # the old file went with the replacement
    page = client.get(f"/c/{slug}/signature")
    assert page.status_code == 200 and f"/c/{slug}/signature/signature/image" in page.text
    image = client.get(f"/c/{slug}/signature/signature/image")
    assert image.mimetype == "image/png"
    assert Image.open(io.BytesIO(image.data)).size == (500, 150)


@needs_pdfimages
def test_removing_leaves_space_to_sign_by_hand(app, client, auth, world, tmp_path):
    slug = world["community"].slug
    auth.login(world["coordinator"].email)
    send(client, slug, "signature", picture((600, 200)), "ttd.png")
    response = client.post(
        f"/c/{slug}/signature/signature/remove", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(CommunitySeal).count() == 0
    pdf = client.get(f"/meetings/{world['meeting'].id}/certificates.pdf").data
    assert (600, 200) not in pdf_images(pdf, tmp_path)
    assert client.get(f"/c/{slug}/signature/signature/image").status_code == 404


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (b"%PDF-1.4 not a picture", "ttd.pdf", 400, "This photo cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 200, "ttd.png", 400, "This photo cannot be read"),
        (b"hello", "ttd.exe", 400, ""),
    ],
)
def test_what_is_not_a_picture_is_refused_with_the_reason(
    app, client, auth, world, data, name, status, message
):
    auth.login(world["coordinator"].email)
    response = send(client, world["community"].slug, "signature", data, name)
    assert response.status_code == status
    assert 'role="alert"' in response.text and message in response.text
    with app.app_context():
        assert db.session.query(CommunitySeal).count() == 0


def test_a_decompression_bomb_and_a_too_large_file_are_refused(app, client, auth, world):
    auth.login(world["coordinator"].email)
    bomb = io.BytesIO()
    Image.new("1", (9000, 6000)).save(bomb, "PNG")
    response = send(client, world["community"].slug, "stamp", bomb.getvalue(), "stempel.png")
    assert response.status_code == 400 and "too many pixels" in response.text
    app.config["MAX_UPLOAD_MB"] = 1
    big = picture((10, 10)) + b"\0" * (1024 * 1024 + 10)
    response = send(client, world["community"].slug, "stamp", big, "stempel.png")
    assert response.status_code == 413 and "larger than 1 MB" in response.text


def test_the_page_speaks_indonesian_by_default(app, client, auth, factory, world):
    with app.app_context():
        user = db.session.merge(world["coordinator"])
        user.locale = "id"
        db.session.commit()
    auth.login(world["coordinator"].email)
    response = send(client, world["community"].slug, "signature", b"%PDF-1.4 x", "ttd.pdf")
    assert response.status_code == 400 and "Foto ini tidak bisa dibaca" in response.text


@pytest.mark.parametrize("who", ["present", "admin"])
def test_only_the_coordinators_may_set_it(app, client, auth, factory, world, who):
    user = factory.user(admin=True, locale="en") if who == "admin" else world["present"]
    auth.login(user.email)
    slug = world["community"].slug
    assert client.get(f"/c/{slug}/signature").status_code == 403
    assert send(client, slug, "signature", picture(), "ttd.png").status_code == 403
    with app.app_context():
        assert db.session.query(CommunitySeal).count() == 0
        assert services.seals_of(db.session.merge(world["community"])) == {}
