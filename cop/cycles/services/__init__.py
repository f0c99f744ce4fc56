"""Learning-cycle operations: lesson studies (``lesson``, ``observations``), mentoring
pairs (``mentoring``) and PTKs (``ptk``).

Each takes the acting user explicitly, asks the permissions policy, owns its
transaction and raises cop.core.errors errors; what a cycle causes elsewhere
(badges, notifications, the live reflection page) goes out as a signal after the
commit (cop/signals.py, "learning cycles"). Callers use this package:
``from cop.cycles import services``, then ``services.open_lesson_study(...)``.
"""

from cop.cycles.services.lesson import (
    UNKNOWN_STUDY,
    LessonData,
    add_comment,
    link_resource,
    move_stage,
    open_lesson_study,
    save_lessons,
    save_plan,
    schedule_open_lesson,
    set_lesson_hours,
    visible_lesson_study,
)
from cop.cycles.services.mentoring import (
    UNKNOWN_PAIR,
    SessionData,
    approve_pair,
    due_steps,
    give_feedback,
    log_session,
    pair_mentoring,
    remind_next_steps,
    request_mentoring,
    set_pair_hours,
    visible_pair,
    visible_session,
)
from cop.cycles.services.observations import (
    ObservationData,
    open_photo,
    record_observation,
    visible_observation,
)
from cop.cycles.services.ptk import (
    UNKNOWN_PTK,
    CycleData,
    accept_invite,
    add_cycle,
    attach_file,
    comment_ptk,
    invite_reviewer,
    invite_token,
    open_file,
    reviewer_for_token,
    set_ptk_hours,
    start_ptk,
    visible_file,
    visible_ptk,
)

__all__ = [
    "UNKNOWN_PAIR",
    "UNKNOWN_PTK",
    "UNKNOWN_STUDY",
    "CycleData",
    "LessonData",
    "ObservationData",
    "SessionData",
    "accept_invite",
    "add_comment",
    "add_cycle",
    "approve_pair",
    "attach_file",
    "comment_ptk",
    "due_steps",
    "give_feedback",
    "invite_reviewer",
    "invite_token",
    "link_resource",
    "log_session",
    "move_stage",
    "open_file",
    "open_lesson_study",
    "open_photo",
    "pair_mentoring",
    "record_observation",
    "remind_next_steps",
    "request_mentoring",
    "reviewer_for_token",
    "save_lessons",
    "save_plan",
    "schedule_open_lesson",
    "set_lesson_hours",
    "set_pair_hours",
    "set_ptk_hours",
    "start_ptk",
    "visible_file",
    "visible_lesson_study",
    "visible_observation",
    "visible_pair",
    "visible_ptk",
    "visible_session",
]
