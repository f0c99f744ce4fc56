"""The search index: one SearchDocument per searchable thing, whatever its feature.

Documents are added with ``cop.search.services.index_document`` by the signal
receivers in cop/search/handlers.py (kinds: ``topic``, ``post``, ``resource``,
``meeting``). The full-text index
itself depends on the database:

- PostgreSQL: the ``tsv`` column (a ``tsvector``, weighted title A / body B,
  built with the ``indonesian`` configuration when the server has it, else
  ``simple``) with a GIN index.
- SQLite: an FTS5 virtual table ``search_fts`` (tokenizer ``unicode61
  remove_diacritics 2``: no Indonesian stemming) whose rowid is the document
  id. It lives outside the models, so migrations create it by hand and the
  schema comparison ignores it (``cop.core.db.UNMANAGED_TABLES``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

FTS_TABLE = "search_fts"
FTS_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)


class SearchDocument(db.Model):  # type: ignore[name-defined]
    """A searchable text: its kind and object, where it lives and where it links."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: PostgreSQL only (NULL and unused on SQLite, where FTS5 does the work)
    tsv: Mapped[str | None] = mapped_column(
        TSVECTOR().with_variant(Text(), "sqlite"), nullable=True
    )


event.listen(SearchDocument.__table__, "after_create", DDL(FTS_CREATE).execute_if(dialect="sqlite"))
event.listen(
    SearchDocument.__table__,
    "before_drop",
    DDL(f"DROP TABLE IF EXISTS {FTS_TABLE}").execute_if(dialect="sqlite"),
)
