"""Classroom action research (PTK): a teacher's PTK with a small working group, cycles of
plan, act, observe and reflect with data attached, peer feedback, and guest reviewers
(a pengawas) invited by a signed link to read and comment on that PTK only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from cop import signals
from cop.auth.models import User
from cop.communities.models import Community
from cop.core import permissions, signing
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.ids import is_id
from cop.core.markdown import render_markdown
from cop.core.types import utcnow
from cop.cycles import limits
from cop.cycles.models import PTK, PTKComment, PTKCycle, PTKFile, PTKMember, PTKReviewer
from cop.cycles.services import common
from cop.extensions import db
from cop.resources import services as resource_services
from cop.resources import sniff
from cop.resources.storage import get_storage

UNKNOWN_PTK = _l("That classroom action research does not exist.")
UNKNOWN_INVITE = _l("This invite link is not valid (any more).")
_INVITE_SALT = "cop-ptk-reviewer-invite"


@dataclass
class CycleData:
    """One PTK cycle's four steps."""

    plan: str
    act: str = ""
    observe: str = ""
    reflect: str = ""


def visible_ptk(user: User | None, ptk_id: int, action: str = "ptk.view") -> PTK:
    """The PTK if ``user`` may ``action`` it; one 404 for unknown and invisible."""
    ptk = db.session.get(PTK, ptk_id) if is_id(ptk_id) else None
    return permissions.visible(user, action, ptk, missing=UNKNOWN_PTK)


def start_ptk(
    actor: User, community: Community, title: str, problem: str, member_ids: list[int]
) -> PTK:
    """Start a PTK in ``community`` with its working group (active members)."""
    permissions.authorize(actor, "community.participate", community)
    errors: dict[str, Any] = {}
    title = common.text(title, "title", errors, limits.TITLE_MAX, required=True)
    problem = common.text(problem, "problem", errors, limits.PROBLEM_MAX, required=True)
    members = common.member_ids(
        community,
        [i for i in member_ids if i != actor.id],
        "member_ids",
        errors,
        limits.PTK_MEMBERS_MAX,
    )
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        ptk = PTK(community_id=community.id, author_id=actor.id, title=title, problem=problem)
        ptk.members = [PTKMember(user_id=i) for i in members]
        db.session.add(ptk)
        db.session.flush()
    return ptk


def _validate_cycle(data: CycleData) -> CycleData:
    errors: dict[str, Any] = {}
    data.plan = common.text(data.plan, "plan", errors, limits.STEP_MAX, required=True)
    data.act = common.text(data.act, "act", errors, limits.STEP_MAX, required=False)
    data.observe = common.text(data.observe, "observe", errors, limits.STEP_MAX, required=False)
    data.reflect = common.text(data.reflect, "reflect", errors, limits.STEP_MAX, required=False)
    if errors:
        raise ValidationError(fields=errors)
    return data


def add_cycle(actor: User, ptk: PTK, data: CycleData, cycle_id: int | None = None) -> PTKCycle:
    """Add the next cycle (siklus), or update ``cycle_id`` of this PTK (the group)."""
    permissions.authorize(actor, "ptk.edit", ptk)
    data = _validate_cycle(data)
    with unit_of_work():
        if cycle_id is not None:
            cycle = db.session.get(PTKCycle, cycle_id) if is_id(cycle_id) else None
            if cycle is None or cycle.ptk_id != ptk.id:
                raise NotFound(_l("That cycle does not exist."))
        else:
            count = db.session.scalar(select(func.count()).where(PTKCycle.ptk_id == ptk.id)) or 0
            if count >= limits.CYCLES_MAX:
                raise Conflict(
                    _l("A PTK has at most %(n)d cycles.", n=limits.CYCLES_MAX), code="too_many"
                )
            cycle = PTKCycle(ptk_id=ptk.id, number=count + 1)
            db.session.add(cycle)
        cycle.plan, cycle.act = data.plan, data.act
        cycle.observe, cycle.reflect = data.observe, data.reflect
        db.session.flush()
        signals.send_after_commit(
            signals.ptk_cycle_added, ptk, ptk=ptk, cycle=cycle, actor=actor, new=cycle_id is None
        )
    return cycle


def attach_file(
    actor: User, ptk: PTK, cycle_id: int | None, upload: resource_services.Upload
) -> PTKFile:
    """Attach data to one of the PTK's cycles (the group), under the upload limits."""
    permissions.authorize(actor, "ptk.edit", ptk)
    cycle = db.session.get(PTKCycle, cycle_id) if is_id(cycle_id) else None
    if cycle is None or cycle.ptk_id != ptk.id:
        raise ValidationError(fields={"cycle_id": _l("Choose a cycle of this PTK.")})
    spooled, filename, ext = resource_services.receive_upload(upload)
    storage = get_storage()
    key = storage.put(spooled)
    try:
        with unit_of_work():
            row = PTKFile(
                cycle_id=cycle.id,
                uploader_id=actor.id,
                filename=filename,
                content_type=sniff.CONTENT_TYPES[ext],
                size=spooled.size,
                storage_key=key,
            )
            db.session.add(row)
    except BaseException:
        storage.delete(key)
        raise
    finally:
        spooled.discard()
    return row


def visible_file(user: User | None, file_id: int) -> PTKFile:
    """A data file of a PTK ``user`` may see."""
    row = db.session.get(PTKFile, file_id) if is_id(file_id) else None
    cycle = db.session.get(PTKCycle, row.cycle_id) if row else None
    ptk = db.session.get(PTK, cycle.ptk_id) if cycle else None
    permissions.visible(user, "ptk.view", ptk, missing=_l("That file does not exist."))
    assert row is not None
    return row


def open_file(row: PTKFile) -> IO[bytes]:
    """The stored file for reading (the caller closes it)."""
    return get_storage().open(row.storage_key)


def comment_ptk(actor: User, ptk: PTK, body: str, cycle_id: int | None = None) -> PTKComment:
    """Peer feedback on the PTK (members, the group, its reviewers)."""
    permissions.authorize(actor, "ptk.comment", ptk)
    errors: dict[str, Any] = {}
    body = common.text(body, "body", errors, limits.COMMENT_MAX, required=True)
    if cycle_id is not None:
        cycle = db.session.get(PTKCycle, cycle_id) if is_id(cycle_id) else None
        if cycle is None or cycle.ptk_id != ptk.id:
            errors["cycle_id"] = _l("Choose a cycle of this PTK.")
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        comment = PTKComment(
            ptk_id=ptk.id,
            cycle_id=cycle_id,
            author_id=actor.id,
            body=body,
            html=render_markdown(body),
        )
        db.session.add(comment)
        db.session.flush()
        signals.send_after_commit(signals.ptk_commented, ptk, ptk=ptk, comment=comment, actor=actor)
    return comment


def set_ptk_hours(actor: User, ptk: PTK, value: int | None) -> PTK:
    """The PKB hours (JP) the PTK credits its author, group and reviewers (coordinators)."""
    permissions.authorize(actor, "ptk.set_hours", ptk)
    errors: dict[str, Any] = {}
    hours = common.hours(value, "hours", errors, limits.HOURS_MAX)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        ptk.hours = hours
    return ptk


def _serializer() -> URLSafeSerializer:
    return signing.untimed(_INVITE_SALT)


def invite_token(reviewer: PTKReviewer) -> str:
    """The signed token of a reviewer invite's link."""
    return str(_serializer().dumps({"r": reviewer.id, "p": reviewer.ptk_id}))


def invite_reviewer(actor: User, ptk: PTK, note: str) -> PTKReviewer:
    """Write an invite for a guest reviewer (the group); its link is ``invite_token``."""
    permissions.authorize(actor, "ptk.edit", ptk)
    errors: dict[str, Any] = {}
    note = common.text(note, "note", errors, limits.REVIEW_NOTE_MAX, required=True)
    if errors:
        raise ValidationError(fields=errors)
    with unit_of_work():
        reviewer = PTKReviewer(ptk_id=ptk.id, note=note, invited_by_id=actor.id)
        db.session.add(reviewer)
    return reviewer


def reviewer_for_token(token: str) -> PTKReviewer:
    """The invite a signed token names, or NotFound."""
    try:
        payload = _serializer().loads(token)
    except BadSignature as exc:
        raise NotFound(UNKNOWN_INVITE) from exc
    rid = payload.get("r") if isinstance(payload, dict) else None
    reviewer = db.session.get(PTKReviewer, rid) if is_id(rid) else None
    if reviewer is None or reviewer.ptk_id != payload.get("p"):
        raise NotFound(UNKNOWN_INVITE)
    return reviewer


def accept_invite(user: User, token: str) -> PTK:
    """Bind an invite to ``user``: from now on they read and comment on that PTK only."""
    reviewer = reviewer_for_token(token)
    ptk = db.session.get(PTK, reviewer.ptk_id)
    assert ptk is not None
    if reviewer.user_id == user.id:
        return ptk
    if reviewer.user_id is not None:
        raise Conflict(_l("Someone else already used this invite link."), code="invite_used")
    if user.id in ptk.group_ids():
        raise Conflict(_l("You are in this PTK's group already."), code="in_group")
    taken = db.session.scalar(
        select(PTKReviewer.id).where(PTKReviewer.ptk_id == ptk.id, PTKReviewer.user_id == user.id)
    )
    if taken is not None:
        return ptk
    with unit_of_work():
        reviewer.user_id = user.id
        reviewer.accepted_at = utcnow()
        signals.send_after_commit(
            signals.ptk_reviewer_joined, ptk, ptk=ptk, reviewer=reviewer, user=user
        )
    return ptk
