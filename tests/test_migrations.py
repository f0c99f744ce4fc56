"""The Alembic migrations: they go up, down and up again, and end where the models are.

Runs on a temporary SQLite file, and on a throwaway PostgreSQL database when
``COP_TEST_DATABASE_URL`` points at a server (the database is created with
CREATE DATABASE and dropped afterwards).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

import cop
from cop import create_app
from cop.core.db import include_name
from cop.extensions import db
from tests.conftest import throwaway_postgres_database


def import_all_models() -> None:
    """Every ``cop/<feature>/models.py``, as migrations/env.py imports them."""
    for module in pkgutil.iter_modules(cop.__path__):
        if module.ispkg:
            name = f"cop.{module.name}.models"
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def migration_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own (nothing created, not even by create_all)."""
    import_all_models()

    @contextmanager
    def empty_database() -> Iterator[str]:
        if request.param == "sqlite":
            yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        else:
            with throwaway_postgres_database("cop_migr") as url:
                yield url

    with empty_database() as url:
        application = create_app("testing", {"DATABASE_URL": url, "REDIS_URL": None})
        try:
            yield application
        finally:
            with application.app_context():
                db.session.remove()
                db.engine.dispose()


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_creates_every_table_and_downgrade_removes_them(migration_app):
    model_tables = set(db.metadata.tables)
    with migration_app.app_context():
        upgrade()
        assert model_tables <= _tables()
        downgrade(revision="base")
        assert _tables() <= {"alembic_version"}
        upgrade()
        assert model_tables <= _tables()


def test_migrated_schema_matches_the_models(migration_app):
    with migration_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_foreign_keys_stay_on_after_migrating(tmp_path):
    application = create_app("testing", {"DATABASE_URL": f"sqlite:///{tmp_path / 'fk.sqlite'}"})
    with application.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
