"""PTK: the working group edits, the community's members give feedback, and an invited
reviewer (a pengawas, not a member) reads and comments on THAT PTK only; the report
outline as DOCX (read back with python-docx) and PDF (pdftotext)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document

from cop.auth.models import User
from cop.core.errors import Conflict, Forbidden, NotFound
from cop.cycles import services
from cop.cycles.models import PTK
from cop.extensions import db
from tests.cycles import builders, login, post


@pytest.fixture
def ptks(app, people):
    """Two PTKs of the community; the outsider reviews the first one only."""
    mine = builders.ptk(app, people.community, people.observers[0], [people.observers[1]])
    other = builders.ptk(app, people.community, people.model)
    token = builders.reviewer(app, mine, people.observers[0], people.outsider)
    return mine, other, token


def test_the_reviewer_reads_and_comments_on_their_ptk(app, client, people, ptks):
    mine, _other, _token = ptks
    login(client, people.outsider)
    page = client.get(f"/ptk/{mine.id}")
    assert page.status_code == 200 and "penelaah tamu" in page.get_data(as_text=True)
    response = post(client, f"/ptk/{mine.id}/comments", {"body": "Tambahkan lampiran."})
    assert response.status_code == 302
    assert "Tambahkan lampiran." in client.get(f"/ptk/{mine.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/ptk/{other}", "/ptk/{other}/outline.docx", "/ptk/{other}/outline.pdf", "/c/{slug}/cycles"],
)
def test_the_reviewer_sees_nothing_else(client, people, ptks, path):
    _mine, other, _token = ptks
    login(client, people.outsider)
    url = path.format(other=other.id, slug=people.community.slug)
    assert client.get(url).status_code == 404


def test_the_reviewer_cannot_edit_the_ptk(client, people, ptks):
    login(client, people.outsider)
    response = post(client, f"/ptk/{ptks[0].id}/cycles", {"plan": "Rencana saya"})
    assert response.status_code == 403


def test_an_invite_binds_to_the_first_account(app, factory, people, ptks):
    mine = ptks[0]
    stranger = factory.user(name="Orang Lain")
    with app.app_context():
        invite = services.invite_reviewer(
            db.session.get(User, people.observers[0].id), db.session.get(PTK, mine.id), "Kepsek"
        )
        token = services.invite_token(invite)
        services.accept_invite(db.session.get(User, people.admin.id), token)
        with pytest.raises(Conflict):
            services.accept_invite(db.session.get(User, stranger.id), token)


def test_a_forged_invite_is_a_404(app, client, people, ptks):
    login(client, people.outsider)
    assert client.get(f"/ptk/invite/{ptks[2]}x").status_code == 404
    with app.app_context(), pytest.raises(NotFound):
        services.accept_invite(db.session.get(User, people.outsider.id), "not-a-token")


def test_the_invite_page_accepts_for_the_logged_in_account(app, client, factory, people, ptks):
    pengawas = factory.user(name="Ibu Pengawas")
    with app.app_context():
        invite = services.invite_reviewer(
            db.session.get(User, people.observers[0].id), db.session.get(PTK, ptks[0].id), "Ibu"
        )
        token = services.invite_token(invite)
    login(client, pengawas)
    assert client.get(f"/ptk/{ptks[0].id}").status_code == 404
    assert client.get(f"/ptk/invite/{token}").status_code == 200
    assert post(client, f"/ptk/invite/{token}").status_code == 302
    assert client.get(f"/ptk/{ptks[0].id}").status_code == 200


def test_members_comment_but_only_the_group_edits(app, people, ptks):
    mine = ptks[0]
    with app.app_context():
        found = db.session.get(PTK, mine.id)
        services.comment_ptk(db.session.get(User, people.member.id), found, "Bagus.")
        with pytest.raises(Forbidden):
            services.add_cycle(
                db.session.get(User, people.member.id), found, services.CycleData(plan="x")
            )
        cycle = services.add_cycle(
            db.session.get(User, people.observers[1].id), found, services.CycleData(plan="S2")
        )
        assert cycle.number == 2


def test_data_is_attached_per_cycle_and_downloaded_by_readers(app, client, people, ptks):
    mine = ptks[0]
    with app.app_context():
        found = db.session.get(PTK, mine.id)
        row = services.attach_file(
            db.session.get(User, people.observers[0].id),
            found,
            found.cycles[0].id,
            services_upload(b"%PDF-1.4\n%nilai\n", "nilai.pdf"),
        )
    login(client, people.outsider)
    response = client.get(f"/ptk/files/{row.id}")
    body = response.data
    response.close()
    assert response.status_code == 200 and body.startswith(b"%PDF")


def services_upload(data: bytes, name: str):
    from cop.resources import services as resource_services

    return resource_services.Upload(io.BytesIO(data), name)


def test_the_outline_docx_has_the_chapters_and_cycles(client, people, ptks):
    login(client, people.observers[0])
    response = client.get(f"/ptk/{ptks[0].id}/outline.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0].startswith("Meningkatkan hasil belajar pecahan")
    assert "Bab I. Pendahuluan" in headings and "Siklus 1" in headings
    assert "Refleksi" in headings
    assert any("Nilai rata-rata ulangan" in p.text for p in document.paragraphs)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
def test_the_outline_pdf_has_the_same_structure(client, people, ptks):
    login(client, people.observers[0])
    response = client.get(f"/ptk/{ptks[0].id}/outline.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "KERANGKA LAPORAN" in flat and "Siklus 1" in flat and "Bab IV" in flat
