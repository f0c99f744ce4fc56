"""A meeting's certificates as one PDF made by a background job: asked for on the
certificates page, downloaded when ready, the same build for the same certificates, and
above the in-request limit the direct PDF says (413) to use it."""

from __future__ import annotations

import pytest

from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import CertificateBuild
from tests.api import API, auth_headers, error_code
from tests.conftest import csrf_token
from tests.meetings.test_certificates import needs_pdftotext, pdf_text
from tests.meetings.test_certificates import world as world  # the same meeting and roll


def _build(client, meeting_id):
    return client.post(
        f"/meetings/{meeting_id}/certificates/build", data={"csrf_token": csrf_token(client)}
    )


@needs_pdftotext
def test_the_job_makes_the_pdf_and_the_page_offers_it(app, client, auth, world):
    meeting_id = world["meeting"].id
    auth.login(world["coordinator"].email)
    assert _build(client, meeting_id).status_code == 303  # jobs run at once in tests
    with app.app_context():
        build = db.session.query(CertificateBuild).one()
        assert (build.state, build.count, build.locale) == ("ready", 2, "en")
    page = client.get(f"/meetings/{meeting_id}/certificates").get_data(as_text=True)
    link = f"/meetings/{meeting_id}/certificates/build/{build.id}.pdf"
    assert link in page and "Download the PDF (2 certificates)" in page
    response = client.get(link)
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Pak Hadir" in text and "Drs. Pengawas" in text and "0002/KKG-G3T/" in text


def test_asking_again_for_the_same_certificates_is_the_same_build(app, client, auth, world):
    auth.login(world["coordinator"].email)
    _build(client, world["meeting"].id)
    _build(client, world["meeting"].id)
    with app.app_context():
        assert db.session.query(CertificateBuild).count() == 1


def test_a_revocation_makes_the_next_build_a_new_one(app, client, auth, world):
    from cop.meetings import services
    from cop.meetings.models import Meeting

    auth.login(world["coordinator"].email)
    _build(client, world["meeting"].id)
    with app.app_context():
        meeting = db.session.get(Meeting, world["meeting"].id)
        actor = db.session.merge(world["coordinator"])
        services.revoke(actor, services.certificates_of(meeting)[0], "Salah nama")
    _build(client, world["meeting"].id)
    with app.app_context():
        [build] = db.session.query(CertificateBuild).all()  # the older PDF went
    assert build.count == 1


def test_members_may_not_build_or_download(app, client, auth, world):
    auth.login(world["coordinator"].email)
    _build(client, world["meeting"].id)
    with app.app_context():
        build_id = db.session.query(CertificateBuild).one().id
    auth.logout()
    auth.login(world["present"].email)
    assert _build(client, world["meeting"].id).status_code == 403
    path = f"/meetings/{world['meeting'].id}/certificates/build/{build_id}.pdf"
    assert client.get(path).status_code == 403


def test_an_unknown_build_is_404(client, auth, world):
    auth.login(world["coordinator"].email)
    assert (
        client.get(f"/meetings/{world['meeting'].id}/certificates/build/999.pdf").status_code == 404
    )


@pytest.mark.parametrize("where", ["page", "api"])
def test_above_the_limit_the_direct_pdf_points_to_the_background(
    app, client, auth, world, monkeypatch, where
):
    monkeypatch.setattr(limits, "CERTIFICATES_PDF_MAX", 1)
    meeting_id = world["meeting"].id
    if where == "api":
        headers = auth_headers(client, world["coordinator"])
        response = client.get(f"{API}/meetings/{meeting_id}/certificates.pdf", headers=headers)
        assert response.status_code == 413 and error_code(response) == "too_many_certificates"
        return
    auth.login(world["coordinator"].email)
    response = client.get(f"/meetings/{meeting_id}/certificates.pdf")
    assert response.status_code == 413 and "in the background" in response.get_data(as_text=True)
    page = client.get(f"/meetings/{meeting_id}/certificates").get_data(as_text=True)
    assert "too many to print while you wait" in page
    assert f'href="/meetings/{meeting_id}/certificates.pdf"' not in page
