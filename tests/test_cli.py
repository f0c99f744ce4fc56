"""The ``flask cop ...`` commands: create-user, seed-demo, serve, backup and restore."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import werkzeug.serving
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

import cop.cli
from cop import create_app, demo
from cop.auth.models import User
from cop.communities.models import Community, Membership
from cop.extensions import db
from cop.resources import services as resource_services
from tests.conftest import throwaway_postgres_database
from tests.factories import Factory
from tests.resources import PDF

PASSWORD = "kopi-pagi-di-sentani"


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def _emails(app: Flask) -> set[str]:
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.session.remove()
        return emails


def _create_user(runner: FlaskCliRunner, email: str, *extra: str):
    return runner.invoke(
        args=[
            "cop",
            "create-user",
            "--email",
            email,
            "--name",
            "Ibu Kepala",
            "--password",
            PASSWORD,
            *extra,
        ]
    )


# --- create-user ----------------------------------------------------------------


def test_create_user_makes_an_admin(app, runner):
    result = _create_user(runner, "kepala@cop.local", "--admin")
    assert result.exit_code == 0, result.output
    assert "kepala@cop.local" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "kepala@cop.local"))
        assert user is not None and user.is_admin


def test_create_user_refuses_a_taken_email(runner):
    assert _create_user(runner, "kepala@cop.local").exit_code == 0
    result = _create_user(runner, "KEPALA@cop.local")
    assert result.exit_code != 0
    assert "email_taken" in result.output


def test_create_user_refuses_a_weak_password(app, runner):
    result = runner.invoke(
        args=["cop", "create-user", "--email", "a@cop.local", "--name", "A", "--password", "1234"]
    )
    assert result.exit_code != 0
    assert "password" in result.output
    assert _emails(app) == set()


# --- seed-demo ----------------------------------------------------------------------


def test_seed_demo_creates_the_demo_communities(app, runner):
    result = runner.invoke(args=["cop", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert demo.ADMIN_EMAIL in result.output and demo.TEACHER_EMAIL in result.output
    assert demo.DEMO_PASSWORD in result.output
    with app.app_context():
        communities = {c.name: c for c in db.session.scalars(select(Community))}
        assert {name: (c.kind, c.visibility, c.level) for name, c in communities.items()} == {
            "KKG Gugus 3 Kecamatan Tamalate": ("KKG", "public", "SD"),
            "MGMP Matematika SMP Kota Kupang": ("MGMP", "public", "SMP"),
            "MGMP Bahasa Inggris SMA Kabupaten Jayapura": ("MGMP", "private", "SMA"),
            "Komunitas Belajar SMP Negeri 115 Jakarta": ("KOMBEL", "hidden", "SMP"),
        }
        private = communities["MGMP Bahasa Inggris SMA Kabupaten Jayapura"]
        statuses = db.session.scalars(
            select(Membership.status).where(Membership.community_id == private.id)
        ).all()
        assert sorted(statuses) == ["active", "active", "pending"]
        roles = set(db.session.scalars(select(Membership.role)))
        assert roles == {"coordinator", "moderator", "member"}
        zones = set(db.session.scalars(select(User.timezone)))
        assert zones == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
        admin = db.session.scalar(select(User).where(User.email == demo.ADMIN_EMAIL))
        assert admin is not None and admin.is_admin
        db.session.remove()


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, runner):
    assert runner.invoke(args=["cop", "seed-demo", "--if-empty"]).exit_code == 0
    before = _emails(app)
    result = runner.invoke(args=["cop", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert _emails(app) == before


def test_seed_demo_if_empty_skips_a_database_with_any_account(app, runner):
    assert _create_user(runner, "kepala@cop.local").exit_code == 0
    assert runner.invoke(args=["cop", "seed-demo", "--if-empty"]).exit_code == 0
    assert _emails(app) == {"kepala@cop.local"}


def test_seed_demo_twice_without_if_empty_is_an_error(runner):
    assert runner.invoke(args=["cop", "seed-demo"]).exit_code == 0
    result = runner.invoke(args=["cop", "seed-demo"])
    assert result.exit_code != 0
    assert "already" in result.output


def test_seed_demo_refuses_production(app):
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["cop", "seed-demo", "--if-empty"])
    assert result.exit_code != 0
    assert _emails(app) == set()


def test_seed_demo_on_a_database_without_tables_says_to_migrate(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    application = create_app("testing", {"DATABASE_URL": url, "REDIS_URL": None})
    result = application.test_cli_runner().invoke(args=["cop", "seed-demo", "--if-empty"])
    with application.app_context():
        db.engine.dispose()
    assert result.exit_code != 0
    assert "db upgrade" in result.output


# --- serve ----------------------------------------------------------------------------


def test_serve_starts_the_server_on_the_given_address(runner, monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # as `flask --app wsgi ...` does
    monkeypatch.setattr(
        werkzeug.serving, "run_simple", lambda host, port, app, **kw: calls.append((host, port))
    )
    result = runner.invoke(args=["cop", "serve", "--host", "127.0.0.1", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5123/" in result.output
    assert calls == [("127.0.0.1", 5123)]


def test_serve_refuses_gevent_mode_without_monkey_patching(runner, monkeypatch):
    monkeypatch.setattr(cop.cli.socketio, "async_mode", "gevent")
    monkeypatch.setattr(cop.cli, "_gevent_patched", lambda: False)
    result = runner.invoke(args=["cop", "serve"])
    assert result.exit_code != 0
    assert "gunicorn" in result.output


# --- backup and restore ------------------------------------------------------------------


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Flask:
    """An app on a SQLite file of its own, whatever database the suite uses."""
    return _app_on(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)


def _app_on(url: str, tmp_path: Path) -> Flask:
    application = create_app(
        "testing",
        {"DATABASE_URL": url, "REDIS_URL": None, "UPLOAD_DIR": str(tmp_path / "uploads")},
    )
    with application.app_context():
        db.create_all()
        db.engine.dispose()
    return application


def _share(app: Flask, title: str, content: bytes) -> str:
    """A coordinator shares a PDF in a new community: the storage key of the file."""
    factory = Factory(app)
    owner = factory.user()
    community = factory.community(owner)
    with app.app_context():
        resource = resource_services.share_file(
            db.session.merge(owner),
            db.session.merge(community),
            resource_services.ResourceData(title=title, kind="modul_ajar"),
            resource_services.Upload(io.BytesIO(content), "modul.pdf"),
        )
        key = resource.storage_key
        db.session.remove()
    assert key is not None
    return key


def _stored(app: Flask, key: str) -> bytes | None:
    path = Path(app.config["UPLOAD_DIR"]) / key
    return path.read_bytes() if path.is_file() else None


@dataclass
class RoundTrip:
    emails: set[str]
    #: the file shared before the backup, as stored after the restore
    before: bytes | None
    #: the file shared after the backup, as stored after the restore
    after: bytes | None


def _round_trip(app: Flask, backup: Path) -> RoundTrip:
    """Back up with one account and file, add others and lose the first file, restore."""
    runner = app.test_cli_runner()
    assert _create_user(runner, "sebelum@cop.local").exit_code == 0
    kept = _share(app, "Modul Pecahan", PDF)
    result = runner.invoke(args=["cop", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert _create_user(runner, "sesudah@cop.local").exit_code == 0
    later = _share(app, "Modul Ekosistem", PDF + b"% ekosistem\n")
    (Path(app.config["UPLOAD_DIR"]) / kept).unlink()
    result = runner.invoke(args=["cop", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    emails = {e for e in _emails(app) if e.endswith("@cop.local")}  # not the factory's
    return RoundTrip(emails, _stored(app, kept), _stored(app, later))


def test_backup_and_restore_round_trip_on_sqlite(sqlite_app, tmp_path):
    trip = _round_trip(sqlite_app, tmp_path / "backups" / "cop.tar.gz")
    assert trip == RoundTrip({"sebelum@cop.local"}, before=PDF, after=None)


@pytest.mark.postgres
def test_backup_and_restore_round_trip_on_postgresql(tmp_path):
    with throwaway_postgres_database("cop_backup") as url:
        application = _app_on(url, tmp_path)
        try:
            trip = _round_trip(application, tmp_path / "cop.tar.gz")
        finally:
            with application.app_context():
                db.engine.dispose()
    assert trip == RoundTrip({"sebelum@cop.local"}, before=PDF, after=None)


def test_backup_is_one_archive_with_the_database_and_the_uploads(sqlite_app, tmp_path):
    key = _share(sqlite_app, "Modul Pecahan", PDF)
    (Path(sqlite_app.config["UPLOAD_DIR"]) / ".tmp" / "up-half").write_bytes(b"half")
    target = tmp_path / "cop.tar.gz"
    result = sqlite_app.test_cli_runner().invoke(args=["cop", "backup", str(target)])
    assert result.exit_code == 0, result.output
    with tarfile.open(target) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("cop-backup.json").read())  # type: ignore[union-attr]
    assert names == ["database.sqlite", f"uploads/{key}", "cop-backup.json"]
    assert manifest["database"] == "sqlite"
    assert manifest["files"] == 1


def test_restore_of_a_database_only_backup_leaves_the_uploads(sqlite_app, tmp_path):
    """Backups made before uploads were included are a bare database file."""
    runner = sqlite_app.test_cli_runner()
    assert _create_user(runner, "sebelum@cop.local").exit_code == 0
    old = tmp_path / "old.sqlite"
    shutil.copy(tmp_path / "live.sqlite", old)
    key = _share(sqlite_app, "Modul Pecahan", PDF)
    result = runner.invoke(args=["cop", "restore", str(old), "--yes"])
    assert result.exit_code == 0, result.output
    assert "left as it is" in result.output
    assert _stored(sqlite_app, key) == PDF


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {
                "cop-backup.json": b'{"format": 1, "database": "sqlite"}',
                "database.sqlite": b"",
                "uploads/../../escaped": PDF,
            },
            "Refusing an archive member",
        ),
        (
            {"cop-backup.json": b'{"format": 1, "database": "postgresql"}', "database.dump": b""},
            "holds a postgresql database",
        ),
        ({"notes.txt": b"bukan cadangan"}, "not a cop backup"),
    ],
)
def test_restore_refuses_a_bad_archive_and_changes_nothing(sqlite_app, tmp_path, members, message):
    runner = sqlite_app.test_cli_runner()
    assert _create_user(runner, "tetap@cop.local").exit_code == 0
    key = _share(sqlite_app, "Modul Pecahan", PDF)
    bad = _archive(tmp_path / "bad.tar.gz", members)
    result = runner.invoke(args=["cop", "restore", str(bad), "--yes"])
    assert result.exit_code != 0
    assert message in result.output
    assert "tetap@cop.local" in _emails(sqlite_app)
    assert _stored(sqlite_app, key) == PDF
    assert not (tmp_path / "escaped").exists()
    assert not list((tmp_path / "uploads").glob(".restore-*"))  # the staging folder is gone


def test_backup_does_not_overwrite_without_force(sqlite_app, tmp_path):
    target = tmp_path / "cop.sqlite"
    target.write_text("older backup")
    result = sqlite_app.test_cli_runner().invoke(args=["cop", "backup", str(target)])
    assert result.exit_code != 0
    assert target.read_text() == "older backup"


def test_restore_needs_yes(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    backup = tmp_path / "empty.tar.gz"
    assert runner.invoke(args=["cop", "backup", str(backup)]).exit_code == 0
    assert _create_user(runner, "tetap@cop.local").exit_code == 0
    result = runner.invoke(args=["cop", "restore", str(backup)])
    assert result.exit_code != 0
    assert "--yes" in result.output
    assert _emails(sqlite_app) == {"tetap@cop.local"}


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_app, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("bukan database")
    result = sqlite_app.test_cli_runner().invoke(args=["cop", "restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "not a SQLite database" in result.output


def _drill_counts(app: Flask) -> dict[str, int]:
    from sqlalchemy import func

    from cop.core.db import UNMANAGED_TABLES

    with app.app_context():
        counts = {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables
            if not t.name.startswith(UNMANAGED_TABLES)
        }
        db.session.remove()
    return counts


def _checksums(app: Flask) -> dict[str, str]:
    import hashlib

    root = Path(app.config["UPLOAD_DIR"])
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".tmp", "tmp"} & set(p.relative_to(root).parts)
    }


def _restore_drill(app: Flask, backup: Path) -> None:
    """A seeded site is backed up, then damaged (rows deleted and added, files lost
    and added), then restored: every table's row count and every file's checksum are
    what they were at the backup."""
    from datetime import timedelta

    from cop.communities.models import Community

    factory = Factory(app)
    owner = factory.user(name="Bu Ketua")
    community = factory.community(owner, name="KKG Latihan Pulih")
    for i in range(3):
        member = factory.user()
        factory.member(community, member)
        factory.post(factory.topic(community, member, title=f"Topik {i}"), owner, "Balasan")
    factory.attendance(factory.meeting(community, owner, starts_in=timedelta(days=-1)), owner)
    _share(app, "Modul Satu", PDF)
    _share(app, "Modul Dua", PDF + b"% dua\n")
    counts, files = _drill_counts(app), _checksums(app)
    assert sum(counts.values()) > 20 and len(files) == 2
    runner = app.test_cli_runner()
    assert runner.invoke(args=["cop", "backup", str(backup)]).exit_code == 0
    # the damage: a community gone (with its rows), new rows, a file lost, a new file
    with app.app_context():
        db.session.delete(db.session.get(Community, community.id))
        db.session.commit()
        db.session.remove()
    factory.community(factory.user(), name="KKG Sesudah")
    (Path(app.config["UPLOAD_DIR"]) / sorted(files)[0]).unlink()
    _share(app, "Modul Sesudah", PDF + b"% sesudah\n")
    assert _drill_counts(app) != counts and _checksums(app) != files
    result = runner.invoke(args=["cop", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert _drill_counts(app) == counts
    assert _checksums(app) == files


def test_restore_drill_on_sqlite(sqlite_app, tmp_path):
    _restore_drill(sqlite_app, tmp_path / "drill.tar.gz")


@pytest.mark.postgres
def test_restore_drill_on_postgresql(tmp_path):
    with throwaway_postgres_database("cop_drill") as url:
        application = _app_on(url, tmp_path)
        try:
            _restore_drill(application, tmp_path / "drill.tar.gz")
        finally:
            with application.app_context():
                db.engine.dispose()
