"""Learning-cycle pages: the community's cycles tab, lesson studies (plan, open lesson,
observation sheet, reflection, summary PDF), mentoring pairs and PTKs (with the
reviewer's invite and the report outline as DOCX and PDF).

One blueprint, ``bp``; its views are split by activity (``index``, ``lesson``,
``observe``, ``mentoring``, ``ptk``), imported below so importing ``bp`` registers them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect
from werkzeug.wrappers import Response

from cop.core import web
from cop.core.errors import CopError
from cop.cycles import queries

bp = Blueprint("cycles", __name__)


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    """``my_cycle_parts()``: the viewer's parts in learning cycles (participation record)."""

    def my_cycle_parts() -> list[Any]:
        user = web.viewer()
        return queries.participation(user) if user else []

    return {"my_cycle_parts": my_cycle_parts}


def flash_error(error: CopError) -> None:
    """Show a service's refusal as flash messages (each field's, or the message)."""
    messages: list[Any] = []
    for value in error.fields.values():
        messages.extend(value if isinstance(value, list) else [value])
    for message in messages or [error.message]:
        flash(str(message), "error")


def back(url: str, error: CopError | None = None) -> Response:
    """Redirect to ``url``, flashing ``error`` first when there is one."""
    if error is not None:
        flash_error(error)
    return redirect(url)


# Route modules attach their views to ``bp`` when imported.
from cop.cycles.views import index, lesson, mentoring, observe, ptk  # noqa: E402,F401
