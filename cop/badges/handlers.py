"""Signal receivers: badges and points follow what members do elsewhere.

Each receiver runs after the sender's commit, brings the points ledger up to
date for the one thing that changed (``services.score``: it re-reads the
feature's tables, so a like withdrawn or a post deleted takes its points back)
and evaluates the affected member's badges of that family
(``services.evaluate``), in units of work of their own.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from cop import signals
from cop.badges import services
from cop.badges.models import ScoredAction
from cop.core import jobs
from cop.core.db import unit_of_work
from cop.discussions.models import Post
from cop.extensions import db
from cop.meetings.models import AgendaItem, MinutesRevision

_MODERATOR_REMOVED = "removed by a moderator"
MEETING_KINDS = ("attended", "presented", "minutes")
RESOURCE_KINDS = ("resource_shared", "resource_used", "resource_liked")


def _evaluate(user_id: int | None, community_id: int | None, family: str) -> None:
    if user_id is not None and community_id is not None:
        services.evaluate(user_id, community_id, (family, "community"))


# --- discussions ----------------------------------------------------------------


@signals.post_created.connect
def _post_created(_sender: Any, post: Any, topic: Any, **_kw: Any) -> None:
    """A post scores for its author; a first answer to a newcomer scores as a welcome.

    Posting is the busiest write there is, and scoring it (the welcome rule reads the
    topic's history) and evaluating the author's badges (every metric of the family)
    were most of a reply's cost: both go to the job queue, a moment after the post
    (tests and ``JOB_IMMEDIATE`` run the job at once).
    """
    with unit_of_work():
        jobs.enqueue(
            "badges.post_created",
            key=f"badges.post_created:{post.id}",
            post_id=post.id,
            topic_id=topic.id,
            author_id=post.author_id,
            community_id=topic.community_id,
        )


@jobs.handler("badges.post_created")
def post_created_job(post_id: int, topic_id: int, author_id: int | None, community_id: int) -> None:
    """The job: the post's points and the welcome's, then the author's badges."""
    services.score(("post",), post_id)
    services.score(("welcome",), topic_id)
    _evaluate(author_id, community_id, "discussions")


def _post_gone(post: Any, topic: Any, actor: Any) -> None:
    services.score(("post", "post_liked"), post.id)
    services.score(("solution", "welcome"), topic.id)
    _evaluate(post.author_id, topic.community_id, "discussions")
    by_moderator = actor is not None and actor.id != post.author_id
    if by_moderator and post.author_id is not None:
        services.revoke_unheld(
            post.author_id, topic.community_id, ("discussions",), _MODERATOR_REMOVED
        )


@signals.post_deleted.connect
def _post_deleted(_sender: Any, post: Any, topic: Any, actor: Any = None, **_kw: Any) -> None:
    """Its points and likes go; a moderator's removal can revoke what it earned."""
    _post_gone(post, topic, actor)


@signals.post_hidden.connect
def _post_hidden(
    _sender: Any, post: Any, topic: Any, actor: Any = None, hidden: bool = True, **_kw: Any
) -> None:
    """Hidden by a moderator: like a deletion; restored: it scores again."""
    if hidden:
        _post_gone(post, topic, actor)
    else:
        services.score(("post", "post_liked"), post.id)
        services.score(("solution", "welcome"), topic.id)
        _evaluate(post.author_id, topic.community_id, "discussions")


@signals.post_reacted.connect
def _post_reacted(_sender: Any, post: Any, topic: Any, **_kw: Any) -> None:
    """A like added or taken back: the author's points and like badges follow."""
    services.score(("post_liked",), post.id)
    _evaluate(post.author_id, topic.community_id, "discussions")


@signals.solution_marked.connect
def _solution_marked(
    _sender: Any,
    topic: Any,
    post_id: int | None,
    previous_post_id: int | None = None,
    **_kw: Any,
) -> None:
    """The solver scores; who was the solver before loses those points."""
    services.score(("solution",), topic.id)
    ids = [i for i in (post_id, previous_post_id) if i is not None]
    authors = (
        db.session.scalars(select(Post.author_id).where(Post.id.in_(ids))).all() if ids else []
    )
    for author_id in set(authors):
        _evaluate(author_id, topic.community_id, "discussions")


# --- meetings -------------------------------------------------------------------


def _presenters(meeting: Any) -> list[int]:
    return [
        i
        for i in db.session.scalars(
            select(AgendaItem.presenter_id).where(AgendaItem.meeting_id == meeting.id)
        ).all()
        if i is not None
    ]


@signals.attendance_recorded.connect
def _attendance_recorded(_sender: Any, meeting: Any, user_id: int, **_kw: Any) -> None:
    """Present (or excused after all): attendance, presenting and streak badges follow."""
    services.score(MEETING_KINDS, meeting.id)
    _evaluate(user_id, meeting.community_id, "meetings")


def _meeting_rescored(meeting: Any) -> None:
    services.score(MEETING_KINDS, meeting.id)
    for presenter_id in set(_presenters(meeting)):
        _evaluate(presenter_id, meeting.community_id, "meetings")


@signals.meeting_agenda_changed.connect
def _agenda_changed(_sender: Any, meeting: Any, **_kw: Any) -> None:
    """A presenter added or removed (a meeting recorded afterwards counts too)."""
    _meeting_rescored(meeting)


@signals.meeting_changed.connect
def _meeting_changed(_sender: Any, meeting: Any, **_kw: Any) -> None:
    """The agenda may have been replaced with the details."""
    _meeting_rescored(meeting)


@signals.meeting_cancelled.connect
def _meeting_cancelled(_sender: Any, meeting: Any, **_kw: Any) -> None:
    """A cancelled meeting scores nothing."""
    services.score(MEETING_KINDS, meeting.id)


@signals.minutes_published.connect
def _minutes_published(_sender: Any, meeting: Any, minutes: Any, actor: Any, **_kw: Any) -> None:
    """The writers of the minutes: points for the publisher, note-taker badges."""
    services.score(MEETING_KINDS, meeting.id)
    writers = set(
        db.session.scalars(
            select(MinutesRevision.author_id).where(MinutesRevision.minutes_id == minutes.id)
        ).all()
    )
    for writer in writers | {actor.id}:
        _evaluate(writer, meeting.community_id, "meetings")


@signals.action_item_done.connect
def _action_item_done(_sender: Any, item: Any, **_kw: Any) -> None:
    """Ticked off (or reopened): the assignee's points and badges follow."""
    services.score(("action_done",), item.id)
    _evaluate(item.assignee_id, item.community_id, "meetings")


# --- resources ------------------------------------------------------------------


def _resource_rescored(resource: Any) -> None:
    services.score(RESOURCE_KINDS, resource.id)
    _evaluate(resource.uploader_id, resource.community_id, "resources")


@signals.resource_shared.connect
def _resource_shared(_sender: Any, resource: Any, **_kw: Any) -> None:
    """Sharing scores for the uploader."""
    _resource_rescored(resource)


@signals.resource_downloaded.connect
def _resource_downloaded(_sender: Any, resource: Any, **_kw: Any) -> None:
    """A colleague downloaded it: the uploader's "used" points and badges."""
    _resource_rescored(resource)


@signals.resource_liked.connect
def _resource_liked(_sender: Any, resource: Any, **_kw: Any) -> None:
    """A colleague liked it (or took the like back)."""
    _resource_rescored(resource)


@signals.resource_updated.connect
def _resource_updated(
    _sender: Any, resource: Any, change: str = "", actor: Any = None, **_kw: Any
) -> None:
    """Hidden by a moderator: its points go and what it earned may be revoked."""
    if change not in ("hidden", "unhidden"):
        return
    _resource_rescored(resource)
    if change == "hidden" and resource.uploader_id is not None and resource.community_id:
        services.revoke_unheld(
            resource.uploader_id, resource.community_id, ("resources",), _MODERATOR_REMOVED
        )


@signals.resource_removed.connect
def _resource_removed(
    _sender: Any, resource_id: int, community_id: int | None = None, **_kw: Any
) -> None:
    """A deleted resource's points go (its uploader's counts are recomputed)."""
    earners = set(
        db.session.scalars(
            select(ScoredAction.user_id).where(
                ScoredAction.subject_id == resource_id,
                ScoredAction.kind.in_(RESOURCE_KINDS),
            )
        ).all()
    )
    services.score(RESOURCE_KINDS, resource_id)
    for user_id in earners:
        _evaluate(user_id, community_id, "resources")


# --- communities ----------------------------------------------------------------


@signals.membership_changed.connect
def _membership_changed(_sender: Any, membership: Any, **_kw: Any) -> None:
    """A new officer, an approved member: the community badges."""
    if membership.status == "active":
        services.evaluate(membership.user_id, membership.community_id, ("community",))


# --- learning cycles --------------------------------------------------------------


@signals.reflection_published.connect
def _reflection_published(_sender: Any, study: Any, **_kw: Any) -> None:
    """A published reflection credits the model teacher and the observers."""
    people = {study.model_teacher_id, *study.observer_ids()}
    for user_id in people:
        _evaluate(user_id, study.community_id, "cycles")


@signals.mentoring_session_logged.connect
def _mentoring_session_logged(_sender: Any, pair: Any, **_kw: Any) -> None:
    """A logged session credits the mentor and each mentee."""
    for user_id in pair.member_ids():
        _evaluate(user_id, pair.community_id, "cycles")


@signals.ptk_cycle_added.connect
def _ptk_cycle_added(_sender: Any, ptk: Any, **_kw: Any) -> None:
    """A PTK's cycle: its author's action-research badges."""
    _evaluate(ptk.author_id, ptk.community_id, "cycles")


@signals.ptk_commented.connect
def _ptk_commented(_sender: Any, ptk: Any, actor: Any, **_kw: Any) -> None:
    """Feedback from an invited reviewer (or the author's, after a reflected cycle)."""
    _evaluate(actor.id, ptk.community_id, "cycles")
    _evaluate(ptk.author_id, ptk.community_id, "cycles")


def init_app(_app: Flask) -> None:
    """Nothing to set up: the receivers above connect when create_app imports this module."""
