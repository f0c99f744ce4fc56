"""Meeting photos (dokumentasi): coordinators add a few (resized, EXIF stripped, at most
limits.PHOTOS_MAX), whoever sees the meeting sees them, and the laporan prints them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import MeetingPhoto
from tests.api import API, auth_headers, check_response, error_code
from tests.chat.test_attachments import GPS_IFD, phone_photo
from tests.conftest import csrf_token
from tests.meetings.test_certificates import needs_pdftotext, pdf_text
from tests.meetings.test_certificates import world as world  # the same meeting and roll
from tests.meetings.test_seals import needs_pdfimages, pdf_images, picture
from tests.resources.test_upload import multipart


def api_upload(client, user, meeting_id, data: bytes, name: str, caption="", headers=None):
    return multipart(
        client,
        f"{API}/meetings/{meeting_id}/photos",
        {"file": (io.BytesIO(data), name), "caption": caption},
        headers if headers is not None else auth_headers(client, user),
    )


def test_a_photo_is_upright_resized_and_without_exif(app, client, world):
    meeting_id = world["meeting"].id
    response = api_upload(client, world["coordinator"], meeting_id, phone_photo(), "IMG_1.JPG")
    assert response.status_code == 201
    body = check_response(client, "POST", f"/meetings/{meeting_id}/photos", response)
    assert (body["width"], body["height"]) == (1067, 1600)  # turned upright, 1600 at most
    stored = client.get(body["url"], headers=auth_headers(client, world["present"]))
    image = Image.open(io.BytesIO(stored.data))
    assert image.size == (1067, 1600)
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif  # no location, no camera
    thumb = client.get(body["thumb_url"], headers=auth_headers(client, world["present"]))
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 320


def test_members_list_them_and_the_meeting_page_shows_them(app, client, auth, world):
    meeting_id = world["meeting"].id
    api_upload(client, world["coordinator"], meeting_id, picture((800, 600)), "a.png", "Diskusi")
    listed = client.get(
        f"{API}/meetings/{meeting_id}/photos", headers=auth_headers(client, world["present"])
    )
    body = check_response(client, "GET", f"/meetings/{meeting_id}/photos", listed)
    assert [p["caption"] for p in body["items"]] == ["Diskusi"]
    auth.login(world["present"].email)
    page = client.get(f"/meetings/{meeting_id}")
    assert body["items"][0]["thumb_url"].replace("&", "&amp;") in page.text
    assert "Diskusi" in page.text


def test_a_member_may_not_add_or_delete(app, client, world):
    meeting_id = world["meeting"].id
    response = api_upload(client, world["present"], meeting_id, picture(), "a.png")
    assert response.status_code == 403 and error_code(response) == "forbidden"
    api_upload(client, world["coordinator"], meeting_id, picture(), "a.png")
    with app.app_context():
        photo_id = db.session.query(MeetingPhoto).one().id
    response = client.delete(
        f"{API}/meetings/{meeting_id}/photos/{photo_id}",
        headers=auth_headers(client, world["present"]),
    )
    assert response.status_code == 403


def test_an_outsider_sees_nothing(app, client, factory, world):
    meeting_id = world["meeting"].id
    api_upload(client, world["coordinator"], meeting_id, picture(), "a.png")
    with app.app_context():
        photo_id = db.session.query(MeetingPhoto).one().id
    world["community"]  # private in the route matrix; here make it private too
    with app.app_context():
        from cop.communities.models import Community

        community = db.session.get(Community, world["community"].id)
        community.visibility = "private"
        db.session.commit()
    outsider = factory.user(locale="en")
    headers = auth_headers(client, outsider)
    assert client.get(f"{API}/meetings/{meeting_id}/photos", headers=headers).status_code == 404
    assert client.get(f"/meetings/{meeting_id}/photos/{photo_id}").status_code == 404


def test_at_most_six_then_a_clear_409(app, client, world):
    meeting_id = world["meeting"].id
    for i in range(limits.PHOTOS_MAX):
        response = api_upload(
            client, world["coordinator"], meeting_id, picture((40 + i, 30)), "a.png"
        )
        assert response.status_code == 201
    response = api_upload(client, world["coordinator"], meeting_id, picture(), "b.png")
    assert response.status_code == 409 and error_code(response) == "too_many_photos"
    assert "at most 6 photos" in response.get_json()["error"]["message"]


def test_a_file_that_is_not_a_picture_is_a_400(app, client, world):
    response = api_upload(
        client, world["coordinator"], world["meeting"].id, b"%PDF-1.4 x", "notulen.pdf"
    )
    assert response.status_code == 400 and error_code(response) == "bad_image"


def test_the_coordinator_adds_and_deletes_on_the_photo_page(app, client, auth, world):
    meeting_id = world["meeting"].id
    auth.login(world["coordinator"].email)
    response = multipart(
        client,
        f"/meetings/{meeting_id}/photos",
        {"file": (io.BytesIO(picture()), "a.png"), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 303
    with app.app_context():
        photo_id = db.session.query(MeetingPhoto).one().id
    bad = multipart(
        client,
        f"/meetings/{meeting_id}/photos",
        {"file": (io.BytesIO(b"not a picture"), "a.png"), "csrf_token": csrf_token(client)},
    )
    assert bad.status_code == 400 and "content does not match its .png name" in bad.text
    response = client.post(
        f"/meetings/{meeting_id}/photos/{photo_id}/delete", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(MeetingPhoto).count() == 0


@needs_pdftotext
@needs_pdfimages
def test_the_report_prints_the_photos_under_dokumentasi(app, client, auth, world, tmp_path):
    meeting_id = world["meeting"].id
    for size in ((800, 600), (640, 480)):
        r = api_upload(
            client, world["coordinator"], meeting_id, picture(size, "JPEG"), "a.jpg", "Sesi"
        )
        assert r.status_code == 201
    auth.login(world["coordinator"].email)
    report = client.get(f"/meetings/{meeting_id}/report.pdf").data
    images = pdf_images(report, tmp_path)
    assert (800, 600) in images and (640, 480) in images
    text = pdf_text(report)
    assert "5. Documentation (dokumentasi)" in text and "Sesi" in text


@pytest.mark.parametrize("count", [0])
def test_without_photos_the_report_says_so(app, client, auth, world, count):
    auth.login(world["coordinator"].email)
    text = pdf_text(client.get(f"/meetings/{world['meeting'].id}/report.pdf").data)
    assert "No photos were added to the meeting." in text
