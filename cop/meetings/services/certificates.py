"""Certificates: issued once a meeting has ended, to every attendee present (members and
guests), each with a unique number in the government style ``0007/KKG-G3T/XII/2026``;
verified by number (logged out), revoked with a reason."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import Attendance, Certificate, Guest, Meeting

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

#: the one message for a number that does not exist
UNKNOWN_CERTIFICATE = _l("No certificate has this number.")


def issuer_code(community: Community) -> str:
    """The community's code in certificate numbers: its kind and the initials of the rest
    of its name, digits kept (``KKG Gugus 3 Tamalate`` -> ``KKG-G3T``)."""
    kind = community.kind if community.kind != "OTHER" else "KOM"
    words = [w for w in re.split(r"[^0-9A-Za-z]+", community.name) if w]
    initials = "".join(w if w.isdigit() else w[0] for w in words if w.upper() != kind)
    return f"{kind}-{initials.upper()[:10]}" if initials else kind


def _claim_code(community: Community) -> str:
    """The community's issuer code, chosen once: the derived one, or with a number after
    it when another community has it already (two gugus named alike)."""
    if community.certificate_code:
        return community.certificate_code
    base = issuer_code(community)
    taken = set(
        db.session.scalars(
            select(Community.certificate_code).where(Community.certificate_code.like(f"{base}%"))
        )
    )
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    community.certificate_code = code
    db.session.add(community)
    return code


def certificate_number(serial: int, code: str, meeting: Meeting) -> str:
    """``<serial>/<issuer>/<month in Roman numerals>/<year>`` in the meeting's zone."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    return f"{serial:04d}/{code}/{ROMAN_MONTHS[local.month - 1]}/{local.year}"


def certificates_of(meeting: Meeting) -> list[Certificate]:
    """The meeting's certificates in the order they were numbered."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.meeting_id == meeting.id)
            .order_by(Certificate.serial, Certificate.id)
        )
    )


def _attendees(meeting: Meeting) -> tuple[list[User], list[Guest]]:
    """Members recorded present (by name), then the guests (in the order recorded)."""
    users = list(
        db.session.scalars(
            select(User)
            .join(Attendance, Attendance.user_id == User.id)
            .where(
                Attendance.meeting_id == meeting.id,
                Attendance.status == "present",
                Attendance.checked_in_at.is_not(None),
                User.active.is_(True),  # not a deleted account's tombstone
            )
            .order_by(User.name, User.id)
        )
    )
    guests = list(
        db.session.scalars(select(Guest).where(Guest.meeting_id == meeting.id).order_by(Guest.id))
    )
    return users, guests


def issue_certificates(meeting: Meeting, *, now: datetime | None = None) -> list[Certificate]:
    """Number a certificate for every attendee who has none yet (once the meeting has
    ended; none for a cancelled one) and return them all. Safe to call again."""
    now = now or utcnow()
    if meeting.is_cancelled or meeting.ends_at > now:
        return []
    existing = certificates_of(meeting)
    have_users = {c.user_id for c in existing if c.user_id is not None}
    have_guests = {c.guest_id for c in existing if c.guest_id is not None}
    users, guests = _attendees(meeting)
    missing: list[tuple[int | None, int | None, str]] = [
        (u.id, None, u.name) for u in users if u.id not in have_users
    ] + [(None, g.id, g.name) for g in guests if g.id not in have_guests]
    if not missing:
        return existing
    local_year = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).year
    try:
        with unit_of_work():
            # One issuer at a time per community: the serials stay gapless and unique.
            community = db.session.scalar(
                select(Community).where(Community.id == meeting.community_id).with_for_update()
            )
            assert community is not None
            code = _claim_code(community)
            serial = db.session.scalar(
                select(func.coalesce(func.max(Certificate.serial), 0)).where(
                    Certificate.community_id == community.id, Certificate.year == local_year
                )
            )
            for user_id, guest_id, name in missing:
                serial = (serial or 0) + 1
                db.session.add(
                    Certificate(
                        number=certificate_number(serial, code, meeting),
                        community_id=community.id,
                        year=local_year,
                        serial=serial,
                        meeting_id=meeting.id,
                        user_id=user_id,
                        guest_id=guest_id,
                        name=name,
                        hours=meeting.pkb_hours,
                        issued_at=now,
                    )
                )
    except IntegrityError:  # another request numbered them first: theirs stand
        db.session.rollback()
    return certificates_of(meeting)


def certificates_for_manager(
    actor: User, meeting: Meeting, *, now: datetime | None = None
) -> list[Certificate]:
    """A coordinator's list of the meeting's certificates (issued on the way)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    return issue_certificates(meeting, now=now)


def my_certificate(user: User, meeting: Meeting, *, now: datetime | None = None) -> Certificate:
    """The attendee's own valid certificate, or NotFound (not present, not over yet)."""
    for certificate in issue_certificates(meeting, now=now):
        if certificate.user_id == user.id and certificate.is_valid:
            return certificate
    raise NotFound(_l("You have no certificate for this meeting (yet)."))


def my_certificate_numbers(
    user: User, meetings: list[Meeting], *, now: datetime | None = None
) -> dict[int, str]:
    """The user's valid certificate number for each of ``meetings`` they attended (issued
    on the way, like their own certificate page): the yearly summary lists them, so each
    line can be checked on the verification page."""
    ids = [m.id for m in meetings]
    if not ids:
        return {}

    def numbers() -> dict[int, str]:
        return dict(
            db.session.execute(
                select(Certificate.meeting_id, Certificate.number).where(
                    Certificate.user_id == user.id,
                    Certificate.meeting_id.in_(ids),
                    Certificate.revoked_at.is_(None),
                )
            ).all()
        )

    found = numbers()
    missing = [m for m in meetings if m.id not in found]
    revoked = set(
        db.session.scalars(
            select(Certificate.meeting_id).where(
                Certificate.user_id == user.id, Certificate.meeting_id.in_(ids)
            )
        )
    )
    for meeting in missing:
        if meeting.id not in revoked:  # a revoked one stays revoked: no new number
            issue_certificates(meeting, now=now)
    return numbers() if missing else found


def verify(number: str) -> Certificate:
    """The certificate with this number (valid or revoked), or NotFound: public."""
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.number == (number or "").strip().upper())
    )
    if certificate is None:
        raise NotFound(UNKNOWN_CERTIFICATE)
    return certificate


def manageable_certificate(actor: User, meeting: Meeting, certificate_id: int) -> Certificate:
    """One certificate of ``meeting`` that ``actor`` may revoke (404 for any other)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.meeting_id != meeting.id:
        raise NotFound(UNKNOWN_CERTIFICATE)
    return certificate


def revoke(
    actor: User, certificate: Certificate, reason: str, *, now: datetime | None = None
) -> Certificate:
    """Revoke with a reason anyone verifying the number is shown; twice keeps the first."""
    permissions.authorize(actor, "meeting.manage", certificate.meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(fields={"reason": _l("Say why the certificate is revoked.")})
    if len(reason) > limits.REVOKE_REASON_MAX:
        raise ValidationError(
            fields={"reason": _l("At most %(n)d characters.", n=limits.REVOKE_REASON_MAX)}
        )
    if not certificate.is_valid:
        return certificate
    with unit_of_work():
        certificate.revoked_at = now or utcnow()
        certificate.revoke_reason = reason
        certificate.revoked_by_id = actor.id
        db.session.add(certificate)
    return certificate
