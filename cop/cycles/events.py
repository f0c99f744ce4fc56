"""Socket.IO handlers of the learning cycles (default namespace): the reflection page
joins a lesson study's room to see new observations live.

The connection itself is authenticated by the chat's ``connect`` handler; each event
here checks again that the user is logged in and asks the policy
(``lesson_study.view``), so nobody outside the community hears a word.

| client -> server | payload | ack |
|---|---|---|
| ``lesson:join`` | ``{lesson_study_id, token?}`` | ``{ok, observations}`` (all so far) |
| ``lesson:leave`` | ``{lesson_study_id, token?}`` | ``{ok}`` |

server -> client: ``observation:new`` (an observation, see serializers.py).
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from flask_socketio import SocketIO, join_room, leave_room

from cop.auth import services as auth_services
from cop.core.db import discard
from cop.core.errors import CopError
from cop.core.web import viewer
from cop.cycles import queries, services
from cop.cycles.models import LessonStudy
from cop.cycles.serializers import observation_json

log = logging.getLogger(__name__)


def lesson_room(study: LessonStudy) -> str:
    """The room of a lesson study's live listeners, inside its community's rooms."""
    return f"community:{study.community_id}:lesson:{study.id}"


def _refusal(code: str, message: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": str(message)}}


def _study(data: Any) -> LessonStudy:
    """The lesson study the payload names, if the caller may see it (else CopError).

    The caller is the socket's session user, or the owner of the payload's API ``token``
    (a client that connected with ``auth: {token}`` sends it again here)."""
    user = viewer()
    token = data.get("token") if isinstance(data, dict) else None
    if user is None and isinstance(token, str) and token:
        user = auth_services.user_for_token(token)
    if user is None:
        raise CopError(_("Please log in again."), code="session_ended")
    study_id = data.get("lesson_study_id") if isinstance(data, dict) else None
    return services.visible_lesson_study(user, study_id)  # type: ignore[arg-type]


def on_lesson_join(data: Any = None) -> dict[str, Any]:
    """Join a lesson study's room; the ack carries every observation so far."""
    try:
        study = _study(data)
        join_room(lesson_room(study))
        return {
            "ok": True,
            "observations": [observation_json(o) for o in queries.observations(study)],
        }
    except CopError as error:
        return _refusal(error.code, error.message)
    except Exception:  # a bug must not kill the socket
        log.exception("cycles: lesson:join failed")
        discard()
        return _refusal("server_error", _("Something went wrong on our side."))


def on_lesson_leave(data: Any = None) -> dict[str, Any]:
    """Leave a lesson study's room."""
    try:
        leave_room(lesson_room(_study(data)))
    except CopError as error:
        return _refusal(error.code, error.message)
    return {"ok": True}


def register(server: SocketIO) -> None:
    """Attach the handlers to the app's Socket.IO server."""
    server.on_event("lesson:join", on_lesson_join)
    server.on_event("lesson:leave", on_lesson_leave)
