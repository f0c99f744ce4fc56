"""Signal receivers: keep the search index in step with what other features change.

The senders' signals fire right after their unit of work committed; each receiver
writes the index in one unit of work of its own straight after that commit. A
post, topic or resource is findable as soon as the request that made it returns,
and one that was removed or hidden is gone.

Who may find a document: search filters documents by community only (public
communities: everyone; private ones: active members). So only what every member
of the document's community may see is indexed.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from cop import signals
from cop.core.db import unit_of_work
from cop.resources.models import Resource
from cop.search import services as search
from cop.search import sources

# --- discussions ----------------------------------------------------------------
# Hidden and deleted posts leave the index; a topic is indexed with its tags.


def _write(kind: str, object_id: int, document: sources.Document | None) -> None:
    """Store ``document``, or (None: not indexable now) take the object out."""
    if document is None:
        search.remove_document(kind, object_id)
        return
    search.index_document(
        document.kind,
        document.object_id,
        document.community_id,
        document.title,
        document.body,
        document.url,
    )


def index_post(post: Any, topic: Any) -> None:
    """Index (or un-index) one post: only visible posts are found."""
    _write("post", post.id, sources.post_document(post, topic))


@signals.post_created.connect
def _post_created(
    _sender: Any, post: Any, topic: Any, new_topic: bool = False, **_kwargs: Any
) -> None:
    """A new post, and with the first post its topic."""
    with unit_of_work():
        if new_topic:
            _write("topic", topic.id, sources.topic_document(topic))
        index_post(post, topic)


@signals.post_edited.connect
@signals.post_deleted.connect
@signals.post_hidden.connect
def _post_changed(_sender: Any, post: Any, topic: Any, **_kwargs: Any) -> None:
    """An edited, deleted, hidden or restored post."""
    index_post(post, topic)


@signals.topic_moved.connect
def _topic_moved(
    _sender: Any, topic: Any, post_ids: list[int], target: Any, **_kwargs: Any
) -> None:
    """A moved topic's documents go with it (its community decides who finds them)."""
    with unit_of_work():
        search.move_documents(("post",), post_ids, target.id)
        search.move_documents(("topic",), [topic.id], target.id)


# --- resources ------------------------------------------------------------------
# Hidden resources are taken out of the index, and resources outside any community
# are not indexed. A ``public`` resource of a private community is therefore found
# by the community's members only (everyone else still reaches it through the
# public library). cop/resources/queries.py search_text(resource) gives the text.

RESOURCE = "resource"


def index_resource(resource: Resource) -> None:
    """Index (or un-index) one resource according to the rules above."""
    _write(RESOURCE, resource.id, sources.resource_document(resource))


@signals.resource_shared.connect
@signals.resource_updated.connect
def _resource_changed(_sender: Any, resource: Resource, **_kwargs: Any) -> None:
    """A shared resource, or one featured, hidden or shown again."""
    index_resource(resource)


@signals.resource_removed.connect
def _resource_removed(_sender: Any, resource_id: int, **_kwargs: Any) -> None:
    """A deleted resource leaves the index."""
    search.remove_document(RESOURCE, resource_id)


# --- meetings -------------------------------------------------------------------
# Title, description and agenda titles are indexed; a cancelled meeting is taken
# out of the index (and put back when it is scheduled again).


def index_meeting(meeting: Any) -> None:
    """Index (or, cancelled, un-index) one meeting."""
    _write("meeting", meeting.id, sources.meeting_document(meeting))


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


def init_app(_app: Flask) -> None:
    """Nothing to set up: the receivers above connect when create_app imports this module."""
