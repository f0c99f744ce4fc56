"""A database that is away is a 503 in the caller's language, not a 500 (in process; the
real outage is tests/resilience/test_postgres_restart.py)."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlalchemy import exc as sa_exc

from tests.checkers import VNU, java, tool


def _raise(error: Exception):
    def view():
        raise error

    return view


LOST = sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))


@pytest.fixture
def failing(app):
    """The app with a page and an API route whose query fails as given."""
    app.add_url_rule("/_lost", "lost_page", _raise(LOST))
    app.add_url_rule("/api/v1/_lost", "lost_api", _raise(LOST))
    app.add_url_rule("/_pool", "pool_page", _raise(sa_exc.TimeoutError("QueuePool limit")))
    bug = sa_exc.IntegrityError("INSERT", {}, Exception("duplicate key"))
    app.add_url_rule("/_bug", "bug_page", _raise(bug))
    return app.test_client()


def test_a_page_says_so_in_indonesian_by_default(failing):
    response = failing.get("/_lost")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert '<html lang="id">' in page and "basis data" in page


def test_a_page_says_so_in_english_when_asked(failing):
    response = failing.get("/_lost", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert "cannot reach its database" in response.get_data(as_text=True)


def test_the_api_answers_in_its_error_shape(failing):
    response = failing.get("/api/v1/_lost", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.get_json()["error"] == {
        "code": "unavailable",
        "message": "The site cannot reach its database right now. Please try again in a minute.",
    }


def test_an_exhausted_pool_is_unavailable_too(failing):
    assert failing.get("/_pool").status_code == 503


def test_a_bug_in_a_query_stays_a_500(failing):
    assert failing.get("/_bug").status_code == 500


def test_the_503_page_is_valid_html(failing, tmp_path):
    vnu = tool(VNU)
    page = tmp_path / "503.html"
    page.write_bytes(failing.get("/_lost").get_data())
    result = subprocess.run(
        [java(), "-jar", str(vnu), "--format", "json", "--errors-only", "--stdout", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    assert [m["message"] for m in messages if m.get("type") == "error"] == [], messages
