"""The policy and its SQL twins agree: for every (user, object) pair, ``can()`` says
yes exactly when the listing filter selects the object for that user.

The world (built once): users of every role and standing, communities of every
visibility (those the users belong to, and as many where they are strangers,
so a filter that forgot which community a membership is in fails), and
resources of every kind of visibility in them and outside any community.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.badges.models import Award
from cop.communities.models import Community
from cop.core import permissions
from cop.core.types import utcnow
from cop.extensions import db
from cop.resources.models import Resource
from cop.search import services as search
from tests.conftest import close_app, database_snapshot
from tests.factories import Factory

VISIBILITIES = ("public", "private", "hidden")

#: user -> (membership role, status) in each of the world's own communities
STANDINGS: dict[str, tuple[str, str] | None] = {
    "anonymous": None,
    "outsider": None,
    "pending": ("member", "pending"),
    "banned": ("member", "banned"),
    "member": ("member", "active"),
    "moderator": ("moderator", "active"),
    "coordinator": ("coordinator", "active"),  # created the communities
    "deactivated-member": ("member", "active"),
    "admin": None,
    "deactivated-admin": None,
}

#: community -> visibility; "<v>" holds the users' memberships, "<v>-elsewhere" none of them
COMMUNITIES = {**{v: v for v in VISIBILITIES}, **{f"{v}-elsewhere": v for v in VISIBILITIES}}
#: communities that are not active (cop.communities.models.COMMUNITY_STATUSES): seen like
#: hidden ones whatever their visibility; the name's first word is the visibility
STATUSES = {
    "public-pending": "pending",
    "private-archived": "archived",
    "public-archived": "archived",
    "public-rejected-elsewhere": "rejected",
}
COMMUNITIES.update({name: name.split("-")[0] for name in STATUSES})

#: resource variant -> (public, hidden, uploader)
VARIANTS = {
    "public": (True, False, "stranger"),
    "community-only": (False, False, "stranger"),
    "hidden": (False, True, "stranger"),
    "hidden-public": (True, True, "stranger"),
    "hidden-own-upload": (False, True, "member"),
    "hidden-own-upload-deactivated": (False, True, "deactivated-member"),
}
#: which variants each kind of community gets (the users' own ones get them all)
ELSEWHERE_VARIANTS = ("community-only", "hidden", "hidden-own-upload")
NO_COMMUNITY_VARIANTS = ("public", "community-only", "hidden-public", "hidden-own-upload")

RESOURCES = [
    *(f"{c}:{v}" for c in VISIBILITIES for v in VARIANTS),
    *(f"{c}-elsewhere:{v}" for c in VISIBILITIES for v in ELSEWHERE_VARIANTS),
    *(f"no-community:{v}" for v in NO_COMMUNITY_VARIANTS),
]

#: award variant -> (private, revoked); earned by the member (own communities) or the stranger
AWARD_VARIANTS = {"public": (False, False), "private": (True, False), "revoked": (False, True)}
AWARDS = [f"{c}:{v}" for c in COMMUNITIES for v in AWARD_VARIANTS]

#: a word only the world's search documents hold
WORD = "pelangitwin"


def _users(factory: Factory) -> dict[str, User]:
    users = {
        "coordinator": factory.user(),
        "stranger": factory.user(),
        "admin": factory.user(admin=True),
        "deactivated-admin": factory.user(admin=True),
    }
    for name in ("outsider", "pending", "banned", "member", "moderator", "deactivated-member"):
        users[name] = factory.user()
    return users


def _build(app: Any) -> dict[str, dict[str, int]]:
    """The world: users, communities with memberships and resources, one search document
    per community. Returns ids by name."""
    factory = Factory(app)
    users = _users(factory)
    communities: dict[str, Community] = {}
    for name, visibility in COMMUNITIES.items():
        owner = users["stranger" if name.endswith("-elsewhere") else "coordinator"]
        communities[name] = community = factory.community(owner, visibility=visibility)
        if name in STATUSES:
            with app.app_context():
                db.session.get(Community, community.id).status = STATUSES[name]
                db.session.commit()
        if name.endswith("-elsewhere"):
            continue
        for user_name, standing in STANDINGS.items():
            if standing is not None and user_name != "coordinator":
                factory.member(community, users[user_name], role=standing[0], status=standing[1])
    resources: dict[str, int] = {}
    with app.app_context():
        for community in communities.values():
            search.index_document("note", community.id, community.id, WORD, WORD, "/")
        for key in RESOURCES:
            where, variant = key.split(":")
            public, hidden, uploader = VARIANTS[variant]
            row = Resource(
                title=key,
                kind="lkpd",
                url="https://example.id/materi",
                community_id=None if where == "no-community" else communities[where].id,
                uploader_id=users[uploader].id,
                public=public,
                hidden=hidden,
            )
            db.session.add(row)
            db.session.flush()
            resources[key] = row.id
        awards: dict[str, int] = {}
        for key in AWARDS:
            where, variant = key.split(":")
            private, revoked = AWARD_VARIANTS[variant]
            earner = users["stranger" if where.endswith("-elsewhere") else "member"]
            award = Award(
                user_id=earner.id,
                badge_slug=f"twin-{variant}",
                community_id=communities[where].id,
                private=private,
                revoked_at=utcnow() if revoked else None,
                salt="0" * 32,
            )
            db.session.add(award)
            db.session.flush()
            awards[key] = award.id
        # Deactivated after their memberships and uploads exist: they keep the rows.
        for name in ("deactivated-member", "deactivated-admin"):
            db.session.get(User, users[name].id).active = False
        db.session.commit()
    return {
        "users": {name: user.id for name, user in users.items()},
        "communities": {name: community.id for name, community in communities.items()},
        "resources": resources,
        "awards": awards,
    }


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    """The world, built once; each pair gets a fresh copy of it."""
    with database_snapshot(
        database_template, tmp_path_factory.mktemp("policy_sql"), "policy_sql", _build
    ) as snapshot:
        yield snapshot


@pytest.fixture
def world_app(world, database_template, tmp_path):
    """Like ``app``, with a copy of the world in its database."""
    application = world[0].app(database_template, tmp_path)
    yield application
    close_app(application, database_template)


def _user(ids: dict[str, dict[str, int]], name: str) -> User | None:
    return None if name == "anonymous" else db.session.get(User, ids["users"][name])


def _selected(model: Any, where: Any) -> set[int]:
    return set(db.session.scalars(select(model.id).where(where)))


@pytest.mark.parametrize("community", list(COMMUNITIES))
@pytest.mark.parametrize("user", list(STANDINGS))
def test_community_rules_agree_with_their_filters(world, world_app, user, community):
    """community.view ~ the directory's filter; community.view_content ~ its twin and search."""
    ids = world[1]
    with world_app.app_context():
        viewer = _user(ids, user)
        target = db.session.get(Community, ids["communities"][community])
        listed = _selected(Community, permissions.visible_community_filter(viewer))
        assert permissions.can(viewer, "community.view", target) is (target.id in listed)
        content = _selected(Community, permissions.community_content_filter(viewer))
        sees_content = permissions.can(viewer, "community.view_content", target)
        assert sees_content is (target.id in content)
        found = {hit.community_id for hit in search.search(viewer, WORD)}
        assert sees_content is (target.id in found)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("user", list(STANDINGS))
def test_resource_rules_agree_with_their_filters(world, world_app, user, resource):
    """resource.view ~ its twin; the libraries list only what resource.view allows."""
    ids = world[1]
    with world_app.app_context():
        viewer = _user(ids, user)
        target = db.session.get(Resource, ids["resources"][resource])
        sees = permissions.can(viewer, "resource.view", target)
        assert sees is (
            target.id in _selected(Resource, permissions.resource_visible_filter(viewer))
        )
        # The shared library: the public resources everyone may see.
        shared = target.id in _selected(Resource, permissions.public_library_filter())
        assert shared is (target.public and permissions.can(None, "resource.view", target))
        assert sees or not shared
        # A community's library, for those who may open it: exactly what they may see.
        community = target.community
        if community is not None and permissions.can(viewer, "community.view_content", community):
            library = _selected(Resource, permissions.community_library_filter(viewer, community))
            assert sees is (target.id in library)


@pytest.mark.parametrize("award", AWARDS)
@pytest.mark.parametrize("user", list(STANDINGS))
def test_award_rule_agrees_with_its_filter(world, world_app, user, award):
    """award.view ~ award_visible_filter (profiles, badge pages and the API list with it)."""
    ids = world[1]
    with world_app.app_context():
        viewer = _user(ids, user)
        target = db.session.get(Award, ids["awards"][award])
        listed = _selected(Award, permissions.award_visible_filter(viewer))
        assert permissions.can(viewer, "award.view", target) is (target.id in listed)
