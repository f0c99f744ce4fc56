"""The site's logo: a site admin uploads it in the console, every page's header shows it
(cached for a year under a name that changes with it), each change is audited."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from cop.admin.models import AuditLog
from cop.core import site
from cop.extensions import db
from tests.conftest import csrf_token


@pytest.fixture
def admin_client(client, auth, factory):
    admin = factory.user(admin=True)  # Indonesian
    auth.login(admin.email)
    return client, admin


def _picture(size=(1200, 900), fmt="JPEG") -> io.BytesIO:
    data = io.BytesIO()
    image = Image.new("RGB", size, (15, 118, 110))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Sekolah"  # Make
    image.save(data, fmt, exif=exif.tobytes())
    data.seek(0)
    return data


def _upload(client, data, name="logo-gugus.jpg"):
    return client.post(
        "/admin/settings/logo",
        data={"csrf_token": csrf_token(client), "file": (data, name)},
        content_type="multipart/form-data",
    )


def _header_logo(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<a class="brand"[^>]*>\s*<img src="([^"]+)"', page).group(1)


def test_an_uploaded_logo_is_in_every_header_small_without_metadata(app, admin_client):
    client, admin = admin_client
    assert "logo.svg" in _header_logo(client)
    assert _upload(client, _picture()).status_code == 303
    url = _header_logo(client)
    assert url.startswith("/site/logo/") and url.endswith(".jpg")
    visitor = app.test_client()  # logged out: the header is everyone's
    assert _header_logo(visitor) == url
    served = visitor.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    stored = Image.open(io.BytesIO(served.data))
    served.close()
    assert max(stored.size) <= 320 and not stored.getexif()
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "site.setting"))
        assert entry.actor_id == admin.id and entry.data["key"] == "logo"


def test_a_new_logo_replaces_the_old_one_and_removing_brings_back_cops_mark(app, admin_client):
    client, _admin = admin_client
    _upload(client, _picture())
    first = _header_logo(client)
    _upload(client, _picture((300, 300), "PNG"), "baru.png")
    second = _header_logo(client)
    assert second != first and second.endswith(".png")
    old = client.get(first)
    assert old.status_code == 404  # the old file is gone with its name
    client.post("/admin/settings/logo/remove", data={"csrf_token": csrf_token(client)})
    assert "logo.svg" in _header_logo(client)
    assert client.get(second).status_code == 404
    with app.app_context():
        assert site.get("logo") == ""
        changes = db.session.scalars(
            select(AuditLog.data).where(AuditLog.action == "site.setting")
        ).all()
    assert [bool(c["new"]) for c in changes] == [True, True, False]


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(app, admin_client):
    client, _admin = admin_client
    refused = _upload(client, io.BytesIO(b"%PDF-1.4 bukan gambar"), "logo.pdf")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "logo.svg" in _header_logo(client)
    empty = client.post("/admin/settings/logo", data={"csrf_token": csrf_token(client)})
    assert empty.status_code == 400 and "Pilih gambar yang akan diunggah." in empty.get_data(
        as_text=True
    )
    # the settings' text form cannot point the logo at a stored file
    typed = client.post(
        "/admin/settings",
        data={"csrf_token": csrf_token(client), "shown": ["logo"], "logo": "ab/abcdef.png"},
    )
    assert typed.status_code == 400
    with app.app_context():
        assert site.get("logo") == ""
    assert app.test_client().get("/site/logo/abcdef.png").status_code == 404
