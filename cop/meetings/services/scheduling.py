"""Scheduling: the meeting's data and its checks, schedule (with recurrence), edit, cancel,
and the one fetch-and-authorize lookup every edge uses."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.inputs import is_web_url
from cop.core.timezones import is_known_zone
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import KINDS, MODES, AgendaItem, Meeting, MeetingSeries
from cop.meetings.recurrence import expand
from cop.meetings.services.attendance import promote_waitlist
from cop.meetings.services.clashes import check_clashes

#: the one message for a meeting that does not exist or is not visible
UNKNOWN = _l("That meeting does not exist.")

#: fields ``update`` changes by name (times and status have their own rules)
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
    #: recorded after it happened: its start and end lie in the past
    recorded: bool = False


def _checkin_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a hall
    # 32^8 ~ 1.1e12 codes against a few wrong tries per person (docs/security.md)
    return "".join(secrets.choice(alphabet) for _ in range(limits.CHECKIN_CODE_LENGTH))


def _check_times(
    data: MeetingData, errors: dict[str, Any], now: datetime, allow_past: bool
) -> None:
    if data.starts_at is None:
        errors["starts_at"] = _l("Enter the start date and time.")
    if data.ends_at is None:
        errors["ends_at"] = _l("Enter the end date and time.")
    if data.starts_at and data.ends_at:
        if data.ends_at <= data.starts_at:
            errors["ends_at"] = _l("The end must be after the start.")
        elif data.ends_at - data.starts_at > limits.DURATION_MAX:
            errors["ends_at"] = _l(
                "A meeting lasts at most %(n)d hours.", n=limits.DURATION_MAX // timedelta(hours=1)
            )
        if data.recorded and data.ends_at > now:
            errors["ends_at"] = _l("A meeting recorded afterwards must have ended already.")
        elif not (allow_past or data.recorded) and data.starts_at < now:
            errors["starts_at"] = _l("The meeting cannot start in the past.")


def _check_place(data: MeetingData, errors: dict[str, Any]) -> None:
    data.location = (data.location or "").strip()
    data.online_url = (data.online_url or "").strip()
    if len(data.location) > limits.LOCATION_MAX:
        errors["location"] = _l("At most %(n)d characters.", n=limits.LOCATION_MAX)
    if data.online_url and (
        len(data.online_url) > limits.ONLINE_URL_MAX or not is_web_url(data.online_url)
    ):
        errors["online_url"] = _l("Enter a link starting with http:// or https://.")
    if data.mode in ("offline", "hybrid") and not data.location:
        errors["location"] = _l("Say where the meeting takes place.")
    if data.mode in ("online", "hybrid") and not data.online_url:
        errors["online_url"] = _l("Give the link of the online meeting.")


def validate_meeting(data: MeetingData, *, now: datetime, allow_past: bool = False) -> MeetingData:
    """``data`` cleaned (stripped), or one ValidationError naming every wrong field."""
    errors: dict[str, Any] = {}
    data.title = (data.title or "").strip()
    if not limits.TITLE_MIN <= len(data.title) <= limits.TITLE_MAX:
        errors["title"] = _l(
            "Enter a title of %(min)d to %(max)d characters.",
            min=limits.TITLE_MIN,
            max=limits.TITLE_MAX,
        )
    if data.kind not in KINDS:
        errors["kind"] = _l("Choose a kind of meeting.")
    if data.mode not in MODES:
        errors["mode"] = _l("Choose offline, online or hybrid.")
    if not is_known_zone(data.timezone or ""):
        errors["timezone"] = _l("Choose WIB, WITA or WIT.")
    _check_times(data, errors, now, allow_past)
    _check_place(data, errors)
    if (
        data.capacity is not None
        and not limits.CAPACITY_MIN <= data.capacity <= limits.CAPACITY_MAX
    ):
        errors["capacity"] = _l(
            "Capacity is a number from %(min)d to %(max)d, or empty.",
            min=limits.CAPACITY_MIN,
            max=limits.CAPACITY_MAX,
        )
    if not 0 <= (data.pkb_hours or 0) <= limits.PKB_HOURS_MAX:
        errors["pkb_hours"] = _l(
            "PKB hours are a number from 0 to %(max)d.", max=limits.PKB_HOURS_MAX
        )
    data.description = (data.description or "").strip()
    if len(data.description) > limits.DESCRIPTION_MAX:
        errors["description"] = _l("At most %(n)d characters.", n=limits.DESCRIPTION_MAX)
    if len(data.agenda) > limits.AGENDA_ITEMS_MAX:
        errors["agenda"] = _l("At most %(n)d agenda items.", n=limits.AGENDA_ITEMS_MAX)
    for item in data.agenda:
        validate_agenda_item(item, errors)
    if errors:
        raise ValidationError(fields=errors)
    return data


def validate_agenda_item(item: AgendaData, errors: dict[str, Any]) -> None:
    """Clean ``item``; a problem goes into ``errors["agenda"]``."""
    item.title = (item.title or "").strip()
    if not 1 <= len(item.title) <= limits.AGENDA_TITLE_MAX:
        errors["agenda"] = _l(
            "Each agenda item needs a title of at most %(n)d characters.",
            n=limits.AGENDA_TITLE_MAX,
        )
    if not 0 <= (item.duration_min or 0) <= limits.AGENDA_DURATION_MAX:
        errors["agenda"] = _l(
            "An agenda item lasts 0 to %(n)d minutes.", n=limits.AGENDA_DURATION_MAX
        )
    if len(item.notes or "") > limits.AGENDA_NOTES_MAX:
        errors["agenda"] = _l(
            "Agenda notes have at most %(n)d characters.", n=limits.AGENDA_NOTES_MAX
        )


def check_presenters(community: Community, ids: list[int | None]) -> None:
    """Every presenter given is an active member of ``community`` (else ValidationError)."""
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


def agenda_row(item: AgendaData, position: int, meeting_id: int | None = None) -> AgendaItem:
    """The AgendaItem row for a validated ``item`` at ``position``."""
    return AgendaItem(
        meeting_id=meeting_id,
        position=position,
        title=item.title,
        presenter_id=item.presenter_id,
        duration_min=item.duration_min or 0,
        notes=item.notes or "",
    )


def parse_local(value: str, zone: str) -> datetime:
    """'2027-01-09T08:00' typed in ``zone`` -> aware UTC (ValueError when malformed or
    outside limits.PLANNING_YEARS)."""
    naive = datetime.fromisoformat(value)
    if naive.year not in limits.PLANNING_YEARS:
        raise ValueError("year out of range")
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


# --- schedule ------------------------------------------------------------------


def _start_times(data: MeetingData, recurrence: str | None, now: datetime) -> list[datetime]:
    assert data.starts_at is not None
    if not recurrence:
        return [data.starts_at]
    if data.recorded:
        raise ValidationError(
            fields={"recurrence": _l("A meeting recorded afterwards is a single meeting.")}
        )
    starts = expand(recurrence, data.starts_at, data.timezone)
    if starts[0] < now:
        raise ValidationError(fields={"starts_at": _l("The meeting cannot start in the past.")})
    return starts


def _new_meeting(
    actor: User, community: Community, data: MeetingData, start: datetime, series_id: int | None
) -> Meeting:
    assert data.starts_at is not None and data.ends_at is not None
    meeting = Meeting(
        community_id=community.id,
        series_id=series_id,
        title=data.title,
        kind=data.kind,
        starts_at=start,
        ends_at=start + (data.ends_at - data.starts_at),
        timezone=data.timezone,
        mode=data.mode,
        location=data.location,
        online_url=data.online_url,
        capacity=data.capacity,
        pkb_hours=data.pkb_hours or 0,
        description=data.description,
        checkin_code=_checkin_code(),
        created_by_id=actor.id,
        recorded=data.recorded,
    )
    meeting.agenda = [agenda_row(a, i) for i, a in enumerate(data.agenda)]
    return meeting


def schedule(
    actor: User,
    community: Community,
    data: MeetingData,
    recurrence: str | None = None,
    *,
    allow_clash: bool = False,
    now: datetime | None = None,
) -> tuple[Meeting, list[Meeting]]:
    """Schedule one meeting, or a series from an RRULE; returns (first, all occurrences).

    A time that overlaps another meeting of the community is a Conflict (``clash``)
    unless ``allow_clash``."""
    permissions.authorize(actor, "community.manage", community)
    now = now or utcnow()
    data = validate_meeting(data, now=now)
    starts = _start_times(data, recurrence, now)
    if not allow_clash:
        assert data.starts_at is not None and data.ends_at is not None
        check_clashes(community.id, starts, data.ends_at - data.starts_at)
    with unit_of_work():
        check_presenters(community, [a.presenter_id for a in data.agenda])
        series = None
        if recurrence:
            series = MeetingSeries(
                community_id=community.id, rrule=recurrence.strip(), timezone=data.timezone
            )
            db.session.add(series)
            db.session.flush()
        meetings = []
        for start in starts:
            meeting = _new_meeting(actor, community, data, start, series.id if series else None)
            db.session.add(meeting)
            meetings.append(meeting)
        db.session.flush()
        signals.send_after_commit(
            signals.meeting_scheduled,
            meetings[0],
            meeting=meetings[0],
            meetings=meetings,
            community=community,
            actor=actor,
        )
    return meetings[0], meetings


def get_meeting(meeting_id: int) -> Meeting:
    """The meeting, or NotFound."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(UNKNOWN)
    return meeting


def visible_meeting(user: User | None, meeting_id: int, action: str = "meeting.view") -> Meeting:
    """The meeting if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    meeting = db.session.get(Meeting, meeting_id) if is_id(meeting_id) else None
    return permissions.visible(user, action, meeting, missing=UNKNOWN)


# --- edit and cancel --------------------------------------------------------------


def _status_change(changes: dict[str, Any]) -> tuple[str | None, str]:
    """Pop and check ``status`` and ``cancel_reason`` from ``changes``."""
    status = changes.pop("status", None)
    reason = (changes.pop("cancel_reason", None) or "").strip()
    if status not in (None, "scheduled", "cancelled"):
        raise ValidationError(fields={"status": _l("Choose scheduled or cancelled.")})
    if status == "cancelled" and not reason:
        raise ValidationError(fields={"cancel_reason": _l("Tell members why it is cancelled.")})
    if len(reason) > limits.CANCEL_REASON_MAX:
        raise ValidationError(
            fields={"cancel_reason": _l("At most %(n)d characters.", n=limits.CANCEL_REASON_MAX)}
        )
    unknown = set(changes) - set(UPDATABLE) - {"starts_at", "ends_at", "timezone"}
    if unknown:
        raise ValidationError(
            fields={name: _l("This field cannot be changed.") for name in unknown}
        )
    return status, reason


def _targets(meeting: Meeting, scope: str) -> list[Meeting]:
    """The meeting, or (``following``) it and the later meetings of its series."""
    if scope != "following" or meeting.series_id is None:
        return [meeting]
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.series_id == meeting.series_id, Meeting.starts_at >= meeting.starts_at)
            .order_by(Meeting.starts_at)
        )
    )


def _cleaned_changes(
    meeting: Meeting, changes: dict[str, Any], new_start: datetime, new_end: datetime, now: datetime
) -> dict[str, Any]:
    """Validate the result on the meeting itself (past check only when its time moves)."""
    time_changed = new_start != meeting.starts_at or new_end != meeting.ends_at
    probe = MeetingData(
        title=changes.get("title", meeting.title),
        starts_at=new_start,
        ends_at=new_end,
        timezone=changes.get("timezone", meeting.timezone),
        **{
            name: changes.get(name, getattr(meeting, name)) for name in UPDATABLE if name != "title"
        },
    )
    probe = validate_meeting(probe, now=now, allow_past=not time_changed)
    # Times move by shifting each target (below), never by copying this meeting's times.
    return {name: getattr(probe, name) for name in changes if name not in ("starts_at", "ends_at")}


def _apply_status(target: Meeting, status: str | None, reason: str) -> None:
    if status == "cancelled":
        target.status = "cancelled"
        target.cancel_reason = reason
    elif status == "scheduled":
        target.status = "scheduled"
        target.cancel_reason = ""


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
    status, reason = _status_change(changes)
    targets = _targets(meeting, scope)
    new_start = changes.pop("starts_at", None) or meeting.starts_at
    new_end = changes.pop("ends_at", None) or meeting.ends_at
    shift, duration = new_start - meeting.starts_at, new_end - new_start
    time_changed = new_start != meeting.starts_at or new_end != meeting.ends_at
    if time_changed and any(t.starts_at <= now for t in targets):
        raise ValidationError(
            fields={"starts_at": _l("A meeting that has already started cannot be moved.")},
            code="meeting_held",
        )
    cleaned = _cleaned_changes(meeting, changes, new_start, new_end, now)
    with unit_of_work():
        for target in targets:
            for name, value in cleaned.items():
                setattr(target, name, value)
            if time_changed:
                target.starts_at = target.starts_at + shift
                target.ends_at = target.starts_at + duration
            _apply_status(target, status, reason)
            target.sequence += 1
            target.updated_at = now
            db.session.add(target)
            if "capacity" in cleaned:
                db.session.flush()
                promote_waitlist(target)
            if status == "cancelled":
                signals.send_after_commit(
                    signals.meeting_cancelled, target, meeting=target, actor=actor, reason=reason
                )
            else:
                signals.send_after_commit(
                    signals.meeting_changed, target, meeting=target, actor=actor
                )
    db.session.refresh(meeting)  # what the edit and its series rules left, as stored
    return meeting
