"""Signal receivers of the learning cycles: a new observation goes live to the
reflection page's room (whichever edge stored it: the sheet, the API, a sync)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from cop import signals
from cop.cycles import events
from cop.cycles.serializers import observation_json
from cop.extensions import socketio

log = logging.getLogger(__name__)


@signals.observation_recorded.connect
def _observation_recorded(_sender: Any, observation: Any, study: Any, **_kw: Any) -> None:
    """Broadcast the stored observation as ``observation:new`` to the lesson's room."""
    try:
        socketio.emit(
            "observation:new", observation_json(observation), to=events.lesson_room(study)
        )
    except Exception:
        log.exception("cycles: broadcasting observation %s failed", observation.id)


def init_app(_app: Flask) -> None:
    """Attach the socket handlers (the receivers connect when this module is imported)."""
    events.register(socketio)
