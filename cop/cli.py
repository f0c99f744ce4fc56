"""The ``flask --app wsgi cop ...`` commands.

``serve`` (HTTP and Socket.IO in one process, with a job consumer beside it),
``worker`` (a job consumer on its own), ``create-user``, ``seed-demo``,
``backup PATH`` and ``restore PATH`` (the database and the uploads; cop/backup.py).
See docs/operations.md and docs/jobs.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo, pass_script_info
from sqlalchemy.exc import DBAPIError

from cop import backup as backups
from cop.core import jobs
from cop.core.errors import CopError
from cop.extensions import db, socketio
from cop.resources.storage import upload_root

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
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Run a background-job consumer in this process (off when `cop worker` runs apart).",
)
@pass_script_info
def serve(info: ScriptInfo, host: str, port: int, worker: bool) -> None:
    """Serve HTTP and Socket.IO in one process (the embedded default).

    Runs in the configured async mode (threading unless COP_SOCKETIO_ASYNC_MODE
    says otherwise). Behind nginx, run one such process per port. With the job
    consumer beside it (``--worker``, the default) mail and reminders go out
    without any other process; pass ``--no-worker`` when ``cop worker`` runs.
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
    consumer = None
    if worker and not app.config["JOB_IMMEDIATE"]:
        consumer = jobs.start_in_process(app)
        click.echo("Background jobs: a consumer runs in this process.")
    # `flask` sets this so that app.run() does nothing; here running is the point.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    try:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
    finally:
        if consumer is not None:
            click.echo("Finishing the running background jobs...")
            consumer.stop(graceful=True)


@cop_cli.command("worker", with_appcontext=False)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at once in this process (threads).",
)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also fire the periodic jobs (each runs once per minute however many workers).",
)
@pass_script_info
def worker_command(info: ScriptInfo, workers: int, periodic: bool) -> None:
    """Run background jobs (mail, reminders, ...) until stopped.

    Ctrl+C or SIGINT finishes the running jobs first; SIGTERM stops at once (an
    unfinished job runs again when its lease expires). Run any number of these,
    on any machine that shares the database and COP_REDIS_URL (docs/jobs.md).
    """
    app = info.load_app()
    if app.config["JOB_IMMEDIATE"]:
        raise click.ClickException("COP_JOB_IMMEDIATE is on: jobs run in the caller, no worker.")
    shape = "Redis" if app.config.get("REDIS_URL") else "SQLite"
    click.echo(f"cop worker ({shape} queue, {workers} at once) - Ctrl+C to stop")
    jobs.worker(app, workers=workers, periodic=periodic)


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
    """Load the demo: teachers, a KKG, two MGMPs, a komunitas belajar (see cop/demo/)."""
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


@cop_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup(path: Path, force: bool) -> None:
    """Write the database and the uploaded files to one archive at PATH.

    A gzip-compressed tar file (cop/backup.py): the database (SQLite: an online
    copy, the app may keep running; PostgreSQL: pg_dump) and the upload folder.
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose another name or pass --force.")
    try:
        files = backups.write_backup(path, db.engine.url, upload_root())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backup written to {path} ({path.stat().st_size:,} bytes; the database and "
        f"{files} uploaded files)."
    )


@cop_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: replace the database and the uploads.")
def restore(path: Path, yes: bool) -> None:
    """Replace the whole database and the uploaded files with the backup in PATH.

    Stop the app first. Without --yes nothing happens. Run ``flask db upgrade``
    afterwards when the backup is older than the code.
    """
    url = db.engine.url
    if not yes:
        raise click.ClickException(
            f"This replaces everything in {url.render_as_string(hide_password=True)} and in "
            f"{upload_root()} with {path}. Stop the app, then run again with --yes."
        )
    db.session.remove()
    db.engine.dispose()
    try:
        restored = backups.restore_backup(path, url, upload_root())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database restored from {path}.")
    if restored.files is None:
        click.echo(
            "That backup holds only the database (made before backups included the "
            f"uploads): {upload_root()} was left as it is."
        )
    else:
        click.echo(f"Uploaded files restored: {restored.files}.")


@cop_cli.command("copy-database")
@click.argument("target_url")
def copy_database_command(target_url: str) -> None:
    """Copy every row into TARGET_URL (e.g. PostgreSQL), migrated and empty, then
    rebuild its search index. Run `flask db upgrade` against the target first."""
    from cop import dbcopy

    try:
        copied = dbcopy.copy_database(target_url)
    except dbcopy.CopyError as error:
        raise click.ClickException(str(error)) from None
    total = sum(copied.rows.values())
    click.echo(f"Copied {total:,} rows in {len(copied.rows)} tables.")
    click.echo(
        "Next: point COP_DATABASE_URL at the target, run "
        "`flask --app wsgi cop search reindex` there, and start the app."
    )
