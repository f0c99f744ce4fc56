"""Browser tests: Playwright drives Debian's Chromium against a live server.

The server is the test's own app (fresh database) served by werkzeug in a
thread on 127.0.0.1 with a free port. A failing test leaves a screenshot in
test-artifacts/.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import ARTIFACTS, service_missing

CHROMIUM = os.environ.get("COP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveServer:
    """A running server: its app (for factories and DB checks) and base URL."""

    app: Flask
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve the test's app (HTTP and Socket.IO) on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # server_close() waits for request threads
    server.block_on_close = True
    # shutdown() waits for the loop to look at its flag: every 50 ms, not the default 0.5 s
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        service_missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _new_page(browser: Any, request: pytest.FixtureRequest, name: str, **options: Any) -> Any:
    context = browser.new_context(
        locale=options.pop("locale", "id-ID"),
        timezone_id=options.pop("timezone_id", "Asia/Makassar"),
        viewport=options.pop("viewport", {"width": 390, "height": 844}),
        **options,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    def finish() -> None:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.name}-{name}")
            page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        context.close()

    request.addfinalizer(finish)
    return page


# The page fixtures depend on live_server so that pytest closes the browser
# contexts (and their keep-alive connections) before it stops the server: a
# request thread still running at shutdown would hold a database connection.
@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, live_server: LiveServer) -> Any:
    """A fresh phone-sized page in Indonesian (screenshot saved if the test fails)."""
    return _new_page(browser, request, "page")


@pytest.fixture
def new_page(browser: Any, request: pytest.FixtureRequest, live_server: LiveServer) -> Any:
    """Open more independent pages (other users): ``new_page("bu-sari")``."""
    return lambda name, **options: _new_page(browser, request, name, **options)
