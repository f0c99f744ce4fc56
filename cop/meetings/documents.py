"""The meeting's PDF documents, made with WeasyPrint from Jinja templates
(templates/meetings/pdf/): certificates (one A4 landscape page each, all of a meeting
in one PDF or a ZIP of single PDFs), the laporan kegiatan (A4 portrait) and a teacher's
yearly summary of participation (A4 portrait).

Rendering only: the certificates are numbered by services.issue_certificates first.
Fonts are vendored (static/fonts) and the only resources a document may load are
files and data: URIs (no network: a closed school network prints the same)."""

from __future__ import annotations

import base64
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from flask import current_app, render_template

from cop.auth.models import User
from cop.core.errors import NotFound
from cop.core.urls import external_url
from cop.meetings import queries, services
from cop.meetings.models import Certificate, Guest, Meeting

if TYPE_CHECKING:
    from weasyprint import Document


def _base_url() -> str:
    return Path(current_app.static_folder or "static").resolve().as_uri() + "/"


#: certificates laid out per document: WeasyPrint's layout time grows faster than the
#: page count, so 200 certificates are 8 documents of 25 joined (bench/certificates_pdf.py)
CHUNK = 25


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while WeasyPrint allocates its many small
    objects (a third of the time otherwise; measured), restored whatever happens."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render(*htmls: str) -> Document:
    """Lay the HTML documents out as one run of pages (fonts and images from static/ or
    data: URIs only: no network)."""
    # WeasyPrint (and pango behind it) is loaded by the first document, not at start:
    # a worker that never prints stays some 40 MB smaller (bench/pages.py measures RSS)
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    with _no_gc():
        documents = [
            HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).render(font_config=fonts)
            for html in htmls
        ]
    if len(documents) == 1:
        return documents[0]
    return documents[0].copy([page for document in documents for page in document.pages])


def write(document: Document) -> bytes:
    """The laid-out pages as one PDF."""
    with _no_gc():
        return bytes(document.write_pdf())


def pdf(html: str) -> bytes:
    """The HTML as one PDF."""
    return write(render(html))


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data: URI (embedded in the PDF, no file). A PNG
    costs WeasyPrint less than an SVG drawn per page, and a fixed mask pattern skips
    segno's search for the best one (14 ms -> 4 ms a code; any mask scans the same
    on a printed page; bench/certificates_pdf.py)."""
    return str(segno.make(text, error="m", mask=1).png_data_uri(scale=4, border=1))


@dataclass
class CertificatePage:
    """What one certificate page prints."""

    certificate: Certificate
    school: str
    nip: str
    role: str
    presented: list[str]
    verify_url: str
    qr: str


def _pages(meeting: Meeting, certificates: list[Certificate]) -> list[CertificatePage]:
    users = {
        u.id: u
        for u in queries.users_by_id([c.user_id for c in certificates if c.user_id is not None])
    }
    guests: dict[int, Guest] = {g.id: g for g in queries.guests(meeting)}
    presenters: dict[int, list[str]] = {}
    for item in meeting.agenda:
        if item.presenter_id is not None:
            presenters.setdefault(item.presenter_id, []).append(item.title)
    pages = []
    for c in certificates:
        user: User | None = users.get(c.user_id) if c.user_id else None
        guest = guests.get(c.guest_id) if c.guest_id else None
        url = external_url("meetings.verify_certificate", number=c.number)
        pages.append(
            CertificatePage(
                certificate=c,
                school=user.school if user else (guest.school if guest else ""),
                nip=(guest.nip or guest.nuptk) if guest else "",
                role=guest.role if guest else "",
                presented=presenters.get(c.user_id or 0, []),
                verify_url=url,
                qr=qr_data_uri(url),
            )
        )
    return pages


def image_data_uri(content_type: str, data: bytes) -> str:
    """A stored picture as a data: URI (the documents load no files but static/)."""
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _stored_uri(content_type: str, read: Callable[[Any], bytes], row: Any) -> str:
    """A stored picture as a data: URI, or "" when its file is gone (the document is
    printed without it rather than not at all)."""
    try:
        return image_data_uri(content_type, read(row))
    except NotFound:
        return ""


def signature_block(meeting: Meeting) -> dict[str, Any]:
    """What the signature block prints: the signature and stamp images (data: URIs, or
    empty) and the signer, who is the coordinator who uploaded the signature; without
    one, every coordinator's name above a space to sign by hand."""
    seals = services.seals_of(meeting.community)
    images = {
        kind: _stored_uri(seal.content_type, services.seal_bytes, seal)
        for kind, seal in seals.items()
    }
    signature = seals.get("signature")
    signer = signature.uploaded_by if signature is not None else None
    names = [signer.name] if signer else [c.name for c in queries.coordinators(meeting.community)]
    return {
        "signature_image": images.get("signature", ""),
        "stamp_image": images.get("stamp", ""),
        "signer_names": names,
    }


def _certificates_html(
    meeting: Meeting, certificates: list[Certificate], sign: dict[str, Any]
) -> str:
    return render_template(
        "meetings/pdf/certificates.html",
        meeting=meeting,
        pages=_pages(meeting, certificates),
        jp_minutes=current_app.config["PKB_JP_MINUTES"],
        **sign,
    )


def _certificate_pages(meeting: Meeting, certificates: list[Certificate]) -> Document:
    chunks = [certificates[i : i + CHUNK] for i in range(0, len(certificates), CHUNK)]
    sign = signature_block(meeting)
    return render(*(_certificates_html(meeting, chunk, sign) for chunk in chunks))


def certificates_pdf(meeting: Meeting, certificates: list[Certificate]) -> bytes:
    """Every certificate given, one page each, in one PDF."""
    return write(_certificate_pages(meeting, certificates))


def certificates_html(meeting: Meeting, certificates: list[Certificate]) -> str:
    """The same document as HTML (the benchmark's baseline)."""
    return _certificates_html(meeting, certificates, signature_block(meeting))


def filename_part(text: str) -> str:
    """``0007/KKG-G3T/XII/2026`` -> ``0007-KKG-G3T-XII-2026`` (safe in a file name)."""
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-")


def certificates_zip(meeting: Meeting, certificates: list[Certificate]) -> bytes:
    """A ZIP of one PDF per certificate, laid out once and split by page."""
    document = _certificate_pages(meeting, certificates)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, page in zip(certificates, document.pages, strict=True):
            name = f"sertifikat-{filename_part(certificate.number)}.pdf"
            archive.writestr(name, write(document.copy([page])))
    return out.getvalue()


def report_context(meeting: Meeting) -> dict[str, Any]:
    """Everything the laporan kegiatan prints, read from the meeting's record."""
    minutes = services.minutes_of(meeting)
    rows = [r for r in queries.roll(meeting) if r.status is not None]
    return {
        "meeting": meeting,
        "rows": rows,
        "guests": queries.guests(meeting),
        "minutes_body": minutes.body if minutes and minutes.published else "",
        "action_items": queries.action_items_of(meeting),
        "counts": queries.status_counts(rows),
        "photos": [
            {"src": src, "caption": p.caption}
            for p in services.photos_of(meeting)
            if (src := _stored_uri(p.content_type, services.photo_bytes, p))
        ],
        **signature_block(meeting),
    }


def report_html(meeting: Meeting) -> str:
    """The laporan kegiatan as HTML."""
    return render_template("meetings/pdf/report.html", **report_context(meeting))


def report_pdf(meeting: Meeting) -> bytes:
    """The laporan kegiatan: details, agenda, notulen, action items, dokumentasi (the
    meeting's photos), daftar hadir."""
    return pdf(report_html(meeting))


def yearly_pdf(user: User, year: int, rows: list[queries.ParticipationRow]) -> bytes:
    """The teacher's participation in ``year`` (rows oldest first): every meeting attended
    with its hours and certificate number, totals, and the hours per community."""
    per_community: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = per_community.setdefault(
            row.community.id, {"community": row.community, "meetings": 0, "hours": 0}
        )
        entry["meetings"] += 1
        entry["hours"] += row.hours
    html = render_template(
        "meetings/pdf/yearly.html",
        user=user,
        year=year,
        rows=rows,
        numbers=services.my_certificate_numbers(user, [r.meeting for r in rows]),
        communities=sorted(
            per_community.values(), key=lambda e: (-e["hours"], e["community"].name)
        ),
        total=sum(row.hours for row in rows),
        verify_url=external_url("meetings.verify_certificate", number="-").rsplit("/", 1)[0],
        jp_minutes=current_app.config["PKB_JP_MINUTES"],
    )
    return pdf(html)
