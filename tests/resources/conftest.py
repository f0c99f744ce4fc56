"""The resource tests run with a 1 MB upload cap, so "too large" stays cheap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from cop.core import mail
from tests.conftest import close_app, make_app


@pytest.fixture
def app(database_template: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """Like the shared ``app``, with MAX_UPLOAD_MB=1."""
    application = make_app(database_template, tmp_path, MAX_UPLOAD_MB=1)
    mail.outbox.clear()
    yield application
    close_app(application, database_template)
