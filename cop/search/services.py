"""Keeping the search index in step, and searching it.

:func:`index_document` / :func:`remove_document` join the caller's unit of work.
Their callers are the receivers in cop/search/handlers.py, which run right after
the changing feature's commit: a post is findable as soon as its request
returns, and a deleted one is gone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, literal_column, select, text

from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.markdown import plain_text
from cop.core.types import utcnow
from cop.extensions import db
from cop.search.models import FTS_TABLE, SearchDocument

#: snippet markers: control characters that never occur in indexed text
START, STOP = "\x02", "\x03"
_MARKERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY = 200
# Statements on the FTS5 table (its name is FTS_TABLE; spelled out, never formatted in).
_FTS_DELETE = text("DELETE FROM search_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO search_fts (rowid, title, body) VALUES (:id, :title, :body)")
assert FTS_TABLE == "search_fts"
MAX_TERMS = 12


@dataclass
class Hit:
    """One search result: what it is, where it links, a highlighted snippet (safe HTML)."""

    type: str
    id: int
    title: str
    snippet: str
    url: str
    community_id: int
    rank: float
    #: what the hit collapses with: "topic:7" (a topic and its posts), "series:3"
    #: (the meetings of a recurring series), else its own "kind:id"
    group: str = ""
    #: how many more hits of the same group were folded into this one
    more: int = 0


def _clean(value: str) -> str:
    return _MARKERS.sub(" ", value or "")


def pg_config() -> str:
    """'indonesian' when the PostgreSQL server has that text search configuration, else 'simple'."""
    cache = getattr(db.engine, "_cop_ts_config", None)
    if cache is None:
        found = db.session.scalar(
            text("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'indonesian'")
        )
        cache = "indonesian" if found else "simple"
        db.engine._cop_ts_config = cache  # type: ignore[attr-defined]
    return str(cache)


def _dialect() -> str:
    return db.engine.dialect.name


def index_document(
    kind: str, object_id: int, community_id: int, title: str, body: str, url: str
) -> SearchDocument:
    """Add or replace the document for (kind, object_id); joins the caller's transaction."""
    # Markdown is indexed as the text a reader sees: snippets never show ``**`` or ``#``.
    title, body = _clean(title)[:300], plain_text(_clean(body))
    with unit_of_work():
        document = db.session.scalar(
            select(SearchDocument).where(
                SearchDocument.kind == kind, SearchDocument.object_id == object_id
            )
        )
        if document is None:
            document = SearchDocument(kind=kind, object_id=object_id)
            db.session.add(document)
        document.community_id = community_id
        document.title = title
        document.body = body
        document.url = url[:500]
        document.updated_at = utcnow()
        db.session.flush()
        if _dialect() == "postgresql":
            config = pg_config()
            document.tsv = func.setweight(
                func.to_tsvector(config, title), literal_column("'A'")
            ).op("||")(func.setweight(func.to_tsvector(config, body), literal_column("'B'")))
            db.session.flush()
        elif _dialect() == "sqlite":
            db.session.execute(_FTS_DELETE, {"id": document.id})
            db.session.execute(
                _FTS_INSERT,
                {"id": document.id, "title": title, "body": body},
            )
    return document


def reindex(batch: int = 500) -> int:
    """Write every stored document again through :func:`index_document`; how many.

    Works in batches by id (one transaction each), so a large index never sits in memory.
    """
    done, after = 0, 0
    while True:
        rows = db.session.execute(
            select(
                SearchDocument.id,
                SearchDocument.kind,
                SearchDocument.object_id,
                SearchDocument.community_id,
                SearchDocument.title,
                SearchDocument.body,
                SearchDocument.url,
            )
            .where(SearchDocument.id > after)
            .order_by(SearchDocument.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        with unit_of_work():
            for row in rows:
                index_document(
                    row.kind, row.object_id, row.community_id, row.title, row.body, row.url
                )
        done += len(rows)
        after = rows[-1].id


def remove_document(kind: str, object_id: int) -> None:
    """Take (kind, object_id) out of the index (nothing happens when it is not there)."""
    with unit_of_work():
        ids = list(
            db.session.scalars(
                select(SearchDocument.id).where(
                    SearchDocument.kind == kind, SearchDocument.object_id == object_id
                )
            )
        )
        if not ids:
            return
        if _dialect() == "sqlite":
            for doc_id in ids:
                db.session.execute(_FTS_DELETE, {"id": doc_id})
        db.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(ids)))


def move_documents(kinds: tuple[str, ...], object_ids: list[int], community_id: int) -> None:
    """Re-home documents when their object moved to another community."""
    if not object_ids:
        return
    with unit_of_work():
        for document in db.session.scalars(
            select(SearchDocument).where(
                SearchDocument.kind.in_(kinds), SearchDocument.object_id.in_(object_ids)
            )
        ):
            document.community_id = community_id


def terms(query: str) -> list[str]:
    """The words of a query (any punctuation or operator syntax is ignored)."""
    return _WORD.findall(_clean(query)[:MAX_QUERY].lower())[:MAX_TERMS]


def _visible(viewer: Any) -> Any:
    """Documents of communities whose content the viewer may see (community.view_content)."""
    communities = select(Community.id).where(permissions.community_content_filter(viewer))
    return SearchDocument.community_id.in_(communities)


def _safe_snippet(raw: str) -> str:
    """Escape everything, then turn the markers into <mark> (the only markup allowed)."""
    escaped = html.escape(raw or "", quote=True)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


#: kinds a search can be narrowed to (``discussion`` is topics and their posts)
KIND_FILTERS = {
    "discussion": ("topic", "post"),
    "resource": ("resource",),
    "meeting": ("meeting",),
}


def search(
    viewer: Any,
    query: str,
    *,
    community_id: int | None = None,
    limit: int = 20,
    kind: str | None = None,
) -> list[Hit]:
    """Ranked hits the viewer may see; an empty or punctuation-only query finds nothing.

    ``kind`` (a key of :data:`KIND_FILTERS`) narrows to one kind of thing.
    """
    words = terms(query)
    if not words:
        return []
    stmt = select(SearchDocument).where(_visible(viewer))
    if community_id is not None:
        stmt = stmt.where(SearchDocument.community_id == community_id)
    if kind in KIND_FILTERS:
        stmt = stmt.where(SearchDocument.kind.in_(KIND_FILTERS[kind]))
    if _dialect() == "postgresql":
        config = pg_config()
        tsquery = func.to_tsquery(config, " & ".join(f"'{w}':*" for w in words))
        rank = func.ts_rank(SearchDocument.tsv, tsquery)
        options = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=10, MaxFragments=2"
        snippet = func.ts_headline(config, SearchDocument.body, tsquery, options)
        rows = db.session.execute(
            stmt.add_columns(rank.label("rank"), snippet.label("snippet"))
            .where(SearchDocument.tsv.op("@@")(tsquery))
            .order_by(rank.desc(), SearchDocument.id.desc())
            .limit(limit)
        ).all()
        return [
            Hit(d.kind, d.object_id, d.title, _safe_snippet(s), d.url, d.community_id, float(r))
            for d, r, s in rows
        ]
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    fts = (
        text(
            "SELECT rowid AS id, bm25(search_fts, 5.0, 1.0) AS rank, "
            "snippet(search_fts, 1, :start, :stop, '…', 24) AS snippet "
            "FROM search_fts WHERE search_fts MATCH :match"
        )
        .columns(literal_column("id"), literal_column("rank"), literal_column("snippet"))
        .subquery("fts")
    )
    rows = db.session.execute(
        stmt.join(fts, fts.c.id == SearchDocument.id)
        .add_columns(fts.c.rank, fts.c.snippet)
        .order_by(fts.c.rank.asc(), SearchDocument.id.desc())
        .limit(limit),
        {"start": START, "stop": STOP, "match": match},
    ).all()
    return [
        Hit(d.kind, d.object_id, d.title, _safe_snippet(s), d.url, d.community_id, -float(r))
        for d, r, s in rows
    ]


def grouped(
    viewer: Any,
    query: str,
    *,
    community_id: int | None = None,
    limit: int = 20,
    kind: str | None = None,
) -> list[Hit]:
    """Like :func:`search`, but one hit per topic (the topic or its best post) and per
    meeting series (its best meeting), each saying how many more it stands for.

    Looks at up to four times ``limit`` ranked documents, then keeps the best of each
    group (two more queries at most: the posts' topics and the meetings' series).
    """
    hits = search(viewer, query, community_id=community_id, limit=min(limit * 4, 200), kind=kind)
    _assign_groups(hits)
    best: dict[str, Hit] = {}
    for hit in hits:  # ranked: the first of a group is its best
        first = best.get(hit.group)
        if first is None:
            best[hit.group] = hit
            continue
        first.more += 1
        if "<mark>" not in first.snippet and "<mark>" in hit.snippet:
            # a topic matched by its title: show the words where a post matched them
            first.snippet = hit.snippet
    return list(best.values())[:limit]


def _assign_groups(hits: list[Hit]) -> None:
    from cop.discussions.models import Post
    from cop.meetings.models import Meeting

    post_ids = [h.id for h in hits if h.type == "post"]
    meeting_ids = [h.id for h in hits if h.type == "meeting"]
    topics: dict[int, int] = {}
    series: dict[int, int | None] = {}
    if post_ids:
        rows = db.session.execute(select(Post.id, Post.topic_id).where(Post.id.in_(post_ids)))
        topics = {post_id: topic_id for post_id, topic_id in rows}
    if meeting_ids:
        rows = db.session.execute(
            select(Meeting.id, Meeting.series_id).where(Meeting.id.in_(meeting_ids))
        )
        series = {meeting_id: series_id for meeting_id, series_id in rows}
    for hit in hits:
        if hit.type == "topic":
            hit.group = f"topic:{hit.id}"
        elif hit.type == "post" and hit.id in topics:
            hit.group = f"topic:{topics[hit.id]}"
        elif hit.type == "meeting" and series.get(hit.id) is not None:
            hit.group = f"series:{series[hit.id]}"
        else:
            hit.group = f"{hit.type}:{hit.id}"


def community_slugs(ids: set[int]) -> dict[int, str]:
    """id -> slug for the communities of some hits (one query): the API's field."""
    return _community_column(ids, Community.slug)


def community_names(ids: set[int]) -> dict[int, str]:
    """id -> name for the communities of some hits (one query): what the page shows."""
    return _community_column(ids, Community.name)


def _community_column(ids: set[int], column: Any) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Community.id, column).where(Community.id.in_(ids)))
    return {row[0]: row[1] for row in rows}
