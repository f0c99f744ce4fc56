"""Every page is valid HTML: the Nu HTML Checker (vnu.jar) reads each rendered page.

The pages are the route matrix's: every GET route that is not the API or a
file, opened in its world by a visitor, a member, a coordinator and an
admin, kept when it answers 200 with HTML (about 150 documents). One run of
the checker reads them all; any error fails with the page and the message.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from flask import url_for

from tests.checkers import VNU, java, tool
from tests.route_matrix import EXPECTED, OK
from tests.test_route_matrix import (  # noqa: F401 - fixtures used by name
    ALL_ROUTES,
    param_value,
    shared_world,
    world_snapshot,
)

ROLES = ("anonymous", "member", "coordinator", "admin")
#: not documents: downloads, feeds, images, redirects into files, the OB 2.0 JSON-LD
NOT_PAGES = (".ics", ".svg", ".csv", ".json", "/download", "/files/", "/thumb", "/assertion")


def _pages(shared: Any, tmp_path: Any) -> dict[str, str]:
    """Render every page; returns {file name: "ROLE URL"} for the files written."""
    app, world, client_for = shared
    written: dict[str, str] = {}
    for endpoint, path, method in ALL_ROUTES:
        if method != "GET" or endpoint.startswith(("api.", "static")) or endpoint == "healthz":
            continue
        rule = next(
            r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path
        )
        values = {name: param_value(world, endpoint, name) for name in rule.arguments}
        with app.test_request_context():
            url = url_for(endpoint, **values)
        if any(part in url for part in NOT_PAGES):
            continue
        for role in ROLES:
            if EXPECTED[(endpoint, method)][role] != OK:
                continue
            response = client_for(role).get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                response.close()
                continue
            name = f"{len(written):03d}.html"
            (tmp_path / name).write_bytes(response.get_data())
            written[name] = f"{role} {url}"
            response.close()
    return written


def test_every_page_is_valid_html(shared_world, tmp_path):  # noqa: F811
    vnu = tool(VNU)
    pages = _pages(shared_world, tmp_path)
    assert len(pages) > 100, f"only {len(pages)} pages rendered: the world lost its objects?"
    result = subprocess.run(
        [
            java(),
            "-jar",
            str(vnu),
            "--format",
            "json",
            "--errors-only",
            "--stdout",
            *sorted(str(tmp_path / name) for name in pages),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [
        f"{pages[m['url'].rsplit('/', 1)[-1]]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert result.returncode in (0, 1), result.stderr
    assert errors == [], "\n".join(errors[:40])
