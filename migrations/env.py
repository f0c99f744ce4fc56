"""Alembic environment for cop (run through Flask-Migrate: ``flask --app wsgi db ...``).

The target metadata is the app's (``cop.extensions.db``), so autogenerate
compares the database with the models. Notes on what differs from the
Flask-Migrate template:

- ``UTCDateTime`` columns are rendered as ``sa.DateTime(timezone=True)``, so
  migration files never import application code that may later change.
- On SQLite, foreign keys are switched off while migrations run (batch mode
  recreates tables, which must not cascade), checked with
  ``PRAGMA foreign_key_check`` and switched on again afterwards.
- Every ``cop/<feature>/models.py`` (and core's job ledger) is imported first, so the metadata is
  complete whatever create_app happened to import.
- Logging is configured from alembic.ini only when nothing configured it yet
  (the app, or pytest, usually did), and never disables existing loggers.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app

config = context.config

if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine() -> Any:
    return current_app.extensions["migrate"].db.engine


def get_engine_url() -> str:
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


def import_all_models() -> None:
    """Import every ``cop/<feature>/models.py`` so the metadata holds every table.

    create_app imports only what its blueprints need; autogenerate must see
    all tables or it would write ``drop_table`` for the ones it missed.
    """
    import importlib
    import pkgutil

    import cop

    for module in pkgutil.iter_modules(cop.__path__):
        if module.ispkg:
            name = f"cop.{module.name}.models"
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
    importlib.import_module("cop.core.jobs.models")  # core's own table (the job ledger)


import_all_models()
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db


def get_metadata() -> Any:
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the app's own column types as plain SQLAlchemy types."""
    from cop.core.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``flask db upgrade --sql``) instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=get_metadata(),
        literal_binds=True,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a connection from the app's engine."""

    def process_revision_directives(context: Any, revision: Any, directives: list) -> None:
        # An autogenerate that finds no change writes no empty migration file.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("compare_type", True)
    from cop.core.db import include_name

    conf_args.setdefault("include_name", include_name)  # FTS5 tables live outside the models

    engine = get_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Must run outside a transaction to take effect: use the driver directly.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            if sqlite:
                # SQLite can roll DDL back: a failed migration leaves nothing half done.
                conf_args.setdefault("transactional_ddl", True)
            context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"foreign key violations after migrating: {problems}")
        finally:
            if sqlite:
                if connection.in_transaction():
                    connection.rollback()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
