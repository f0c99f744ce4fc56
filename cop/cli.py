"""The ``flask --app wsgi cop ...`` commands.

``serve`` (HTTP and Socket.IO in one process), ``create-user``, ``seed-demo``,
``backup PATH`` and ``restore PATH``. See docs/operations.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo, pass_script_info
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from cop.core.errors import CopError
from cop.extensions import db, socketio

cop_cli = AppGroup("cop", help="cop administration commands.")


def _error_text(error: CopError) -> str:
    """One line for the terminal: the message, the field messages and the code."""
    parts = [str(error.message)]
    parts += [f"{name}: {message}" for name, message in error.fields.items()]
    return f"{' '.join(parts)} [{error.code}]"


# --- serve ---------------------------------------------------------------------


@cop_cli.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@pass_script_info
def serve(info: ScriptInfo, host: str, port: int) -> None:
    """Serve HTTP and Socket.IO in one process (the embedded default).

    Runs in the configured async mode (threading unless COP_SOCKETIO_ASYNC_MODE
    says otherwise). Behind nginx, run one such process per port.
    """
    app = info.load_app()
    if socketio.async_mode == "gevent" and not _gevent_patched():
        raise click.ClickException(
            "COP_SOCKETIO_ASYNC_MODE is gevent, which needs a monkey-patched process: run "
            "gunicorn -k gevent -w 1 wsgi:app, or set COP_SOCKETIO_ASYNC_MODE=threading "
            "for cop serve."
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"cop ({app.config['ENV_NAME']}, Socket.IO {socketio.async_mode}) "
        f"on http://{shown}:{port}/ - press Ctrl+C to stop"
    )
    # `flask` sets this so that app.run() does nothing; here running is the point.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return bool(monkey.is_module_patched("socket"))


# --- accounts -----------------------------------------------------------------


@cop_cli.command("create-user")
@click.option("--email", required=True, help="Login email address.")
@click.option("--name", required=True, help="Display name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (asked for when omitted, so it stays out of the shell history).",
)
@click.option("--admin", is_flag=True, help="Make the account a site admin.")
def create_user(email: str, name: str, password: str, admin: bool) -> None:
    """Create an account (a site admin with --admin)."""
    from cop.auth.services import register

    try:
        user = register(email, password, name, is_admin=admin)
    except CopError as error:
        raise click.ClickException(f"Could not create the account: {_error_text(error)}") from None
    role = "site admin" if user.is_admin else "user"
    click.echo(f"Created {role} {user.email} (@{user.username}, id {user.id}).")


# --- demo data ----------------------------------------------------------------


@cop_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo: teachers, a KKG, two MGMPs, a komunitas belajar (see cop/demo.py)."""
    from cop import demo

    try:
        has_users = demo.has_users()
    except DBAPIError as exc:
        raise click.ClickException(
            f"The database is not ready ({exc.orig}). Run `flask --app wsgi db upgrade` first."
        ) from None
    if if_empty and has_users:
        click.echo("The database already has accounts: no demo data loaded.")
        return
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "Refusing to load the demo in production: its passwords are public."
        )
    existing = demo.existing_demo_account()
    if existing:
        raise click.ClickException(f"The demo data is already loaded ({existing} exists).")
    try:
        result = demo.seed()
    except CopError as error:
        raise click.ClickException(f"Could not load the demo: {_error_text(error)}") from None
    click.echo(
        f"Demo data loaded: {len(result.users)} accounts, {len(result.communities)} communities."
    )
    for line in result.notes:
        click.echo(line)


# --- backup and restore -------------------------------------------------------


def _database_url() -> URL:
    return db.engine.url


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise click.ClickException(f"Cannot back up this SQLite database: {url.database!r}")
    return Path(url.database)


def _libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and an environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the "
            f"server's major version or newer (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise click.ClickException(f"{Path(command[0]).name} failed: {detail}")


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database with cop's tables."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} is not a SQLite database: {exc}") from None
    if not status or status[0] != "ok":
        raise click.ClickException(f"{path} is damaged: {status}")
    if "users" not in tables:
        raise click.ClickException(f"{path} is not a cop backup (it has no users table).")


def _sqlite_copy(source: Path, target: Path, *, standalone: bool) -> None:
    """Copy a whole database with SQLite's online backup API (safe while in use).

    A backup file gets the rollback journal, so it is one self-contained file;
    the live database keeps WAL.
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


@cop_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH.

    SQLite: an online copy (the app may keep running). PostgreSQL: pg_dump in
    its custom format (restore with ``cop restore`` or pg_restore).
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose another name or pass --force.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    url = _database_url()
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial, standalone=True)
        elif url.get_backend_name() == "postgresql":
            target, env = _libpq_target(url)
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(partial),
                    "--dbname",
                    target,
                ],
                env,
            )
        else:
            raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@cop_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: replace everything in the database.")
def restore(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup in PATH.

    Stop the app first. Without --yes nothing happens. Run ``flask db upgrade``
    afterwards when the backup is older than the code.
    """
    url = _database_url()
    if not yes:
        raise click.ClickException(
            f"This replaces everything in {url.render_as_string(hide_password=True)} with "
            f"{path}. Stop the app, then run again with --yes."
        )
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(path)
        _sqlite_copy(path, _sqlite_path(url), standalone=False)
    elif url.get_backend_name() == "postgresql":
        target, env = _libpq_target(url)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                target,
                str(path),
            ],
            env,
        )
    else:
        raise click.ClickException(f"No restore method for {url.get_backend_name()}.")
    click.echo(f"Database restored from {path}.")
