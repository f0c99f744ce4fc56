"""axe-core on the main pages, at phone and desktop size: no serious or critical violation.

The pages are opened in Chromium against a live server holding the route
matrix's world (a private community with topics, a meeting, chat, materials
and an award), as the roles that use them. axe-core comes from npm (tests/tools,
`make tools`) and is injected into each page; it is never served to users.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import url_for
from werkzeug.serving import make_server

from tests.checkers import AXE, tool
from tests.e2e.conftest import _new_page
from tests.test_route_matrix import (  # noqa: F401 - fixtures used by name
    param_value,
    shared_world,
    world_snapshot,
)

pytestmark = pytest.mark.browser

#: (role, endpoint, query string): the pages people spend their day on
MAIN_PAGES = [
    ("anonymous", "dashboard.index", ""),
    ("anonymous", "auth.login", ""),
    ("anonymous", "auth.register", ""),
    ("anonymous", "communities.directory", ""),
    ("anonymous", "resources.global_library", ""),
    ("anonymous", "badges.index", ""),
    ("anonymous", "pwa.offline", ""),
    ("member", "dashboard.index", ""),
    ("member", "communities.home", ""),
    ("member", "discussions.topics", ""),
    ("member", "discussions.topic", ""),
    ("member", "discussions.new_topic", ""),
    ("member", "chat.channel", ""),
    ("member", "meetings.calendar", ""),
    ("member", "meetings.show", ""),
    ("member", "resources.library", ""),
    ("member", "resources.show", ""),
    ("member", "search.index", "?q=materi"),
    ("member", "notifications.index", ""),
    ("member", "auth.user_profile", ""),
    ("member", "auth.profile", ""),
    ("member", "notifications.preferences_page", ""),
    ("member", "badges.leaderboard", ""),
    ("member", "badges.award", ""),
    ("member", "cycles.index", ""),
    ("member", "cycles.observe", ""),
    ("member", "cycles.reflection", ""),
    ("member", "cycles.pair", ""),
    ("member", "cycles.ptk", ""),
    ("coordinator", "cycles.lesson_study", ""),
    ("coordinator", "meetings.show", ""),
    ("coordinator", "meetings.attendance", ""),
    ("coordinator", "meetings.minutes", ""),
    ("coordinator", "communities.members", ""),
    ("admin", "admin.jobs_page", ""),
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def world_server(shared_world: Any) -> Iterator[tuple[Any, Any, str]]:  # noqa: F811
    """The world's app served on a free local port: (app, world, base URL)."""
    app, world, _client_for = shared_world
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield app, world, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


def _url(app: Any, world: Any, endpoint: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: param_value(world, endpoint, name) for name in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **values)


@pytest.mark.parametrize("size", list(SIZES))
def test_main_pages_have_no_serious_accessibility_violations(browser, request, world_server, size):
    axe = tool(AXE).read_text()
    app, world, base = world_server
    pages: dict[str, Any] = {}
    found: list[str] = []
    checked = 0
    for role, endpoint, query in MAIN_PAGES:
        if role not in pages:
            # bypass_csp: the page's CSP (script-src 'self') would refuse the injected axe
            pages[role] = page = _new_page(
                browser, request, f"{role}-{size}", viewport=SIZES[size], bypass_csp=True
            )
            if role in world.sessions:
                page.context.add_cookies(
                    [
                        {
                            "name": app.config["SESSION_COOKIE_NAME"],
                            "value": world.sessions[role],
                            "url": base,
                        }
                    ]
                )
        page = pages[role]
        path = _url(app, world, endpoint) + query
        response = page.goto(base + path)
        assert response is not None and response.status == 200, f"{role} {path}"
        page.add_script_tag(content=axe)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        checked += 1
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                found.append(f"{role} {path}: {violation['id']} ({violation['impact']}) {targets}")
    assert checked == len(MAIN_PAGES)
    assert found == [], "\n".join(found)
