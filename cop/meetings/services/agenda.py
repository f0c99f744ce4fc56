"""The agenda of a meeting: add, move and remove items (coordinators)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from cop import signals
from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import NotFound, ValidationError
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services.scheduling import (
    AgendaData,
    agenda_row,
    check_presenters,
    validate_agenda_item,
)


def _agenda_changed(actor: User, meeting: Meeting) -> None:
    signals.send_after_commit(signals.meeting_agenda_changed, meeting, meeting=meeting, actor=actor)


def add_agenda_item(actor: User, meeting: Meeting, item: AgendaData) -> AgendaItem:
    """Append an item to the agenda (coordinators)."""
    permissions.authorize(actor, "meeting.manage", meeting)
    errors: dict[str, Any] = {}
    validate_agenda_item(item, errors)
    if errors:
        raise ValidationError(fields={"title": errors["agenda"]})
    with unit_of_work():
        check_presenters(meeting.community, [item.presenter_id])
        count = db.session.scalar(
            select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id)
        )
        if (count or 0) >= limits.AGENDA_ITEMS_MAX:
            raise ValidationError(
                fields={"title": _l("At most %(n)d agenda items.", n=limits.AGENDA_ITEMS_MAX)}
            )
        last = db.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        row = agenda_row(item, (last if last is not None else -1) + 1, meeting.id)
        db.session.add(row)
        meeting.sequence += 1
        _agenda_changed(actor, meeting)
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
        _agenda_changed(actor, meeting)
    db.session.expire(meeting, ["agenda"])
