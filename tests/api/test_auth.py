"""How API callers authenticate: bearer tokens, cookie sessions with CSRF, languages."""

from __future__ import annotations

import pytest

from cop.auth import services as auth_services
from cop.auth.models import ApiToken
from cop.extensions import db
from tests.api import API, bearer, error_code, session_login, token_for

COMMUNITY = {"name": "KKG Gugus 4 Rappocini", "kind": "KKG", "visibility": "public"}


def test_bearer_token_authenticates(client, factory):
    user = factory.user()
    response = client.get(f"{API}/me", headers=bearer(token_for(client, user)))
    assert response.get_json()["id"] == user.id


def test_revoked_token_is_refused(app, client, factory):
    user = factory.user()
    token = token_for(client, user)
    with app.app_context():
        token_id = db.session.query(ApiToken.id).filter_by(user_id=user.id).scalar()
        auth_services.revoke_token(db.session.merge(user), token_id)
    response = client.get(f"{API}/me", headers=bearer(token))
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"


def test_unknown_token_is_refused(client):
    response = client.get(f"{API}/me", headers=bearer("cop_tidak-ada-token-seperti-ini"))
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"


def test_token_of_a_deactivated_user_is_refused(app, client, factory):
    user = factory.user()
    token = token_for(client, user)
    with app.app_context():
        db.session.merge(user).active = False
        db.session.commit()
    assert client.get(f"{API}/me", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header", ["Basic Z3VydTpzYW5kaQ==", "Bearer", "Bearer   ", "Token cop_abc", "cop_abc"]
)
def test_malformed_authorization_header_is_401(client, header):
    response = client.get(f"{API}/communities", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_code(response) == "bad_authorization"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bearer_callers_need_no_csrf(client, factory):
    user = factory.user()
    response = client.post(
        f"{API}/communities", json=COMMUNITY, headers=bearer(token_for(client, user))
    )
    assert response.status_code == 201


def test_cookie_session_reads_without_csrf(app, client, factory):
    user = factory.user()
    session_login(app, client, user)
    assert client.get(f"{API}/me").get_json()["id"] == user.id


def test_cookie_session_post_without_csrf_is_refused(app, client, factory):
    session_login(app, client, factory.user())
    response = client.post(f"{API}/communities", json=COMMUNITY)
    assert response.status_code == 400
    assert error_code(response) == "csrf_failed"


def test_cookie_session_post_with_a_wrong_csrf_token_is_refused(app, client, factory):
    session_login(app, client, factory.user())
    response = client.post(f"{API}/communities", json=COMMUNITY, headers={"X-CSRFToken": "palsu"})
    assert error_code(response) == "csrf_failed"


def test_cookie_session_post_with_csrf_header_works(app, client, factory):
    token = session_login(app, client, factory.user())
    response = client.post(f"{API}/communities", json=COMMUNITY, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_bearer_wins_over_a_cookie_session(app, client, factory):
    cookie_user, token_user = factory.user(), factory.user()
    headers = bearer(token_for(client, token_user))
    session_login(app, client, cookie_user)
    assert client.get(f"{API}/me", headers=headers).get_json()["id"] == token_user.id
    assert client.post(f"{API}/communities", json=COMMUNITY, headers=headers).status_code == 201


def test_anonymous_messages_follow_accept_language(client):
    response = client.get(f"{API}/me", headers={"Accept-Language": "en"})
    assert response.headers["Content-Language"] == "en"
    assert response.get_json()["error"]["message"] == "Please log in first."


def test_indonesian_is_the_default_language(client):
    response = client.get(f"{API}/me")
    assert response.headers["Content-Language"] == "id"


def test_messages_follow_the_users_locale(client, factory):
    user = factory.user(locale="en")
    headers = {**bearer(token_for(client, user)), "Accept-Language": "id"}
    response = client.get(f"{API}/communities/tidak-ada", headers=headers)
    assert response.headers["Content-Language"] == "en"
    assert response.get_json()["error"]["message"] == "That community does not exist."


def test_bad_token_message_follows_accept_language(client):
    headers = {**bearer("cop_tidak-ada"), "Accept-Language": "en"}
    response = client.get(f"{API}/me", headers=headers)
    assert response.get_json()["error"]["message"] == "This API token is not valid (any more)."
