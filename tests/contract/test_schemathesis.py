"""The OpenAPI document is a contract: schemathesis checks every operation against the app.

Every built-in check is on (server errors, status codes, content types, response
schemas and headers, negative data rejected, positive data accepted, ...), the
seed is fixed and the examples per operation bounded, so the run is the same
each time and stays within about a minute. Rate limits are relaxed for it
(``RATELIMIT_ENABLED=False``); a member with a bearer token and a community
with a topic, a meeting and a resource give the authenticated operations
something real to find.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.api import token_for
from tests.conftest import close_app, make_app
from tests.factories import Factory

EXAMPLES = int(os.environ.get("COP_SCHEMATHESIS_EXAMPLES", "12"))


@pytest.fixture
def contract_app(database_template: dict[str, Any], tmp_path: Any) -> Iterator[Flask]:
    application = make_app(
        database_template,
        tmp_path,
        RATELIMIT_ENABLED=False,
        # schemathesis' WSGI transport reads the body as sent: no compression
        COMPRESS_REGISTER=False,
    )
    yield application
    close_app(application, database_template)


@pytest.fixture
def api_schema(contract_app: Flask) -> Any:
    factory = Factory(contract_app)
    owner = factory.user(email="owner@example.com", name="Owner")
    community = factory.community(owner, slug="kkg-contoh", name="KKG Contoh")
    topic = factory.topic(community, owner, title="Topik", body="Isi")
    factory.meeting(community, owner)
    factory.resource(community, owner)
    factory.message(community, owner, "halo")
    token = token_for(contract_app.test_client(), owner)
    del topic
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", contract_app)
    return schema, {"Authorization": f"Bearer {token}"}


def _describe(error: BaseException) -> str:
    """The failure's report (schemathesis' text names the check, the response and a curl)."""
    return str(error) if isinstance(error, FailureGroup) else repr(error)


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    """Run ``operation``'s examples in ``mode``; the first failure's report, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers)

    try:
        check()
    except (FailureGroup, AssertionError) as error:  # what the checks found
        return f"{operation.label} [{mode.value}]: {_describe(error)}"
    except Unsatisfiable:  # nothing to make invalid (an operation without input)
        return None
    return None


def test_api_matches_its_openapi_document(api_schema: tuple[Any, dict[str, str]]) -> None:
    schema, headers = api_schema
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 39
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _run(operation, mode, headers)
            if failure:
                failures.append(failure)
    assert not failures, "\n\n".join(failures)
