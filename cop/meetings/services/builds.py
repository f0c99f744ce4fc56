"""A meeting's certificates as one PDF built by a background job (``meetings.
certificates_pdf``, cop/core/jobs): for a meeting too big to print in the request
(limits.CERTIFICATES_PDF_MAX), or whenever a coordinator prefers not to wait. The
coordinator asks, the certificates page shows "being prepared", then a download.

Asking again for the same certificates (the fingerprint: which ones are valid) while
one is queued or ready gives that one; the job is enqueued with the build's id as its
key, so a double submit is one job, and a second run of it overwrites nothing."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import partial
from pathlib import Path

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.core import jobs, permissions
from cop.core.db import after_commit, unit_of_work
from cop.core.errors import CopError, NotFound
from cop.core.ids import is_id
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import Certificate, CertificateBuild, Meeting
from cop.meetings.services.certificates import issue_certificates
from cop.resources.storage import Spooled, get_storage

NO_BUILD = _l("That PDF is not (or no longer) available. Prepare it again.")
NOTHING_TO_PRINT = _l("Nobody has a valid certificate for this meeting.")


class TooManyToPrintNow(CopError):
    """More certificates than a request prints (limits.CERTIFICATES_PDF_MAX)."""

    status = 413
    code = "too_many_certificates"
    default_message = _l(
        "Too many certificates to print while you wait: prepare the PDF in the background "
        "on the meeting's certificates page."
    )


def printable_now(certificates: list[Certificate]) -> list[Certificate]:
    """The valid certificates with a name (not anonymous records), if a request may print
    them: NotFound for none, TooManyToPrintNow above limits.CERTIFICATES_PDF_MAX."""
    valid = [c for c in certificates if c.is_printable]
    if not valid:
        raise NotFound(NOTHING_TO_PRINT)
    if len(valid) > limits.CERTIFICATES_PDF_MAX:
        raise TooManyToPrintNow()
    return valid


def _fingerprint(certificates: list[Certificate]) -> str:
    ids = ",".join(str(c.id) for c in certificates if c.is_printable)
    return hashlib.sha256(ids.encode()).hexdigest()


def latest_build(meeting: Meeting) -> CertificateBuild | None:
    """The meeting's most recent build (for the certificates page)."""
    return db.session.scalar(
        select(CertificateBuild)
        .where(CertificateBuild.meeting_id == meeting.id)
        .order_by(CertificateBuild.id.desc())
        .limit(1)
    )


def request_certificates_build(actor: User, meeting: Meeting, locale: str) -> CertificateBuild:
    """Queue the meeting's certificates PDF (coordinators), printed in ``locale``; the
    queued or ready build of the same certificates when there is one."""
    permissions.authorize(actor, "meeting.manage", meeting)
    issued = issue_certificates(meeting)
    valid = [c for c in issued if c.is_printable]
    if not valid:
        raise NotFound(NOTHING_TO_PRINT)
    fingerprint = _fingerprint(issued)
    with unit_of_work():
        db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
        same = db.session.scalar(
            select(CertificateBuild).where(
                CertificateBuild.meeting_id == meeting.id,
                CertificateBuild.fingerprint == fingerprint,
                CertificateBuild.locale == locale,
                CertificateBuild.state.in_(("queued", "ready")),
            )
        )
        if same is not None:
            return same
        build = CertificateBuild(
            meeting_id=meeting.id,
            requested_by_id=actor.id,
            locale=locale,
            fingerprint=fingerprint,
            count=len(valid),
        )
        db.session.add(build)
        db.session.flush()
        jobs.enqueue("meetings.certificates_pdf", f"certificates-pdf:{build.id}", build_id=build.id)
    return build


def _spooled(data: bytes) -> Spooled:
    storage = get_storage()
    fd, name = tempfile.mkstemp(dir=storage.tmp_dir, prefix="pdf-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return Spooled(
        path=Path(name), size=len(data), sha256=hashlib.sha256(data).hexdigest(), head=data[:64]
    )


@jobs.handler("meetings.certificates_pdf")
def build_certificates_pdf(build_id: int) -> None:
    """Lay the build's certificates out and keep the PDF (Gone when the build or its
    meeting was deleted meanwhile; done already: nothing to do)."""
    from cop.meetings import documents  # documents reads the services: import at run time

    build = db.session.get(CertificateBuild, build_id)
    meeting = db.session.get(Meeting, build.meeting_id) if build is not None else None
    if build is None or meeting is None:
        raise jobs.Gone()
    if build.state != "queued":
        return
    valid = [c for c in issue_certificates(meeting) if c.is_printable]
    with force_locale(build.locale):
        data = documents.certificates_pdf(meeting, valid)
    spooled = _spooled(data)
    storage = get_storage()
    key = storage.put(spooled)
    try:
        with unit_of_work():
            build = db.session.get(CertificateBuild, build_id)
            if build is None:
                raise jobs.Gone()
            build.state = "ready"
            build.storage_key = key
            build.size = len(data)
            build.count = len(valid)
            build.ready_at = utcnow()
            # The older PDFs of the meeting go: only the newest is offered.
            older = db.session.scalars(
                select(CertificateBuild).where(
                    CertificateBuild.meeting_id == build.meeting_id,
                    CertificateBuild.id < build.id,
                    CertificateBuild.state == "ready",
                )
            ).all()
            for old in older:
                if old.storage_key:
                    after_commit(partial(storage.delete, old.storage_key))
                db.session.delete(old)
    except BaseException:
        storage.delete(key)
        raise
    finally:
        spooled.discard()


def ready_build(actor: User, meeting: Meeting, build_id: int) -> tuple[CertificateBuild, bytes]:
    """A ready build of ``meeting`` and its PDF (coordinators); NotFound otherwise."""
    permissions.authorize(actor, "meeting.manage", meeting)
    build = db.session.get(CertificateBuild, build_id) if is_id(build_id) else None
    if build is None or build.meeting_id != meeting.id or build.state != "ready":
        raise NotFound(NO_BUILD)
    try:
        with get_storage().open(build.storage_key or "") as stored:
            return build, stored.read()
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(NO_BUILD) from exc
