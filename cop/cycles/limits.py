"""Sizes and patterns of the learning cycles' fields (forms, API schemas and services)."""

from __future__ import annotations

import re

SUBJECT_MAX = 120
GRADE_MAX = 40
GOAL_MAX = 2000
PLAN_MAX = 50_000
COMMENT_MAX = 4000
LESSONS_MAX = 20_000
OBSERVERS_MAX = 12
HOURS_MAX = 100
NOTE_MAX = 1000
MOMENT_MAX = 20
CLIENT_ID_MAX = 64
FOCUS_MAX = 300
GROW_MAX = 4000
MENTEES_MAX = 5
TITLE_MAX = 300
PROBLEM_MAX = 4000
STEP_MAX = 8000
PTK_MEMBERS_MAX = 8
CYCLES_MAX = 6
REVIEW_NOTE_MAX = 200
RATING_MIN, RATING_MAX = 1, 5

#: a student's code on an observation sheet: letters, an optional dash, digits
#: ("S07", "A-3", "12"); never a name
STUDENT_CODE = r"^[A-Za-z]{0,3}-?[0-9]{1,3}$"
STUDENT_CODE_RE = re.compile(STUDENT_CODE)
#: what a client id may hold (made by the phone: a UUID or similar)
CLIENT_ID = r"^[A-Za-z0-9_-]{8,64}$"
CLIENT_ID_RE = re.compile(CLIENT_ID)
#: two or more capitalised words in a row: what a student's full name looks like
FULL_NAME_RE = re.compile(r"\b[A-Z][a-z]{1,}(?:[ ]+[A-Z][a-z]{1,})+\b")


def looks_like_a_name(text: str) -> bool:
    """True when ``text`` holds what looks like a person's full name ("Budi Santoso")."""
    return bool(FULL_NAME_RE.search(text or ""))
