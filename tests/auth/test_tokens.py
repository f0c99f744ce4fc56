"""Personal API tokens: shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from cop.auth import services
from cop.auth.models import ApiToken
from cop.extensions import db
from tests.auth import EN, post, text

TOKEN_RE = re.compile(r'class="token-value" type="text" value="(cop_[A-Za-z0-9_\-]+)"')


@pytest.fixture
def user(factory, auth):
    user = factory.user(locale="en")
    auth.login(user.email)
    return user


def create(client, name="Sistem absensi sekolah"):
    return post(client, "/auth/tokens", {"name": name})


def raw_token(response) -> str:
    match = TOKEN_RE.search(text(response))
    assert match, "the new token is shown on the page"
    return match.group(1)


def tokens(app):
    with app.app_context():
        return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all())


def test_tokens_page_needs_a_login(client):
    assert client.get("/auth/tokens").headers["Location"].startswith("/auth/login")


def test_tokens_page_starts_empty(client, user):
    response = client.get("/auth/tokens", headers=EN)
    assert response.status_code == 200
    assert "You have no API tokens." in text(response)


def test_creating_a_token_shows_it_once(client, user):
    response = create(client)
    assert response.status_code == 201
    raw = raw_token(response)
    assert raw.startswith("cop_")
    assert "Copy it now" in text(response)
    assert raw not in text(client.get("/auth/tokens"))


def test_only_the_sha256_of_a_token_is_stored(app, client, user):
    raw = raw_token(create(client))
    [token] = tokens(app)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:10]
    stored = [str(getattr(token, column.key)) for column in ApiToken.__table__.columns]
    assert not any(raw in value for value in stored)


def test_a_new_token_authenticates_its_owner(app, client, user):
    raw = raw_token(create(client))
    with app.app_context():
        assert services.user_for_token(raw).id == user.id


def test_the_list_shows_name_prefix_and_status(client, user):
    raw = raw_token(create(client))
    page = text(client.get("/auth/tokens", headers=EN))
    assert "Sistem absensi sekolah" in page
    assert f"{raw[:10]}…" in page
    assert "never" in page
    assert "active" in page


def test_the_list_shows_only_my_tokens(app, client, factory, user):
    other = factory.user()
    with app.app_context():
        services.create_token(db.session.merge(other), "Token orang lain")
    assert "Token orang lain" not in text(client.get("/auth/tokens"))


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_token_needs_a_name(app, client, user, name):
    response = create(client, name)
    assert response.status_code == 400
    assert 'class="error"' in text(response)
    assert tokens(app) == []


def test_revoking_a_token_stops_it_working(app, client, user):
    raw = raw_token(create(client))
    [token] = tokens(app)
    response = post(client, f"/auth/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/tokens"
    [token] = tokens(app)
    assert token.revoked_at is not None
    with app.app_context():
        assert services.user_for_token(raw) is None


def test_a_revoked_token_is_listed_as_revoked(client, app, user):
    create(client)
    [token] = tokens(app)
    post(client, f"/auth/tokens/{token.id}/revoke")
    page = text(client.get("/auth/tokens", headers=EN))
    assert "has been revoked" in page
    assert "revoked" in page
    assert f"/auth/tokens/{token.id}/revoke" not in page


def test_someone_elses_token_cannot_be_revoked(app, client, factory, user):
    other = factory.user()
    with app.app_context():
        token, raw = services.create_token(db.session.merge(other), "Token orang lain")
    response = post(client, f"/auth/tokens/{token.id}/revoke")
    assert response.status_code == 404
    with app.app_context():
        assert services.user_for_token(raw).id == other.id


def test_revoking_needs_a_post(client, app, user):
    create(client)
    [token] = tokens(app)
    assert client.get(f"/auth/tokens/{token.id}/revoke").status_code == 405
