"""The unit of work: commits, rolls back, and never hits "database is locked"."""

import threading
import time

import pytest
from sqlalchemy import func, select

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.core.db import after_commit, detached_copy, unit_of_work, write_connection
from cop.extensions import db


def test_unit_of_work_rolls_back_on_error(app, factory):
    user = factory.user(name="Pak Budi")
    with app.app_context():
        with pytest.raises(RuntimeError), unit_of_work():
            db.session.get(User, user.id).name = "Diubah"
            raise RuntimeError("boom")
        db.session.expire_all()
        assert db.session.get(User, user.id).name == "Pak Budi"


def test_nested_units_commit_once_at_the_outer_end(app, factory):
    user = factory.user(name="Bu Rina")
    with app.app_context():
        with pytest.raises(RuntimeError), unit_of_work():
            with unit_of_work():
                db.session.get(User, user.id).name = "Dalam"
            raise RuntimeError("outer fails after inner finished")
        db.session.expire_all()
        assert db.session.get(User, user.id).name == "Bu Rina"


def test_after_commit_runs_once_the_outer_unit_has_committed(app, factory):
    user = factory.user(name="Bu Rina")
    seen: list[str] = []

    def record() -> None:
        # Runs after the commit: a new connection already sees the change.
        with db.engine.connect() as other:
            seen.append(other.scalar(select(User.name).where(User.id == user.id)))

    with app.app_context():
        with unit_of_work():
            db.session.get(User, user.id).name = "Sudah disimpan"
            with unit_of_work():
                after_commit(record)
            assert seen == []
        assert seen == ["Sudah disimpan"]


def test_after_commit_is_dropped_when_the_unit_rolls_back(app, factory):
    user = factory.user()
    seen: list[int] = []
    with app.app_context():
        with pytest.raises(RuntimeError), unit_of_work():
            db.session.get(User, user.id).name = "Batal"
            after_commit(lambda: seen.append(1))
            raise RuntimeError("boom")
        with unit_of_work():
            db.session.get(User, user.id).name = "Lagi"
        assert seen == []


def test_after_commit_outside_a_unit_runs_at_once(app):
    seen: list[int] = []
    with app.app_context():
        after_commit(lambda: seen.append(1))
        assert seen == [1]


def test_read_then_write_units_in_parallel_never_lock(app, factory):
    """Two units of work that read, pause, then write: with deferred BEGINs the
    second writer fails at once with "database is locked"; ours queue."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite-specific: BEGIN IMMEDIATE serialises writers")
    user = factory.user()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with app.app_context():
                for i in range(5):
                    with unit_of_work():
                        row = db.session.get(User, user.id)
                        db.session.refresh(row)
                        time.sleep(0.02)
                        row.bio = f"{row.bio}{n}{i}."
                db.session.remove()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with app.app_context():
        assert len(db.session.get(User, user.id).bio.split(".")) == 16  # 15 writes, none lost


def test_concurrent_writers_after_stale_reads_all_succeed(app, factory):
    """Threads that read first and then write (the pattern that fails with
    deferred transactions on SQLite) all commit."""
    users = [factory.user() for _ in range(4)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(users))

    def work(user_id: int) -> None:
        try:
            with app.app_context():
                for n in range(15):
                    user = db.session.get(User, user_id)  # opens a read snapshot
                    if n == 0:
                        barrier.wait()
                    auth_services.update_profile(user, auth_services.Profile(school=f"SD {n}"))
                db.session.remove()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(u.id,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with app.app_context():
        schools = db.session.scalars(select(User.school)).all()
        assert schools == ["SD 14"] * len(users)
        assert db.session.scalar(select(func.count(User.id))) == len(users)


_USERS = User.__table__


def test_write_connection_commits_or_rolls_back(app, factory):
    user = factory.user(name="Bu Rina")
    rename = _USERS.update().where(_USERS.c.id == user.id)
    with app.app_context():
        with pytest.raises(RuntimeError), write_connection() as connection:
            connection.execute(rename.values(name="Batal"))
            raise RuntimeError("boom")
        with write_connection() as connection:
            connection.execute(rename.values(name="Tersimpan"))
        with db.engine.connect() as other:
            assert other.scalar(select(User.name).where(User.id == user.id)) == "Tersimpan"


def test_a_session_read_inside_a_write_connection_does_not_wait(app, factory):
    """Only the write connection's own BEGIN is IMMEDIATE on SQLite: a Session that
    reads inside the block starts a plain read, instead of queueing behind the write
    lock the block holds (up to busy_timeout, then "database is locked")."""
    user = factory.user(name="Bu Rina")
    with app.app_context(), write_connection() as connection:
        connection.execute(_USERS.update().where(_USERS.c.id == user.id).values(name="Baru"))
        started = time.monotonic()
        assert db.session.get(User, user.id).name == "Bu Rina"  # not committed yet
        assert time.monotonic() - started < 1


def test_a_detached_copy_outlives_its_sessions_rollback(app, factory):
    user = factory.user(name="Bu Rina")
    with app.app_context():
        loaded = db.session.get(User, user.id)
        kept = detached_copy(loaded)
        db.session.rollback()  # expires `loaded`, not the copy
        db.session.remove()
        assert kept.name == "Bu Rina" and kept.id == user.id
        assert db.session.merge(kept, load=False).name == "Bu Rina"
