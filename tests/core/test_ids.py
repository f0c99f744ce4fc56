"""cop.core.ids: the one range check for ids and integers that reach a query."""

from __future__ import annotations

import pytest

from cop.core.ids import MAX_ID, MIN_INT, is_id, is_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (MAX_ID, True),
        (MAX_ID + 1, False),
        (0, False),
        (-1, False),
        (True, False),
        (1.0, False),
        ("1", False),
        (None, False),
    ],
)
def test_is_id(value, expected):
    assert is_id(value) is expected


def test_zero_is_an_id_only_when_allowed():
    assert is_id(0, allow_zero=True)
    assert not is_id(-1, allow_zero=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(MIN_INT, True), (MIN_INT - 1, False), (MAX_ID, True), (MAX_ID + 1, False), (False, False)],
)
def test_is_int_fits_a_64_bit_column(value, expected):
    assert is_int(value) is expected


@pytest.mark.parametrize("path", ["/api/v1/topics/9223372036854775808", "/api/v1/topics/0x1"])
def test_an_id_too_large_for_the_column_is_a_404_not_a_500(client, path):
    assert client.get(path).status_code == 404
