"""A teacher shares an LKPD with the MGMP; a colleague finds it, likes it, downloads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.resources.models import Resource
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_share_find_like_and_download_an_lkpd(page, new_page, live_server, factory, tmp_path):
    app = live_server.app
    author = factory.user(name="Ibu Sari", email="sari@example.id")
    community = factory.community(author, name="MGMP Matematika SMP Kupang", kind="MGMP",
                                  visibility="private", level="SMP")  # fmt: skip
    colleague = factory.user(name="Pak Yohanes", email="yohanes@example.id")
    factory.member(community, colleague)
    other = factory.resource(community, author, title="Modul Ajar Statistika",
                             content=b"%PDF-1.4 statistika")  # fmt: skip
    upload = tmp_path / "LKPD Pecahan Senilai.pdf"
    upload.write_bytes(PDF)

    # Ibu Sari shares the worksheet through the form.
    log_in(page, live_server, author.email)
    page.goto(live_server(f"/c/{community.slug}/resources"))
    page.click("#share-resource")
    page.fill("#title", "LKPD Pecahan Senilai Kelas 7")
    page.select_option("#kind", "lkpd")
    page.set_input_files("#file", str(upload))
    page.fill("#subject", "Matematika")
    page.fill("#tags", "pecahan, kelas 7")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/resources/new" not in url)
    with app.app_context():
        shared = db.session.scalar(
            select(Resource).where(Resource.title == "LKPD Pecahan Senilai Kelas 7")
        )
        assert shared is not None and shared.filename == "LKPD Pecahan Senilai.pdf"

    # Pak Yohanes finds it through search by a word of its title.
    colleague_page = new_page("yohanes")
    log_in(colleague_page, live_server, colleague.email)
    colleague_page.goto(live_server("/search"))
    colleague_page.fill("main form[role=search] #search-q", "pecahan")
    colleague_page.click("main form[role=search] button[type=submit]")
    colleague_page.wait_for_url(lambda url: "q=pecahan" in url)
    hits = colleague_page.locator("ol.search-results li")
    assert hits.count() == 1
    assert other.title not in hits.first.inner_text()
    hits.first.locator("a").first.click()
    colleague_page.wait_for_url(f"**/resources/{shared.id}")

    # ... likes it ...
    colleague_page.click("#like")
    colleague_page.wait_for_load_state()
    assert colleague_page.get_attribute("#like", "aria-pressed") == "true"

    # ... and downloads it.
    with colleague_page.expect_download() as info:
        colleague_page.click("#download")
    download = info.value
    assert download.suggested_filename == "LKPD Pecahan Senilai.pdf"
    assert Path(download.path()).read_bytes() == PDF
    with app.app_context():
        row = db.session.get(Resource, shared.id)
        assert (row.like_count, row.download_count) == (1, 1)
