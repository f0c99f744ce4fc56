"""The site admin area: only admins see it; they (de)activate accounts and read the audit log."""

import pytest

from cop.auth.models import User
from cop.auth.services import user_for_token
from tests.conftest import Auth, csrf_token


@pytest.fixture
def admin(factory, auth):
    user = factory.user(admin=True, locale="en", name="Admin Situs")
    auth.login(user.email)
    return user


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/audit"])
def test_non_admins_are_told_it_does_not_exist(client, auth, factory, path):
    auth.login(factory.user().email)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/audit"])
def test_visitors_are_sent_to_log_in(client, path):
    assert "/auth/login" in client.get(path).headers["Location"]


def test_users_list_searches_name_email_and_username(client, admin, factory):
    factory.user(name="Yohana Wenda", email="yohana@sma1sentani.sch.id")
    factory.user(name="Andi Pratama")
    page = client.get("/admin/users?q=sentani").get_data(as_text=True)
    assert "Yohana Wenda" in page and "Andi Pratama" not in page


def test_deactivating_logs_the_person_out_and_is_audited(app, client, admin, factory):
    teacher = factory.user(name="Pak Budi")
    other = app.test_client()
    Auth(other).login(teacher.email)
    assert other.get("/auth/profile").status_code == 200
    response = client.post(
        f"/admin/users/{teacher.id}/active", data={"active": "0", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    assert factory.get(User, teacher.id).active is False
    assert "/auth/login" in other.get("/auth/profile").headers["Location"]
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "user.deactivate" in audit and "Admin Situs" in audit


def test_deactivated_tokens_stop_working(app, client, admin, factory):
    teacher = factory.user()
    token = (
        app.test_client()
        .post("/api/v1/tokens", json={"email": teacher.email, "password": "pelangi-senja-42"})
        .get_json()["token"]
    )
    client.post(
        f"/admin/users/{teacher.id}/active", data={"active": "0", "csrf_token": csrf_token(client)}
    )
    with app.app_context():
        assert user_for_token(token) is None


def test_admin_cannot_deactivate_themselves(client, admin, factory):
    client.post(
        f"/admin/users/{admin.id}/active", data={"active": "0", "csrf_token": csrf_token(client)}
    )
    assert factory.get(User, admin.id).active is True


def test_reactivating_lets_them_log_in_again(client, admin, factory, app):
    teacher = factory.user(active=False)
    client.post(
        f"/admin/users/{teacher.id}/active", data={"active": "1", "csrf_token": csrf_token(client)}
    )
    assert Auth(app.test_client()).login(teacher.email).status_code == 302


def test_unknown_user_is_404(client, admin):
    assert (
        client.post(
            "/admin/users/999999/active", data={"active": "0", "csrf_token": csrf_token(client)}
        ).status_code
        == 404
    )


def test_audit_page_query_count_is_constant(client, admin, factory, count_queries):
    client.get("/")
    measured = []
    for n in (2, 12):  # each community adds an audit entry by a different actor
        for _ in range(n):
            factory.community()
        with count_queries() as q:
            assert client.get("/admin/audit").status_code == 200
        measured.append(q.count)
    assert measured[0] == measured[1]
