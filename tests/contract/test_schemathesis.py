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
from schemathesis.generation.jsonschema import context
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api import token_for
from tests.conftest import close_app, make_app
from tests.factories import Factory

EXAMPLES = int(os.environ.get("COP_SCHEMATHESIS_EXAMPLES", "15"))


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


#: control characters the input layer drops before any validation (cop/core/inputs.py);
#: generated strings leave them out, as they leave out NUL (refused on purpose), so
#: a length or a pattern in the document means what the server checks
DROPPED = "".join(chr(c) for c in [*range(1, 9), 11, 12, *range(14, 32), *range(127, 160)])


@pytest.fixture
def _no_control_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    characters = context._characters

    def without_controls(allow_x00: bool, codec: Any, max_codepoint: Any, exclude: str) -> Any:
        return characters(allow_x00, codec, max_codepoint, exclude + DROPPED)

    monkeypatch.setattr(context, "_characters", without_controls)


@pytest.fixture
def api_schema(contract_app: Flask, _no_control_characters: None) -> Any:
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
    # NUL is refused in every string on purpose (400 bad_text, the document says so).
    schema.config.generation.update(allow_x00=False)
    return schema, {"Authorization": f"Bearer {token}"}


#: Rules of the domain no JSON Schema can say, per operation: the fields whose 400
#: a schema-valid request may still earn. For these operations the positive run
#: accepts a 400 only when every field it names is listed here (any other 400 on
#: valid data still fails); everything else in the response is checked as usual.
DOMAIN_RULES: dict[str, set[str]] = {
    # in the past, the end before the start, a rule that gives no dates, a place for
    # an offline or hybrid meeting and a link for an online or hybrid one
    "POST /communities/{slug}/meetings": {
        "starts_at",
        "ends_at",
        "recurrence",
        "location",
        "online_url",
    },
    "PATCH /meetings/{meeting_id}": {
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "cancel_reason",
        "status",
    },
    # check-in opens an hour before the start and closes two hours after the end
    "POST /meetings/{meeting_id}/checkin": {"code", "user_id"},
    # a password that is not common, nor the name or email
    # a name of only spaces or invisible characters is empty once trimmed
    "POST /users": {"password", "name"},
    # the roll names members of the meeting's community, inside the meeting's time
    "PUT /meetings/{meeting_id}/attendance/{user_id}": {"user_id", "status"},
    # a lesson study names active members of the community (the model teacher not among
    # the observers)
    "POST /communities/{slug}/lesson-studies": {"model_teacher_id", "observer_ids"},
    # a note that looks like a student's full name needs confirm_name
    "POST /lesson-studies/{study_id}/observations": {"note"},
    # the next step falls due on or after the session
    "POST /mentoring/{pair_id}/sessions": {"next_due"},
    # the caller's own password confirms an account deletion
    "DELETE /me": {"password"},
    # communities to mute are the caller's own, by slug
    # ... and quiet hours have both ends or none
    "PUT /me/preferences": {
        "muted_communities",
        "quiet_hours",
        "quiet_hours.start",
        "quiet_hours.end",
    },
    # a push service's https address and the browser's real keys
    "POST /me/push-subscriptions": {"endpoint", "keys"},
    # a file of an allowed type, checked against its content
    "POST /channels/{channel_id}/attachments": {"file"},
    # catch-up or scroll-back, not both
    "GET /channels/{channel_id}/messages": {"before_id"},
    # an action item's assignee is a member of the community
    "PUT /meetings/{meeting_id}/minutes": {"action_items", "user_id"},
    # a parent or a solution that is a post of this topic
    "POST /topics/{topic_id}/posts": {"parent_id"},
    "POST /topics/{topic_id}/solution": {"post_id"},
}


@schemathesis.check
def domain_rules_only(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 400 on valid data names only the operation's DOMAIN_RULES fields."""
    allowed = DOMAIN_RULES.get(case.operation.label)
    if allowed is None or response.status_code != 400:
        return None
    fields = set(((response.json() or {}).get("error") or {}).get("fields") or {})
    if not fields or not fields <= allowed:
        raise AssertionError(f"valid data refused for {sorted(fields - allowed) or 'no field'}")
    return None


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
        if mode is GenerationMode.POSITIVE and case.query:
            # A cursor is opaque: only the server makes valid ones (the `next` of a
            # page), so valid-looking random ones are left out of the positive run.
            # The negative run sends broken ones; tests/api/test_paging.py real ones.
            case.query.pop("cursor", None)
        if mode is GenerationMode.POSITIVE and operation.label in DOMAIN_RULES:
            case.call_and_validate(
                headers=headers,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[domain_rules_only],
            )
        else:
            case.call_and_validate(headers=headers, excluded_checks=[domain_rules_only])

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
