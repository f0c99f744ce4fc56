"""Database plumbing: SQLite pragmas and the unit-of-work helper services use."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from cop.extensions import db

_Model = TypeVar("_Model")

# True while a service's write transaction is being opened on SQLite.
_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("cop_immediate", default=False)

#: SQLite has one writer at a time. Inside a process the writers queue on this lock
#: instead of in SQLite's busy handler, which polls with sleeps of up to 100 ms and lets
#: a newcomer overtake one that has waited long (16 concurrent writers: p99 2.6 s, see
#: bench/pages.py). BEGIN IMMEDIATE still guards against other processes (cop worker, the
#: CLI). Reentrant: a receiver's write inside another's commit, in the same thread, joins.
_SQLITE_WRITER = threading.RLock()


@contextmanager
def _one_writer() -> Iterator[None]:
    if db.engine.dialect.name != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


def engine_options(url: str) -> dict[str, Any]:
    """The connection pool's settings for ``url``.

    A server database (PostgreSQL) may restart under a running app: each pooled
    connection is tested before use (``pool_pre_ping``, one round trip on checkout)
    so the first request after a restart gets a new connection instead of an error,
    and connecting gives up after a few seconds instead of hanging a request.
    SQLite is a file: nothing to test.
    """
    if url.startswith("sqlite"):
        return {}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGINs we control.

    pysqlite's own transaction handling is switched off so that a write unit
    of work can start with ``BEGIN IMMEDIATE``: it takes the write lock up
    front (waiting up to busy_timeout), so it can never fail half-way with
    "database is locked" when another writer committed after our snapshot.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Straight to the driver: this runs for every transaction, and SQLAlchemy's
        # statement pipeline costs more than SQLite's BEGIN itself.
        conn.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if _immediate.get() else "BEGIN"
        )


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Run one write transaction: commit when the block ends, roll back on error.

    Services wrap their writes in this. Any read transaction left open by the
    caller is ended first, so on SQLite the write starts with a fresh
    ``BEGIN IMMEDIATE`` instead of upgrading a stale snapshot.
    """
    session = db.session()  # the real Session behind the scoped proxy
    nested = session.info.get("cop_uow_depth", 0)
    if nested:
        # Already inside a unit of work (a service calling another): join it.
        session.info["cop_uow_depth"] = nested + 1
        try:
            yield
        finally:
            session.info["cop_uow_depth"] = nested
        return
    if session.in_transaction():
        session.commit()
    with _one_writer():
        token = _immediate.set(db.engine.dialect.name == "sqlite")
        session.info["cop_uow_depth"] = 1
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            session.info.pop(_AFTER_COMMIT, None)
            raise
        finally:
            _immediate.reset(token)
            session.info["cop_uow_depth"] = 0
    for callback in session.info.pop(_AFTER_COMMIT, ()):
        callback()


@contextmanager
def write_connection() -> Iterator[Connection]:
    """One write transaction on a Core connection, without the ORM Session: commit when
    the block ends, roll back on error (``BEGIN IMMEDIATE`` on SQLite, as in
    ``unit_of_work``).

    Only for a hot path whose Session overhead is measured to matter (the chat's
    send, see cop/chat/fastsend.py); services use ``unit_of_work``.
    """
    with _one_writer(), db.engine.connect() as connection:
        token = _immediate.set(db.engine.dialect.name == "sqlite")
        try:
            transaction = connection.begin()
        finally:
            # Only this BEGIN is IMMEDIATE: a Session read inside the block must not
            # wait for the write lock this connection holds.
            _immediate.reset(token)
        with transaction:
            yield connection


def detached(model: type[_Model], values: dict[str, Any]) -> _Model:
    """An object of ``model`` as if loaded with these column values (the primary key
    among them), then detached: it belongs to no Session, and the attributes not
    given raise when read instead of reading as None."""
    obj = sa_inspect(model).class_manager.new_instance()
    for key, value in values.items():
        set_committed_value(obj, key, value)
    make_transient_to_detached(obj)
    return cast(_Model, obj)


def detached_copy(obj: _Model) -> _Model:
    """A copy of ``obj``'s loaded columns that belongs to no Session.

    For objects kept between requests (a chat socket's user): a rollback expires
    every object of its Session, and an expired object out of its Session cannot
    be read again, so the original must not be the one kept.
    """
    state = sa_inspect(obj)
    loaded = state.dict
    keys = [attr.key for attr in state.mapper.column_attrs if attr.key in loaded]
    return detached(type(obj), {key: loaded[key] for key in keys})


def attach(obj: _Model) -> _Model:
    """``obj``, a clean detached copy (see ``detached_copy``), in the current Session
    without a query: for an edge that keeps a loaded object between events."""
    return db.session.merge(obj, load=False)


def discard() -> None:
    """Roll back whatever a failed event left in the Session (an edge's last resort
    after an unexpected error, so the next event starts clean)."""
    db.session.rollback()


def upsert_insert(model: Any) -> Any:
    """``INSERT`` for ``model`` in the session's dialect, so ``.on_conflict_do_nothing``
    is available (the app runs on PostgreSQL or SQLite; both spell ON CONFLICT alike)."""
    from sqlalchemy.dialects import postgresql, sqlite

    postgres = db.session.get_bind().dialect.name == "postgresql"
    return (postgresql.insert if postgres else sqlite.insert)(model)


_AFTER_COMMIT = "cop_after_commit"


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current unit of work has committed; at once outside one.

    For what must not happen before the data is durable, e.g. broadcasting a chat
    message. Dropped if the unit of work rolls back.
    """
    session = db.session()
    if session.info.get("cop_uow_depth", 0):
        session.info.setdefault(_AFTER_COMMIT, []).append(callback)
    else:
        callback()


#: Tables the database holds beside the models (SQLite's FTS5 search index and its
#: shadow tables): autogenerate and the schema comparison leave them alone.
UNMANAGED_TABLES = ("search_fts",)


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic ``include_name`` hook: skip the UNMANAGED_TABLES."""
    return not (type_ == "table" and name is not None and name.startswith(UNMANAGED_TABLES))
