"""Meetings and everything hanging off them: series, agenda, RSVPs, attendance,
minutes with revisions, action items, sent reminders and calendar feed tokens."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

KINDS = ("routine", "workshop", "lesson_study", "training")
MODES = ("offline", "online", "hybrid")
STATUSES = ("scheduled", "cancelled")
RSVP_STATUSES = ("yes", "no", "maybe")
CHECKIN_METHODS = ("code", "coordinator")
#: the roll: one tap each (hadir, izin, sakit, tidak hadir)
ATTENDANCE_STATUSES = ("present", "excused", "sick", "absent")
REMINDER_KINDS = ("day", "hour")


class MeetingSeries(db.Model):  # type: ignore[name-defined]
    """A recurrence: the RRULE the occurrences were made from, in the planning zone."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    rrule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Meeting(db.Model):  # type: ignore[name-defined]
    """One session of a community: a monthly KKG meeting, a workshop, a lesson study..."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_community_starts", "community_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="routine")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: the zone it was planned in (Asia/Jakarta, Asia/Makassar or Asia/Jayapura)
    timezone: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10), default="offline")
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: PKB hours (jam pelajaran) the meeting counts for
    pkb_hours: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    #: iCalendar SEQUENCE: bumped on every change attendees should re-import
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    checkin_code: Mapped[str] = mapped_column(String(12))
    #: recorded after it happened ("catat pertemuan yang sudah berlangsung")
    recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The meeting's discussion topic, started on demand from the meeting page.
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL"), nullable=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", back_populates="meeting"
    )

    @property
    def is_cancelled(self) -> bool:
        """True once a coordinator cancelled it."""
        return self.status == "cancelled"

    @property
    def has_ended(self) -> bool:
        """True once the meeting is over (PKB hours count from then on)."""
        return self.ends_at <= utcnow()

    @property
    def duration_hours(self) -> float:
        """Length in hours (for display)."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def planned_agenda(self) -> list[tuple[AgendaItem, datetime]]:
        """The agenda in order, each item with its planned start (they run back to back)."""
        planned = []
        start = self.starts_at
        for item in self.agenda:
            planned.append((item, start))
            start = start + timedelta(minutes=item.duration_min or 0)
        return planned


class AgendaItem(db.Model):  # type: ignore[name-defined]
    """One item of a meeting's agenda, in order."""

    __tablename__ = "meeting_agenda_items"
    __table_args__ = (Index("ix_meeting_agenda_meeting_position", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    presenter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    duration_min: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    presenter: Mapped[User | None] = relationship()


class RSVP(db.Model):  # type: ignore[name-defined]
    """A member's answer: yes, no or maybe; ``waitlisted`` when yes but the room is full."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    waitlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Attendance(db.Model):  # type: ignore[name-defined]
    """Who came (checked in with the code, or marked by a coordinator), or was excused."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    excused: Mapped[bool] = mapped_column(Boolean, default=False)
    #: one of ATTENDANCE_STATUSES; ``excused`` mirrors excused/sick for older readers
    status: Mapped[str] = mapped_column(String(8), default="present", server_default="present")
    marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    meeting: Mapped[Meeting] = relationship()

    @property
    def attended(self) -> bool:
        """Present (not merely excused)."""
        return self.status == "present" and self.checked_in_at is not None


class Guest(db.Model):  # type: ignore[name-defined]
    """Someone who is not a member but came (a pengawas, a teacher from another gugus)."""

    __tablename__ = "meeting_guests"
    __table_args__ = (UniqueConstraint("meeting_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    school: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(100), default="")
    nip: Mapped[str] = mapped_column(String(18), default="")
    nuptk: Mapped[str] = mapped_column(String(16), default="")
    #: the form's one-time key: a retried submit records the guest once
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Minutes(db.Model):  # type: ignore[name-defined]
    """The notulen of a meeting: a Markdown draft, published to members when ready."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class MinutesRevision(db.Model):  # type: ignore[name-defined]
    """A saved version of the minutes (explicit saves and publishing, not autosaves)."""

    __tablename__ = "meeting_minutes_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class ActionItem(db.Model):  # type: ignore[name-defined]
    """A follow-up agreed in a meeting: who does what by when."""

    __tablename__ = "meeting_action_items"
    __table_args__ = (Index("ix_meeting_action_items_assignee_done", "assignee_id", "done"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    #: when it was ticked off (the points ledger dates it by this)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assignee: Mapped[User | None] = relationship()
    meeting: Mapped[Meeting] = relationship()


class ReminderSent(db.Model):  # type: ignore[name-defined]
    """A claimed reminder: the unique key makes each (meeting, user, kind) go out once."""

    __tablename__ = "meeting_reminders_sent"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeedToken(db.Model):  # type: ignore[name-defined]
    """The secret in a user's personal calendar feed URL."""

    __tablename__ = "meeting_feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


#: the revoke reason of a certificate whose holder deleted their account without keeping it
HOLDER_LEFT = "holder-left"


class Certificate(db.Model):  # type: ignore[name-defined]
    """Proof that one attendee (a member or a guest) took part: a unique number
    (``0007/KKG-G3TML/XII/2026``), the hours, when it was issued, and a revocation."""

    __tablename__ = "meeting_certificates"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        UniqueConstraint("meeting_id", "guest_id"),
        UniqueConstraint("community_id", "year", "serial"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    #: the serial counts per community and calendar year (of the meeting, in its zone)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_guests.id", ondelete="SET NULL"), nullable=True
    )
    #: the name as it was printed
    name: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoke_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: an anonymous record (the holder deleted their account and kept it): the name
    #: is gone and only this digest of number and name remains, so the name printed
    #: on the paper can still be checked (``name_matches``)
    name_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)

    meeting: Mapped[Meeting] = relationship()

    @property
    def is_valid(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None

    @property
    def reason_text(self) -> str:
        """Why it was revoked, in the reader's language where cop wrote the reason."""
        if self.revoke_reason == HOLDER_LEFT:
            return str(_l("The holder deleted their account and did not keep it."))
        return self.revoke_reason

    @property
    def is_anonymous(self) -> bool:
        """The holder's name is no longer kept (their account was deleted)."""
        return not self.name

    @property
    def is_printable(self) -> bool:
        """Valid, with a name to print on it."""
        return self.is_valid and not self.is_anonymous

    def name_matches(self, name: str) -> bool:
        """Is ``name`` the one on this certificate? (for an anonymous record: by digest)"""
        if self.name:
            return _normal_name(self.name) == _normal_name(name)
        return self.name_digest is not None and hmac.compare_digest(
            self.name_digest, name_digest(self.number, name)
        )


def _normal_name(name: str) -> str:
    """A name as compared: case, spaces and Unicode forms do not matter."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def name_digest(number: str, name: str) -> str:
    """The digest an anonymous certificate keeps of its holder's name (salted by its number)."""
    return hashlib.sha256(f"{number}\n{_normal_name(name)}".encode()).hexdigest()


#: image slots a community keeps for its certificates
SEAL_KINDS = ("signature", "stamp")


class CommunitySeal(db.Model):  # type: ignore[name-defined]
    """The coordinator's signature or the community's stamp, printed in the certificates'
    signature block: one image per kind and community (uploading again replaces it)."""

    __tablename__ = "community_seals"
    __table_args__ = (UniqueConstraint("community_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # signature, stamp
    storage_key: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    #: the coordinator who uploaded it: the signature block prints their name
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


class MeetingPhoto(db.Model):  # type: ignore[name-defined]
    """A photo of a meeting (dokumentasi): stored resized and without EXIF, with a
    thumbnail; shown on the meeting page and printed in the laporan kegiatan."""

    __tablename__ = "meeting_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    caption: Mapped[str] = mapped_column(String(200), default="")
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(80))
    thumb_key: Mapped[str] = mapped_column(String(80))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CertificateBuild(db.Model):  # type: ignore[name-defined]
    """All of a meeting's certificates as one PDF, built by a background job (a big
    meeting's PDF takes longer than a request should): queued, then ready with its file,
    or failed. ``fingerprint`` names the certificates it holds, so asking again for the
    same set gives the same build."""

    __tablename__ = "meeting_certificate_builds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: the language the certificates are printed in (the requester's)
    locale: Mapped[str] = mapped_column(String(10), default="id")
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued, ready, failed
    fingerprint: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
    storage_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
