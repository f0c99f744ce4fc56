"""API: certificate verification (public), a meeting's certificates and laporan as PDF."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.views import ID, bp
from cop.core.web import current, viewer
from cop.meetings import documents, limits, services
from cop.meetings.serializers import certificate_json


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/certificates/<path:number>")
@documented(
    "Verify a certificate by its number (public)",
    tag="meetings",
    response="CertificateVerification",
    errors=(404,),
    auth="none",
    query=("holder_name",),
    description="The number as printed, e.g. 0007/KKG-G3T/XII/2026 (its slashes are part "
    "of the path). status is valid or revoked (with the reason); 404 for a number that "
    "was never issued. An anonymous record (its holder deleted their account and kept "
    "it) has no name: ?name= checks the printed one.",
)
def verify_certificate(number: str) -> ResponseReturnValue:
    """Is this certificate real and still valid (and is it this name's)?"""
    certificate = services.verify(number)
    name = request.args.get("name", "").strip()[:200]
    return certificate_json(certificate, name=name or None)


@bp.get(f"/meetings/<{ID}:meeting_id>/certificates.pdf")
@documented(
    "Every attendee's certificate in one PDF, application/pdf (coordinators)",
    tag="meetings",
    errors=(403, 404, 413),
    description="Numbered on the way once the meeting has ended (404 before, or when "
    f"nobody was present); 413 `too_many_certificates` above {limits.CERTIFICATES_PDF_MAX} "
    "certificates (the certificates page prepares those in the background).",
)
def meeting_certificates_pdf(meeting_id: int) -> ResponseReturnValue:
    """The certificates PDF."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    valid = services.printable_now(services.certificates_for_manager(current(), meeting))
    return _pdf(documents.certificates_pdf(meeting, valid), f"sertifikat-{meeting.id}.pdf")


@bp.get(f"/meetings/<{ID}:meeting_id>/report.pdf")
@documented(
    "The laporan kegiatan, application/pdf (coordinators)",
    tag="meetings",
    errors=(403, 404),
    description="Meeting details, agenda, published minutes, action items and the "
    "attendance list with an empty signature column.",
)
def meeting_report_pdf(meeting_id: int) -> ResponseReturnValue:
    """The report PDF."""
    meeting = services.visible_meeting(viewer(), meeting_id, "meeting.manage")
    return _pdf(documents.report_pdf(meeting), f"laporan-{meeting.id}.pdf")
