"""Minutes (notulen) with revisions and publishing, and the action items agreed in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop import signals
from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Forbidden, NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings import limits
from cop.meetings.models import ActionItem, Meeting, Minutes, MinutesRevision
from cop.meetings.services.attendance import active_member


@dataclass
class ActionItemData:
    """A follow-up typed with the minutes."""

    title: str
    assignee_id: int | None = None
    due_on: date | None = None


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes row, if written."""
    return db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))


def _validate(body: str | None, items: list[ActionItemData]) -> None:
    if body is not None and len(body) > limits.MINUTES_MAX:
        raise ValidationError(
            fields={"body": _l("At most %(n)d characters.", n=limits.MINUTES_MAX)}
        )
    if len(items) > limits.ACTION_ITEMS_MAX:
        raise ValidationError(fields={"action_items": _l("Too many action items.")})
    for item in items:
        item.title = (item.title or "").strip()
        if not 1 <= len(item.title) <= limits.ACTION_TITLE_MAX:
            raise ValidationError(
                fields={
                    "action_items": _l(
                        "Each action item needs a title of at most %(n)d characters.",
                        n=limits.ACTION_TITLE_MAX,
                    )
                }
            )


def _add_action_items(actor: User, meeting: Meeting, items: list[ActionItemData]) -> None:
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
            signals.send_after_commit(
                signals.action_item_assigned, row, item=row, meeting=meeting, actor=actor
            )


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
    items = action_items or []
    _validate(body, items)
    now = utcnow()
    with unit_of_work():
        for item in items:
            if item.assignee_id is not None:
                active_member(meeting.community, item.assignee_id)
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
        _add_action_items(actor, meeting, items)
        if publish and not minutes.published:
            minutes.published = True
            minutes.published_at = now
            signals.send_after_commit(
                signals.minutes_published, meeting, meeting=meeting, minutes=minutes, actor=actor
            )
    return minutes


def set_action_item_done(actor: User, item_id: int, done: bool) -> ActionItem:
    """Tick off (or reopen) an action item: its assignee or a coordinator."""
    item = db.session.get(ActionItem, item_id)
    if item is None:
        raise NotFound()
    permissions.authorize(actor, "meeting.view", item.meeting)
    if item.assignee_id != actor.id and not permissions.can(actor, "meeting.manage", item.meeting):
        raise Forbidden(_l("Only the assignee or a coordinator can change this."))
    with unit_of_work():
        if item.done != done:
            item.done = done
            item.done_at = utcnow() if done else None
            signals.send_after_commit(
                signals.action_item_done,
                item,
                item=item,
                meeting=item.meeting,
                actor=actor,
                done=done,
            )
    return item
