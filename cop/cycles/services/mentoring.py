"""Mentoring and coaching pairs: a coordinator pairs a mentor with mentees (or a mentee
asks and a coordinator approves); sessions in the GROW shape with a next step and its
due date (reminded once); the mentees' feedback on each session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import jobs, permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, ValidationError
from cop.core.ids import is_id
from cop.core.types import utcnow
from cop.cycles import limits
from cop.cycles.models import MentoringFeedback, MentoringMentee, MentoringPair, MentoringSession
from cop.cycles.services import common
from cop.extensions import db

UNKNOWN_PAIR = _l("That mentoring pair does not exist.")
UNKNOWN_SESSION = _l("That mentoring session does not exist.")


@dataclass
class SessionData:
    """One GROW session as the mentor writes it down."""

    held_on: date | None
    goal: str
    reality: str
    options: str
    next_step: str
    next_due: date | None = None


def visible_pair(user: User | None, pair_id: int, action: str = "mentoring.view") -> MentoringPair:
    """The pair if ``user`` may ``action`` it; one 404 for unknown and private."""
    pair = db.session.get(MentoringPair, pair_id) if is_id(pair_id) else None
    return permissions.visible(user, action, pair, missing=UNKNOWN_PAIR)


def visible_session(
    user: User | None, session_id: int, action: str = "mentoring.view"
) -> tuple[MentoringSession, MentoringPair]:
    """A session and its pair if ``user`` may ``action`` the pair."""
    session = db.session.get(MentoringSession, session_id) if is_id(session_id) else None
    pair = db.session.get(MentoringPair, session.pair_id) if session else None
    pair = permissions.visible(user, action, pair, missing=UNKNOWN_SESSION)
    assert session is not None
    return session, pair


def _new_pair(
    community: Community, mentor_id: int | None, mentee_ids: list[int], focus: str
) -> MentoringPair:
    errors: dict[str, Any] = {}
    focus = common.text(focus, "focus", errors, limits.FOCUS_MAX, required=False)
    if mentor_id is None or not common.active_members(community, [mentor_id]):
        errors["mentor_id"] = _l("Choose an active member of this community as the mentor.")
    mentees = common.member_ids(community, mentee_ids, "mentee_ids", errors, limits.MENTEES_MAX)
    if not mentees and "mentee_ids" not in errors:
        errors["mentee_ids"] = _l("Choose at least one mentee.")
    if mentor_id in mentees:
        errors["mentee_ids"] = _l("The mentor cannot be their own mentee.")
    if errors:
        raise ValidationError(fields=errors)
    assert mentor_id is not None
    pair = MentoringPair(community_id=community.id, mentor_id=mentor_id, focus=focus)
    pair.mentees = [MentoringMentee(user_id=i) for i in mentees]
    return pair


def pair_mentoring(
    actor: User, community: Community, mentor_id: int | None, mentee_ids: list[int], focus: str
) -> MentoringPair:
    """A coordinator pairs a mentor with one or more mentees (active at once)."""
    permissions.authorize(actor, "community.manage", community)
    pair = _new_pair(community, mentor_id, mentee_ids, focus)
    with unit_of_work():
        pair.status = "active"
        pair.requested_by_id = actor.id
        db.session.add(pair)
        db.session.flush()
        signals.send_after_commit(signals.mentoring_pair_started, pair, pair=pair, actor=actor)
    return pair


def request_mentoring(
    actor: User, community: Community, mentor_id: int | None, focus: str
) -> MentoringPair:
    """A member asks for a mentor; the pair waits for a coordinator's approval."""
    permissions.authorize(actor, "community.participate", community)
    pair = _new_pair(community, mentor_id, [actor.id], focus)
    with unit_of_work():
        pair.status = "requested"
        pair.requested_by_id = actor.id
        db.session.add(pair)
    return pair


def approve_pair(actor: User, pair: MentoringPair) -> MentoringPair:
    """A coordinator approves a mentee's request (idempotent for an active pair)."""
    permissions.authorize(actor, "mentoring.approve", pair)
    if pair.status == "active":
        return pair
    if pair.status != "requested":
        raise Conflict(_l("This pair is closed."), code="pair_closed")
    with unit_of_work():
        pair.status = "active"
        signals.send_after_commit(signals.mentoring_pair_started, pair, pair=pair, actor=actor)
    return pair


def set_pair_hours(actor: User, pair: MentoringPair, session_hours: int | None) -> MentoringPair:
    """The PKB hours (JP) each logged session credits the mentor and mentees (coordinators)."""
    permissions.authorize(actor, "mentoring.approve", pair)
    errors: dict[str, Any] = {}
    value = common.hours(session_hours, "session_hours", errors, limits.HOURS_MAX)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        pair.session_hours = value
    return pair


def _validate_session(data: SessionData) -> SessionData:
    errors: dict[str, Any] = {}
    if data.held_on is None:
        errors["held_on"] = _l("When was the session? Give a date.")
    data.goal = common.text(data.goal, "goal", errors, limits.GROW_MAX, required=True)
    data.reality = common.text(data.reality, "reality", errors, limits.GROW_MAX, required=False)
    data.options = common.text(data.options, "options", errors, limits.GROW_MAX, required=False)
    data.next_step = common.text(
        data.next_step, "next_step", errors, limits.GROW_MAX, required=True
    )
    if data.next_due is not None and data.held_on is not None and data.next_due < data.held_on:
        errors["next_due"] = _l("The next step falls due after the session, not before.")
    if errors:
        raise ValidationError(fields=errors)
    return data


def log_session(actor: User, pair: MentoringPair, data: SessionData) -> MentoringSession:
    """Log a GROW session (the mentor or a coordinator, while the pair is active)."""
    if pair.status == "requested":
        raise Conflict(_l("A coordinator has not approved this pair yet."), code="not_approved")
    permissions.authorize(actor, "mentoring.log", pair)
    data = _validate_session(data)
    assert data.held_on is not None
    with unit_of_work():
        session = MentoringSession(
            pair_id=pair.id,
            author_id=actor.id,
            held_on=data.held_on,
            goal=data.goal,
            reality=data.reality,
            options=data.options,
            next_step=data.next_step,
            next_due=data.next_due,
        )
        db.session.add(session)
        db.session.flush()
        signals.send_after_commit(
            signals.mentoring_session_logged, session, session=session, pair=pair, actor=actor
        )
    return session


def give_feedback(
    actor: User, session: MentoringSession, pair: MentoringPair, rating: int | None, comment: str
) -> MentoringFeedback:
    """A mentee's feedback on a session (one each; sent again, it is updated)."""
    permissions.authorize(actor, "mentoring.feedback", pair)
    errors: dict[str, Any] = {}
    if (
        not isinstance(rating, int)
        or isinstance(rating, bool)
        or not limits.RATING_MIN <= rating <= limits.RATING_MAX
    ):
        errors["rating"] = _l("Rate the session from 1 to 5.")
    comment = common.text(comment, "comment", errors, limits.GROW_MAX, required=False)
    if errors:
        raise ValidationError(fields=errors)
    assert rating is not None
    existing = db.session.scalar(
        select(MentoringFeedback).where(
            MentoringFeedback.session_id == session.id, MentoringFeedback.mentee_id == actor.id
        )
    )
    with unit_of_work():
        feedback = existing or MentoringFeedback(session_id=session.id, mentee_id=actor.id)
        feedback.rating = rating
        feedback.comment = comment
        db.session.add(feedback)
    return feedback


def due_steps(now: datetime) -> list[MentoringSession]:
    """Sessions of active pairs whose next step falls due by tomorrow, not reminded yet."""
    tomorrow = (now + timedelta(days=1)).date()
    return list(
        db.session.scalars(
            select(MentoringSession)
            .join(MentoringPair, MentoringPair.id == MentoringSession.pair_id)
            .where(
                MentoringPair.status == "active",
                MentoringSession.next_due.is_not(None),
                MentoringSession.next_due <= tomorrow,
                MentoringSession.next_due >= now.date() - timedelta(days=1),
                MentoringSession.reminded_at.is_(None),
            )
            .order_by(MentoringSession.id)
            .limit(500)
        )
    )


def _claim(session: MentoringSession, now: datetime) -> bool:
    """Mark the session reminded; False when another runner was first."""
    with unit_of_work():
        claimed = db.session.execute(
            update(MentoringSession)
            .where(MentoringSession.id == session.id, MentoringSession.reminded_at.is_(None))
            .values(reminded_at=now)
        )
        if not getattr(claimed, "rowcount", 0):
            return False
        pair = db.session.get(MentoringPair, session.pair_id)
        assert pair is not None
        people = [m.user for m in pair.mentees] + [pair.mentor]
        signals.send_after_commit(
            signals.mentoring_step_due, session, session=session, pair=pair, users=people
        )
    return True


@jobs.periodic("cycles.next_steps", minute="17")
def remind_next_steps(now: datetime | None = None) -> int:
    """Once an hour: remind each pair of a next step due by tomorrow (once per session)."""
    now = now or utcnow()
    return sum(1 for session in due_steps(now) if _claim(session, now))
