"""Signal receivers: keep the search index in step with what other features change.

Each receiver runs after the sender's transaction committed and writes the
index in a unit of work of its own. Receivers are connected when this module
is imported (``create_app`` -> ``_register_handlers``).
"""

from __future__ import annotations

from typing import Any

from cop import signals
from cop.core.db import unit_of_work
from cop.meetings.queries import search_text
from cop.meetings.serializers import meeting_url
from cop.search import services as search

# --- meetings -------------------------------------------------------------------
# Title, description and agenda titles are indexed; a cancelled meeting is taken
# out of the index (and put back when it is scheduled again).


def index_meeting(meeting: Any) -> None:
    """Index (or, cancelled, un-index) one meeting."""
    if meeting.status == "cancelled":
        search.remove_document("meeting", meeting.id)
        return
    text = search_text(meeting)
    search.index_document(
        "meeting",
        meeting.id,
        meeting.community_id,
        text["title"],
        text["body"],
        meeting_url(meeting),
    )


@signals.meeting_scheduled.connect
def _meetings_scheduled(_sender: Any, meetings: list[Any], **_kw: Any) -> None:
    """Index every meeting just scheduled (a whole series in one transaction)."""
    with unit_of_work():
        for meeting in meetings:
            index_meeting(meeting)


@signals.meeting_changed.connect
@signals.meeting_cancelled.connect
@signals.meeting_agenda_changed.connect
def _meeting_changed(_sender: Any, meeting: Any, **_kw: Any) -> None:
    """Re-index a meeting that changed (a cancelled one leaves the index)."""
    index_meeting(meeting)
