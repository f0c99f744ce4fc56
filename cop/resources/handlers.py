"""Signal receivers: keep the search index in step with shared resources.

The resource services send their signals right after their unit of work
committed, so each receiver writes the index in its own unit of work straight
after the resource's commit (discussions, whose services own the index calls,
write it inside the same transaction instead).

Who may find a resource: search filters documents by community only (public
communities: everyone; private ones: active members). So only what every
member of the resource's community may see is indexed: hidden resources are
taken out of the index, and resources outside any community are not indexed.
A ``public`` resource of a private community is therefore found by the
community's members only (everyone else still reaches it through the public
library).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from cop import signals
from cop.resources.models import Resource
from cop.resources.queries import search_text
from cop.search import services as search

KIND = "resource"


def index_resource(resource: Resource) -> None:
    """Index (or un-index) one resource according to the rules above."""
    if resource.hidden or resource.community_id is None:
        search.remove_document(KIND, resource.id)
        return
    text = search_text(resource)
    body = "\n".join(part for part in (text["body"], resource.kind.replace("_", " ")) if part)
    search.index_document(
        KIND, resource.id, resource.community_id, text["title"], body, text["url"]
    )


def _shared(_sender: Any, resource: Resource, **_kwargs: Any) -> None:
    index_resource(resource)


def _updated(_sender: Any, resource: Resource, **_kwargs: Any) -> None:
    index_resource(resource)


def _removed(_sender: Any, resource_id: int, **_kwargs: Any) -> None:
    search.remove_document(KIND, resource_id)


def init_app(_app: Flask) -> None:
    """Connect the receivers (strong references: they live as long as the process)."""
    signals.resource_shared.connect(_shared, weak=False)
    signals.resource_updated.connect(_updated, weak=False)
    signals.resource_removed.connect(_removed, weak=False)
