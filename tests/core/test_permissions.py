"""The permissions policy as a table: role x visibility x action."""

import pytest

from cop.communities.models import Community
from cop.core import permissions
from cop.core.errors import Forbidden, NotAuthenticated, NotFound
from cop.extensions import db
from tests.conftest import close_app, database_snapshot
from tests.factories import Factory

ROLES = [
    "anonymous",
    "outsider",
    "pending",
    "member",
    "moderator",
    "coordinator",
    "admin",
    "banned",
]

# action -> visibility -> roles allowed
ALLOWED = {
    "community.view": {
        "public": set(ROLES),
        "private": set(ROLES),
        "hidden": {"member", "moderator", "coordinator", "admin"},
    },
    "community.view_content": {
        "public": set(ROLES),
        "private": {"member", "moderator", "coordinator", "admin"},
        "hidden": {"member", "moderator", "coordinator", "admin"},
    },
    "community.join": {
        "public": {"outsider", "admin"},
        "private": {"outsider", "admin"},
        "hidden": set(),
    },
    "community.participate": {
        v: {"member", "moderator", "coordinator"} for v in ("public", "private", "hidden")
    },
    "community.moderate": {
        v: {"moderator", "coordinator", "admin"} for v in ("public", "private", "hidden")
    },
    "community.manage": {v: {"coordinator", "admin"} for v in ("public", "private", "hidden")},
    # chat is the members' room, in public communities too
    "chat.view_community": {
        v: {"member", "moderator", "coordinator", "admin"} for v in ("public", "private", "hidden")
    },
}

CASES = [
    (action, visibility, role)
    for action, table in ALLOWED.items()
    for visibility in ("public", "private", "hidden")
    for role in ROLES
]


def _world(factory, visibility):
    coordinator = factory.user()
    community = factory.community(coordinator, visibility=visibility)
    users = {
        "anonymous": None,
        "coordinator": coordinator,
        "outsider": factory.user(),
        "admin": factory.user(admin=True),
    }
    for role, (membership_role, status) in {
        "pending": ("member", "pending"),
        "member": ("member", "active"),
        "moderator": ("moderator", "active"),
        "banned": ("member", "banned"),
    }.items():
        users[role] = factory.user()
        factory.member(community, users[role], role=membership_role, status=status)
    return community, users


@pytest.fixture(scope="module")
def worlds(database_template, tmp_path_factory):
    """A world per visibility, built once; each policy case gets a fresh copy of them."""
    with database_snapshot(
        database_template,
        tmp_path_factory.mktemp("policy"),
        "policy_worlds",
        lambda app: {v: _world(Factory(app), v) for v in ("public", "private", "hidden")},
    ) as snapshot:
        yield snapshot


@pytest.fixture
def worlds_app(worlds, database_template, tmp_path):
    """Like ``app``, with a copy of the three worlds in its database."""
    application = worlds[0].app(database_template, tmp_path)
    yield application
    close_app(application, database_template)


@pytest.mark.parametrize(("action", "visibility", "role"), CASES)
def test_policy_table(worlds, worlds_app, action, visibility, role):
    app = worlds_app
    community, users = worlds[1][visibility]
    with app.app_context():
        user = db.session.merge(users[role]) if users[role] else None
        target = db.session.get(Community, community.id)
        assert permissions.can(user, action, target) is (role in ALLOWED[action][visibility])


@pytest.mark.parametrize(
    ("action", "visibility", "role", "error"),
    [
        ("community.view", "hidden", "outsider", NotFound),
        ("community.view", "hidden", "anonymous", NotFound),
        ("community.view_content", "private", "outsider", NotFound),
        ("community.view_content", "private", "banned", NotFound),
        ("community.participate", "public", "outsider", Forbidden),
        ("community.participate", "public", "anonymous", NotAuthenticated),
        ("community.manage", "private", "member", Forbidden),
        ("community.manage", "private", "outsider", NotFound),
        ("chat.view_community", "public", "outsider", NotFound),
    ],
)
def test_authorize_hides_what_cannot_be_seen(app, factory, action, visibility, role, error):
    community, users = _world(factory, visibility)
    with app.app_context():
        user = db.session.merge(users[role]) if users[role] else None
        with pytest.raises(error):
            permissions.authorize(user, action, db.session.get(Community, community.id))


def test_inactive_user_has_no_rights(app, factory):
    community, users = _world(factory, "private")
    with app.app_context():
        member = db.session.merge(users["member"])
        member.active = False
        assert not permissions.can(
            member, "community.view_content", db.session.get(Community, community.id)
        )


def test_authorize_gives_the_callers_not_found_message(app, factory):
    community = factory.community(factory.user(), visibility="hidden")
    with app.app_context():
        target = db.session.get(Community, community.id)
        with pytest.raises(NotFound) as raised:
            permissions.authorize(None, "community.view", target, not_found="No such thing.")
    assert raised.value.message == "No such thing."
