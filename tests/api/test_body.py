"""cop.api.views.Body: typed fields read from a JSON body, every problem collected."""

from __future__ import annotations

import pytest

from cop.api.views import Body
from cop.core.errors import ValidationError


@pytest.mark.parametrize(
    ("data", "value", "error"),
    [({}, False, False), ({"x": True}, True, False), ({"x": "true"}, False, True)],
)
def test_boolean(app, data, value, error):
    body = Body(data)
    assert body.boolean("x") is value
    assert ("x" in body.errors) is error


def test_boolean_default_is_kept_on_error(app):
    body = Body({"x": 1})
    assert body.boolean("x", default=True) is True
    assert "x" in body.errors


@pytest.mark.parametrize(
    ("data", "value", "error"),
    [
        ({}, None, False),
        ({"x": None}, None, True),  # null where a number is expected
        ({"x": 5}, 5, False),
        ({"x": True}, None, True),
        ({"x": 2.5}, None, True),
        ({"x": 2**31}, None, True),
        ({"x": -(2**31)}, None, True),
    ],
)
def test_integer(app, data, value, error):
    body = Body(data)
    assert body.integer("x") == value
    assert ("x" in body.errors) is error


def test_integer_may_be_null_when_nullable(app):
    body = Body({"x": None})
    assert body.integer("x", nullable=True) is None
    assert not body.errors


@pytest.mark.parametrize(
    ("data", "value", "error"),
    [
        ({}, None, False),
        ({"x": None}, None, True),
        ({"x": "a"}, "a", False),
        ({"x": 1}, None, True),
    ],
)
def test_text_refuses_null_unless_nullable(app, data, value, error):
    body = Body(data)
    assert body.text("x") == value
    assert ("x" in body.errors) is error


def test_text_bounds_its_length(app):
    body = Body({"x": "abcd"})
    assert body.text("x", max_length=3) is None
    assert "x" in body.errors


def test_id_list_refuses_null(app):
    body = Body({"ids": None})
    assert body.id_list("ids") is None
    assert "ids" in body.errors


def test_integer_bounds(app):
    body = Body({"low": 0, "high": 11, "ok": 10})
    assert body.integer("low", minimum=1, maximum=10) is None
    assert body.integer("high", minimum=1, maximum=10) is None
    assert body.integer("ok", minimum=1, maximum=10) == 10
    assert set(body.errors) == {"low", "high"}


@pytest.mark.parametrize(
    ("data", "value", "error"),
    [({}, None, False), ({"x": 7}, 7, False), ({"x": 0}, None, True), ({"x": 2**31}, None, True)],
)
def test_optional_id(app, data, value, error):
    body = Body(data)
    assert body.optional_id("x") == value
    assert ("x" in body.errors) is error


def test_done_raises_every_field_at_once(app):
    body = Body({"a": "no", "b": "no"})
    body.boolean("a")
    body.integer("b")
    with pytest.raises(ValidationError) as raised:
        body.done()
    assert set(raised.value.fields) == {"a", "b"}
