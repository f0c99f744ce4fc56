"""Moving a site from SQLite to PostgreSQL: copy every row into a migrated, empty database.

``flask --app wsgi cop copy-database postgresql://...`` (cop/cli.py) reads each table
of the app's current database in dependency order and writes it, in batches, into
the target, whose schema must already be at the same migration (``flask db upgrade``
with ``COP_DATABASE_URL`` set to it) and empty. Then it moves PostgreSQL's id
sequences past the copied ids. SQLite's full-text table does not travel:
``cop search reindex`` on the target builds PostgreSQL's. The source is only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, func, inspect, select, text

from cop.core.db import UNMANAGED_TABLES
from cop.extensions import db

BATCH = 1000


class CopyError(Exception):
    """The target is not ready for a copy (message says why)."""


@dataclass
class Copied:
    """How many rows each table received."""

    rows: dict[str, int]


def _version(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def copy_database(target_url: str) -> Copied:
    """Copy every row of the app's database into ``target_url`` (migrated and empty)."""
    from config import normalize_database_url

    source = db.engine
    target = create_engine(normalize_database_url(target_url))
    try:
        if _version(target) is None:
            raise CopyError("The target has no schema: run `flask db upgrade` against it first.")
        if _version(target) != _version(source):
            raise CopyError(
                f"The target is at migration {_version(target)}, this database at "
                f"{_version(source)}: upgrade both to the same version first."
            )
        tables = [t for t in db.metadata.sorted_tables if not t.name.startswith(UNMANAGED_TABLES)]
        with target.connect() as conn:
            for table in tables:
                if conn.execute(select(func.count()).select_from(table)).scalar():
                    raise CopyError(f"The target is not empty ({table.name} has rows).")
        copied: dict[str, int] = {}
        with source.connect() as read, target.begin() as write:
            for table in tables:
                copied[table.name] = 0
                result = read.execution_options(stream_results=True).execute(
                    select(table).order_by(*table.primary_key)
                )
                while rows := result.fetchmany(BATCH):
                    write.execute(table.insert(), [dict(row._mapping) for row in rows])
                    copied[table.name] += len(rows)
            if target.dialect.name == "postgresql":
                _advance_sequences(write, tables)
        return Copied(copied)
    finally:
        target.dispose()


def _advance_sequences(conn: object, tables: list) -> None:
    """Move each serial id's sequence past the copied ids (else the next insert clashes)."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].name != "id" or not pk[0].autoincrement:
            continue
        conn.execute(  # type: ignore[attr-defined]
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - our table names
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
