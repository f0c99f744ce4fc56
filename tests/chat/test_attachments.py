"""Chat photos and files: real files through the upload API, Pillow on both sides,
access through the chat policy, retries without duplicates, sending over a real socket."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from cop.chat import services as chat_services
from cop.chat.models import Attachment, Message
from cop.extensions import db
from tests.api import API, auth_headers, check_response, error_code
from tests.chat import general_channel, token_for
from tests.resources.test_upload import multipart

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def room(app, factory):
    owner = factory.user(name="Bu Sari", locale="en")
    community = factory.community(owner, visibility="private")
    other = factory.user(name="Pak Budi", locale="en")
    factory.member(community, other)
    outsider = factory.user(name="Orang Luar")
    channel = general_channel(app, community)
    return {
        "owner": owner,
        "other": other,
        "outsider": outsider,
        "community": community,
        "channel": channel,
    }


def phone_photo(size=(3000, 2000)) -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS position and a rotation."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # taken sideways: show rotated 90 degrees
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (5.0, 8.0, 30.0)  # Makassar
    gps[3] = "E"
    gps[4] = (119.0, 25.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


def upload(client, user, channel, data: bytes, name: str, client_id=None):
    return multipart(
        client,
        f"{API}/channels/{channel.id}/attachments",
        {"file": (io.BytesIO(data), name), "client_id": client_id or uuid.uuid4().hex},
        auth_headers(client, user),
    )


def page_get(app, user, path):
    browser = app.test_client()
    from tests.conftest import Auth

    Auth(browser).login(user.email)
    response = browser.get(path)
    response.get_data()
    response.close()  # send_file's stream
    return response


def test_a_photo_is_upright_resized_without_exif_and_has_a_thumbnail(app, client, room):
    response = upload(client, room["owner"], room["channel"], phone_photo(), "IMG_2031.JPG")
    assert response.status_code == 201
    body = check_response(client, "POST", f"/channels/{room['channel'].id}/attachments", response)
    assert body["kind"] == "image" and body["content_type"] == "image/jpeg"
    assert (body["width"], body["height"]) == (1067, 1600)  # turned upright, then shrunk
    assert body["filename"] == "IMG_2031.jpg"

    full = page_get(app, room["owner"], body["url"])
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(full.data))
    assert stored.size == (1067, 1600)
    exif = stored.getexif()
    assert GPS_IFD not in exif and ORIENTATION not in exif and 0x010F not in exif
    assert b"PhoneMaker" not in full.data

    thumb = page_get(app, room["owner"], body["thumb_url"])
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 320


def test_a_retried_upload_is_one_row(app, client, room):
    photo = phone_photo((800, 600))
    first = upload(client, room["owner"], room["channel"], photo, "a.jpg", client_id="up-1")
    again = upload(client, room["owner"], room["channel"], photo, "a.jpg", client_id="up-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 1


def test_a_file_goes_through_the_library_checks(app, client, room):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = upload(client, room["owner"], room["channel"], pdf, "Modul Ajar.pdf")
    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "file" and body["thumb_url"] is None
    assert body["content_type"] == "application/pdf" and body["size"] == len(pdf)
    download = page_get(app, room["owner"], body["url"])
    assert download.data == pdf
    assert "attachment" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"just some text, not a picture", "foto.jpg", "file_type_mismatch"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "rusak.jpg", "bad_image"),  # JPEG head, no picture
        (b"MZ\x90\x00 a program", "setup.exe", "file_type_not_allowed"),
        (b"", "kosong.png", "empty_file"),
    ],
)
def test_what_is_not_a_photo_or_allowed_file_is_a_readable_400(client, room, data, name, code):
    response = upload(client, room["owner"], room["channel"], data, name)
    assert response.status_code == 400
    assert error_code(response) == code or response.get_json()["error"]["code"] == code


def test_a_decompression_bomb_is_refused_before_decoding(client, room):
    bomb = io.BytesIO()
    Image.new("1", (9000, 6000)).save(bomb, "PNG")  # 54 megapixels in a few kB
    assert len(bomb.getvalue()) < 100_000
    response = upload(client, room["owner"], room["channel"], bomb.getvalue(), "bom.png")
    assert response.status_code == 400
    assert error_code(response) == "image_too_big"


def test_too_large_is_413(app, client, room):
    app.config["MAX_UPLOAD_MB"] = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = upload(client, room["owner"], room["channel"], big, "besar.pdf")
    assert response.status_code == 413


def test_no_file_and_non_members(app, client, room, factory):
    channel = room["channel"]
    response = client.post(
        f"{API}/channels/{channel.id}/attachments",
        data={"client_id": "x"},
        headers=auth_headers(client, room["owner"]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    outsider = upload(client, room["outsider"], channel, phone_photo((10, 10)), "a.jpg")
    assert outsider.status_code == 404


def test_access_follows_the_chat_policy(app, client, room):
    body = upload(
        client, room["owner"], room["channel"], phone_photo((400, 300)), "a.jpg"
    ).get_json()
    # not sent yet: only the uploader sees it
    assert page_get(app, room["other"], body["url"]).status_code == 404
    with app.app_context():
        owner = db.session.merge(room["owner"])
        channel = db.session.merge(room["channel"])
        message, _ = chat_services.send_message(owner, channel, "", "m-1", None, body["id"])
        assert message.body == ""
    assert page_get(app, room["other"], body["url"]).status_code == 200
    assert page_get(app, room["outsider"], body["url"]).status_code == 404
    assert page_get(app, room["outsider"], body["thumb_url"]).status_code == 404
    # and the channel page shows the thumbnail inline, linked to the full size
    html = page_get(app, room["other"], f"/chat/{room['channel'].id}").get_data(as_text=True)
    assert f'<a class="chat-photo" href="{body["url"]}"><img src="{body["thumb_url"]}"' in html
    # sending it twice is refused
    with app.app_context():
        owner = db.session.merge(room["owner"])
        channel = db.session.merge(room["channel"])
        with pytest.raises(chat_services.ValidationError):
            chat_services.send_message(owner, channel, "lagi", "m-2", None, body["id"])


def test_a_photo_arrives_over_the_socket_with_its_thumbnail(
    app, client, room, live_server, clients
):
    channel_id = room["channel"].id
    body = upload(
        client, room["owner"], room["channel"], phone_photo((640, 480)), "a.jpg"
    ).get_json()
    a = clients().connect(live_server.url, token=token_for(app, room["owner"]))
    b = clients().connect(live_server.url, token=token_for(app, room["other"]))
    assert a.join(channel_id)["ok"] and b.join(channel_id)["ok"]
    payload = {
        "channel_id": channel_id,
        "body": "",
        "client_id": "ph-1",
        "attachment_id": body["id"],
    }
    ack = a.call("message:send", payload)
    assert ack["ok"], ack
    got = b.wait_for("message:new", where=lambda m: m["client_id"] == "ph-1")
    assert got["attachments"] == [body]
    # a resend after a lost ack: the same message, one row
    assert a.call("message:send", payload)["message"]["id"] == ack["message"]["id"]
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Message.id)).where(Message.client_id == "ph-1"))
            == 1
        )
    # someone else's upload cannot be sent
    other_upload = upload(client, room["other"], room["channel"], phone_photo((64, 64)), "b.jpg")
    refused = a.call(
        "message:send",
        {
            "channel_id": channel_id,
            "body": "x",
            "client_id": "ph-2",
            "attachment_id": other_upload.get_json()["id"],
        },
    )
    assert refused["ok"] is False and refused["error"]["code"] == "bad_attachment"
