"""Validation of the preferences form (the per-kind matrix is read by ``read_choices``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from cop.notifications.kinds import EMAIL_MODES, KINDS


class PreferencesForm(FlaskForm):
    """Quiet hours; the kinds' checkboxes and selects are named ``<kind>-inapp|push|email``."""

    quiet_start = StringField(_l("Quiet from"), render_kw={"type": "time"})
    quiet_end = StringField(_l("Quiet until"), render_kw={"type": "time"})


def read_choices(form: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The per-kind choices a submitted form holds (an unknown e-mail mode becomes off)."""
    choices: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        email = form.get(f"{kind.name}-email", "off")
        choices[kind.name] = {
            "inapp": form.get(f"{kind.name}-inapp") == "1",
            "push": form.get(f"{kind.name}-push") == "1",
            "email": email if email in EMAIL_MODES else "off",
        }
    return choices


def read_muted(form: Any) -> list[int]:
    """The community ids ticked as muted."""
    return [int(value) for value in form.getlist("muted") if str(value).isdigit()]
