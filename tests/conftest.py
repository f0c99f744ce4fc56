"""Shared fixtures: an app with a fresh database per test, clients, login helpers.

Tests run on SQLite by default. With ``COP_TEST_DATABASE_URL`` (PostgreSQL) and
``COP_TEST_REDIS_URL`` set they use the real services; ``COP_REQUIRE_SERVICES=1``
(CI) turns a missing service from a skip into a failure.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from config import normalize_database_url
from cop import create_app
from cop.core import mail
from cop.extensions import db
from tests.factories import DEFAULT_PASSWORD, Factory

T = TypeVar("T")

PG_URL = os.environ.get("COP_TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("COP_TEST_REDIS_URL") or None
REQUIRE_SERVICES = os.environ.get("COP_REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def service_missing(reason: str) -> None:
    """Skip with ``reason``, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (COP_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def _pg_reachable(url: str) -> bool:
    engine = create_engine(normalize_database_url(url))
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; yields its URL.

    Its commits do not wait for the WAL to reach the disk (``synchronous_commit
    = off``, a setting of this database only): a crash of the server could lose
    the last commits of a throwaway database, which no test looks at, and
    transactions, locks and constraints behave exactly as before. Tests commit
    thousands of times; each wait for the disk cost milliseconds.
    """
    if not PG_URL:
        service_missing("COP_TEST_DATABASE_URL is not set: PostgreSQL tests need a server")
    server = make_url(normalize_database_url(str(PG_URL)))
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Create the schema once per run: a SQLite file to copy, or PostgreSQL tables."""
    if PG_URL:
        if not _pg_reachable(PG_URL):
            pytest.fail(f"COP_TEST_DATABASE_URL={PG_URL} is set but PostgreSQL is not reachable")
        # A database of this run's own, so parallel runs on one server never collide.
        with throwaway_postgres_database("cop_test") as url:
            app = create_app("testing", {"DATABASE_URL": url})
            with app.app_context():
                db.create_all()
                db.engine.dispose()
            yield {"kind": "postgresql", "url": url}
        return
    if REQUIRE_SERVICES:
        pytest.fail("COP_REQUIRE_SERVICES=1 but COP_TEST_DATABASE_URL is not set", pytrace=False)
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app("testing", {"DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    yield {"kind": "sqlite", "path": path}


#: a PostgreSQL table holding more rows than this is emptied with TRUNCATE, not DELETE
TRUNCATE_ABOVE = 1000


@dataclass(frozen=True)
class _EmptyingPlan:
    """What emptying one PostgreSQL test database needs, read once from its schema."""

    tables: list[str]  #: parents first
    sequences: dict[str, list[tuple[str, int]]]  #: each table's id sequences and start values
    big_sql: str  #: one row: for each table, whether it holds more than TRUNCATE_ABOVE rows


#: the plan for emptying each PostgreSQL test database, by database URL
_plans: dict[str, _EmptyingPlan] = {}


def _emptying_plan(conn: Connection) -> _EmptyingPlan:
    """The tables, sequences and size check of ``conn``'s database (cached per URL)."""
    key = conn.engine.url.render_as_string(hide_password=False)
    if key not in _plans:
        tables = [t.name for t in db.metadata.sorted_tables]
        # the sequences the tables' serial columns own (what RESTART IDENTITY restarts)
        rows = conn.execute(
            text(
                "SELECT t.relname, s.seqrelid::regclass::text, s.seqstart FROM pg_sequence s"
                " JOIN pg_depend d ON d.classid = 'pg_class'::regclass"
                " AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i')"
                " JOIN pg_class t ON t.oid = d.refobjid"
                " JOIN pg_namespace n ON n.oid = t.relnamespace"
                " WHERE n.nspname = current_schema() AND t.relname = ANY(:tables)"
                " ORDER BY 2"
            ),
            {"tables": tables},
        ).all()
        sequences: dict[str, list[tuple[str, int]]] = {name: [] for name in tables}
        for table, seq, start in rows:
            sequences[table].append((seq, start))
        # reads at most TRUNCATE_ABOVE + 1 rows of each table (table names come from the models)
        big_sql = "SELECT " + ", ".join(  # noqa: S608
            f'EXISTS (SELECT FROM "{name}" OFFSET {TRUNCATE_ABOVE})' for name in tables
        )
        _plans[key] = _EmptyingPlan(tables, sequences, big_sql)
    return _plans[key]


def empty_database_sql(conn: Connection) -> str:
    """SQL that empties every table and restarts every id sequence, as a fresh schema has.

    Most tables are emptied with DELETE and their sequences set back to their
    start: TRUNCATE gives each table new files and forces a synchronous WAL
    flush at commit, 0.5-0.8 s for all ~30 tables, while deleting the few
    rows a test writes takes milliseconds. A table with more than
    ``TRUNCATE_ABOVE`` rows is the other way round (DELETE checks every row's
    foreign keys: 2-6 s for 10,000 posts, against ~0.1 s to truncate them), so
    such tables go in one ``TRUNCATE ... RESTART IDENTITY CASCADE`` (the
    tables referencing them are emptied with them). Which tables are big is
    asked of the database each time (under a millisecond); the result is the
    same either way: empty tables, ids from their start again.
    """
    plan = _emptying_plan(conn)
    big = [
        name
        for name, is_big in zip(plan.tables, conn.execute(text(plan.big_sql)).one(), strict=True)
        if is_big
    ]
    statements = []
    if big:
        names = ", ".join(f'"{name}"' for name in big)
        statements.append(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    # children first; tables the CASCADE emptied are among them: deleting from
    # an empty table is free, and their sequences are set back all the same
    small = [name for name in reversed(plan.tables) if name not in big]
    # table names come from the models, not from input
    statements += [f'DELETE FROM "{name}"' for name in small]  # noqa: S608
    statements += [
        f"SELECT setval('{seq}', {start}, false)"
        for name in small
        for seq, start in plan.sequences[name]
    ]
    return ";\n".join(statements)


#: PostgreSQL test databases (by URL) emptied since an app last had them: a snapshot's
#: copy need not empty them again before filling them
_emptied: set[str] = set()


def truncate_all(app: Flask) -> None:
    """Empty every table and restart the ids (PostgreSQL runs share one database per run)."""
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql(empty_database_sql(conn))
        db.engine.dispose()
    _emptied.add(app.config["SQLALCHEMY_DATABASE_URI"])


def close_app(app: Flask, database_template: dict[str, Any]) -> None:
    """End a test's app: drop its session, empty a PostgreSQL database, close the pool.

    The database is emptied through the pool's open connection before the
    pool is closed (a new connection costs ~10 ms on every test).
    """
    with app.app_context():
        db.session.remove()
    if database_template["kind"] == "postgresql":
        truncate_all(app)  # closes the pool afterwards
    else:
        with app.app_context():
            db.engine.dispose()


@dataclass
class DatabaseSnapshot:
    """A test database's rows and uploaded files, captured once to give tests copies.

    On SQLite the copy is the database file; on PostgreSQL the rows are kept
    in a schema of the worker's database and copied back with INSERT ...
    SELECT, the id sequences set to where they were. A copy has exactly the
    rows, ids and files of the original, in milliseconds instead of the
    fraction of a second that building them through the services takes.
    """

    folder: Path
    schema: str | None = None
    restore_sql: str | None = None

    def app(self, database_template: dict[str, Any], tmp_path: Path) -> Flask:
        """A testing app (as ``make_app``) whose database starts as a copy of the snapshot."""
        if self.schema is None:
            # make_app keeps a database file that is already there
            shutil.copy(self.folder / "cop.sqlite", tmp_path / "cop.sqlite")
        if (self.folder / "uploads").exists():
            shutil.copytree(self.folder / "uploads", tmp_path / "uploads")
        empty = normalize_database_url(str(database_template.get("url"))) in _emptied
        application = make_app(database_template, tmp_path)
        if self.restore_sql is not None:
            with application.app_context(), db.engine.begin() as conn:
                if not empty:  # emptied as it is now (truncate_all's way), then filled
                    conn.exec_driver_sql(empty_database_sql(conn))
                conn.exec_driver_sql(self.restore_sql)
        return application


def _capture_postgres(conn: Connection, schema: str) -> str:
    """Copy every non-empty table into ``schema``; return the SQL that restores them.

    The restore, run on an emptied database, inserts the rows parents-first
    and sets each used id sequence to its last value.
    """
    statements = []
    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    # table names come from the models, not from input
    for table in db.metadata.sorted_tables:
        name, copy = f'"{table.name}"', f'{schema}."{table.name}"'
        if conn.execute(text(f"SELECT 1 FROM {name} LIMIT 1")).first() is None:  # noqa: S608
            continue
        conn.exec_driver_sql(f"CREATE TABLE {copy} AS SELECT * FROM {name}")  # noqa: S608
        statements.append(f"INSERT INTO {name} SELECT * FROM {copy}")  # noqa: S608
    sequences = conn.execute(
        text(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY 1"
        )
    ).all()
    statements += [f"SELECT setval('{seq}', {last})" for seq, last in sequences]
    return ";\n".join(statements)


@contextmanager
def database_snapshot(
    database_template: dict[str, Any], folder: Path, name: str, build: Callable[[Flask], T]
) -> Iterator[tuple[DatabaseSnapshot, T]]:
    """Run ``build(app)`` once on an empty database and snapshot what it made.

    Yields the snapshot and what ``build`` returned (e.g. the ids tests need);
    on PostgreSQL the database is emptied again for the next test, and the
    snapshot's schema (``snapshot_<name>``) is dropped at the end.
    """
    app = make_app(database_template, folder)
    built = build(app)
    snapshot = DatabaseSnapshot(folder=folder)
    with app.app_context():
        if database_template["kind"] == "sqlite":
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            snapshot.schema = f"snapshot_{name}"
            with db.engine.begin() as conn:
                snapshot.restore_sql = _capture_postgres(conn, snapshot.schema)
    close_app(app, database_template)
    try:
        yield snapshot, built
    finally:
        if snapshot.schema is not None:
            with app.app_context():
                with db.engine.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {snapshot.schema} CASCADE")
                db.engine.dispose()


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory and shared by every app of the run.

    Each test has an app of its own, and each app's Jinja environment would
    parse and compile every template it renders again (tens of milliseconds
    per page). Jinja keys the bytecode by template name and a checksum of its
    source, so an edited template is still compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()

_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Any] = {}


def _shared_builder(rule: Rule, append_unknown: bool = True) -> Any:
    """Werkzeug's URL builder for ``rule``, generated once per distinct rule shape.

    Every ``create_app`` compiles two Python functions per route (~100 ms per
    app, most of an app's creation). The generated function is pure: it only
    depends on the rule's parts, the names of its defaults and
    ``append_unknown``, and reaches the rule's converters through its bound
    ``self``; so a function made for an identical rule of an earlier app is
    the same function. Rules whose defaults fill URL parts (values baked into
    the code) are compiled as usual.
    """
    defaults = rule.defaults or {}
    trace = getattr(rule, "_trace", None)
    if trace is None or any(dynamic and part in defaults for dynamic, part in trace):
        return _compile_builder(rule, append_unknown)
    key = (rule.rule, tuple(trace), tuple(defaults), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


Rule._compile_builder = _shared_builder  # type: ignore[method-assign]


def make_app(database_template: dict[str, Any], tmp_path: Path, **overrides: Any) -> Flask:
    """A testing app bound to this test's fresh database."""
    if database_template["kind"] == "sqlite":
        db_path = tmp_path / "cop.sqlite"
        if not db_path.exists():
            shutil.copy(database_template["path"], db_path)
        url = f"sqlite:///{db_path}"
    else:
        url = database_template["url"]
        _emptied.discard(normalize_database_url(url))  # the new app may write before it is closed
    settings: dict[str, Any] = {
        "DATABASE_URL": url,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "EXPORT_DIR": str(tmp_path / "exports"),
        "REDIS_URL": None,
    }
    settings.update(overrides)
    application = create_app("testing", settings)
    application.jinja_env.bytecode_cache = TEMPLATE_CACHE
    _extra_apps.append(application)
    return application


#: apps made by make_app during the current test; closed by ``_close_extra_apps``
_extra_apps: list[Flask] = []


@pytest.fixture(autouse=True)
def _close_extra_apps() -> Iterator[None]:
    """Close the database pools of apps a test made itself (no leaked connections)."""
    yield
    while _extra_apps:
        application = _extra_apps.pop()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(database_template: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """A testing app with an empty database of its own (no app context pushed)."""
    application = make_app(database_template, tmp_path)
    mail.outbox.clear()
    yield application
    close_app(application, database_template)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def factory(app: Flask) -> Factory:
    """Builders for users, communities and memberships (see tests/factories.py)."""
    return Factory(app)


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, read from a page like a browser would.

    The privacy policy: a page every role may open, and among the cheapest (the
    dashboard, read before, was ~0.1 s of every write case on a fresh app)."""
    page = client.get("/privacy/")
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, "every page carries a csrf-token meta tag"
    return match.group(1)


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = DEFAULT_PASSWORD, remember: bool = False) -> Any:
        data = {"email": email, "password": password, "csrf_token": csrf_token(self.client)}
        if remember:
            data["remember"] = "y"
        return self.client.post("/auth/login", data=data)

    def logout(self) -> Any:
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(self.client)})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    """Login helper bound to ``client``."""
    return Auth(client)


class QueryCounter:
    """Counts SQL statements run while active (for N+1 assertions)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.statements: list[str] = []

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """``with count_queries() as q: ...; assert q.count <= N``."""
    return lambda: QueryCounter(app)


@pytest.fixture
def redis_url() -> str:
    """The real Redis for tests that need it (skips, or fails in CI, without it)."""
    if not REDIS_URL:
        service_missing("COP_TEST_REDIS_URL is not set: Redis tests need a running Redis")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()  # type: ignore[arg-type]
    except redis.RedisError as exc:
        pytest.fail(f"COP_TEST_REDIS_URL={REDIS_URL} is set but Redis is not reachable: {exc}")
    return str(REDIS_URL)
