"""The meeting's PDF documents, made with WeasyPrint from Jinja templates
(templates/meetings/pdf/): certificates (one A4 landscape page each, all of a meeting
in one PDF or a ZIP of single PDFs) and the laporan kegiatan (A4 portrait).

Rendering only: the certificates are numbered by services.issue_certificates first.
Fonts are vendored (static/fonts) and the only resources a document may load are
files and data: URIs (no network: a closed school network prints the same)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from flask import current_app, render_template, url_for
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from cop.auth.models import User
from cop.meetings import queries, services
from cop.meetings.models import Certificate, Guest, Meeting


def _base_url() -> str:
    return Path(current_app.static_folder or "static").resolve().as_uri() + "/"


def render(html: str) -> Document:
    """Lay the HTML out as pages (fonts and images from static/ or data: URIs only)."""
    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    return HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).render(font_config=fonts)


def pdf(html: str) -> bytes:
    """The HTML as one PDF."""
    return bytes(render(html).write_pdf())


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data: URI (embedded in the PDF, no file)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=1))


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
        url = url_for("meetings.verify_certificate", number=c.number, _external=True)
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


def _certificates_html(meeting: Meeting, certificates: list[Certificate]) -> str:
    return render_template(
        "meetings/pdf/certificates.html",
        meeting=meeting,
        pages=_pages(meeting, certificates),
        coordinators=queries.coordinators(meeting.community),
        jp_minutes=current_app.config["PKB_JP_MINUTES"],
    )


def certificates_pdf(meeting: Meeting, certificates: list[Certificate]) -> bytes:
    """Every certificate given, one page each, in one PDF."""
    return pdf(_certificates_html(meeting, certificates))


def certificates_html(meeting: Meeting, certificates: list[Certificate]) -> str:
    """The same document as HTML (the benchmark's baseline)."""
    return _certificates_html(meeting, certificates)


def filename_part(text: str) -> str:
    """``0007/KKG-G3T/XII/2026`` -> ``0007-KKG-G3T-XII-2026`` (safe in a file name)."""
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-")


def certificates_zip(meeting: Meeting, certificates: list[Certificate]) -> bytes:
    """A ZIP of one PDF per certificate, laid out once and split by page."""
    document = render(_certificates_html(meeting, certificates))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, page in zip(certificates, document.pages, strict=True):
            name = f"sertifikat-{filename_part(certificate.number)}.pdf"
            archive.writestr(name, bytes(document.copy([page]).write_pdf()))
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
        "coordinators": queries.coordinators(meeting.community),
        "counts": queries.status_counts(rows),
    }


def report_html(meeting: Meeting) -> str:
    """The laporan kegiatan as HTML."""
    return render_template("meetings/pdf/report.html", **report_context(meeting))


def report_pdf(meeting: Meeting) -> bytes:
    """The laporan kegiatan: details, agenda, daftar hadir, notulen, action items."""
    return pdf(report_html(meeting))
