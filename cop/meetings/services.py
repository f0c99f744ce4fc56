"""Meeting operations: schedule (with recurrence), edit, cancel, agenda, RSVP,
check-in, minutes and action items, reminders and feed tokens.

Each takes the acting user explicitly, asks the permissions policy, owns its
transaction and raises cop.core.errors errors; notifications go through
cop.notifications.services.notify inside the same unit of work.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, NotFound, ValidationError
from cop.core.timezones import is_known_zone
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import (
    KINDS,
    MODES,
    RSVP,
    RSVP_STATUSES,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesRevision,
)
from cop.meetings.recurrence import expand
from cop.notifications.services import notify
from cop.search import services as search

#: check-in opens this long before the start and closes this long after the end
CHECKIN_OPENS = timedelta(hours=1)
CHECKIN_CLOSES = timedelta(hours=2)
MAX_AGENDA_ITEMS = 30
MAX_ACTION_ITEMS = 50
MAX_MINUTES = 100_000
#: the one message for a meeting that does not exist or is not visible
UNKNOWN = _l("That meeting does not exist.")


@dataclass
class AgendaData:
    """One agenda item as typed in a form or sent to the API."""

    title: str
    presenter_id: int | None = None
    duration_min: int = 0
    notes: str = ""


@dataclass
class MeetingData:
    """What a coordinator fills in to schedule a meeting (times are aware datetimes)."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    kind: str = "routine"
    mode: str = "offline"
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    pkb_hours: int = 0
    description: str = ""
    agenda: list[AgendaData] = field(default_factory=list)


@dataclass
class ActionItemData:
    """A follow-up typed with the minutes."""

    title: str
    assignee_id: int | None = None
    due_on: date | None = None


def _checkin_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a hall
    return "".join(secrets.choice(alphabet) for _ in range(6))


def _valid_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _validate(data: MeetingData, *, now: datetime, allow_past: bool = False) -> MeetingData:
    errors: dict[str, Any] = {}
    data.title = (data.title or "").strip()
    if not 3 <= len(data.title) <= 200:
        errors["title"] = _l("Enter a title of 3 to 200 characters.")
    if data.kind not in KINDS:
        errors["kind"] = _l("Choose a kind of meeting.")
    if data.mode not in MODES:
        errors["mode"] = _l("Choose offline, online or hybrid.")
    if not is_known_zone(data.timezone or ""):
        errors["timezone"] = _l("Choose WIB, WITA or WIT.")
    if data.starts_at is None:
        errors["starts_at"] = _l("Enter the start date and time.")
    if data.ends_at is None:
        errors["ends_at"] = _l("Enter the end date and time.")
    if data.starts_at and data.ends_at:
        if data.ends_at <= data.starts_at:
            errors["ends_at"] = _l("The end must be after the start.")
        elif data.ends_at - data.starts_at > timedelta(hours=24):
            errors["ends_at"] = _l("A meeting lasts at most 24 hours.")
        if not allow_past and data.starts_at < now:
            errors["starts_at"] = _l("The meeting cannot start in the past.")
    data.location = (data.location or "").strip()
    data.online_url = (data.online_url or "").strip()
    if len(data.location) > 300:
        errors["location"] = _l("At most %(n)d characters.", n=300)
    if data.online_url and (len(data.online_url) > 500 or not _valid_url(data.online_url)):
        errors["online_url"] = _l("Enter a link starting with http:// or https://.")
    if data.mode in ("offline", "hybrid") and not data.location:
        errors["location"] = _l("Say where the meeting takes place.")
    if data.mode in ("online", "hybrid") and not data.online_url:
        errors["online_url"] = _l("Give the link of the online meeting.")
    if data.capacity is not None and not 1 <= data.capacity <= 10_000:
        errors["capacity"] = _l("Capacity is a number from 1 to 10000, or empty.")
    if not 0 <= (data.pkb_hours or 0) <= 100:
        errors["pkb_hours"] = _l("PKB hours are a number from 0 to 100.")
    data.description = (data.description or "").strip()
    if len(data.description) > 10_000:
        errors["description"] = _l("At most %(n)d characters.", n=10_000)
    if len(data.agenda) > MAX_AGENDA_ITEMS:
        errors["agenda"] = _l("At most %(n)d agenda items.", n=MAX_AGENDA_ITEMS)
    for item in data.agenda:
        _validate_agenda(item, errors)
    if errors:
        raise ValidationError(fields=errors)
    return data


def _validate_agenda(item: AgendaData, errors: dict[str, Any]) -> None:
    item.title = (item.title or "").strip()
    if not 1 <= len(item.title) <= 200:
        errors["agenda"] = _l("Each agenda item needs a title of at most 200 characters.")
    if not 0 <= (item.duration_min or 0) <= 600:
        errors["agenda"] = _l("An agenda item lasts 0 to 600 minutes.")
    if len(item.notes or "") > 5000:
        errors["agenda"] = _l("Agenda notes have at most 5000 characters.")


def _check_presenters(community: Community, ids: list[int | None]) -> None:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    found = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.community_id == community.id,
                Membership.status == "active",
                Membership.user_id.in_(wanted),
            )
        )
    )
    if wanted - found:
        raise ValidationError(fields={"agenda": _l("A presenter must be a member.")})


def _active_member(community: Community, user_id: int) -> User:
    user = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id == user_id,
            Membership.community_id == community.id,
            Membership.status == "active",
        )
    )
    if user is None:
        raise ValidationError(fields={"user_id": _l("That person is not a member.")})
    return user


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page (a path; also outside requests, e.g. from the CLI)."""
    if has_request_context():
        return url_for("meetings.show", meeting_id=meeting.id)
    return f"/meetings/{meeting.id}"


def index_meeting(meeting: Meeting) -> None:
    """Keep the meeting's search document in step (inside the caller's unit of work).

    Title, description and agenda titles are indexed; a cancelled meeting is taken
    out of the index (and put back when it is scheduled again).
    """
    if meeting.status == "cancelled":
        search.remove_document("meeting", meeting.id)
        return
    db.session.flush()
    agenda = db.session.scalars(
        select(AgendaItem.title)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    body = "\n".join(part for part in (meeting.description, *agenda) if part)
    search.index_document(
        "meeting", meeting.id, meeting.community_id, meeting.title, body, meeting_url(meeting)
    )


# --- schedule ------------------------------------------------------------------


def schedule(
    actor: User,
    community: Community,
    data: MeetingData,
    recurrence: str | None = None,
    *,
    now: datetime | None = None,
) -> tuple[Meeting, list[Meeting]]:
    """Schedule one meeting, or a series from an RRULE; returns (first, all occurrences)."""
    permissions.authorize(actor, "community.manage", community)
    now = now or utcnow()
    data = _validate(data, now=now)
    assert data.starts_at is not None and data.ends_at is not None
    starts = [data.starts_at]
    if recurrence:
        starts = expand(recurrence, data.starts_at, data.timezone)
        if starts[0] < now:
            raise ValidationError(fields={"starts_at": _l("The meeting cannot start in the past.")})
    duration = data.ends_at - data.starts_at
    with unit_of_work():
        _check_presenters(community, [a.presenter_id for a in data.agenda])
        series = None
        if recurrence:
            series = MeetingSeries(
                community_id=community.id, rrule=recurrence.strip(), timezone=data.timezone
            )
            db.session.add(series)
            db.session.flush()
        meetings = []
        for start in starts:
            meeting = Meeting(
                community_id=community.id,
                series_id=series.id if series else None,
                title=data.title,
                kind=data.kind,
                starts_at=start,
                ends_at=start + duration,
                timezone=data.timezone,
                mode=data.mode,
                location=data.location,
                online_url=data.online_url,
                capacity=data.capacity,
                pkb_hours=data.pkb_hours or 0,
                description=data.description,
                checkin_code=_checkin_code(),
                created_by_id=actor.id,
            )
            meeting.agenda = [
                AgendaItem(
                    position=i,
                    title=a.title,
                    presenter_id=a.presenter_id,
                    duration_min=a.duration_min or 0,
                    notes=a.notes or "",
                )
                for i, a in enumerate(data.agenda)
            ]
            db.session.add(meeting)
            meetings.append(meeting)
        db.session.flush()
        for meeting in meetings:
            index_meeting(meeting)
        first = meetings[0]
        for member in _members(community):
            notify(
                member,
                "meeting_scheduled",
                _l("New meeting: %(title)s", title=first.title),
                meeting_url(first),
                actor=actor,
                community_id=community.id,
            )
    return meetings[0], meetings


def _members(community: Community) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.community_id == community.id, Membership.status == "active")
        )
    )


def get_meeting(meeting_id: int) -> Meeting:
    """The meeting, or NotFound."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(UNKNOWN)
    return meeting


def visible_meeting(user: User | None, meeting_id: int, action: str = "meeting.view") -> Meeting:
    """The meeting if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    meeting = get_meeting(meeting_id)
    permissions.authorize(user, action, meeting, not_found=UNKNOWN)
    return meeting


UPDATABLE = (
    "title",
    "kind",
    "mode",
    "location",
    "online_url",
    "capacity",
    "pkb_hours",
    "description",
)


def update(
    actor: User,
    meeting: Meeting,
    changes: dict[str, Any],
    *,
    scope: str = "one",
    now: datetime | None = None,
) -> Meeting:
    """Edit a meeting (``scope='following'``: this and later meetings of its series).

    ``changes`` may hold the UPDATABLE fields, ``starts_at``/``ends_at``/``timezone``
    and ``status='cancelled'`` with ``cancel_reason``. Members who answered are told.
    """
    permissions.authorize(actor, "meeting.manage", meeting)
    now = now or utcnow()
    if scope not in ("one", "following"):
        raise ValidationError(fields={"scope": _l("Choose this meeting or the following ones.")})
    status = changes.pop("status", None)
    reason = (changes.pop("cancel_reason", None) or "").strip()
    if status not in (None, "scheduled", "cancelled"):
        raise ValidationError(fields={"status": _l("Choose scheduled or cancelled.")})
    if status == "cancelled" and not reason:
        raise ValidationError(fields={"cancel_reason": _l("Tell members why it is cancelled.")})
    if len(reason) > 500:
        raise ValidationError(fields={"cancel_reason": _l("At most %(n)d characters.", n=500)})
    unknown = set(changes) - set(UPDATABLE) - {"starts_at", "ends_at", "timezone"}
    if unknown:
        raise ValidationError(
            fields={name: _l("This field cannot be changed.") for name in unknown}
        )
    targets = [meeting]
    if scope == "following" and meeting.series_id is not None:
        targets = list(
            db.session.scalars(
                select(Meeting)
                .where(
                    Meeting.series_id == meeting.series_id, Meeting.starts_at >= meeting.starts_at
                )
                .order_by(Meeting.starts_at)
            )
        )
    new_start = changes.pop("starts_at", None) or meeting.starts_at
    new_end = changes.pop("ends_at", None) or meeting.ends_at
    shift = new_start - meeting.starts_at
    duration = new_end - new_start
    time_changed = new_start != meeting.starts_at or new_end != meeting.ends_at
    # Validate the result on the meeting itself (past check only when its time moves).
    probe = MeetingData(
        title=changes.get("title", meeting.title),
        starts_at=new_start,
        ends_at=new_end,
        timezone=changes.get("timezone", meeting.timezone),
        kind=changes.get("kind", meeting.kind),
        mode=changes.get("mode", meeting.mode),
        location=changes.get("location", meeting.location),
        online_url=changes.get("online_url", meeting.online_url),
        capacity=changes.get("capacity", meeting.capacity),
        pkb_hours=changes.get("pkb_hours", meeting.pkb_hours),
        description=changes.get("description", meeting.description),
    )
    probe = _validate(probe, now=now, allow_past=not time_changed)
    # Times move by shifting each target (below), never by copying this meeting's times.
    cleaned = {
        name: getattr(probe, name) for name in changes if name not in ("starts_at", "ends_at")
    }
    with unit_of_work():
        for target in targets:
            for name, value in cleaned.items():
                setattr(target, name, value)
            if time_changed:
                target.starts_at = target.starts_at + shift
                target.ends_at = target.starts_at + duration
            if status == "cancelled":
                target.status = "cancelled"
                target.cancel_reason = reason
            elif status == "scheduled":
                target.status = "scheduled"
                target.cancel_reason = ""
            target.sequence += 1
            target.updated_at = now
            db.session.add(target)
            if "capacity" in cleaned:
                db.session.flush()
                _promote(target)
            _tell_answered(actor, target, cancelled=status == "cancelled")
            index_meeting(target)
    return meeting


def _tell_answered(actor: User, meeting: Meeting, *, cancelled: bool) -> None:
    people = db.session.scalars(
        select(User)
        .join(RSVP, RSVP.user_id == User.id)
        .where(RSVP.meeting_id == meeting.id, RSVP.status.in_(("yes", "maybe")))
    )
    for person in people:
        if cancelled:
            title = _l(
                "Cancelled: %(title)s (%(reason)s)",
                title=meeting.title,
                reason=meeting.cancel_reason,
            )
        else:
            title = _l("Meeting changed: %(title)s", title=meeting.title)
        notify(
            person,
            "meeting_cancelled" if cancelled else "meeting_changed",
            title,
            meeting_url(meeting),
            actor=actor,
            community_id=meeting.community_id,
        )


# --- agenda ----------------------------------------------------------------------


def add_agenda_item(actor: User, meeting: Meeting, item: AgendaData) -> AgendaItem:
    """Append an item to the agenda (coordinators)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    errors: dict[str, Any] = {}
    _validate_agenda(item, errors)
    if errors:
        raise ValidationError(fields={"title": errors["agenda"]})
    with unit_of_work():
        _check_presenters(meeting.community, [item.presenter_id])
        count = db.session.scalar(
            select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id)
        )
        if (count or 0) >= MAX_AGENDA_ITEMS:
            raise ValidationError(
                fields={"title": _l("At most %(n)d agenda items.", n=MAX_AGENDA_ITEMS)}
            )
        last = db.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        row = AgendaItem(
            meeting_id=meeting.id,
            position=(last if last is not None else -1) + 1,
            title=item.title,
            presenter_id=item.presenter_id,
            duration_min=item.duration_min or 0,
            notes=item.notes or "",
        )
        db.session.add(row)
        meeting.sequence += 1
        index_meeting(meeting)
    db.session.refresh(meeting)
    return row


def _agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound()
    return item


def move_agenda_item(actor: User, meeting: Meeting, item_id: int, direction: str) -> None:
    """Move an item one place up or down (coordinators)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    if direction not in ("up", "down"):
        raise ValidationError(fields={"direction": _l("Move up or down.")})
    with unit_of_work():
        items = list(
            db.session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting.id)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
        )
        index = next((i for i, it in enumerate(items) if it.id == item_id), None)
        if index is None:
            raise NotFound()
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items):
            it.position = position
    db.session.expire(meeting, ["agenda"])


def delete_agenda_item(actor: User, meeting: Meeting, item_id: int) -> None:
    """Remove an item from the agenda (coordinators)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    with unit_of_work():
        db.session.delete(_agenda_item(meeting, item_id))
        index_meeting(meeting)
    db.session.expire(meeting, ["agenda"])


# --- RSVP ----------------------------------------------------------------------------


def _seats_taken(meeting: Meeting) -> int:
    return (
        db.session.scalar(
            select(func.count(RSVP.id)).where(
                RSVP.meeting_id == meeting.id, RSVP.status == "yes", RSVP.waitlisted.is_(False)
            )
        )
        or 0
    )


def _promote(meeting: Meeting) -> None:
    """Move people from the waitlist into free seats, first come first served."""
    if meeting.capacity is None:
        waiting = db.session.scalars(
            select(RSVP).where(RSVP.meeting_id == meeting.id, RSVP.waitlisted.is_(True))
        )
        free = None
    else:
        free = meeting.capacity - _seats_taken(meeting)
        if free <= 0:
            return
        waiting = db.session.scalars(
            select(RSVP)
            .where(RSVP.meeting_id == meeting.id, RSVP.waitlisted.is_(True))
            .order_by(RSVP.updated_at, RSVP.id)
            .limit(free)
        )
    for rsvp in waiting:
        rsvp.waitlisted = False
        notify(
            rsvp.user,
            "meeting_promoted",
            _l("A seat freed up: you are coming to %(title)s", title=meeting.title),
            meeting_url(meeting),
            community_id=meeting.community_id,
        )


def rsvp(user: User, meeting: Meeting, status: str, *, now: datetime | None = None) -> RSVP:
    """Answer yes, no or maybe; yes on a full meeting puts the user on the waitlist."""
    permissions.authorize(user, "meeting.rsvp", meeting)
    now = now or utcnow()
    if status not in RSVP_STATUSES:
        raise ValidationError(fields={"status": _l("Answer yes, no or maybe.")})
    if meeting.is_cancelled:
        raise Conflict(_l("This meeting was cancelled."), code="meeting_cancelled")
    if meeting.ends_at < now:
        raise Conflict(_l("This meeting is over."), code="meeting_over")
    try:
        with unit_of_work():
            # Lock the meeting so two last-seat answers are counted one after the other.
            db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
            row = db.session.scalar(
                select(RSVP).where(RSVP.meeting_id == meeting.id, RSVP.user_id == user.id)
            )
            had_seat = row is not None and row.status == "yes" and not row.waitlisted
            if row is None:
                row = RSVP(meeting_id=meeting.id, user_id=user.id, status=status, created_at=now)
                db.session.add(row)
            elif row.status == status:
                return row
            row.status = status
            row.updated_at = now
            row.waitlisted = False
            if status == "yes" and not had_seat and meeting.capacity is not None:
                db.session.flush()
                row.waitlisted = _seats_taken(meeting) > meeting.capacity
            if had_seat and status != "yes":
                db.session.flush()
                _promote(meeting)
    except IntegrityError as exc:  # a double submit raced us: the first answer stands
        raise Conflict(_l("Your answer was already saved.")) from exc
    return row


def my_rsvp(user: User | None, meeting: Meeting) -> RSVP | None:
    """The user's answer, if any."""
    if user is None:
        return None
    return db.session.scalar(
        select(RSVP).where(RSVP.meeting_id == meeting.id, RSVP.user_id == user.id)
    )


# --- check-in ----------------------------------------------------------------------


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When members may check in with the code."""
    return meeting.starts_at - CHECKIN_OPENS, meeting.ends_at + CHECKIN_CLOSES


def check_in(
    user: User, meeting: Meeting, code: str, *, now: datetime | None = None
) -> tuple[Attendance, bool]:
    """Check in with the meeting's code; returns (attendance, created). Twice is harmless."""
    permissions.authorize(user, "meeting.rsvp", meeting)
    now = now or utcnow()
    if meeting.is_cancelled:
        raise Conflict(_l("This meeting was cancelled."), code="meeting_cancelled")
    existing = _attendance(meeting, user.id)
    if existing is not None and existing.attended:
        return existing, False
    opens, closes = checkin_window(meeting)
    if not opens <= now <= closes:
        raise ValidationError(
            _l("Check-in is open from one hour before the start to two hours after the end."),
            code="checkin_closed",
            fields={"code": _l("Check-in is not open now.")},
        )
    given = (code or "").strip().upper()
    if not secrets.compare_digest(given.encode(), meeting.checkin_code.encode()):
        raise ValidationError(
            _l("That check-in code is not right."),
            code="wrong_code",
            fields={"code": _l("That check-in code is not right.")},
        )
    return _record_attendance(meeting, user.id, "code", now, marked_by=None, excused=False)


def mark(
    actor: User,
    meeting: Meeting,
    user_id: int,
    *,
    excused: bool = False,
    now: datetime | None = None,
) -> tuple[Attendance, bool]:
    """A coordinator marks anyone in the community present (or excused)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    now = now or utcnow()
    if meeting.is_cancelled:
        raise Conflict(_l("This meeting was cancelled."), code="meeting_cancelled")
    _active_member(meeting.community, user_id)
    return _record_attendance(
        meeting, user_id, "coordinator", now, marked_by=actor, excused=excused
    )


def _attendance(meeting: Meeting, user_id: int) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.user_id == user_id)
    )


def _record_attendance(
    meeting: Meeting,
    user_id: int,
    method: str,
    now: datetime,
    *,
    marked_by: User | None,
    excused: bool,
) -> tuple[Attendance, bool]:
    try:
        with unit_of_work():
            row = _attendance(meeting, user_id)
            created = row is None
            if row is None:
                row = Attendance(meeting_id=meeting.id, user_id=user_id, method=method)
                db.session.add(row)
            elif row.excused == excused and (excused or row.checked_in_at is not None):
                return row, False
            row.excused = excused
            row.checked_in_at = None if excused else (row.checked_in_at or now)
            row.method = method
            row.marked_by_id = marked_by.id if marked_by else None
    except IntegrityError:  # the same person checked in twice at once: one row stands
        db.session.rollback()
        existing = _attendance(meeting, user_id)
        assert existing is not None
        return existing, False
    if row.attended:
        signals.meeting_attended.send(meeting, meeting=meeting, user_id=user_id)
    return row, created


# --- minutes and action items --------------------------------------------------------


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes row, if written."""
    return db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))


def save_minutes(
    actor: User,
    meeting: Meeting,
    body: str | None,
    *,
    action_items: list[ActionItemData] | None = None,
    publish: bool = False,
    autosave: bool = False,
) -> Minutes:
    """Save the minutes (a revision unless it is an autosave), add action items, publish."""
    permissions.authorize(actor, "meeting.manage", meeting)
    if body is not None and len(body) > MAX_MINUTES:
        raise ValidationError(fields={"body": _l("At most %(n)d characters.", n=MAX_MINUTES)})
    items = action_items or []
    if len(items) > MAX_ACTION_ITEMS:
        raise ValidationError(fields={"action_items": _l("Too many action items.")})
    for item in items:
        item.title = (item.title or "").strip()
        if not 1 <= len(item.title) <= 300:
            raise ValidationError(
                fields={
                    "action_items": _l("Each action item needs a title of at most 300 characters.")
                }
            )
    now = utcnow()
    with unit_of_work():
        for item in items:
            if item.assignee_id is not None:
                _active_member(meeting.community, item.assignee_id)
        minutes = minutes_of(meeting)
        if minutes is None:
            minutes = Minutes(meeting_id=meeting.id, body="")
            db.session.add(minutes)
            db.session.flush()
        changed = body is not None and body != minutes.body
        if body is not None:
            minutes.body = body
        if publish and not minutes.body.strip():
            raise ValidationError(fields={"body": _l("Write the minutes before publishing them.")})
        minutes.updated_at = now
        minutes.updated_by_id = actor.id
        if (changed and not autosave) or (publish and not minutes.published):
            db.session.add(
                MinutesRevision(minutes_id=minutes.id, body=minutes.body, author_id=actor.id)
            )
        for item in items:
            row = ActionItem(
                meeting_id=meeting.id,
                community_id=meeting.community_id,
                title=item.title,
                assignee_id=item.assignee_id,
                due_on=item.due_on,
            )
            db.session.add(row)
            if item.assignee_id is not None:
                assignee = db.session.get(User, item.assignee_id)
                if assignee is not None:
                    notify(
                        assignee,
                        "action_item",
                        _l("New action item for you: %(title)s", title=item.title),
                        meeting_url(meeting),
                        actor=actor,
                        community_id=meeting.community_id,
                    )
        if publish and not minutes.published:
            minutes.published = True
            minutes.published_at = now
            for person in _attended_users(meeting):
                notify(
                    person,
                    "minutes_published",
                    _l("Minutes published: %(title)s", title=meeting.title),
                    meeting_url(meeting),
                    actor=actor,
                    community_id=meeting.community_id,
                )
    return minutes


def _attended_users(meeting: Meeting) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Attendance, Attendance.user_id == User.id)
            .where(Attendance.meeting_id == meeting.id, Attendance.excused.is_(False))
        )
    )


def set_action_item_done(actor: User, item_id: int, done: bool) -> ActionItem:
    """Tick off (or reopen) an action item: its assignee or a coordinator."""
    item = db.session.get(ActionItem, item_id)
    if item is None:
        raise NotFound()
    permissions.authorize(actor, "meeting.view", item.meeting)
    if item.assignee_id != actor.id and not permissions.can(actor, "meeting.manage", item.meeting):
        raise Forbidden(_l("Only the assignee or a coordinator can change this."))
    with unit_of_work():
        item.done = done
    return item


# --- reminders ------------------------------------------------------------------------


def _claim(meeting_id: int, user_id: int, kind: str, now: datetime) -> bool:
    """Insert the ReminderSent row; False when another runner already claimed it."""
    from cop.meetings.models import ReminderSent

    try:
        with unit_of_work():
            db.session.add(
                ReminderSent(meeting_id=meeting_id, user_id=user_id, kind=kind, sent_at=now)
            )
    except IntegrityError:
        return False
    return True


def due_reminders(now: datetime) -> list[tuple[Meeting, str]]:
    """Meetings whose day (24h) or hour (1h) reminder is due at ``now``."""
    from cop.meetings import queries

    return queries.due_reminders(now)


def send_reminders(now: datetime | None = None) -> int:
    """Send every due reminder once (claimed in the database first); returns how many."""
    from cop.core.mail import send_mail
    from cop.meetings import queries

    now = now or utcnow()
    sent = 0
    for meeting, kind in queries.due_reminders(now):
        for person in queries.reminder_recipients(meeting):
            if not _claim(meeting.id, person.id, kind, now):
                continue
            title = (
                _l("Tomorrow: %(title)s", title=meeting.title)
                if kind == "day"
                else _l("In one hour: %(title)s", title=meeting.title)
            )
            notify(
                person,
                f"meeting_reminder_{kind}",
                title,
                meeting_url(meeting),
                community_id=meeting.community_id,
            )
            if person.email:
                send_mail(
                    person.email,
                    title,
                    "meeting_reminder",
                    person.locale or "id",
                    user=person,
                    meeting=meeting,
                    kind=kind,
                    url=url_for("meetings.show", meeting_id=meeting.id, _external=True),
                )
            sent += 1
    return sent


# --- feed tokens ------------------------------------------------------------------------


def feed_token(user: User, *, rotate: bool = False) -> str:
    """The user's secret calendar-feed token (made on first use; ``rotate`` replaces it)."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))
    if row is not None and not rotate:
        return row.token
    try:
        with unit_of_work():
            if row is None:
                row = CalendarFeedToken(user_id=user.id, token=secrets.token_urlsafe(32))
                db.session.add(row)
            else:
                row.token = secrets.token_urlsafe(32)
    except IntegrityError:  # two first visits at once: the other one won
        found = db.session.scalar(
            select(CalendarFeedToken.token).where(CalendarFeedToken.user_id == user.id)
        )
        assert found is not None
        return found
    return row.token


def user_for_feed_token(token: str) -> User:
    """The owner of a feed token, or NotFound."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token == token))
    if row is None or len(token) > 64:
        raise NotFound()
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotFound()
    return user


def parse_local(value: str, zone: str) -> datetime:
    """'2027-01-09T08:00' typed in ``zone`` -> aware UTC (ValueError when malformed)."""
    from zoneinfo import ZoneInfo

    naive = datetime.fromisoformat(value)
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def discussion_topic(actor: User, meeting: Meeting) -> Any:
    """The meeting's discussion topic, started by the first member who asks for it."""
    from cop.discussions import services as discussion_services
    from cop.discussions.models import Topic

    permissions.authorize(actor, "meeting.view", meeting)
    permissions.authorize(actor, "community.participate", meeting.community)
    with unit_of_work():
        # Lock the meeting row so two first clicks start one topic, not two.
        locked = db.session.scalar(
            select(Meeting).where(Meeting.id == meeting.id).with_for_update()
        )
        if locked is None:
            raise NotFound()
        existing = db.session.get(Topic, locked.topic_id) if locked.topic_id else None
        if existing is not None:
            return existing
        topic = discussion_services.create_topic(
            actor,
            meeting.community,
            discussion_services.TopicData(
                title=str(_l("Meeting: %(title)s", title=meeting.title))[:200],
                body=str(
                    _l(
                        "Questions, materials and follow-up for [%(title)s](%(url)s).",
                        title=meeting.title,
                        url=meeting_url(meeting),
                    )
                ),
                tags=["pertemuan"],
            ),
        )
        locked.topic_id = topic.id
    return topic


def chat_channel(actor: User, meeting: Meeting) -> Any:
    """The meeting's chat channel, created on first need."""
    from cop.chat import services as chat_services

    permissions.authorize(actor, "meeting.view", meeting)
    return chat_services.meeting_channel(actor, meeting.community, meeting.id, meeting.title)
