"""Reading the learning cycles' HTML forms: typed values from ``request.form`` (the
services validate what they mean; CSRF is checked app-wide by Flask-WTF)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from cop.core.ids import is_id
from cop.core.labels import register_labels
from cop.cycles import services


def number(form: Any, name: str) -> int | None:
    """A whole number field; None when empty or not a number (the service says why)."""
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return -1  # refused by the service's range check
    return int(raw)


def chosen_id(form: Any, name: str) -> int | None:
    """One id picked in a select (None when nothing or nonsense was picked)."""
    value = number(form, name)
    return value if value is not None and is_id(value) else None


def chosen_ids(form: Any, name: str) -> list[int]:
    """Ids ticked in checkboxes or a multiple select (nonsense is left out)."""
    ids = []
    for raw in form.getlist(name):
        raw = (raw or "").strip()
        if raw.isascii() and raw.isdigit() and len(raw) < 10 and is_id(int(raw)):
            ids.append(int(raw))
    return ids


def day(form: Any, name: str) -> date | None:
    """A date field (YYYY-MM-DD) or None."""
    raw = (form.get(name) or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def lesson_data(form: Any) -> services.LessonData:
    """The new lesson study form."""
    return services.LessonData(
        subject=form.get("subject", ""),
        grade=form.get("grade", ""),
        learning_goal=form.get("learning_goal", ""),
        model_teacher_id=chosen_id(form, "model_teacher_id"),
        observer_ids=chosen_ids(form, "observer_ids"),
    )


def session_data(form: Any) -> services.SessionData:
    """The GROW session form."""
    return services.SessionData(
        held_on=day(form, "held_on"),
        goal=form.get("goal", ""),
        reality=form.get("reality", ""),
        options=form.get("options", ""),
        next_step=form.get("next_step", ""),
        next_due=day(form, "next_due"),
    )


def cycle_data(form: Any) -> services.CycleData:
    """The PTK cycle form."""
    return services.CycleData(
        plan=form.get("plan", ""),
        act=form.get("act", ""),
        observe=form.get("observe", ""),
        reflect=form.get("reflect", ""),
    )


register_labels(
    "lesson_stage",
    {
        "plan": _l("Plan"),
        "do": _l("Do: the open lesson"),
        "observe": _l("Observe"),
        "see": _l("See: reflection"),
    },
)
register_labels(
    "pair_status",
    {"requested": _l("waiting for approval"), "active": _l("active"), "closed": _l("closed")},
)
register_labels(
    "cycle_role",
    {
        "model_teacher": _l("model teacher"),
        "observer": _l("observer"),
        "mentor": _l("mentor"),
        "mentee": _l("mentee"),
        "ptk_author": _l("PTK author"),
        "ptk_member": _l("PTK group member"),
        "reviewer": _l("PTK reviewer"),
    },
)
register_labels("rsvp", {"yes": _l("coming"), "maybe": _l("maybe"), "no": _l("not coming")})
