"""OpenAPI components of the learning cycles' API: the shapes of
cop/cycles/serializers.py and the request bodies of cop/api/cycles.py."""

from __future__ import annotations

from typing import Any

from cop.api.schemas import (
    DATE_TIME,
    ID_SCHEMA,
    NULLABLE_DATE_TIME,
    VISIBLE,
    add_schemas,
    list_of,
    nullable,
    obj,
)
from cop.cycles import limits
from cop.cycles.models import STAGES

PERSON = obj({"id": {"type": "integer"}, "name": {"type": "string"}})
DAY = {"type": "string", "format": "date"}


def _text(most: int, *, required: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": most}
    if required:
        schema["pattern"] = VISIBLE
    return schema


add_schemas(
    {
        "LessonStudy": obj(
            {
                "id": {"type": "integer"},
                "community": {"type": "string", "description": "The community's slug."},
                "subject": {"type": "string"},
                "grade": {"type": "string"},
                "learning_goal": {"type": "string"},
                "stage": {"type": "string", "enum": list(STAGES)},
                "model_teacher": nullable(PERSON),
                "observers": {"type": "array", "items": PERSON},
                "meeting_id": {"type": ["integer", "null"], "description": "The open lesson."},
                "plan": {"type": "string", "description": "The lesson plan (Markdown)."},
                "plan_html": {"type": "string"},
                "lessons_learned": {"type": "string"},
                "reflection_published_at": NULLABLE_DATE_TIME,
                "model_hours": {"type": "integer"},
                "observer_hours": {"type": "integer"},
                "created_at": DATE_TIME,
            }
        ),
        "LessonStudyList": list_of("LessonStudy", "A community's lesson studies, newest first."),
        "LessonStudyCreate": {
            "type": "object",
            "required": ["subject", "grade", "learning_goal", "model_teacher_id"],
            "properties": {
                "subject": _text(limits.SUBJECT_MAX, required=True),
                "grade": _text(limits.GRADE_MAX, required=True),
                "learning_goal": _text(limits.GOAL_MAX, required=True),
                "model_teacher_id": {**ID_SCHEMA, "description": "An active member."},
                "observer_ids": {
                    "type": "array",
                    "maxItems": limits.OBSERVERS_MAX,
                    "items": ID_SCHEMA,
                    "description": "Active members, not the model teacher.",
                },
            },
        },
        "StageRequest": {
            "type": "object",
            "required": ["stage"],
            "properties": {"stage": {"type": "string", "enum": list(STAGES)}},
            "description": "Backwards after the reflection is published: 409 reflection_published.",
        },
        "Observation": obj(
            {
                "id": {"type": "integer"},
                "lesson_study_id": {"type": "integer"},
                "observer": nullable(PERSON),
                "client_id": {"type": "string"},
                "student_code": {"type": "string", "description": "A code, never a name."},
                "moment": {"type": "string"},
                "note": {"type": "string"},
                "photo_url": {"type": ["string", "null"]},
                "created_at": DATE_TIME,
            }
        ),
        "ObservationList": list_of("Observation", "Observations in the order they were made."),
        "ObservationCreate": {
            "type": "object",
            "required": ["client_id", "student_code", "moment", "note"],
            "properties": {
                "client_id": {
                    "type": "string",
                    "pattern": limits.CLIENT_ID,
                    "description": "Made by the client; the same one again is the same "
                    "observation (200 instead of 201).",
                },
                "student_code": {"type": "string", "pattern": limits.STUDENT_CODE},
                "moment": _text(limits.MOMENT_MAX, required=True),
                "note": _text(limits.NOTE_MAX, required=True),
                "confirm_name": {
                    "type": "boolean",
                    "description": "The observer confirms a note that looks like a full "
                    "name names no student (otherwise 400 on note).",
                },
            },
        },
        "MentoringSession": obj(
            {
                "id": {"type": "integer"},
                "pair_id": {"type": "integer"},
                "held_on": DAY,
                "goal": {"type": "string"},
                "reality": {"type": "string"},
                "options": {"type": "string"},
                "next_step": {"type": "string"},
                "next_due": {"type": ["string", "null"], "format": "date"},
                "created_at": DATE_TIME,
            }
        ),
        "MentoringSessionList": list_of("MentoringSession", "A pair's sessions, newest first."),
        "MentoringSessionCreate": {
            "type": "object",
            "required": ["held_on", "goal", "next_step"],
            "properties": {
                "held_on": DAY,
                "goal": _text(limits.GROW_MAX, required=True),
                "reality": _text(limits.GROW_MAX),
                "options": _text(limits.GROW_MAX),
                "next_step": _text(limits.GROW_MAX, required=True),
                "next_due": {**DAY, "description": "Not before held_on."},
            },
        },
    }
)
