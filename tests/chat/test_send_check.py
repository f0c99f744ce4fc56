"""The send fast path's one query (queries.channel_to_send) against the general path."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm.exc import DetachedInstanceError

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.chat import queries
from cop.core import permissions
from cop.core.db import write_connection
from cop.extensions import db
from tests.chat import general_channel, token_for


def check(app, user_id: int, channel_id: int, kind: str, credential: str):
    """channel_to_send in a fresh app context, as the fast path runs it; with the
    fast path's policy answer for chat.send."""
    with app.app_context(), write_connection() as connection:
        user = db.session.get(User, user_id)
        db.session.expunge(user)  # the socket's cached user is detached too
        found = queries.channel_to_send(connection, user, channel_id, kind, credential)
        if found is None:
            return None
        standing, channel = found
        return standing, channel, permissions.can(user, "chat.send", channel)


def general_answer(app, user_id: int, channel_id: int) -> bool:
    """What the general path decides: ORM objects through the same policy."""
    with app.app_context():
        user = db.session.get(User, user_id)
        channel = queries.channel_for(user, channel_id)
        return permissions.can(user, "chat.send", channel)


@pytest.mark.parametrize(
    ("role", "status", "admin"),
    [
        ("member", "active", False),
        ("moderator", "active", False),
        ("coordinator", "active", False),
        ("member", "pending", False),
        ("member", "banned", False),
        (None, None, False),
        (None, None, True),
    ],
    ids=["member", "moderator", "coordinator", "pending", "banned", "outsider", "admin outsider"],
)
def test_the_fast_answer_is_the_policys_answer(app, factory, role, status, admin):
    community = factory.community(visibility="private")
    channel = general_channel(app, community)
    user = factory.user(admin=admin)
    if role is not None:
        factory.member(community, user, role=role, status=status)
    standing, loaded, allowed = check(app, user.id, channel.id, "token", token_for(app, user))
    assert standing == auth_services.Standing(active=True, is_admin=admin)
    assert allowed == general_answer(app, user.id, channel.id)
    assert allowed is (status == "active")
    assert loaded.id == channel.id and loaded.community.slug == community.slug


def test_a_session_socket_stands_until_logged_out_everywhere(app, factory):
    owner = factory.user().id
    community = factory.community(factory.get(User, owner))
    channel = general_channel(app, community)
    with app.app_context():
        session_key = auth_services.start_session(db.session.get(User, owner))
    assert check(app, owner, channel.id, "session", session_key)[2] is True
    assert check(app, owner, channel.id, "session", "an-old-session-key") is None
    with app.app_context():
        auth_services.revoke_sessions(db.session.get(User, owner))
    assert check(app, owner, channel.id, "session", session_key) is None


def test_no_answer_for_a_revoked_token_or_an_unknown_channel(app, factory):
    owner_id = factory.user().id
    community = factory.community(factory.get(User, owner_id))
    channel = general_channel(app, community)
    with app.app_context():
        owner = db.session.get(User, owner_id)
        token, raw = auth_services.create_token(owner, "chat-test")
    assert check(app, owner_id, channel.id + 1000, "token", raw) is None
    assert check(app, owner_id, channel.id, "token", "not-a-token") is None
    with app.app_context():
        auth_services.revoke_token(db.session.get(User, owner_id), token.id)
    assert check(app, owner_id, channel.id, "token", raw) is None


def test_a_deactivated_user_is_seen_as_such(app, factory):
    owner = factory.user()
    channel = general_channel(app, factory.community(owner))
    raw = token_for(app, owner)
    with app.app_context():
        db.session.get(User, owner.id).active = False
        db.session.commit()
    standing, _channel, _allowed = check(app, owner.id, channel.id, "token", raw)
    assert standing.active is False


def test_what_was_not_loaded_raises_instead_of_reading_as_none(app, factory):
    """The objects are detached with every column loaded: a rule that reached for a
    relationship the query did not load would fail loudly (the fast path then leaves
    the event to the general handler), not decide on a None."""
    owner = factory.user()
    channel = general_channel(app, factory.community(owner))
    raw = token_for(app, owner)
    with app.app_context(), write_connection() as connection:
        user = db.session.get(User, owner.id)
        _standing, loaded = queries.channel_to_send(connection, user, channel.id, "token", raw)
        membership = permissions.membership_of(user, loaded.community)
        assert membership.role == "coordinator" and membership.status == "active"
        with pytest.raises(DetachedInstanceError):
            _ = membership.user


def test_the_check_holds_the_channel_until_the_commit_on_postgresql(app, factory):
    """Ids must be handed out in commit order within a channel, or "what came after
    id N" could miss a message that committed later with a smaller id. On PostgreSQL
    the fast path's check query takes the channel row's lock: a second sender in the
    same channel waits at its check until the first one has committed."""
    if app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite's BEGIN IMMEDIATE lets one writer in at a time; this is PostgreSQL's")
    first, second = factory.user(), factory.user()
    community = factory.community(first)
    factory.member(community, second)
    channel = general_channel(app, community)
    tokens = {user.id: token_for(app, user) for user in (first, second)}
    checked = threading.Event()

    def check_in_thread() -> None:
        check(app, second.id, channel.id, "token", tokens[second.id])
        checked.set()

    with app.app_context(), write_connection() as connection:
        user = db.session.get(User, first.id)
        assert queries.channel_to_send(connection, user, channel.id, "token", tokens[first.id])
        waiter = threading.Thread(target=check_in_thread)
        waiter.start()
        assert not checked.wait(0.5)  # blocked by the first sender's lock
    assert checked.wait(5)  # the first one committed: the second goes on
    waiter.join(5)
