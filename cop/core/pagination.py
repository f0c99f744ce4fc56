"""Keyset pagination: stable pages over long lists without OFFSET.

A cursor is an opaque, URL-safe string holding the sort-key values of the
last row on the previous page. Pages cost the same query whether they are
the first or the ten-thousandth.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from cop.core.errors import ValidationError
from cop.core.ids import is_int
from cop.extensions import db

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class SortKey:
    """One column of the ordering and its direction."""

    column: InstrumentedAttribute[Any]
    descending: bool = False


@dataclass
class Page(Generic[T]):
    """One page of results and the cursor for the next one (None at the end)."""

    items: list[T]
    next_cursor: str | None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"dt"}:
        return datetime.fromisoformat(value["dt"])
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    """Pack sort-key values into an opaque cursor string."""
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, expected: int) -> list[Any]:
    """Unpack a cursor; a tampered or foreign one is a 400, not a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != expected:
            raise ValueError("wrong length")
        return [_decode_value(v) for v in values]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError(_l("The page cursor is not valid."), code="bad_cursor") from exc


MAX_CURSOR_LENGTH = 1000


def _check_value(value: Any, column: InstrumentedAttribute[Any]) -> None:
    """A decoded cursor value must fit its column, or the database would choke on it."""
    kind = column.type
    try:
        # A TypeDecorator (UTCDateTime) names no python type itself: its impl does.
        expected = getattr(kind, "impl", kind).python_type
    except NotImplementedError:  # pragma: no cover - every sort column has a python type
        return
    ok = isinstance(value, expected) and not isinstance(value, bool)
    if ok and isinstance(value, str):
        ok = "\x00" not in value
    if ok and isinstance(value, int):
        ok = is_int(value)
    if ok and isinstance(value, datetime):
        ok = value.tzinfo is not None
    if not ok:
        raise ValidationError(_l("The page cursor is not valid."), code="bad_cursor")


def check_cursor(cursor: str | None, keys: Sequence[SortKey]) -> list[Any] | None:
    """Decode ``cursor`` for ``keys`` and check each value against its column's type."""
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise ValidationError(_l("The page cursor is not valid."), code="bad_cursor")
    values = decode_cursor(cursor, len(keys))
    for value, key in zip(values, keys, strict=True):
        _check_value(value, key.column)
    return values


def parse_limit(raw: str | int | None, default: int = DEFAULT_LIMIT) -> int:
    """Read ``?limit=``: an integer from 1 to MAX_LIMIT."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, str) and not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        # int() would also read "1_0", " 7 " and other scripts' digits
        raise ValidationError(_l("limit must be a whole number."), code="bad_limit")
    try:
        limit = int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_l("limit must be a whole number."), code="bad_limit") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            _l("limit must be between 1 and %(max)d.", max=MAX_LIMIT), code="bad_limit"
        )
    return limit


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> Any:
    """The WHERE clause that selects rows strictly after ``values`` in key order."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column == values[j] for j in range(i)]
        step = key.column < values[i] if key.descending else key.column > values[i]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


def keyset_page(
    stmt: Select[Any],
    keys: Sequence[SortKey],
    *,
    cursor: str | None,
    limit: int,
    key_of: Callable[[Any], Sequence[Any]],
    scalars: bool = True,
) -> Page[Any]:
    """Run ``stmt`` ordered by ``keys`` and return one page after ``cursor``.

    ``key_of(row)`` gives a row's sort-key values (for the next cursor). The
    last key must be unique (usually the primary key) so the order is total.
    """
    values = check_cursor(cursor, keys)
    if values is not None:
        stmt = stmt.where(_after(keys, values))
    order = [k.column.desc() if k.descending else k.column.asc() for k in keys]
    stmt = stmt.order_by(*order).limit(limit + 1)
    result = db.session.execute(stmt)
    rows = list(result.scalars() if scalars else result.all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(key_of(rows[-1])) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
