"""Downloads: access checked every time, safe headers, counted once per user per minute."""

from __future__ import annotations

import pytest

from cop.resources.models import Resource
from tests.api import API, auth_headers, check_response
from tests.resources import DOCX, PDF, PNG


@pytest.fixture
def world(factory):
    """A private MGMP (coordinator, member), another community's member, a resource."""
    coordinator = factory.user(name="Ibu Ketua", locale="en")
    community = factory.community(coordinator, visibility="private", name="MGMP IPA Gowa")
    member = factory.user(name="Pak Anwar", locale="en")
    factory.member(community, member)
    other = factory.community(name="KKG Gugus Lain")
    stranger = factory.user(name="Bu Lain")
    factory.member(other, stranger)
    resource = factory.resource(community, coordinator, content=PDF, filename="lkpd.pdf")
    return {
        "community": community,
        "member": member,
        "coordinator": coordinator,
        "stranger": stranger,
        "resource": resource,
    }


def fetch(client, url, **kwargs):
    """GET, read the body and close the response (which closes the served file)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def private_urls(world):
    rid, slug = world["resource"].id, world["community"].slug
    return [
        f"/resources/{rid}",
        f"/resources/{rid}/download",
        f"/resources/{rid}/download?inline=1",
        f"/c/{slug}/resources",
        f"{API}/resources/{rid}",
        f"{API}/resources/{rid}/download",
        f"{API}/communities/{slug}/resources",
    ]


@pytest.mark.parametrize("who", ["anonymous", "stranger", "banned"])
def test_non_members_get_404_for_every_private_resource_url(client, auth, factory, world, who):
    if who == "stranger":
        auth.login(world["stranger"].email)
    elif who == "banned":
        banned = factory.user()
        factory.member(world["community"], banned, status="banned")
        auth.login(banned.email)
    for url in private_urls(world):
        response = fetch(client, url)
        assert response.status_code == 404, url
        assert b"%PDF" not in response.get_data()


def test_member_of_another_community_gets_404_through_the_api(client, world):
    headers = auth_headers(client, world["stranger"])
    response = fetch(client, f"{API}/resources/{world['resource'].id}/download", headers=headers)
    assert response.status_code == 404
    check_response(client, "GET", "/resources/1/download", response)


def test_download_headers(client, auth, world):
    auth.login(world["member"].email)
    response = fetch(client, f"/resources/{world['resource'].id}/download")
    assert response.status_code == 200
    assert response.get_data() == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=lkpd.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_api_download_headers(client, world):
    headers = auth_headers(client, world["member"])
    response = fetch(client, f"{API}/resources/{world['resource'].id}/download", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "filename", "disposition"),
    [
        (PNG, "foto.png", "inline"),
        (PDF + b"2", "a.pdf", "inline"),
        (DOCX, "modul.docx", "attachment"),
    ],
)
def test_inline_only_for_images_and_pdf(
    client, auth, factory, world, content, filename, disposition
):
    resource = factory.resource(
        world["community"], world["member"], title="Pratinjau", content=content, filename=filename
    )
    auth.login(world["member"].email)
    response = fetch(client, f"/resources/{resource.id}/download?inline=1")
    assert response.headers["Content-Disposition"].split(";")[0] == disposition
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_unicode_name_is_sent_safely(client, auth, factory, world):
    resource = factory.resource(
        world["community"], world["member"], content=PNG, filename="peta\u00a0konsep é.png"
    )
    auth.login(world["member"].email)
    response = fetch(client, f"/resources/{resource.id}/download")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_downloads_count_once_per_user_per_minute(app, client, auth, factory, world):
    auth.login(world["member"].email)
    url = f"/resources/{world['resource'].id}/download"
    fetch(client, url)
    fetch(client, url)
    fetch(client, f"{url}?inline=1")  # previews are not downloads
    auth.logout()
    auth.login(world["coordinator"].email)
    fetch(client, url)
    assert factory.get(Resource, world["resource"].id).download_count == 2


def test_link_download_redirects_to_the_link(client, auth, factory, world):
    link = factory.resource(
        world["community"], world["member"], title="Video", url="https://youtu.be/abc"
    )
    auth.login(world["member"].email)
    response = fetch(client, f"/resources/{link.id}/download")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://youtu.be/abc"


def test_public_resource_of_a_private_community_is_open_to_everyone(client, factory, world):
    shared = factory.resource(
        world["community"], world["member"], title="Untuk semua", content=PNG,
        filename="a.png", public=True,
    )  # fmt: skip
    assert fetch(client, f"/resources/{shared.id}").status_code == 200
    assert fetch(client, f"/resources/{shared.id}/download").status_code == 200
    body = check_response(
        client, "GET", "/resources/1", fetch(client, f"{API}/resources/{shared.id}")
    )
    assert body["public"] is True


def test_missing_file_is_404_not_500(app, client, auth, world):
    import shutil

    shutil.rmtree(app.config["UPLOAD_DIR"])
    auth.login(world["member"].email)
    assert fetch(client, f"/resources/{world['resource'].id}/download").status_code == 404
