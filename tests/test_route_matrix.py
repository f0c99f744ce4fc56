"""Every route x method x role against the expected table in tests/route_matrix.py.

The world: a *private* community with a coordinator, a moderator, a member
and a banned member, plus an outsider, a site admin and an anonymous visitor.
Routes with ``<slug>`` point at that community; other URL parameters are
filled from the world (see ``PARAMS``). Each write case gets a fresh copy of
the world, so a POST in one case cannot change the next; the world is built
once per worker and copied (``database_snapshot`` in tests/conftest.py),
which is what keeps ~1,000 cases fast.

A route that is missing from the table fails ``test_every_route_is_in_the_table``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.core import mail
from cop.extensions import db
from cop.notifications import services as notification_services
from tests.conftest import Auth, DatabaseSnapshot, close_app, csrf_token, database_snapshot
from tests.factories import Factory
from tests.route_matrix import EXPECTED, FORBIDDEN, HIDDEN, LOGIN, OK, ROLES, WORLD_EXTRAS


@dataclass
class World:
    """Users by role and the community under test."""

    users: dict[str, User | None]
    community: Any
    token_ids: dict[str, int]
    reset_token: str
    notification_id: int
    #: URL parameter values added by the features' WORLD_EXTRAS builders
    extra: dict[str, Any] = field(default_factory=dict)
    #: session cookies of the users, logged in through the login form (see ``_logged_in``)
    sessions: dict[str, str] = field(default_factory=dict)


def build_world(app: Flask, factory: Any) -> World:
    coordinator = factory.user(name="Ibu Koordinator")
    community = factory.community(coordinator, visibility="private", name="MGMP Rahasia")
    users: dict[str, User | None] = {"anonymous": None, "coordinator": coordinator}
    users["outsider"] = factory.user(name="Pak Luar")
    users["admin"] = factory.user(name="Admin Situs", admin=True)
    for role, (membership_role, status) in {
        "member": ("member", "active"),
        "moderator": ("moderator", "active"),
        "banned": ("member", "banned"),
    }.items():
        users[role] = factory.user(name=f"Guru {role}")
        factory.member(community, users[role], role=membership_role, status=status)
    token_ids = {}
    with app.app_context():
        member = db.session.get(User, users["member"].id)
        token, _raw = auth_services.create_token(member, "ponsel")
        token_ids["member"] = token.id
        reset = auth_services.password_reset_token(member)
        notification = notification_services.notify(member, "test", "Halo", "/c/")
    world = World(
        users=users,
        community=community,
        token_ids=token_ids,
        reset_token=reset,
        notification_id=notification.id,
    )
    for extend in WORLD_EXTRAS:
        world.extra.update(extend(app, factory, world))
    return world


def param_value(world: World, endpoint: str, name: str) -> Any:
    """A value for URL parameter ``name`` of ``endpoint`` from the world."""
    member = world.users["member"]
    assert member is not None
    values = {
        "slug": world.community.slug,
        "user_id": member.id,
        "username": member.username,
        "token_id": world.token_ids["member"],
        "notification_id": world.notification_id,
        "community_id": world.community.id,
        "filename": "css/app.css",
    }
    if f"{endpoint}:{name}" in world.extra:  # a value for this endpoint only
        return world.extra[f"{endpoint}:{name}"]
    if name in world.extra:
        return world.extra[name]
    if name == "token":
        return world.reset_token if endpoint.startswith("auth.") else world.community.invite_token
    return values[name]


def routes(app: Flask) -> list[tuple[Rule, str]]:
    pairs = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            pairs.append((rule, method))
    return pairs


def _app_for_listing() -> Flask:
    from cop import create_app

    return create_app("testing", {"DATABASE_URL": "sqlite://"})


ALL_ROUTES = [(rule.endpoint, rule.rule, method) for rule, method in routes(_app_for_listing())]


def test_every_route_is_in_the_table():
    missing = [(e, m, r) for e, r, m in ALL_ROUTES if (e, m) not in EXPECTED]
    assert missing == [], "add these routes to tests/route_matrix.py"


def test_the_table_has_no_stale_rows():
    existing = {(e, m) for e, _r, m in ALL_ROUTES}
    assert sorted(set(EXPECTED) - existing) == []


def categorise(status: int, location: str) -> str:
    """Turn a response into the table's vocabulary."""
    if status == 401 or (status in (301, 302, 303) and "/auth/login" in location):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if status < 400 or status in (400, 409, 413, 415, 422):
        return OK
    return f"unexpected {status}"


def _cases(methods: set[str], include: bool) -> list[Any]:
    return [
        pytest.param(endpoint, path, method, role, id=f"{method} {path} as {role}")
        for endpoint, path, method in ALL_ROUTES
        if (endpoint, method) in EXPECTED and ((method in methods) is include)
        for role in ROLES
    ]


def _request(
    app: Flask, client: Any, world: World, endpoint: str, path: str, method: str, role: str
) -> None:
    """Send one request as ``role`` (client already logged in) and check its outcome."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    values = {name: param_value(world, endpoint, name) for name in rule.arguments}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    headers: dict[str, str] = {}
    data: dict[str, str] = {}
    if method != "GET":
        token = csrf_token(client)
        if endpoint.startswith("api."):
            headers["X-CSRFToken"] = token
        else:
            data["csrf_token"] = token
    if endpoint.startswith("api.") and method != "GET":
        response = client.open(url, method=method, json={}, headers=headers)
    else:
        response = client.open(url, method=method, data=data, headers=headers)
    got = categorise(response.status_code, response.headers.get("Location", ""))
    response.close()
    assert got == EXPECTED[(endpoint, method)][role], (
        f"{method} {url} as {role}: {response.status_code}"
    )


def _logged_in_client(app: Flask, world: World, role: str) -> Any:
    client = app.test_client()
    user = world.users[role]
    if user is not None:
        response = Auth(client).login(user.email)
        assert response.status_code == 302, f"{role} could not log in"
    return client


def _logged_in(app: Flask, world: World) -> World:
    """Log every user of the world in once, keeping their session cookies.

    The snapshot is taken after these logins, so each copy of the world holds
    whatever logging in wrote, and a client carrying a user's cookie is that
    user's logged-in browser in every copy.
    """
    for role, user in world.users.items():
        if user is not None:
            client = _logged_in_client(app, world, role)
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
            assert cookie is not None, f"{role} got no session cookie"
            world.sessions[role] = cookie.value
    return world


def _client_as(app: Flask, world: World, role: str) -> Any:
    """A test client with ``role``'s session (anonymous: none)."""
    client = app.test_client()
    if role in world.sessions:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], world.sessions[role])
    return client


@pytest.fixture(scope="module")
def world_snapshot(
    database_template: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DatabaseSnapshot, World]]:
    """Build the world once (per worker) and keep it to copy into each case's database."""
    with database_snapshot(
        database_template,
        tmp_path_factory.mktemp("world"),
        "matrix_world",
        lambda app: _logged_in(app, build_world(app, Factory(app))),
    ) as snapshot:
        yield snapshot


@pytest.fixture(scope="module")
def shared_world(
    database_template: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
    world_snapshot: tuple[DatabaseSnapshot, World],
) -> Any:
    """One copy of the world for every GET case: reads do not change it.

    Yields (app, world, clients by role).
    """
    snapshot, world = world_snapshot
    app = snapshot.app(database_template, tmp_path_factory.mktemp("matrix"))
    clients: dict[str, Any] = {}

    def client_for(role: str) -> Any:
        if role not in clients:
            clients[role] = _client_as(app, world, role)
        return clients[role]

    yield app, world, client_for
    close_app(app, database_template)


@pytest.fixture
def world_app(
    world_snapshot: tuple[DatabaseSnapshot, World],
    database_template: dict[str, Any],
    tmp_path: Path,
) -> Iterator[Flask]:
    """Like ``app``, but its database starts as a fresh copy of the world."""
    application = world_snapshot[0].app(database_template, tmp_path)
    mail.outbox.clear()
    yield application
    close_app(application, database_template)


@pytest.mark.parametrize(("endpoint", "path", "method", "role"), _cases({"GET"}, include=True))
def test_read_access(shared_world, endpoint, path, method, role):
    app, world, client_for = shared_world
    _request(app, client_for(role), world, endpoint, path, method, role)


@pytest.mark.parametrize(("endpoint", "path", "method", "role"), _cases({"GET"}, include=False))
def test_write_access(world_snapshot, world_app, endpoint, path, method, role):
    """Writes get a fresh copy of the world each, so one case cannot change the next."""
    world = world_snapshot[1]
    _request(world_app, _client_as(world_app, world, role), world, endpoint, path, method, role)
