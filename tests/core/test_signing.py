"""Rotating the secret key: links already sent and logged-in sessions keep working while
the old key is listed in SECRET_KEY_FALLBACKS, and stop once it is dropped."""

from __future__ import annotations

import pytest

from cop.auth.models import User
from cop.auth.services import accounts
from cop.core.errors import NotFound
from cop.extensions import db
from cop.notifications import delivery


def _rotate(app, *fallbacks: str) -> None:
    app.config["SECRET_KEY"] = "the-new-secret-key-after-rotation"
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)


def test_links_signed_with_the_old_key_still_work_while_it_is_a_fallback(app, factory):
    user = factory.user()
    old = app.config["SECRET_KEY"]
    with app.test_request_context():
        member = db.session.get(User, user.id)
        reset = accounts.password_reset_token(member)
        unsubscribe = delivery.unsubscribe_token(member, ["reply"])
    _rotate(app, old)
    with app.test_request_context():
        assert accounts.user_for_reset_token(reset).id == user.id
        assert delivery.read_unsubscribe_token(unsubscribe)[0] == user.id
        fresh = accounts.password_reset_token(db.session.get(User, user.id))
    _rotate(app)  # the old key dropped: its links are refused, the new one's work
    with app.test_request_context():
        with pytest.raises(NotFound):
            accounts.user_for_reset_token(reset)
        assert accounts.user_for_reset_token(fresh).id == user.id


def test_a_logged_in_session_survives_the_rotation_only_with_the_fallback(
    app, client, auth, factory
):
    user = factory.user()
    auth.login(user.email)
    old = app.config["SECRET_KEY"]
    assert client.get("/privacy/my-data").status_code == 200
    _rotate(app, old)
    assert client.get("/privacy/my-data").status_code == 200
    _rotate(app)
    assert client.get("/privacy/my-data").status_code == 302  # to the login page
