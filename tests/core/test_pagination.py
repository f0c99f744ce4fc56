"""Keyset pagination: cursors round-trip, tampering is a 400, pages never overlap."""

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.core.errors import ValidationError
from cop.core.pagination import SortKey, decode_cursor, encode_cursor, keyset_page, parse_limit
from cop.core.types import utcnow


def test_cursor_round_trips_datetimes_and_ints():
    now = utcnow()
    assert decode_cursor(encode_cursor([now, 42, "a"]), 3) == [now, 42, "a"]


@pytest.mark.parametrize(
    "cursor", ["", "!!!", "bm90IGpzb24", encode_cursor([1]), encode_cursor({"a": 1})]
)
def test_bad_cursor_is_a_validation_error(cursor):
    with pytest.raises(ValidationError):
        decode_cursor(cursor, 2)


@pytest.mark.parametrize(("raw", "expected"), [(None, 20), ("", 20), ("5", 5), (100, 100)])
def test_parse_limit_accepts_sane_values(raw, expected):
    assert parse_limit(raw) == expected


@pytest.mark.parametrize("raw", ["0", "101", "-3", "abc", "1.5"])
def test_parse_limit_refuses_others(raw):
    with pytest.raises(ValidationError):
        parse_limit(raw)


@pytest.mark.parametrize("descending", [False, True])
def test_pages_cover_every_row_once_with_ties(app, factory, descending):
    # Ten users share five names: the id breaks the ties in the sort.
    for n in range(10):
        factory.user(name=f"Guru {n % 5}")
    with app.app_context():
        keys = [SortKey(User.name, descending), SortKey(User.id, descending)]
        seen, cursor = [], None
        while True:
            page = keyset_page(
                select(User), keys, cursor=cursor, limit=3, key_of=lambda u: (u.name, u.id)
            )
            seen.extend((u.name, u.id) for u in page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert len(seen) == 10 and len(set(seen)) == 10
    assert seen == sorted(seen, reverse=descending)


@pytest.mark.parametrize(
    "values",
    [["Guru", "not-an-id"], [1, 2], ["Guru", 2**70], ["Guru\x00", 1], ["Guru", True]],
)
def test_cursor_values_must_fit_their_columns(app, values):
    # A well-formed cursor with values of the wrong type would be a database
    # error on PostgreSQL (text compared with integer): it is a 400 instead.
    with app.app_context(), pytest.raises(ValidationError):
        keyset_page(
            select(User),
            [SortKey(User.name), SortKey(User.id)],
            cursor=encode_cursor(values),
            limit=3,
            key_of=lambda u: (u.name, u.id),
        )
