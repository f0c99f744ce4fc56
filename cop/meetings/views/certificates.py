"""Certificates and the laporan kegiatan as PDF: a coordinator's list (revoke with a
reason), all of a meeting's certificates in one PDF or a ZIP, the attendee's own, and
the public verification page a certificate's QR code opens."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from cop.core import web
from cop.core.errors import CopError
from cop.meetings import documents, limits, services
from cop.meetings.models import Certificate, Meeting
from cop.meetings.views import bp


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _name(meeting: Meeting, what: str, ext: str) -> str:
    return f"{what}-{meeting.id}-{meeting.starts_at.date().isoformat()}.{ext}"


def _valid_for_print(certificates: list[Certificate]) -> list[Certificate]:
    """The valid certificates: 404 for none, 413 (saying to prepare the PDF in the
    background) above the in-request limit (docs/meetings.md)."""
    return services.printable_now(certificates)


def _managed(meeting_id: int) -> tuple[Meeting, list[Certificate]]:
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    return meeting, services.certificates_for_manager(web.current(), meeting)


@bp.get("/meetings/<id:meeting_id>/certificates")
@login_required
def certificates(meeting_id: int) -> ResponseReturnValue:
    """The meeting's certificates with their numbers; revoke one with a reason."""
    meeting, issued = _managed(meeting_id)
    return render_template(
        "meetings/certificates.html",
        meeting=meeting,
        certificates=issued,
        valid_count=sum(1 for c in issued if c.is_valid),
        in_request_max=limits.CERTIFICATES_PDF_MAX,
        build=services.latest_build(meeting),
    )


@bp.post("/meetings/<id:meeting_id>/certificates/build")
@login_required
def build_certificates(meeting_id: int) -> ResponseReturnValue:
    """Prepare every valid certificate as one PDF in the background (a big meeting)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    back = url_for(".certificates", meeting_id=meeting.id) + "#build"
    try:
        build = services.request_certificates_build(web.current(), meeting, str(get_locale()))
    except CopError as error:
        if error.status in (401, 403):
            raise
        flash(str(error.message), "error")
        return redirect(back, 303)
    if build.state == "ready":
        flash(_("The PDF is ready."), "success")
    else:
        flash(_("The PDF is being prepared. Reload this page in a minute."), "info")
    return redirect(back, 303)


@bp.get("/meetings/<id:meeting_id>/certificates/build/<id:build_id>.pdf")
@login_required
def built_certificates_pdf(meeting_id: int, build_id: int) -> ResponseReturnValue:
    """The PDF the background job made."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    build, data = services.ready_build(web.current(), meeting, build_id)
    return _download(data, "application/pdf", _name(meeting, f"sertifikat-{build.id}", "pdf"))


@bp.get("/meetings/<id:meeting_id>/certificates.pdf")
@login_required
def certificates_pdf(meeting_id: int) -> ResponseReturnValue:
    """Every valid certificate of the meeting in one PDF, a page each."""
    meeting, issued = _managed(meeting_id)
    data = documents.certificates_pdf(meeting, _valid_for_print(issued))
    return _download(data, "application/pdf", _name(meeting, "sertifikat", "pdf"))


@bp.get("/meetings/<id:meeting_id>/certificates.zip")
@login_required
def certificates_zip(meeting_id: int) -> ResponseReturnValue:
    """A ZIP of one PDF per valid certificate (to send each teacher their own)."""
    meeting, issued = _managed(meeting_id)
    data = documents.certificates_zip(meeting, _valid_for_print(issued))
    return _download(data, "application/zip", _name(meeting, "sertifikat", "zip"))


@bp.get("/meetings/<id:meeting_id>/report.pdf")
@login_required
def report_pdf(meeting_id: int) -> ResponseReturnValue:
    """The laporan kegiatan for the education office."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    data = documents.report_pdf(meeting)
    return _download(data, "application/pdf", _name(meeting, "laporan", "pdf"))


@bp.post("/meetings/<id:meeting_id>/certificates/<id:certificate_id>/revoke")
@login_required
def revoke_certificate(meeting_id: int, certificate_id: int) -> ResponseReturnValue:
    """Revoke a certificate with a reason (shown to whoever verifies its number)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id, "meeting.manage")
    back = url_for(".certificates", meeting_id=meeting.id)
    try:
        certificate = services.manageable_certificate(web.current(), meeting, certificate_id)
        if request.form.get("confirm") != "1":
            flash(_("Tick “Yes, I am sure” to revoke the certificate."), "error")
            return redirect(back), 303
        services.revoke(web.current(), certificate, request.form.get("reason", ""))
    except CopError as error:
        flash(error.first_message, "error")
        return redirect(back), 303
    flash(_("Certificate %(number)s is revoked.", number=certificate.number), "success")
    return redirect(back)


@bp.get("/meetings/<id:meeting_id>/certificate.pdf")
@login_required
def my_certificate_pdf(meeting_id: int) -> ResponseReturnValue:
    """The attendee's own certificate as a PDF (once the meeting has ended)."""
    meeting = services.visible_meeting(web.viewer(), meeting_id)
    certificate = services.my_certificate(web.current(), meeting)
    data = documents.certificates_pdf(meeting, [certificate])
    filename = f"sertifikat-{documents.filename_part(certificate.number)}.pdf"
    return _download(data, "application/pdf", filename)


@bp.get("/certificates/<path:number>")
def verify_certificate(number: str) -> ResponseReturnValue:
    """Public: is this certificate real, and is it still valid? (the QR code's page)"""
    try:
        certificate = services.verify(number)
    except CopError:
        return render_template("meetings/verify.html", certificate=None, number=number), 404
    name = request.args.get("name", "").strip()[:200]
    return render_template(
        "meetings/verify.html",
        certificate=certificate,
        number=number,
        checked_name=name,
        name_matches=certificate.name_matches(name) if name else None,
    )
