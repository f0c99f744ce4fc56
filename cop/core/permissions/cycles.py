"""Learning-cycle rules: lesson studies, mentoring pairs and PTKs.

- A lesson study is content of its community (seen where the community's content
  is); its plan is written by the model teacher, the observers, who opened it and
  the coordinators; observation sheets are the observers'.
- A mentoring pair and its notes are private to the mentor, the mentees and the
  community's coordinators: nobody else learns the pair exists (404), a site admin
  who is not a coordinator there included.
- A PTK is seen by its working group, the community's active members (peer
  feedback) and the guest reviewers it granted: a reviewer's grant opens THAT PTK
  only, never the community nor another PTK.

Each "can see" rule a listing also decides in SQL has its twin beside it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select

from cop.core.permissions.base import _has_role, _is_user, has_role_sql, is_admin, register
from cop.core.permissions.communities import (
    _community_manage,
    _community_participate,
    _community_view_content,
)
from cop.cycles.models import PTK, MentoringMentee, MentoringPair, PTKReviewer
from cop.extensions import db

# --- lesson study -----------------------------------------------------------------


def _lesson_view(user: Any, study: Any) -> bool:
    """Content of its community."""
    return _community_view_content(user, study.community)


def _is_lesson_team(user: Any, study: Any) -> bool:
    return _is_user(user) and (
        user.id in (study.model_teacher_id, study.created_by_id) or user.id in study.observer_ids()
    )


def _lesson_edit_plan(user: Any, study: Any) -> bool:
    """The model teacher, the observers, who opened it, coordinators: while members."""
    return _community_participate(user, study.community) and (
        _is_lesson_team(user, study) or _has_role(user, study.community, "coordinator")
    )


def _lesson_manage(user: Any, study: Any) -> bool:
    """Move stages, schedule the open lesson, write the lessons learned: the model
    teacher, who opened it and the coordinators."""
    if is_admin(user) or _has_role(user, study.community, "coordinator"):
        return True
    return (
        _community_participate(user, study.community)
        and _is_user(user)
        and user.id in (study.model_teacher_id, study.created_by_id)
    )


def _lesson_observe(user: Any, study: Any) -> bool:
    """Fill an observation sheet: the observers, while members."""
    return (
        _community_participate(user, study.community)
        and _is_user(user)
        and user.id in study.observer_ids()
    )


def _lesson_view_photos(user: Any, study: Any) -> bool:
    """Photos of the students' work: the community's active members and site admins
    only, even where the lesson study itself is public."""
    return is_admin(user) or _has_role(user, study.community, "member")


def _community_coordinator(user: Any, thing: Any) -> bool:
    """Set the PKB hours: the community's coordinators (and site admins)."""
    return _community_manage(user, thing.community)


def _participate(user: Any, thing: Any) -> bool:
    """Comment: active members of the community."""
    return _community_participate(user, thing.community)


# --- mentoring --------------------------------------------------------------------


def _coordinates(user: Any, community: Any) -> bool:
    return _has_role(user, community, "coordinator")


def _pair_view(user: Any, pair: Any) -> bool:
    """The mentor, the mentees, the community's coordinators: nobody else."""
    if not _is_user(user):
        return False
    return user.id in pair.member_ids() or _coordinates(user, pair.community)


def pair_visible_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``mentoring.view``: the pairs ``user`` may see."""
    if not _is_user(user):
        return false()
    mentee = exists().where(
        MentoringMentee.pair_id == MentoringPair.id, MentoringMentee.user_id == user.id
    )
    return or_(
        MentoringPair.mentor_id == user.id,
        mentee,
        has_role_sql(user, MentoringPair.community_id, "coordinator"),
    )


def _pair_log(user: Any, pair: Any) -> bool:
    """Log a session: the mentor and coordinators, while the pair is active."""
    if pair.status != "active" or pair.community.status == "archived":
        return False
    return (_is_user(user) and user.id == pair.mentor_id) or _coordinates(user, pair.community)


def _pair_feedback(user: Any, pair: Any) -> bool:
    """Give feedback on a session: the mentees."""
    return _is_user(user) and user.id in pair.mentee_ids()


def _pair_approve(user: Any, pair: Any) -> bool:
    """Approve a mentee's request, set hours, close: coordinators."""
    return _coordinates(user, pair.community)


# --- PTK --------------------------------------------------------------------------


def _is_reviewer(user: Any, ptk: Any) -> bool:
    if not _is_user(user):
        return False
    return bool(
        db.session.scalar(
            select(PTKReviewer.id).where(
                PTKReviewer.ptk_id == ptk.id, PTKReviewer.user_id == user.id
            )
        )
    )


def _ptk_view(user: Any, ptk: Any) -> bool:
    """The working group, active members of the community, site admins and the
    PTK's own reviewers."""
    if is_admin(user) or _has_role(user, ptk.community, "member"):
        return True
    return _is_user(user) and (user.id in ptk.group_ids() or _is_reviewer(user, ptk))


def ptk_visible_filter(user: Any) -> ColumnElement[bool]:
    """SQL twin of ``ptk.view``: the PTKs ``user`` may see."""
    if is_admin(user):
        return PTK.id.is_not(None)
    if not _is_user(user):
        return false()
    granted = select(PTKReviewer.ptk_id).where(PTKReviewer.user_id == user.id)
    return or_(has_role_sql(user, PTK.community_id, "member"), PTK.id.in_(granted))


def _ptk_edit(user: Any, ptk: Any) -> bool:
    """Add cycles, attach data, invite reviewers: the author and the working group."""
    return (
        _is_user(user)
        and user.id in ptk.group_ids()
        and _community_participate(user, ptk.community)
    )


def _ptk_comment(user: Any, ptk: Any) -> bool:
    """Peer feedback: members of the community, and the PTK's reviewers."""
    return _community_participate(user, ptk.community) or _is_reviewer(user, ptk)


register(
    {
        "lesson_study.view": (_lesson_view, None),
        "lesson_study.edit_plan": (_lesson_edit_plan, "lesson_study.view"),
        "lesson_study.comment": (_participate, "lesson_study.view"),
        "lesson_study.manage": (_lesson_manage, "lesson_study.view"),
        "lesson_study.observe": (_lesson_observe, "lesson_study.view"),
        "lesson_study.set_hours": (_community_coordinator, "lesson_study.view"),
        "lesson_study.view_photos": (_lesson_view_photos, "lesson_study.view"),
        "mentoring.view": (_pair_view, None),
        "mentoring.log": (_pair_log, "mentoring.view"),
        "mentoring.feedback": (_pair_feedback, "mentoring.view"),
        "mentoring.approve": (_pair_approve, "mentoring.view"),
        "ptk.view": (_ptk_view, None),
        "ptk.edit": (_ptk_edit, "ptk.view"),
        "ptk.comment": (_ptk_comment, "ptk.view"),
        "ptk.set_hours": (_community_coordinator, "ptk.view"),
    },
    {"lesson_study.view", "mentoring.view", "ptk.view"},
)
