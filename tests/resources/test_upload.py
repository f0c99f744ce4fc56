"""Sharing through the API and the upload form; bad input leaves no file and no row."""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder

from cop.extensions import db
from cop.resources.models import Resource
from tests.api import API, auth_headers, check_response, error_code
from tests.conftest import csrf_token
from tests.resources import DOCX, HTML, PDF, PNG, resource_count, stored_files

MB = 1024 * 1024


@pytest.fixture
def world(factory):
    """A private MGMP with a coordinator and a member (the uploader)."""
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, visibility="private", name="MGMP IPA Gowa")
    member = factory.user(name="Pak Anwar", locale="en")
    factory.member(community, member)
    return {"community": community, "coordinator": coordinator, "member": member}


def multipart(client, url, data, headers=None):
    """POST multipart form data, closing the request body afterwards.

    The test client keeps a large body in a temporary file and does not
    always close it; the suite turns that ResourceWarning into an error.
    """
    builder = EnvironBuilder(
        path=url, method="POST", data=data, headers=headers, content_type="multipart/form-data"
    )
    environ = builder.get_environ()
    try:
        response = client.open(environ)
        response.get_data()
        response.close()
        return response
    finally:
        environ["wsgi.input"].close()
        builder.close()


def post_file(client, world, content, filename="lkpd.pdf", **fields):
    data = {"title": "LKPD Pecahan Senilai", "kind": "lkpd", **fields}
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    headers = auth_headers(client, world["member"])
    return multipart(
        client, f"{API}/communities/{world['community'].slug}/resources", data, headers
    )


def test_share_a_pdf(app, client, world):
    response = post_file(client, world, PDF, tags="pecahan, kelas 4", level="SD", phase="B")
    assert response.status_code == 201
    body = check_response(client, "POST", "/communities/x/resources", response)
    assert body["file"]["filename"] == "lkpd.pdf"
    assert body["file"]["content_type"] == "application/pdf"
    assert body["file"]["size"] == len(PDF)
    assert (body["tags"], body["level"], body["phase"]) == (["pecahan", "kelas-4"], "SD", "B")
    assert body["download_url"] == f"/api/v1/resources/{body['id']}/download"
    assert len(stored_files(app)) == 1


def test_share_a_link_with_json(client, world):
    response = client.post(
        f"{API}/communities/{world['community'].slug}/resources",
        json={"title": "Video pecahan", "kind": "media", "url": "https://youtu.be/abc"},
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 201
    body = check_response(client, "POST", "/communities/x/resources", response)
    assert (body["url"], body["file"]) == ("https://youtu.be/abc", None)


@pytest.mark.parametrize(
    ("content", "filename", "fields", "status", "code"),
    [
        pytest.param(b"%PDF-" + b"x" * (MB + 10), "big.pdf", {}, 413, "too_large", id="over-cap"),
        pytest.param(
            b"%PDF-" + b"x" * (3 * MB), "huge.pdf", {}, 413, "too_large", id="over-request-cap"
        ),
        pytest.param(HTML, "lkpd.pdf", {}, 400, "file_type_mismatch", id="html-renamed-pdf"),
        pytest.param(PNG, "foto.jpg", {}, 400, "file_type_mismatch", id="png-renamed-jpg"),
        pytest.param(PDF, "lkpd.docx", {}, 400, "file_type_mismatch", id="pdf-renamed-docx"),
        pytest.param(b"", "empty.pdf", {}, 400, "empty_file", id="empty"),
        pytest.param(HTML, "page.html", {}, 400, "file_type_not_allowed", id="html"),
        pytest.param(b"MZ\x90\x00", "setup.exe", {}, 400, "file_type_not_allowed", id="exe"),
        pytest.param(PDF, "lkpd.pdf", {"title": ""}, 400, "validation_error", id="no-title"),
        pytest.param(PDF, "lkpd.pdf", {"title": "a\x00bcd"}, 400, "bad_text", id="nul"),
        pytest.param(PDF, "lkpd.pdf", {"kind": "rpp"}, 400, "validation_error", id="bad-kind"),
        pytest.param(PDF, "lkpd.pdf", {"level": "TK"}, 400, "validation_error", id="bad-level"),
        pytest.param(None, "", {}, 400, "validation_error", id="no-file-no-link"),
    ],
)
def test_bad_uploads_leave_nothing(app, client, world, content, filename, fields, status, code):
    response = post_file(client, world, content, filename, **fields)
    assert response.status_code == status
    assert error_code(response) == code
    assert resource_count(app) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=", "ftp://x.org/a"],
)
def test_bad_links_are_refused(app, client, world, url):
    response = client.post(
        f"{API}/communities/{world['community'].slug}/resources",
        json={"title": "Tautan", "kind": "artikel", "url": url},
        headers=auth_headers(client, world["member"]),
    )
    assert response.status_code == 400
    assert (
        "url"
        in check_response(client, "POST", "/communities/x/resources", response)["error"]["fields"]
    )
    assert resource_count(app) == 0


def test_path_traversal_name_is_stored_under_a_generated_name(app, client, world):
    response = post_file(client, world, PDF, filename="../../etc/passwd.pdf")
    assert response.status_code == 201
    assert response.get_json()["file"]["filename"] == "passwd.pdf"
    [stored] = stored_files(app)
    root = app.config["UPLOAD_DIR"]
    assert str(stored).startswith(root)
    assert "passwd" not in stored.name and stored.suffix == ""


def test_same_file_twice_is_recognised(app, client, world):
    first = post_file(client, world, DOCX, filename="modul.docx", kind="modul_ajar")
    second = post_file(client, world, DOCX, filename="modul-copy.docx", title="Modul lagi")
    assert second.status_code == 409
    assert error_code(second) == "duplicate_resource"
    assert f"/resources/{first.get_json()['id']}" in second.get_json()["error"]["message"]
    assert resource_count(app) == 1
    assert len(stored_files(app)) == 1


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsiders_cannot_share(app, client, factory, world, who):
    headers = auth_headers(client, factory.user()) if who == "outsider" else {}
    response = client.post(
        f"{API}/communities/{world['community'].slug}/resources",
        data={"title": "x", "kind": "lkpd", "file": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 404
    assert resource_count(app) == 0 and stored_files(app) == []


# --- the upload form ------------------------------------------------------------


def form_post(client, world, **data):
    payload = {
        "csrf_token": csrf_token(client),
        "title": "LKPD Pecahan Senilai",
        "kind": "lkpd",
        "license": "cc-by",
        **data,
    }
    return multipart(client, f"/c/{world['community'].slug}/resources/new", payload)


def test_upload_form_shares_a_file(app, client, auth, world):
    auth.login(world["member"].email)
    response = form_post(client, world, file=(io.BytesIO(PDF), "LKPD Pecahan.pdf"), public="y")
    assert response.status_code == 302
    with app.app_context():
        resource = db.session.query(Resource).one()
        assert (resource.filename, resource.public, resource.kind) == (
            "LKPD Pecahan.pdf",
            True,
            "lkpd",
        )
    assert response.headers["Location"] == f"/resources/{resource.id}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": (io.BytesIO(HTML), "lkpd.pdf")}, "does not match"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"title": "", "file": (io.BytesIO(PDF), "a.pdf")}, "required"),
        ({}, "Choose a file"),
    ],
)
def test_upload_form_shows_errors(app, client, auth, world, data, message):
    auth.login(world["member"].email)
    response = form_post(client, world, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert resource_count(app) == 0 and stored_files(app) == []


def test_upload_form_over_the_cap_is_413(app, client, auth, world):
    auth.login(world["member"].email)
    big = io.BytesIO(b"%PDF-" + b"x" * (MB + 1))
    response = form_post(client, world, file=(big, "big.pdf"))
    assert response.status_code == 413
    assert resource_count(app) == 0 and stored_files(app) == []


def test_upload_form_duplicate_points_to_the_existing_one(app, client, auth, factory, world):
    existing = factory.resource(world["community"], world["coordinator"], content=PDF)
    auth.login(world["member"].email)
    response = form_post(client, world, file=(io.BytesIO(PDF), "copy.pdf"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/resources/{existing.id}"
    assert resource_count(app) == 1
