"""Keeping the search index in step, and searching it.

:func:`index_document` / :func:`remove_document` join the caller's unit of work.
Their callers are the receivers in cop/search/handlers.py, which run right after
the changing feature's commit: a post is findable as soon as its request
returns, and a deleted one is gone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
    text,
    update,
)

from cop.communities.models import Community
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.markdown import plain_text
from cop.core.types import utcnow
from cop.extensions import db
from cop.search.common_words import common_walk as _common_walk
from cop.search.models import FTS_TABLE, SearchDocument

if TYPE_CHECKING:
    from cop.search.sources import Document

#: snippet markers: control characters that never occur in indexed text
START, STOP = "\x02", "\x03"
#: how many of the newest matches a query ranks (top-k over a bounded set, see search)
SEARCH_CANDIDATES = 2000
#: words in a snippet
SNIPPET_WORDS = 24
_MARKERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY = 200
# Statements on the FTS5 table (its name is FTS_TABLE; spelled out, never formatted in).
_FTS_DELETE = text("DELETE FROM search_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO search_fts (rowid, title, body) VALUES (:id, :title, :body)")
_FTS_CLEAR = text("DELETE FROM search_fts")
assert FTS_TABLE == "search_fts"
MAX_TERMS = 12


@dataclass
class Hit:
    """One search result: what it is, where it links, a highlighted snippet (safe HTML)."""

    type: str
    id: int
    title: str
    #: the snippet as given, or None: made from ``text`` when first read
    given_snippet: str | None
    url: str
    community_id: int
    rank: float
    #: what the hit collapses with: "topic:7" (a topic and its posts), "series:3"
    #: (the meetings of a recurring series), else its own "kind:id"
    group: str = ""
    #: how many more hits of the same group were folded into this one
    more: int = 0
    #: the stored plain text and the query's words, for a snippet made when first read
    text: str = field(default="", repr=False)
    words: tuple[str, ...] = field(default=(), repr=False)

    @property
    def snippet(self) -> str:
        """The highlighted excerpt (safe HTML), made on first use: a grouped search ranks
        four times the hits it shows, and only the shown ones need one."""
        if self.given_snippet is None:
            self.given_snippet = _safe_snippet(snippet(self.text, list(self.words)))
        return self.given_snippet

    @snippet.setter
    def snippet(self, value: str) -> None:
        self.given_snippet = value


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


def reindex(batches: Iterable[list[Document]]) -> int:
    """Rebuild the whole index from ``batches`` (sources.every_document); how many.

    The old index is emptied first and each batch is written set-based in its own
    transaction (a few statements per batch, whatever its size), so 100,000 posts are
    indexed in seconds and a large index never sits in memory. Searches during the
    rebuild find what is written so far.
    """
    with unit_of_work():
        if _dialect() == "sqlite":
            db.session.execute(_FTS_CLEAR)
        db.session.execute(delete(SearchDocument))
    done = 0
    for documents in batches:
        if documents:
            write_documents(documents)
            done += len(documents)
    if _dialect() == "postgresql":
        # fresh statistics for the planner, and for search's common-word walk
        with unit_of_work():
            db.session.execute(text("ANALYZE search_documents"))
        db.engine._cop_lexeme_stats = None  # type: ignore[attr-defined]  # read again
    return done


def write_documents(documents: list[Document]) -> None:
    """Store new documents in one transaction: one multi-row insert, then the full-text
    index for the whole batch in one statement (PostgreSQL) or one executemany (SQLite).
    The (kind, object_id) pairs must not be indexed yet (reindex empties the index)."""
    now = utcnow()
    rows = [
        {
            "kind": d.kind,
            "object_id": d.object_id,
            "community_id": d.community_id,
            "title": _clean(d.title)[:300],
            "body": plain_text(_clean(d.body)),
            "url": d.url[:500],
            "updated_at": now,
        }
        for d in documents
    ]
    with unit_of_work():
        if _dialect() == "postgresql":
            ids = list(
                db.session.scalars(insert(SearchDocument).returning(SearchDocument.id), rows)
            )
            config = pg_config()
            db.session.execute(
                update(SearchDocument)
                .where(SearchDocument.id.in_(ids))
                .values(
                    tsv=func.setweight(
                        func.to_tsvector(config, SearchDocument.title), literal_column("'A'")
                    ).op("||")(
                        func.setweight(
                            func.to_tsvector(config, SearchDocument.body), literal_column("'B'")
                        )
                    )
                ),
                execution_options={"synchronize_session": False},
            )
            return
        # SQLite: the ids are given (a rowid past the largest, as SQLite itself would
        # pick), so the FTS rows can name them without reading the rows back
        first = (db.session.scalar(select(func.max(SearchDocument.id))) or 0) + 1
        for n, row in enumerate(rows):
            row["id"] = first + n
        db.session.execute(insert(SearchDocument), rows)
        if _dialect() == "sqlite":
            db.session.execute(
                _FTS_INSERT, [{"id": r["id"], "title": r["title"], "body": r["body"]} for r in rows]
            )


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
    filters = [_visible(viewer)]
    if community_id is not None:
        filters.append(SearchDocument.community_id == community_id)
    if kind in KIND_FILTERS:
        filters.append(SearchDocument.kind.in_(KIND_FILTERS[kind]))
    # Top-k over a bounded candidate set: of the documents the viewer may see, the newest
    # SEARCH_CANDIDATES that match are ranked and the best ``limit`` kept. A rarer word
    # has fewer matches and is ranked exactly; a word in a third of 100,000 posts no
    # longer ranks all 33,000 matches to show 30 (27 ms of bm25 alone on SQLite).
    if _dialect() == "postgresql":
        config = pg_config()
        tsquery = func.to_tsquery(config, " & ".join(f"'{w}':*" for w in words))
        rank = func.ts_rank(SearchDocument.tsv, tsquery)

        def best_of(candidates: Any) -> list[Any]:
            """The best ``limit`` of the candidates (a CTE of ids and ranks, ranked
            where they were found), the documents read for those alone, and how many
            candidates there were."""
            found = select(func.count()).select_from(candidates).scalar_subquery()
            best = (
                select(candidates.c.id, candidates.c.rank)
                .order_by(candidates.c.rank.desc(), candidates.c.id.desc())
                .limit(limit)
                .subquery()
            )
            return list(
                db.session.execute(
                    select(SearchDocument, best.c.rank, found)
                    .join(best, best.c.id == SearchDocument.id)
                    .order_by(best.c.rank.desc(), SearchDocument.id.desc())
                ).all()
            )

        newest = (
            select(SearchDocument.id, rank.label("rank"))
            .order_by(SearchDocument.id.desc())
            .limit(SEARCH_CANDIDATES)
        )
        rows: list[Any] = []
        walk = _common_walk(words, SEARCH_CANDIDATES)
        if walk is not None:  # a common query: the newest documents, checked one by one
            rows = best_of(newest.where(*filters, *walk(tsquery)).cte("walked"))
            if rows and rows[0][2] < SEARCH_CANDIDATES:
                rows = []  # fewer than the walk needed: the index finds them all
        if not rows:  # the GIN index finds every match; the newest are kept
            rows = best_of(newest.where(*filters, SearchDocument.tsv.op("@@")(tsquery)).cte())
        # snippets as on SQLite: from the stored plain text, for the hits shown only
        # (ts_headline re-parsed each ranked hit's body: ~0.2 ms a hit, 80 a page)
        return [
            Hit(
                d.kind, d.object_id, d.title, None, d.url, d.community_id, float(r),
                text=d.body, words=tuple(words),
            )
            for d, r, _found in rows
        ]  # fmt: skip
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    # FTS5 walks its doclist by rowid: the newest matches come first, each joined to its
    # document (by primary key) for the viewer's filters, until there are enough.
    fts = table("search_fts", column("rowid"))
    ranked = (
        select(SearchDocument.id, literal_column("bm25(search_fts, 5.0, 1.0)").label("rank"))
        .select_from(fts)
        .join(SearchDocument, SearchDocument.id == fts.c.rowid)
        .where(text("search_fts MATCH :match"), *filters)
        .order_by(fts.c.rowid.desc())
        .limit(SEARCH_CANDIDATES)
        .subquery("fts")
    )
    found = db.session.execute(
        select(SearchDocument, ranked.c.rank)
        .join(ranked, ranked.c.id == SearchDocument.id)
        .order_by(ranked.c.rank.asc(), SearchDocument.id.desc())
        .limit(limit),
        {"match": match},
    ).all()
    # Snippets from the stored plain text, in Python: FTS5's snippet() re-reads the
    # whole prefix doclist for every row it is asked about (1 ms a hit).
    return [
        Hit(
            d.kind, d.object_id, d.title, None, d.url, d.community_id, -float(r),
            text=d.body, words=tuple(words),
        )
        for d, r in found
    ]  # fmt: skip


def _fold(word: str) -> str:
    """A word as the index compares it: lower case, without diacritics (FTS5's unicode61
    ``remove_diacritics 2``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(body: str, words: list[str], size: int = SNIPPET_WORDS) -> str:
    """About ``size`` words of ``body`` around the first that starts with a query word,
    each such word between the START and STOP markers (as the index's own snippet
    functions mark them); the text's beginning when none does (a title matched)."""
    tokens = list(_WORD.finditer(body or ""))
    if not tokens:
        return ""
    prefixes = tuple(_fold(w) for w in words)
    hits = [i for i, t in enumerate(tokens) if _fold(t.group()).startswith(prefixes)]
    first = max(0, hits[0] - size // 4) if hits else 0
    last = min(len(tokens), first + size)
    marked = set(hits)
    out, at = [], tokens[first].start()
    for i in range(first, last):
        token = tokens[i]
        out.append(body[at : token.start()])
        out.append(f"{START}{token.group()}{STOP}" if i in marked else token.group())
        at = token.end()
    text_ = "".join(out)
    return ("…" if first > 0 else "") + text_ + ("…" if last < len(tokens) else "")


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
