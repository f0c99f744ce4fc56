"""visible_community: the one lookup pages and the API use for /c/<slug> and /communities/<slug>."""

import pytest

from cop.communities.services import visible_community
from cop.core.errors import Forbidden, NotAuthenticated, NotFound
from cop.extensions import db


@pytest.mark.parametrize(
    ("slug", "visibility"),
    [
        ("no-such-community", "public"),  # unknown
        (None, "hidden"),  # exists, invisible to an outsider
        ("bad\x00slug", "public"),  # NUL: PostgreSQL cannot compare it
    ],
)
def test_unknown_and_invisible_read_the_same(app, factory, slug, visibility):
    owner, outsider = factory.user(), factory.user()
    community = factory.community(owner, visibility=visibility)
    with app.app_context(), pytest.raises(NotFound) as raised:
        visible_community(db.session.merge(outsider), slug or community.slug)
    assert str(raised.value.message) == "That community does not exist."


@pytest.mark.parametrize(("who", "error"), [("anonymous", NotAuthenticated), ("member", Forbidden)])
def test_a_visible_community_refuses_the_action(app, factory, who, error):
    owner, member = factory.user(), factory.user()
    community = factory.community(owner, visibility="public")
    factory.member(community, member)
    user = member if who == "member" else None
    with app.app_context(), pytest.raises(error):
        visible_community(
            db.session.merge(user) if user else None, community.slug, "community.manage"
        )


def test_returns_the_community_the_user_may_see(app, factory):
    owner = factory.user()
    community = factory.community(owner, visibility="hidden")
    with app.app_context():
        found = visible_community(db.session.merge(owner), community.slug, "community.manage")
        assert found.id == community.id
