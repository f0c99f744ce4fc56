"""Moving a site from SQLite to PostgreSQL: `cop copy-database` copies every row into a
migrated, empty database; row counts per table match and the app runs on the copy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from cop import create_app
from cop.extensions import db
from tests.conftest import service_missing
from tests.factories import Factory


def _migrated_app(url: str, tmp_path: Path, name: str):
    app = create_app(
        "testing", {"DATABASE_URL": url, "REDIS_URL": None, "UPLOAD_DIR": str(tmp_path / name)}
    )
    with app.app_context():
        upgrade()
    return app


def _counts(app) -> dict[str, int]:
    from cop.core.db import UNMANAGED_TABLES

    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables
            if not t.name.startswith(UNMANAGED_TABLES)
        }


def _close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def _target(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'target.sqlite'}"
        return
    from tests.conftest import PG_URL, throwaway_postgres_database

    if not PG_URL:
        service_missing("COP_TEST_DATABASE_URL is not set: PostgreSQL tests need a server")
    with throwaway_postgres_database("cop_copy") as url:
        yield url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_every_row_moves_and_the_app_runs_on_the_copy(tmp_path, kind):
    source = _migrated_app(f"sqlite:///{tmp_path / 'source.sqlite'}", tmp_path, "src")
    factory = Factory(source)
    owner = factory.user(name="Bu Ketua")
    community = factory.community(owner, name="KKG Gugus Pindah")
    for i in range(3):
        member = factory.user()
        factory.member(community, member)
        topic = factory.topic(community, member, title=f"Topik pindah {i}")
        factory.post(topic, owner, "Balasan yang ikut pindah")
    meeting = factory.meeting(community, owner, starts_in=timedelta(days=-2))
    factory.attendance(meeting, owner)
    factory.resource(community, owner, content=b"%PDF-1.4 ikut")
    before = _counts(source)
    try:
        with _target(kind, tmp_path) as url:
            target = _migrated_app(url, tmp_path, "dst")
            _close(target)
            result = source.test_cli_runner().invoke(args=["cop", "copy-database", url])
            assert result.exit_code == 0, result.output
            assert "Copied" in result.output
            # a second copy into the now full target is refused, nothing written twice
            again = source.test_cli_runner().invoke(args=["cop", "copy-database", url])
            assert again.exit_code != 0 and "not empty" in again.output
            target = create_app(
                "testing", {"DATABASE_URL": url, "REDIS_URL": None, "UPLOAD_DIR": str(tmp_path)}
            )
            try:
                assert _counts(target) == before
                assert sum(before.values()) > 20
                reindex = target.test_cli_runner().invoke(args=["cop", "search", "reindex"])
                assert reindex.exit_code == 0, reindex.output
                client = target.test_client()
                page = client.get(f"/c/{community.slug}")
                assert page.status_code == 200 and "KKG Gugus Pindah" in page.get_data(as_text=True)
                from cop.search import services as search

                with target.app_context():
                    assert search.search(None, "pindah")  # the index was rebuilt on the copy
                # new rows get fresh ids (the sequences moved past the copied ones)
                Factory(target).community(Factory(target).user(), name="KKG Baru")
            finally:
                _close(target)
    finally:
        _close(source)


def test_an_unmigrated_target_is_refused_with_the_next_step(tmp_path):
    source = _migrated_app(f"sqlite:///{tmp_path / 'source.sqlite'}", tmp_path, "src")
    try:
        result = source.test_cli_runner().invoke(
            args=["cop", "copy-database", f"sqlite:///{tmp_path / 'empty.sqlite'}"]
        )
        assert result.exit_code != 0 and "flask db upgrade" in result.output
    finally:
        _close(source)
