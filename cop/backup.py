"""Backups: one archive with the database and the uploaded files, and restoring it.

``cop backup PATH`` and ``cop restore PATH`` (cop/cli.py) call ``write_backup``
and ``restore_backup``. An archive is a gzip-compressed tar file:

    database.sqlite      SQLite: an online copy (backup API), self-contained
    database.dump        PostgreSQL: pg_dump --format=custom
    uploads/...          the upload folder (COP_UPLOAD_DIR), as stored
    cop-backup.json      what it holds: {"format", "database", "created_at", "files"}

The database is copied first and the files after it, so every file a row
of the copy names is in the archive unless it was deleted while the backup
ran. Restoring unpacks everything into a staging folder inside the upload
folder before it touches anything, restores the database, then moves the
staged files in place of the old ones. A bare database file (a backup made
before uploads were included) still restores, leaving the upload folder as
it is.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy.engine import URL

from cop.core.types import utcnow

FORMAT = 1
MANIFEST = "cop-backup.json"
UPLOADS = "uploads"
#: the database member per backend
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Restored:
    """What ``restore_backup`` put back: the database, and the files (None: left alone)."""

    database: str
    files: int | None


# --- the database ------------------------------------------------------------------


def _backend(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in DATABASE_MEMBERS:
        raise BackupError(f"No backup method for {backend}.")
    return backend


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"Cannot back up this SQLite database: {url.database!r}")
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
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the "
            f"server's major version or newer (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{Path(command[0]).name} failed: {detail}")


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
        raise BackupError(f"{path} is not a SQLite database: {exc}") from None
    if not status or status[0] != "ok":
        raise BackupError(f"{path} is damaged: {status}")
    if "users" not in tables:
        raise BackupError(f"{path} is not a cop backup (it has no users table).")


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


def dump_database(url: URL, target: Path) -> None:
    """Write a consistent copy of the database at ``url`` to the file ``target``."""
    if _backend(url) == "sqlite":
        _sqlite_copy(_sqlite_path(url), target, standalone=True)
        return
    dsn, env = _libpq_target(url)
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), "--dbname", dsn],
        env,
    )


def load_database(url: URL, source: Path) -> None:
    """Replace everything in the database at ``url`` with the copy in ``source``."""
    if _backend(url) == "sqlite":
        _check_sqlite_backup(source)
        _sqlite_copy(source, _sqlite_path(url), standalone=False)
        return
    dsn, env = _libpq_target(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            dsn,
            str(source),
        ],
        env,
    )


# --- writing an archive ---------------------------------------------------------------


def _upload_files(upload_dir: Path) -> Iterator[tuple[Path, str]]:
    """Every stored file under ``upload_dir`` with its name in the archive, sorted."""
    if not upload_dir.is_dir():
        return
    for folder, dirs, files in os.walk(upload_dir):
        # Dot folders are not stored files: uploads being received (.tmp), a restore.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, f"{UPLOADS}/{path.relative_to(upload_dir).as_posix()}"


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def write_backup(path: Path, url: URL, upload_dir: Path) -> int:
    """Write the archive to ``path`` (via a hidden partial file); return the files it holds."""
    backend = _backend(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".cop-backup-") as scratch:
            database = Path(scratch) / DATABASE_MEMBERS[backend]
            dump_database(url, database)
            files = 0
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                archive.add(database, arcname=database.name)
                for file, name in _upload_files(upload_dir):
                    try:
                        archive.add(file, arcname=name, recursive=False)
                    except FileNotFoundError:  # its resource was deleted meanwhile
                        continue
                    files += 1
                manifest = {
                    "format": FORMAT,
                    "database": backend,
                    "created_at": utcnow().isoformat(),
                    "files": files,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return files


# --- restoring an archive ---------------------------------------------------------------


@dataclass
class _Unpacked:
    manifest: dict[str, Any] | None = None
    database: Path | None = None
    files: int = 0


def _upload_target(uploads: Path, name: str) -> Path:
    """Where an ``uploads/...`` member goes under ``uploads``; refuses escaping names."""
    parts = PurePosixPath(name).parts[1:]
    if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise BackupError(f"Refusing an archive member named {name!r}.")
    return uploads.joinpath(*parts)


def _copy_member(source: IO[bytes] | None, target: Path) -> None:
    if source is None:
        raise BackupError(f"Cannot read {target.name} from the archive.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with source, target.open("wb") as out:
        shutil.copyfileobj(source, out)


def _read_members(archive: tarfile.TarFile, staging: Path) -> _Unpacked:
    """Copy the members out into ``staging``: regular files only, names checked."""
    found = _Unpacked()
    for member in archive:
        name = member.name
        if name == MANIFEST and member.isfile():
            raw = archive.extractfile(member)
            try:
                found.manifest = json.loads(raw.read() if raw else b"")
            except ValueError:
                raise BackupError(f"Its {MANIFEST} is damaged.") from None
        elif name in DATABASE_MEMBERS.values() and member.isfile():
            found.database = staging / name
            _copy_member(archive.extractfile(member), found.database)
        elif name == UPLOADS or name.startswith(f"{UPLOADS}/"):
            if member.isdir():
                continue
            if not member.isfile():
                raise BackupError(f"Refusing an archive member named {name!r}.")
            _copy_member(archive.extractfile(member), _upload_target(staging / UPLOADS, name))
            found.files += 1
        else:
            raise BackupError(f"It is not a cop backup (it holds {name!r}).")
    return found


def _unpack(path: Path, staging: Path) -> tuple[dict[str, Any], Path]:
    """Unpack the archive at ``path`` into ``staging``: its manifest and database file."""
    (staging / UPLOADS).mkdir()
    try:
        with tarfile.open(path, "r:*") as archive:
            found = _read_members(archive, staging)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:  # damaged or cut short
        raise BackupError(f"{path} cannot be read: {exc}") from None
    except BackupError as error:
        raise BackupError(f"{path}: {error}") from None
    manifest, database = found.manifest, found.database
    if not isinstance(manifest, dict) or database is None:
        raise BackupError(f"{path} is not a cop backup (no {MANIFEST} or no database).")
    if DATABASE_MEMBERS.get(str(manifest.get("database"))) != database.name:
        raise BackupError(f"{path} is damaged: {MANIFEST} does not match its database.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} has backup format {manifest.get('format')!r}; expected {FORMAT}."
        )
    manifest["files"] = found.files
    return manifest, database


@contextmanager
def _staging_in(folder: Path) -> Iterator[Path]:
    """A scratch folder inside ``folder``: on its disk even when it is a mount point,
    so swapping the restored files in is a rename."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder, prefix=".restore-"))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _swap_in(new: Path, folder: Path, scratch: Path) -> None:
    """Make ``folder`` hold what ``new`` holds; the stored files it had go into ``scratch``.

    Dot folders (uploads being received, the scratch folder itself) stay.
    """
    previous = scratch / "previous"
    previous.mkdir()
    for child in folder.iterdir():
        if not child.name.startswith("."):
            child.replace(previous / child.name)
    for child in new.iterdir():
        child.replace(folder / child.name)


def restore_backup(path: Path, url: URL, upload_dir: Path) -> Restored:
    """Replace the database (and, for an archive, the upload folder) with the backup."""
    backend = _backend(url)
    if not tarfile.is_tarfile(path):
        # A backup from before uploads were included: the database file alone.
        load_database(url, path)
        return Restored(backend, None)
    with _staging_in(upload_dir) as staging:
        manifest, database = _unpack(path, staging)
        if database.name != DATABASE_MEMBERS[backend]:
            raise BackupError(
                f"{path} holds a {manifest['database']} database; this app uses {backend}."
            )
        load_database(url, database)
        _swap_in(staging / UPLOADS, upload_dir, staging)
    return Restored(backend, manifest["files"])
