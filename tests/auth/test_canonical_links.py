"""Absolute links come from BASE_URL, never from the request's Host (reset poisoning)."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from flask import Flask

from config import load_config
from cop import create_app
from cop.core import mail
from tests.auth import app_with
from tests.conftest import _extra_apps, csrf_token
from tests.factories import Factory

CANONICAL = "https://cop.example.go.id"


def _mail_links() -> list[str]:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    return re.findall(r"https?://[^\s]+", body)


def test_reset_mail_links_to_the_canonical_host_whatever_host_asked(database_template, tmp_path):
    with app_with(database_template, tmp_path, BASE_URL=CANONICAL) as app:
        Factory(app).user(email="sari@example.id")
        client = app.test_client()
        client.environ_base["HTTP_HOST"] = "evil.example"  # every request names the forged host
        form = {"csrf_token": csrf_token(client), "email": "sari@example.id"}
        response = client.post("/auth/reset", data=form)
    assert response.status_code == 302
    links = _mail_links()
    assert links and all(link.startswith(CANONICAL + "/auth/reset/") for link in links)
    assert "evil.example" not in mail.outbox[-1].as_string()


def test_public_url_is_still_read_as_the_old_name(monkeypatch):
    monkeypatch.setenv("COP_PUBLIC_URL", "https://lama.example.id")
    assert load_config("testing")["BASE_URL"] == "https://lama.example.id"
    monkeypatch.setenv("COP_BASE_URL", CANONICAL)
    assert load_config("testing")["BASE_URL"] == CANONICAL


def test_production_trusts_only_the_base_url_host_by_default(monkeypatch):
    monkeypatch.setenv("COP_BASE_URL", CANONICAL)
    assert load_config("production")["TRUSTED_HOSTS"] == ["cop.example.go.id"]
    monkeypatch.setenv("COP_TRUSTED_HOSTS", "a.example.id, b.example.id")
    assert load_config("production")["TRUSTED_HOSTS"] == ["a.example.id", "b.example.id"]
    monkeypatch.delenv("COP_TRUSTED_HOSTS")
    assert load_config("development")["TRUSTED_HOSTS"] is None


def _production_app(database_template: dict[str, Any], tmp_path) -> Flask:
    if database_template["kind"] == "sqlite":
        shutil.copy(database_template["path"], tmp_path / "cop.sqlite")
        url = f"sqlite:///{tmp_path / 'cop.sqlite'}"
    else:
        url = database_template["url"]
    app = create_app(
        "production",
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "production-test-secret",
            "BASE_URL": CANONICAL,
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": None,
            "MAIL_BACKEND": "memory",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        },
    )
    _extra_apps.append(app)  # its pool is closed after the test
    return app


@pytest.mark.parametrize(
    ("host", "status"),
    [("evil.example", 400), ("cop.example.go.id", 200), ("cop.example.go.id:443", 200)],
)
def test_production_refuses_other_hosts(database_template, tmp_path, host, status):
    app = _production_app(database_template, tmp_path)
    mail.outbox.clear()
    client = app.test_client()
    assert client.get("/auth/reset", headers={"Host": host}).status_code == status
    response = client.post("/auth/reset", data={"email": "x@example.id"}, headers={"Host": host})
    if status == 400:
        assert response.status_code == 400
        assert not mail.outbox
